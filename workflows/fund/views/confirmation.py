"""The confirmation page shown before every fund decision is recorded: a decision is
irreversible (only a later decision can supersede it), so the decider sees what it says,
who takes part and that there is a quorum, and confirms."""

from django.shortcuts import render


def render_confirmation(
    request, *, form, preview, back_url: str, participation=None, hidden=None, status=200
):
    """The page that re-posts `form`'s data with `confirmed` set. `preview` is the decision
    as recording it would write it (`decision_preview`); `participation` the meeting item's
    (None for a coach's decision under delegation)."""
    context = {
        "form": form,
        "preview": preview,
        "participation": participation,
        "hidden": hidden or {},
        "back_url": back_url,
        "confirmed_name": form.add_prefix("confirmed"),
    }
    return render(request, "fund/decision_confirm.html", context, status=status)
