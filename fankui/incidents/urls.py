from django.urls import path

from fankui.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.status, name="status"),
    path("<int:incident_id>/", views.detail, name="detail"),
    path("<int:incident_id>/<slug:action>/", views.act, name="act"),
]
