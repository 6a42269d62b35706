"""What each kind of notification says and where it leads, in the reader's language.

A notification stores facts (`workflows.models.Notification`); the sentence, the e-mail's
subject and the link are written here when it is shown or sent, under the language that
is active then (the reader's: `translation.override` in the e-mail tasks, the
middleware's on a page). Everything read is on the row or one `select_related` away
(`NotificationQuerySet.for_page`), so a list of notifications costs one query.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ideasluss.fund.models import ApplicationState, DecisionKind
from ideasluss.fund.templatetags.fund_money import kronor
from ideasluss.ideas.models import IdeaState

from .models import NotificationKind as K

LONG_DATE = "j F Y"  # “1 december 2026”


def _idea_page(n) -> str:
    return reverse("ideas:idea-detail", args=[n.idea_id])


def _application_page(n) -> str:
    return reverse("fund:application-detail", args=[n.application_id])


def _meeting_page(n) -> str:
    return reverse("fund:meeting-detail", args=[n.meeting_id])


def _minutes_page(n) -> str:
    return reverse("fund:minutes", args=[n.meeting_id])


def _evaluation_page(n) -> str:
    return reverse("ideas:idea-evaluation", args=[n.idea_id])


def _my_ideas(n) -> str:
    # Off the team, a draft is no longer visible: lead to one's own ideas instead.
    return reverse("ideas:idea-mine")


def _nomination_page(n) -> str:
    return _idea_page(n) if n.idea_id else reverse("ideas:mistake-mine")


def _public_page(n) -> str:
    return n.link or reverse("notifications:list")


OPEN_IDEA = _("Open the idea")
OPEN_APPLICATION = _("Open the application")
OPEN_MEETING = _("Open the meeting")
OPEN_MINUTES = _("Open the minutes")


@dataclass(frozen=True)
class Text:
    summary: Promise
    subject: Promise
    link: Callable
    link_label: Promise
    #: the sentence when the person who acted is unknown (their account deleted)
    summary_without_actor: Promise | None = None
    #: what the link needs on the row; without it the link is the notification list
    needs: str = "idea_id"


TEXTS = {
    K.TRANSITION: Text(
        summary=_("%(actor)s moved the idea “%(idea)s” to “%(state)s”."),
        summary_without_actor=_("The idea “%(idea)s” moved to “%(state)s”."),
        subject=_("“%(title)s” is now “%(state)s”"),
        link=_idea_page,
        link_label=OPEN_IDEA,
    ),
    K.SUBMITTED_FOR_SCREENING: Text(
        summary=_("%(actor)s submitted the idea “%(idea)s”. It waits for a coach."),
        summary_without_actor=_("The idea “%(idea)s” was submitted. It waits for a coach."),
        subject=_("New idea to screen: %(title)s"),
        link=_idea_page,
        link_label=OPEN_IDEA,
    ),
    K.COMMENT: Text(
        summary=_("%(actor)s commented on the idea “%(idea)s”."),
        summary_without_actor=_("Someone commented on the idea “%(idea)s”."),
        subject=_("New comment on “%(title)s”"),
        link=_idea_page,
        link_label=OPEN_IDEA,
    ),
    K.TEAM_ADDED: Text(
        summary=_(
            "%(actor)s added you to the team of the idea “%(idea)s”. You can now edit it "
            "and take it forward like its owner."
        ),
        subject=_("You are on the team of “%(title)s”"),
        link=_idea_page,
        link_label=OPEN_IDEA,
    ),
    K.TEAM_REMOVED: Text(
        summary=_("%(actor)s took you off the team of the idea “%(idea)s”."),
        subject=_("You are no longer on the team of “%(title)s”"),
        link=_my_ideas,
        link_label=_("Open my ideas"),
        needs="",
    ),
    K.CHAMPIONED: Text(
        summary=_("%(actor)s champions the idea “%(idea)s”."),
        subject=_("A new champion for “%(title)s”"),
        link=_idea_page,
        link_label=OPEN_IDEA,
    ),
    K.FOLLOW_UP_DUE: Text(
        summary=_(
            "The test of “%(idea)s” was planned to end on %(due)s: write down its result "
            "against each success criterion."
        ),
        subject=_("Time to report the result of “%(title)s”"),
        link=_evaluation_page,
        link_label=_("Write the result"),
    ),
    K.PAGE_PUBLISHED: Text(
        summary=_("A public page about the idea “%(idea)s” is published: “%(page)s”."),
        subject=_("Published: a public page about “%(title)s”"),
        link=_public_page,
        link_label=_("Open the page"),
        needs="link",
    ),
    K.COMMENT_HIDDEN: Text(
        summary=_(
            "%(actor)s hid your comment on the idea “%(idea)s”. The comment is kept; the "
            "reason is below."
        ),
        summary_without_actor=_("Your comment on the idea “%(idea)s” was hidden."),
        subject=_("Your comment on “%(title)s” is hidden"),
        link=_idea_page,
        link_label=OPEN_IDEA,
    ),
    K.NOMINATED: Text(
        summary=_(
            "%(actor)s nominated the idea “%(idea)s” for the best mistake of %(year)s: "
            "“%(nomination)s”."
        ),
        summary_without_actor=_(
            "The idea “%(idea)s” is nominated for the best mistake of %(year)s."
        ),
        subject=_("“%(title)s” is nominated for the best mistake of %(year)s"),
        link=_nomination_page,
        link_label=OPEN_IDEA,
    ),
    K.NOMINATION_SHORTLISTED: Text(
        summary=_(
            "The nomination “%(nomination)s” is on the jury's shortlist for the best "
            "mistake of %(year)s."
        ),
        subject=_("On the shortlist: “%(nomination)s”"),
        link=_nomination_page,
        link_label=_("Open"),
        needs="",
    ),
    K.AWARD_WON: Text(
        summary=_("“%(nomination)s” is the best mistake of %(year)s. Congratulations!"),
        subject=_("The best mistake of %(year)s: “%(nomination)s”"),
        link=_nomination_page,
        link_label=_("Open"),
        needs="",
    ),
    K.APPLICATION_SUBMITTED: Text(
        summary=_(
            "%(actor)s applied to %(fund)s for %(amount)s to test the idea “%(idea)s”. "
            "It waits to be taken up."
        ),
        subject=_("New application to the fund: %(title)s"),
        link=_application_page,
        link_label=OPEN_APPLICATION,
        needs="application_id",
    ),
    K.REVIEW_REQUESTED: Text(
        summary=_(
            "A new application to %(fund)s waits for your review: “%(idea)s”, %(amount)s. "
            "Declare any conflict of interest, then score it."
        ),
        subject=_("An application to review: %(title)s"),
        link=_application_page,
        link_label=OPEN_APPLICATION,
        needs="application_id",
    ),
    K.APPLICATION_TRANSITION: Text(
        summary=_("%(actor)s moved the application for “%(idea)s” to “%(state)s”."),
        subject=_("The application for “%(title)s” is now “%(state)s”"),
        link=_application_page,
        link_label=OPEN_APPLICATION,
        needs="application_id",
    ),
    K.APPLICATION_SCHEDULED: Text(
        summary=_(
            "The application for “%(idea)s” is on the agenda of the fund committee's "
            "meeting on %(date)s."
        ),
        subject=_("The application for “%(title)s” is on the agenda of %(date)s"),
        link=_application_page,
        link_label=OPEN_APPLICATION,
        needs="application_id",
    ),
    K.AGENDA_ITEM_ADDED: Text(
        summary=_(
            "The application for “%(idea)s” is on the agenda of the meeting on %(date)s: "
            "declare any conflict of interest and score it before the meeting."
        ),
        subject=_("On the agenda of %(date)s: %(title)s"),
        link=_application_page,
        link_label=OPEN_APPLICATION,
        needs="application_id",
    ),
    K.FUND_DECISION: Text(
        summary=_(
            "The innovation fund has decided on the application for “%(idea)s”: "
            "%(decision)s (%(number)s)."
        ),
        subject=_("Decision on the application for “%(title)s”"),
        link=_application_page,
        link_label=OPEN_APPLICATION,
        needs="application_id",
    ),
    K.MONEY_RETURNED: Text(
        summary=_(
            "%(actor)s returned %(amount)s left of the grant for “%(idea)s” to the fund. "
            "The grant is closed."
        ),
        subject=_("Unspent money returned: %(title)s"),
        link=_application_page,
        link_label=OPEN_APPLICATION,
        needs="application_id",
    ),
    K.MEETING_PLANNED: Text(
        summary=_("%(actor)s planned meeting %(number)s of %(fund)s on %(date)s."),
        subject=_("Committee meeting on %(date)s"),
        link=_meeting_page,
        link_label=OPEN_MEETING,
        needs="meeting_id",
    ),
    K.MEETING_RESCHEDULED: Text(
        summary=_("%(actor)s moved meeting %(number)s of %(fund)s to %(date)s."),
        subject=_("The committee meeting is moved to %(date)s"),
        link=_meeting_page,
        link_label=OPEN_MEETING,
        needs="meeting_id",
    ),
    K.STAND_IN_APPOINTED: Text(
        summary=_(
            "The meeting on %(date)s appointed you to lead the item “%(idea)s”: the chair "
            "is disqualified on it."
        ),
        subject=_("You lead an item at the meeting of %(date)s"),
        link=_meeting_page,
        link_label=OPEN_MEETING,
        needs="meeting_id",
    ),
    K.MINUTES_TO_SIGN: Text(
        summary=_(
            "You check the minutes of meeting %(number)s of %(fund)s (%(date)s): read "
            "them and sign them."
        ),
        subject=_("Minutes to check: the meeting of %(date)s"),
        link=_minutes_page,
        link_label=OPEN_MINUTES,
        needs="meeting_id",
    ),
    K.MINUTES_CHECKED: Text(
        summary=_(
            "The minutes of meeting %(number)s of %(fund)s (%(date)s) are checked: post "
            "them on the notice board."
        ),
        subject=_("The minutes of %(date)s are checked"),
        link=_minutes_page,
        link_label=OPEN_MINUTES,
        needs="meeting_id",
    ),
    K.MINUTES_POSTED: Text(
        summary=_(
            "The minutes of meeting %(number)s of %(fund)s (%(date)s) are posted on the "
            "notice board. Its decisions can be appealed until %(deadline)s."
        ),
        subject=_("The minutes of %(date)s are posted"),
        link=_minutes_page,
        link_label=OPEN_MINUTES,
        needs="meeting_id",
    ),
}

RETURNED_SUMMARY = _(
    "The application for “%(idea)s” is returned for changes (%(number)s): change it "
    "and submit it again."
)


def _state_label(n) -> str:
    states = ApplicationState if n.kind == K.APPLICATION_TRANSITION else IdeaState
    try:
        return str(states(n.target_state).label)
    except ValueError:
        return n.target_state


def _values(n) -> dict:
    """The facts a sentence may name, read from the row and its `select_related` rows."""
    idea_title = n.idea.title if n.idea_id else ""
    meeting = n.meeting if n.meeting_id else None
    fund = meeting.fund if meeting else (n.application.fund if n.application_id else None)
    amount = n.amount
    if amount is None and n.application_id:
        amount = n.application.total
    values = {
        "actor": n.actor.full_name if n.actor_id else gettext("Someone"),
        "idea": idea_title or gettext("a deleted idea"),
        "title": idea_title,
        "state": _state_label(n) if n.target_state else "",
        "fund": fund.name if fund else "",
        "amount": kronor(amount) if amount is not None else "",
        "due": date_format(n.due_on, LONG_DATE) if n.due_on else "",
        "page": n.page.title if n.page_id else idea_title,
        "nomination": n.nomination.title if n.nomination_id else "",
        "year": n.nomination.year if n.nomination_id else "",
        "number": meeting.number if meeting else "",
        "date": date_format(meeting.date, LONG_DATE) if meeting else "",
        "deadline": (
            date_format(meeting.appeal_deadline, LONG_DATE)
            if meeting and meeting.appeal_deadline
            else ""
        ),
        "decision": "",
    }
    if n.decision_id:
        values["number"] = n.decision.registration_number
        values["decision"] = n.decision.get_kind_display().lower()
    return values


def summary_of(n) -> str:
    text = TEXTS.get(n.kind)
    if text is None:
        return gettext("Something happened in Idésluss.")
    values = _values(n)
    sentence = text.summary
    if n.kind == K.FUND_DECISION and n.decision_id and n.decision.kind == DecisionKind.RETURN:
        sentence = RETURNED_SUMMARY
    elif not n.actor_id and text.summary_without_actor is not None:
        sentence = text.summary_without_actor
    return str(sentence) % values


def subject_of(n) -> str:
    text = TEXTS.get(n.kind)
    if text is None:
        return "Idésluss"
    return f"{str(text.subject) % _values(n)} – Idésluss"


def _has_link(text: Text | None, n) -> bool:
    return text is not None and (not text.needs or bool(getattr(n, text.needs)))


def url_of(n) -> str:
    """The deep link; without what it needs (an older row, a deleted meeting), the idea's
    page, else the list of notifications."""
    text = TEXTS.get(n.kind)
    if _has_link(text, n):
        return text.link(n)
    return _idea_page(n) if n.idea_id else reverse("notifications:list")


def link_label_of(n) -> str:
    text = TEXTS.get(n.kind)
    if _has_link(text, n):
        return str(text.link_label)
    return str(OPEN_IDEA) if n.idea_id else gettext("Open")
