from django.urls import path

from fankui.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.whois_page, name="whois"),
    path("directory/", views.directory_page, name="directory"),
]
