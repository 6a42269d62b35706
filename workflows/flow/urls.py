from django.urls import path

from . import views

app_name = "flow"

urlpatterns = [
    path("", views.FlowView.as_view(), name="figures"),
    path("export.<str:fmt>", views.FlowExportView.as_view(), name="export"),
]
