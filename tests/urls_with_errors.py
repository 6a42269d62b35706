"""The project's URLs plus a view that crashes, to test the 500 page."""

from django.urls import path

from ideasluss.urls import *  # noqa: F403
from ideasluss.urls import urlpatterns as project_urlpatterns


def crash(request):
    raise RuntimeError("deliberate failure for the test")


urlpatterns = [path("crash/", crash), *project_urlpatterns]
