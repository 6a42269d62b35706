from django.urls import path

from .views import MyDataJSONView, MyDataView

urlpatterns = [
    path("", MyDataView.as_view(), name="my-data"),
    path("json/", MyDataJSONView.as_view(), name="my-data-json"),
]
