"""The sections of “My work”: what waits for one person, by role, and where their own
ideas and applications are.

Which sections a person gets is asked of the role predicates (`ideasluss.*.rules`); the
rows come from the apps' selectors (`ideasluss.ideas.selectors`, `ideasluss.fund.selectors`).
Each section costs one query whatever the size of the tables: its first rows and, in the
same query, how many there are in all (a window count), so nothing is ever counted by
loading it.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ideasluss.accounts.models import User
from ideasluss.accounts.rules import is_coach, is_committee_chair, is_committee_member
from ideasluss.fund import selectors as fund_selectors
from ideasluss.fund.models import Application, ApplicationState, MeetingState
from ideasluss.fund.templatetags.fund_money import kronor
from ideasluss.ideas import selectors as idea_selectors
from ideasluss.ideas.models import Idea, IdeaState
from ideasluss.ideas.rules import is_mistake_jury

from ..progress import application_next_step_text, idea_next_step_text

#: Rows shown per section; the rest are behind the section's "show all" link.
SECTION_SIZE = 5
#: How far back "news on the ideas you champion" looks.
NEWS_DAYS = 30


def first_rows(queryset: QuerySet, *, size: int = SECTION_SIZE) -> tuple[list, int]:
    """The first `size` rows of `queryset` and how many rows it has in all, in one query:
    every row carries the count of the whole result (COUNT(*) OVER ()), computed by the
    database before the limit."""
    rows = list(queryset.annotate(section_total=Window(Count("pk")))[:size])
    return rows, (rows[0].section_total if rows else 0)


@dataclass(frozen=True)
class Row:
    """One line of a section: what it is (a deep link), a few facts, an optional flag
    (returned, overdue) and an optional state shown as a badge."""

    title: str
    url: str
    details: tuple[str, ...] = ()
    flag: str = ""
    state: str = ""
    state_label: str = ""
    note: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    rows: list[Row]
    total: int
    all_url: str = ""
    all_label: str = ""
    empty: str = ""

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass
class MyWork:
    """The page: the tasks waiting for the person (non-empty ones to show, and the headings
    of those checked and found empty), then their own ideas, applications and news."""

    waiting: list[Section] = field(default_factory=list)
    checked_empty: list[str] = field(default_factory=list)
    overview: list[Section] = field(default_factory=list)

    @property
    def waiting_total(self) -> int:
        return sum(section.total for section in self.waiting)

    def add_task(self, section: Section) -> None:
        if section.total:
            self.waiting.append(section)
        else:
            self.checked_empty.append(section.heading)


def _day(value: datetime.date | datetime.datetime) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "j F Y")


def _idea_row(idea: Idea, *details: str, flag: str = "", note: str = "") -> Row:
    return Row(
        title=idea.title,
        url=idea.get_absolute_url(),
        details=tuple(d for d in details if d),
        flag=flag,
        state=idea.state,
        state_label=idea.get_state_display(),
        note=note,
    )


def _application_row(application: Application, *details: str, flag: str = "") -> Row:
    return Row(
        title=application.idea.title,
        url=application.get_absolute_url(),
        details=(application.fund.name, kronor(application.total), *(d for d in details if d)),
        flag=flag,
        state=application.state,
        state_label=application.get_state_display(),
    )


def _submitted(application: Application) -> str:
    if application.submitted_at is None:
        return ""
    return _("submitted %(date)s") % {"date": _day(application.submitted_at)}


def _section(key, heading, queryset, to_row, **links) -> Section:
    rows, total = first_rows(queryset)
    return Section(
        key=key, heading=heading, rows=[to_row(row) for row in rows], total=total, **links
    )


# --- what waits for a staff member (everyone with a role) --------------------------------


def _drafts(user: User) -> Section:
    def row(idea):
        if idea.returned_at is not None:
            note = idea.return_message or ""
            flag = _("Returned by a coach %(date)s") % {"date": _day(idea.returned_at)}
            return _idea_row(idea, _("complete it and submit it again"), flag=flag, note=note)
        return _idea_row(idea, _("saved %(date)s") % {"date": _day(idea.updated_at)})

    return _section(
        "drafts",
        _("Drafts and returned ideas to submit"),
        idea_selectors.team_drafts(user=user),
        row,
        all_url=reverse("ideas:idea-mine"),
        all_label=_("See all your ideas"),
    )


def _tests_to_plan(user: User) -> Section:
    def row(idea):
        plan = getattr(idea, "test_plan", None)
        detail = _("the test plan is written: start the test") if plan else _("write the test plan")
        return _idea_row(idea, detail)

    return _section(
        "plan",
        _("Tests to plan and start"),
        idea_selectors.team_ideas(user=user, states=[IdeaState.PLANNING]),
        row,
        all_url=reverse("ideas:idea-mine"),
        all_label=_("See all your ideas"),
    )


def _tests_to_report(user: User, today: datetime.date) -> Section:
    def row(idea):
        plan = getattr(idea, "test_plan", None)
        flag, detail = "", ""
        if plan is not None and plan.end_date < today:
            flag = _("The test ended %(date)s: report it") % {"date": _day(plan.end_date)}
        elif plan is not None:
            detail = _("the test ends %(date)s") % {"date": _day(plan.end_date)}
        evaluation = getattr(idea, "evaluation", None)
        step = _("report the result") if evaluation else _("write the evaluation")
        return _idea_row(idea, detail, step, flag=flag)

    return _section(
        "report",
        _("Tests to evaluate and report"),
        idea_selectors.team_ideas(user=user, states=[IdeaState.TESTING]),
        row,
        all_url=reverse("ideas:idea-mine"),
        all_label=_("See all your ideas"),
    )


def _applications_to_complete(user: User) -> Section:
    def row(application):
        if application.state == ApplicationState.RETURNED:
            return _application_row(application, _("change it and submit it again"))
        return _application_row(application, _("complete it and submit it"))

    return _section(
        "applications",
        _("Applications to complete and submit"),
        fund_selectors.team_applications(user=user, states=fund_selectors.EDITABLE),
        row,
        all_url=reverse("fund:application-list") + "?view=mine",
        all_label=_("See all your applications"),
    )


# --- what waits for a coach ----------------------------------------------------------------


def _ideas_to_screen(user: User) -> Section:
    def row(idea):
        waiting = _("submitted %(date)s") % {"date": _day(idea.state_changed_at)}
        return _idea_row(idea, idea.owner.full_name, str(idea.unit or ""), waiting)

    return _section(
        "screen",
        _("Ideas to screen"),
        idea_selectors.ideas_to_screen(user=user),
        row,
        all_url=reverse("ideas:idea-inbox"),
        all_label=_("See the whole inbox"),
    )


def _tests_past_end(user: User, today: datetime.date) -> Section:
    def row(idea):
        flag = _("The test ended %(date)s") % {"date": _day(idea.test_plan.end_date)}
        return _idea_row(idea, idea.owner.full_name, _("follow up with the team"), flag=flag)

    return _section(
        "follow-up-tests",
        _("Tests past their end date"),
        idea_selectors.tests_past_end(user=user, today=today),
        row,
        all_url=reverse("ideas:idea-inbox"),
        all_label=_("See the whole inbox"),
    )


def _tested_ideas(user: User) -> Section:
    return _section(
        "tested",
        _("Tested ideas to decide on with the team"),
        idea_selectors.tested_ideas_to_decide(user=user),
        lambda idea: _idea_row(
            idea, idea.owner.full_name, _("scale it up, test again or keep the lessons")
        ),
        all_url=reverse("ideas:idea-list") + f"?state={IdeaState.TESTED}",
        all_label=_("All tested ideas"),
    )


def _applications_to_take_up(user: User) -> Section:
    return _section(
        "take-up",
        _("Applications to take up for the committee"),
        fund_selectors.applications_to_take_up(user=user),
        lambda application: _application_row(
            application, _submitted(application), _("over the delegated limit")
        ),
        all_url=reverse("fund:application-list") + f"?state={ApplicationState.SUBMITTED}",
        all_label=_("All submitted applications"),
    )


def _applications_to_decide(user: User) -> Section:
    return _section(
        "decide",
        _("Applications to decide under delegation"),
        fund_selectors.applications_to_decide_delegated(user=user),
        lambda application: _application_row(application, _submitted(application)),
        all_url=reverse("fund:application-list"),
        all_label=_("All applications"),
    )


def _follow_ups(today: datetime.date) -> Section:
    def row(grant):
        application = grant.application
        flag = _("Costs overdue") if grant.costs_overdue else _("Unspent money to return")
        return Row(
            title=application.idea.title,
            url=application.get_absolute_url(),
            details=(grant.registration_number, kronor(grant.amount)),
            flag=flag,
        )

    return _section(
        "follow-up-grants",
        _("Grants due for follow-up"),
        fund_selectors.follow_up(today=today, overdue_only=True),
        row,
        all_url=reverse("fund:follow-up") + "?overdue=1",
        all_label=_("All overdue follow-ups"),
    )


# --- what waits for the committee and its chair ---------------------------------------------


def _applications_to_declare(user: User) -> Section:
    return _section(
        "declare",
        _("Conflicts of interest to declare"),
        fund_selectors.applications_to_declare(user=user),
        lambda application: _application_row(application, _submitted(application)),
        all_url=reverse("fund:application-list"),
        all_label=_("All applications"),
    )


def _applications_to_score(user: User) -> Section:
    return _section(
        "score",
        _("Applications to score"),
        fund_selectors.applications_to_score(user=user),
        lambda application: _application_row(application, _submitted(application)),
        all_url=reverse("fund:application-list"),
        all_label=_("All applications"),
    )


def _agenda(user: User, today: datetime.date) -> Section:
    def row(item):
        meeting, application = item.meeting, item.application
        when = _("meeting %(number)s on %(date)s") % {
            "number": meeting.number,
            "date": _day(meeting.date),
        }
        return Row(
            title=application.idea.title,
            url=meeting.get_absolute_url(),
            details=(when, kronor(application.total)),
            state=application.state,
            state_label=application.get_state_display(),
        )

    return _section(
        "agenda",
        _("Decisions to make at coming meetings"),
        fund_selectors.agenda_ahead(user=user, today=today),
        row,
        all_url=reverse("fund:meeting-list"),
        all_label=_("All meetings"),
    )


def _meeting_title(meeting) -> str:
    return _("Meeting %(number)s of %(fund)s, %(date)s") % {
        "number": meeting.number,
        "fund": meeting.fund.name,
        "date": _day(meeting.date),
    }


def _minutes_to_sign(user: User) -> Section:
    return _section(
        "minutes",
        _("Minutes to check and sign"),
        fund_selectors.minutes_to_sign(user=user),
        lambda meeting: Row(
            title=_meeting_title(meeting),
            url=reverse("fund:minutes", args=[meeting.pk]),
            details=(_("read the minutes and sign them"),),
        ),
        all_url=reverse("fund:meeting-list"),
        all_label=_("All meetings"),
    )


def _meetings_to_chair(user: User, today: datetime.date) -> Section:
    def row(meeting):
        if meeting.state == MeetingState.OPEN:
            step, flag = _("record the decisions, then close the meeting"), _("Open now")
        elif meeting.state == MeetingState.CHECKED:
            step, flag = _("post the checked minutes on the notice board"), ""
        elif meeting.date == today:
            step, flag = _("open the meeting today"), _("Today")
        elif meeting.date < today:
            step, flag = _("the date has passed: change it to hold the meeting"), ""
        else:
            step, flag = _("prepare the agenda; open the meeting on its day"), ""
        items = ngettext("%(count)s item", "%(count)s items", meeting.agenda_count) % {
            "count": meeting.agenda_count
        }
        return Row(
            title=_meeting_title(meeting),
            url=meeting.get_absolute_url(),
            details=(items, step),
            flag=flag,
            state=meeting.state,
            state_label=meeting.get_state_display(),
        )

    return _section(
        "chair",
        _("Meetings you chair"),
        fund_selectors.meetings_to_chair(user=user),
        row,
        all_url=reverse("fund:meeting-list"),
        all_label=_("All meetings"),
    )


# --- the jury of the best mistake of the year ------------------------------------------------


def _jury(user: User) -> Section:
    """One row per undecided year with work for the jury: nominations to sort, or a vote
    this juror has not cast."""
    rows, total = [], 0
    for year in idea_selectors.jury_years(user=user)[: SECTION_SIZE * 2]:
        url = reverse("ideas:mistake-jury", args=[year["year"]])
        details = []
        if year["new"]:
            details.append(
                ngettext(
                    "%(count)s new nomination to shortlist or set aside",
                    "%(count)s new nominations to shortlist or set aside",
                    year["new"],
                )
                % {"count": year["new"]}
            )
        if year["finalists"] and not year["voted"]:
            details.append(
                ngettext(
                    "vote for one of %(count)s finalist",
                    "vote for one of %(count)s finalists",
                    year["finalists"],
                )
                % {"count": year["finalists"]}
            )
        if details:
            title = _("The best mistake of %(year)s") % {"year": year["year"]}
            rows.append(Row(title=title, url=url, details=tuple(details)))
            total += 1
    return Section(
        key="jury",
        heading=_("Jury work for the best mistake of the year"),
        rows=rows[:SECTION_SIZE],
        total=total,
        all_url=reverse("ideas:mistake-jury-current"),
        all_label=_("The jury's page"),
    )


# --- the person's own ideas and applications, and news ----------------------------------------


def _my_ideas(user: User) -> Section:
    return _section(
        "my-ideas",
        _("My ideas"),
        idea_selectors.team_ideas(user=user),
        lambda idea: _idea_row(idea, idea_next_step_text(idea, team=True)),
        all_url=reverse("ideas:idea-mine"),
        all_label=_("See all your ideas"),
        empty=_("You have no ideas yet. Every improvement starts with one."),
    )


def _my_applications(user: User) -> Section:
    return _section(
        "my-applications",
        _("My applications to the fund"),
        fund_selectors.team_applications(user=user),
        lambda application: _application_row(application, application_next_step_text(application)),
        all_url=reverse("fund:application-list") + "?view=mine",
        all_label=_("See all your applications"),
        empty=_(
            "You have not applied for money. An idea in planning or testing can apply to "
            "the innovation fund from its page."
        ),
    )


def _champion_news(user: User, now: datetime.datetime) -> Section:
    """Steps and comments by others on the ideas `user` champions, newest first: two
    queries (one per kind), merged."""
    since = now - datetime.timedelta(days=NEWS_DAYS)
    steps, step_total = first_rows(idea_selectors.champion_transitions(user=user, since=since))
    comments, comment_total = first_rows(idea_selectors.champion_comments(user=user, since=since))
    labels = dict(IdeaState.choices)
    news = [
        (
            log.timestamp,
            Row(
                title=log.idea_title,
                url=reverse("ideas:idea-detail", args=[log.object_id]),
                details=(
                    _("now “%(state)s”") % {"state": labels.get(log.state, log.state)},
                    _day(log.timestamp),
                ),
                state=log.state,
                state_label=str(labels.get(log.state, log.state)),
            ),
        )
        for log in steps
    ] + [
        (
            comment.created_at,
            Row(
                title=comment.idea.title,
                url=comment.idea.get_absolute_url() + "#comments",
                details=(
                    _("%(name)s commented") % {"name": comment.author.full_name},
                    _day(comment.created_at),
                ),
            ),
        )
        for comment in comments
    ]
    news.sort(key=lambda pair: pair[0], reverse=True)
    return Section(
        key="news",
        heading=_("News on ideas you champion"),
        rows=[row for _moment, row in news[:SECTION_SIZE]],
        total=step_total + comment_total,
        empty=ngettext(
            "Nothing new on the ideas you champion in the last %(days)s day.",
            "Nothing new on the ideas you champion in the last %(days)s days.",
            NEWS_DAYS,
        )
        % {"days": NEWS_DAYS},
    )


def my_work(*, user: User, now: datetime.datetime | None = None) -> MyWork:
    """Everything “My work” shows for `user`, by the roles the rules give them."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    work = MyWork()
    if not user.has_perm("ideas.add_idea"):
        return work
    work.add_task(_drafts(user))
    work.add_task(_tests_to_plan(user))
    work.add_task(_tests_to_report(user, today))
    work.add_task(_applications_to_complete(user))
    if is_coach(user):
        work.add_task(_ideas_to_screen(user))
        work.add_task(_tests_past_end(user, today))
        work.add_task(_tested_ideas(user))
        work.add_task(_applications_to_take_up(user))
        work.add_task(_applications_to_decide(user))
        work.add_task(_follow_ups(today))
    if is_committee_member(user):
        work.add_task(_applications_to_declare(user))
        work.add_task(_applications_to_score(user))
        work.add_task(_agenda(user, today))
        work.add_task(_minutes_to_sign(user))
    if is_committee_chair(user):
        work.add_task(_meetings_to_chair(user, today))
    if is_mistake_jury(user):
        work.add_task(_jury(user))
    work.overview = [_my_ideas(user), _my_applications(user), _champion_news(user, now)]
    return work
