from django.shortcuts import render
from django.urls import path


def bare(request):
    return render(request, "benchmark/bare.html", {"items": range(10)})


urlpatterns = [path("", bare)]
