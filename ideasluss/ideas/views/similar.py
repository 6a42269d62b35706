"""Similar ideas while writing: up to five existing ideas that look alike."""

from django.http import Http404


def similar_ideas(request):
    raise Http404
