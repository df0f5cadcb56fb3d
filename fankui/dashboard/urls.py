from django.urls import path

from fankui.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:key>.<str:fmt>", views.export, name="export"),
]
