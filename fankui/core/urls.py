from django.urls import path

from fankui.core import views

urlpatterns = [path("", views.home, name="home")]
