"""The best mistake of the year: nominate, shortlist, set aside, pick the winner.

Any employee nominates a mistake worth learning from – a learned idea or a story in
their own words – and only with the consent of the people named in it. The jury
(committee members, the chair and coaches) shortlists, sets aside and picks one
winner a year, with a motivation, among the shortlisted.

A corrected pick is two explicit steps: `withdraw_winner`, then `pick_winner` for
another nomination. The public page thus never swaps its winner by one click, and a
second `pick_winner` for a year that has a winner is refused with a message that says
what to do instead.

`Nomination.state` is a plain field, not a django-fsm field: the jury's few moves are
declared once, in `JURY_STEPS`.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ideasluss.accounts.models import User
from ideasluss.ideas.models import Idea, Nomination, NominationState

from .errors import NotAllowed, RequirementsMissing

FIRST_YEAR = 2000
TITLE_MAX_LENGTH = Nomination._meta.get_field("title").max_length

N = NominationState

# step: (states it may start from, state it leads to)
JURY_STEPS = {
    "shortlist": ({N.NOMINATED, N.NOT_CHOSEN}, N.SHORTLISTED),
    "set_aside": ({N.NOMINATED, N.SHORTLISTED}, N.NOT_CHOSEN),
    "pick_winner": ({N.SHORTLISTED}, N.WINNER),
    "withdraw_winner": ({N.WINNER}, N.SHORTLISTED),
}


def nomination_years() -> range:
    """The years one may nominate for: from FIRST_YEAR up to this year."""
    return range(FIRST_YEAR, timezone.localdate().year + 1)


def _winner_already_picked(year: int, title: str) -> RequirementsMissing:
    return RequirementsMissing(
        _(
            "The jury has already picked “%(title)s” as the best mistake of %(year)s. "
            "Withdraw that win first if the jury has changed its mind."
        )
        % {"title": title, "year": year}
    )


def nominate(
    *,
    by: User,
    year: int,
    title: str = "",
    story: str = "",
    idea: Idea | None = None,
    consent_confirmed: bool,
) -> Nomination:
    """An employee nominates a mistake for `year`, from a learned idea or as free text.

    With an idea, an empty title or story is filled in from the idea's title and
    lessons learned. Refused without the consent of the people named.
    """
    if not by.has_perm("ideas.nominate_mistake"):
        raise NotAllowed(_("Only employees can nominate the best mistake of the year."))
    if idea is not None and not by.has_perm("ideas.nominate_mistake", idea):
        raise NotAllowed(_("Only a learned idea that you can see can be nominated."))
    title = (title or "").strip() or (idea.title if idea else "")
    story = (story or "").strip() or (idea.lessons_learned.strip() if idea else "")
    problems = []
    years = nomination_years()
    if year not in years:
        problems.append(
            _("Choose a year between %(first)s and %(last)s.")
            % {"first": years[0], "last": years[-1]}
        )
    if not title:
        problems.append(_("Give the mistake a title."))
    elif len(title) > TITLE_MAX_LENGTH:
        problems.append(
            _("The title can be at most %(count)s characters.") % {"count": TITLE_MAX_LENGTH}
        )
    if not story:
        problems.append(_("Tell what happened and what was learned."))
    if not consent_confirmed:
        problems.append(
            _(
                "Ask the people named in the story whether they agree to being named "
                "publicly, and confirm it: no nomination without their consent."
            )
        )
    if problems:
        raise RequirementsMissing(*problems)
    with transaction.atomic():
        winner = Nomination.objects.filter(year=year, state=N.WINNER).first()
        if winner is not None:
            raise RequirementsMissing(
                _("The best mistake of %(year)s is already chosen. Nominate for another year.")
                % {"year": year}
            )
        if idea is not None and idea.nominations.filter(year=year).exists():
            raise RequirementsMissing(
                _("The idea is already nominated for %(year)s.") % {"year": year}
            )
        return Nomination.objects.create(
            year=year,
            idea=idea,
            title=title,
            story=story,
            nominated_by=by,
            consent_confirmed=True,
        )


def _wrong_state(step: str, nomination: Nomination) -> RequirementsMissing:
    if step == "pick_winner":
        if nomination.state == N.WINNER:
            return RequirementsMissing(_("This nomination is already the winner."))
        return RequirementsMissing(_("Shortlist the nomination before picking it as the winner."))
    if step == "set_aside" and nomination.state == N.WINNER:
        return RequirementsMissing(_("The winner cannot be set aside. Withdraw the win first."))
    return RequirementsMissing(
        _("This cannot be done while the nomination is “%(state)s”.")
        % {"state": nomination.get_state_display()}
    )


def _jury_step(*, nomination: Nomination, by: User, step: str, motivation: str = "") -> Nomination:
    """Move `nomination` one step for the jury, in one transaction, or explain why not."""
    if not by.has_perm("ideas.judge_mistakes"):
        raise NotAllowed(_("Only the jury – committee members and coaches – can do this."))
    sources, target = JURY_STEPS[step]
    motivation = (motivation or "").strip()
    try:
        with transaction.atomic():
            locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
            if locked.state not in sources:
                raise _wrong_state(step, locked)
            if target in (N.SHORTLISTED, N.WINNER) and not locked.consent_confirmed:
                raise RequirementsMissing(
                    _(
                        "The people named have not agreed to being named publicly: "
                        "the nomination cannot go further."
                    )
                )
            if target == N.WINNER:
                if not motivation:
                    raise RequirementsMissing(
                        _("Write the jury's motivation: it is published with the winner.")
                    )
                winner = (
                    Nomination.objects.filter(year=locked.year, state=N.WINNER)
                    .exclude(pk=locked.pk)
                    .first()
                )
                if winner is not None:
                    raise _winner_already_picked(winner.year, winner.title)
            locked.state = target
            locked.jury_motivation = motivation if target == N.WINNER else ""
            locked.decided_by = by
            locked.decided_at = timezone.now()
            locked.save(update_fields=["state", "jury_motivation", "decided_by", "decided_at"])
    except IntegrityError as error:
        # Two jury members picked different winners for the same year at the same moment:
        # the database's one-winner-a-year constraint let the first one win.
        winner = Nomination.objects.filter(year=nomination.year, state=N.WINNER).first()
        if winner is None:
            raise
        raise _winner_already_picked(winner.year, winner.title) from error
    return locked


def shortlist(*, nomination: Nomination, by: User) -> Nomination:
    """The jury puts a nomination on the shortlist (a set-aside one may come back)."""
    return _jury_step(nomination=nomination, by=by, step="shortlist")


def set_aside(*, nomination: Nomination, by: User) -> Nomination:
    """The jury sets a nomination aside: not chosen, never shown publicly."""
    return _jury_step(nomination=nomination, by=by, step="set_aside")


def pick_winner(*, nomination: Nomination, by: User, motivation: str) -> Nomination:
    """The jury picks a shortlisted nomination as the year's winner, with a motivation.

    Refused when the year already has a winner: withdraw that win first.
    """
    return _jury_step(nomination=nomination, by=by, step="pick_winner", motivation=motivation)


def withdraw_winner(*, nomination: Nomination, by: User) -> Nomination:
    """The jury withdraws a win: the nomination is shortlisted again, its motivation removed."""
    return _jury_step(nomination=nomination, by=by, step="withdraw_winner")
