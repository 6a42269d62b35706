"""Similar ideas while writing: up to five existing ideas that look alike.

The idea form contains an `aria-live="polite"` region with id `similar-ideas` and a
`data-similar-url` attribute; `static/js/similar-ideas.js` fetches this view as the
title and problem are typed and puts the returned fragment in that region.
"""

import re

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ideasluss.ideas.search import similar_ideas as find_similar_ideas

SIMILAR_LIMIT = 5
# Enough text to find look-alikes; anything longer is cut off, not an error.
MAX_TEXT_LENGTH = 2000


@require_GET
@login_required
@never_cache
def similar_ideas(request):
    """GET ?title=...&problem=...[&exclude=<pk>] → the HTML fragment of similar ideas."""
    title = request.GET.get("title", "")[:MAX_TEXT_LENGTH]
    problem = request.GET.get("problem", "")[:MAX_TEXT_LENGTH]
    exclude = request.GET.get("exclude", "")
    # Editing an existing idea: leave it out of its own look-alikes.
    exclude_pk = int(exclude) if re.fullmatch(r"[0-9]{1,18}", exclude) else None
    ideas = find_similar_ideas(
        text=f"{title} {problem}",
        user=request.user,
        exclude_pk=exclude_pk,
        limit=SIMILAR_LIMIT,
    )
    return render(request, "ideas/includes/similar_ideas.html", {"similar_ideas": ideas})
