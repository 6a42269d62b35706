"""Staff routes of the public site (making story pages from ideas), URL names
`showcase:...`. Mounted before Wagtail's catch-all in `ideasluss/urls.py`."""

from django.urls import path

from . import staff_views

app_name = "showcase"

urlpatterns = [
    path(
        "ideas/<int:pk>/publish-page/",
        staff_views.DraftPageFromIdeaView.as_view(),
        name="idea-page-create",
    ),
]
