from django.urls import path

from . import views

app_name = "start"

urlpatterns = [
    path("", views.MyWorkView.as_view(), name="my-work"),
]
