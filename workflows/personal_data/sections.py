"""What Idésluss holds about one person (GDPR art. 15 and 20): the "Mina uppgifter" page.

Each section is one kind of record that names the person, read as plain values so the
same rows serve the page and the JSON download. A section costs one query for its
rows and one for its count, whatever the person has done: the page is flat however
much data there is (tests/workflows/personal_data/). A model that gains a link to the
user must gain a section here (a test lists every foreign key to the user and fails
on one without a section or a stated reason).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from axes.models import AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_fsm_log.models import StateLog
from wagtail.images import get_image_model
from wagtail.models import ModelLogEntry, PageLogEntry, Revision

from ideasluss.accounts.models import User
from ideasluss.accounts.roles import role_label
from ideasluss.fund.models import (
    Application,
    ConflictDeclaration,
    Cost,
    Decision,
    DeclarationEntry,
    Meeting,
    MinutesSignature,
    MoneyReturn,
    Review,
    Score,
)
from ideasluss.ideas.models import Attachment, Champion, Comment, Idea, JuryVote, Nomination
from workflows.models import Notification

# django-axes has no Swedish catalogue; naming its field names here puts them in ours,
# which Django consults first.
AXES_FIELD_NAMES = (
    gettext_noop("Attempt Time"),
    gettext_noop("Logout Time"),
    gettext_noop("IP Address"),
    gettext_noop("User Agent"),
)

#: How many rows of a section the page shows; the JSON download has them all.
PAGE_ROWS = 50


@dataclass(frozen=True)
class Section:
    """One kind of record about the person: a query of value rows and their columns."""

    key: str
    title: str
    model: type[models.Model]
    person_filter: str
    columns: tuple[tuple[str, Any], ...]
    order_by: str = "-pk"
    #: What `person_filter` is compared with: the user, or (sign-in records) a field of it.
    person_value: Callable[[User], Any] = lambda user: user

    def rows(self, user: User) -> models.QuerySet:
        return (
            self.model._default_manager.filter(**{self.person_filter: self.person_value(user)})
            .order_by(self.order_by)
            .values(*(name for name, _label in self.columns))
        )

    def labels(self) -> list[str]:
        return [str(label) for _name, label in self.columns]

    def readable(self, row: dict[str, Any]) -> list[Any]:
        """The row's values with stored codes ("submitted") shown as their labels."""
        values = []
        for name, _label in self.columns:
            value = row[name]
            if "__" not in name:
                choices = dict(self.model._meta.get_field(name).flatchoices)
                value = choices.get(value, value) if choices else value
            values.append(value)
        return values


def field(model: type[models.Model], name: str) -> tuple[str, Any]:
    """A column named by the model field's own verbose name."""
    return name, model._meta.get_field(name).verbose_name


SECTIONS: tuple[Section, ...] = (
    Section(
        "ideas_owned",
        _("Ideas you own"),
        Idea,
        "owner",
        (
            field(Idea, "title"),
            field(Idea, "state"),
            field(Idea, "problem"),
            field(Idea, "description"),
            field(Idea, "created_at"),
        ),
    ),
    Section(
        "ideas_co_owned",
        _("Ideas you are a co-owner of"),
        Idea,
        "co_owners",
        (field(Idea, "title"), field(Idea, "state"), field(Idea, "created_at")),
    ),
    Section(
        "champions",
        _("Ideas you champion"),
        Champion,
        "user",
        (("idea__title", _("idea")), field(Champion, "offer"), field(Champion, "created_at")),
    ),
    Section(
        "comments",
        _("Your comments"),
        Comment,
        "author",
        (
            ("idea__title", _("idea")),
            field(Comment, "body"),
            field(Comment, "created_at"),
            field(Comment, "hidden_at"),
        ),
    ),
    Section(
        "attachments",
        _("Files you uploaded"),
        Attachment,
        "uploaded_by",
        (
            ("idea__title", _("idea")),
            field(Attachment, "original_name"),
            field(Attachment, "alt_text"),
            field(Attachment, "created_at"),
        ),
    ),
    Section(
        "nominations",
        _("Your nominations for the best mistake of the year"),
        Nomination,
        "nominated_by",
        (
            field(Nomination, "year"),
            field(Nomination, "title"),
            field(Nomination, "story"),
            field(Nomination, "created_at"),
        ),
    ),
    Section(
        "jury_votes",
        _("Your votes in the jury"),
        JuryVote,
        "juror",
        (
            field(JuryVote, "year"),
            ("nomination__title", _("nomination")),
            field(JuryVote, "cast_at"),
        ),
    ),
    Section(
        "applications",
        _("Your applications to the fund"),
        Application,
        "applicant",
        (
            ("idea__title", _("idea")),
            ("fund__name", _("fund")),
            field(Application, "total"),
            field(Application, "state"),
            field(Application, "motivation"),
            field(Application, "created_at"),
        ),
    ),
    Section(
        "reviews",
        _("Your reviews of applications"),
        Review,
        "member",
        (
            ("application__idea__title", _("idea")),
            field(Review, "comment"),
            field(Review, "submitted_at"),
        ),
    ),
    Section(
        "scores",
        _("Your scores"),
        Score,
        "review__member",
        (
            ("review__application__idea__title", _("idea")),
            ("criterion__name", _("criterion")),
            field(Score, "value"),
        ),
    ),
    Section(
        "conflicts",
        _("Your declarations of conflicts of interest"),
        DeclarationEntry,
        "member",
        (
            ("application__idea__title", _("idea")),
            field(DeclarationEntry, "has_conflict"),
            field(DeclarationEntry, "reason"),
            field(DeclarationEntry, "is_correction"),
            field(DeclarationEntry, "declared_at"),
        ),
    ),
    Section(
        "conflicts_current",
        _("Your current conflict-of-interest answers"),
        ConflictDeclaration,
        "member",
        (
            ("application__idea__title", _("idea")),
            field(ConflictDeclaration, "has_conflict"),
            field(ConflictDeclaration, "declared_at"),
        ),
    ),
    Section(
        "meetings_chaired",
        _("Meetings you chair"),
        Meeting,
        "chair",
        (("fund__name", _("fund")), field(Meeting, "number"), field(Meeting, "date")),
    ),
    Section(
        "meetings_attended",
        _("Meetings you attend"),
        Meeting,
        "attendees",
        (("fund__name", _("fund")), field(Meeting, "number"), field(Meeting, "date")),
    ),
    Section(
        "minutes_signed",
        _("Minutes you signed"),
        MinutesSignature,
        "signer",
        (
            ("meeting__fund__name", _("fund")),
            ("meeting__number", _("meeting")),
            field(MinutesSignature, "signed_at"),
        ),
    ),
    Section(
        "decisions_recorded",
        _("Fund decisions you recorded"),
        Decision,
        "decided_by",
        (
            field(Decision, "registration_number"),
            field(Decision, "kind"),
            field(Decision, "amount"),
            field(Decision, "decided_at"),
        ),
    ),
    Section(
        "costs_recorded",
        _("Costs you recorded"),
        Cost,
        "recorded_by",
        (
            ("application__idea__title", _("idea")),
            field(Cost, "amount"),
            field(Cost, "note"),
            field(Cost, "recorded_at"),
        ),
    ),
    Section(
        "money_returned",
        _("Money you returned to the fund"),
        MoneyReturn,
        "returned_by",
        (
            ("application__idea__title", _("idea")),
            field(MoneyReturn, "amount"),
            field(MoneyReturn, "note"),
            field(MoneyReturn, "returned_at"),
        ),
    ),
    Section(
        "steps_taken",
        _("Steps you took on ideas, applications and meetings"),
        StateLog,
        "by",
        (
            field(StateLog, "transition"),
            field(StateLog, "source_state"),
            field(StateLog, "state"),
            field(StateLog, "timestamp"),
        ),
    ),
    Section(
        "page_revisions",
        _("Versions of public pages you saved"),
        Revision,
        "user",
        (field(Revision, "object_str"), field(Revision, "created_at")),
    ),
    Section(
        "page_log",
        _("What you did with public pages"),
        PageLogEntry,
        "user",
        (
            field(PageLogEntry, "label"),
            field(PageLogEntry, "action"),
            field(PageLogEntry, "timestamp"),
        ),
    ),
    Section(
        "admin_log",
        _("What you changed in the administration"),
        ModelLogEntry,
        "user",
        (
            field(ModelLogEntry, "label"),
            field(ModelLogEntry, "action"),
            field(ModelLogEntry, "timestamp"),
        ),
    ),
    Section(
        "images",
        _("Pictures you uploaded to the public site"),
        get_image_model(),
        "uploaded_by_user",
        (field(get_image_model(), "title"), field(get_image_model(), "created_at")),
    ),
    Section(
        "sign_ins",
        _("Your sign-ins and sign-outs"),
        AccessLog,
        "username",
        (
            field(AccessLog, "attempt_time"),
            field(AccessLog, "logout_time"),
            field(AccessLog, "ip_address"),
            field(AccessLog, "user_agent"),
        ),
        person_value=lambda user: user.username,
    ),
    Section(
        "failed_sign_ins",
        _("Failed sign-ins with your username"),
        AccessFailureLog,
        "username",
        (
            field(AccessFailureLog, "attempt_time"),
            field(AccessFailureLog, "ip_address"),
            field(AccessFailureLog, "user_agent"),
        ),
        person_value=lambda user: user.username,
    ),
    Section(
        "notifications",
        _("Your notifications"),
        Notification,
        "recipient",
        (
            field(Notification, "kind"),
            field(Notification, "message"),
            field(Notification, "created_at"),
            field(Notification, "read_at"),
            field(Notification, "emailed_at"),
        ),
    ),
)

#: Foreign keys to the user that are not a section, and why (checked by a test; not shown).
NOT_SECTIONS = {
    "ideas.Comment.hidden_by": "who hid a comment is part of the comment's record",
    "ideas.Nomination.decided_by": "the jury's decision, shown with the nomination",
    "fund.Fund.vice_chair": "a role in the fund, shown under your roles",
    "fund.Fund.committee_members": "a role in the fund, shown under your roles",
    "fund.Meeting.minute_checkers": "shown with the minutes you signed",
    "fund.AgendaItem.stand_in": "shown in the meeting's minutes",
    "workflows.Notification.actor": "the notifications you caused are the other person's",
    "cms.*.owner": "the public page's owner in the editor, shown under page versions",
    "cms.*.locked_by": "a passing lock in the editor",
}


def profile(user: User) -> dict[str, Any]:
    """The person's own account: who they are and how the system treats them."""
    return {
        str(User._meta.get_field("username").verbose_name): user.username,
        str(User._meta.get_field("first_name").verbose_name): user.first_name,
        str(User._meta.get_field("last_name").verbose_name): user.last_name,
        str(User._meta.get_field("email").verbose_name): user.email,
        str(User._meta.get_field("unit").verbose_name): user.unit.path if user.unit else "",
        str(User._meta.get_field("preferred_language").verbose_name): (
            user.get_preferred_language_display()
        ),
        str(User._meta.get_field("email_notifications").verbose_name): (
            user.get_email_notifications_display()
        ),
        str(_("roles")): ", ".join(
            sorted(
                str(role_label(name))
                for name in Group.objects.filter(user=user).values_list("name", flat=True)
            )
        ),
        str(User._meta.get_field("oidc_subject").verbose_name): user.oidc_subject or "",
        str(User._meta.get_field("date_joined").verbose_name): user.date_joined,
        str(User._meta.get_field("last_login").verbose_name): user.last_login,
    }


def sections_for_page(user: User) -> list[dict[str, Any]]:
    """Each section with its count and its newest rows, for the page."""
    found = []
    for section in SECTIONS:
        rows = section.rows(user)
        total = rows.count()
        found.append(
            {
                "key": section.key,
                "title": section.title,
                "labels": section.labels(),
                "rows": [section.readable(row) for row in rows[:PAGE_ROWS]] if total else [],
                "total": total,
                "more": max(total - PAGE_ROWS, 0),
            }
        )
    return found


def export(user: User) -> dict[str, Any]:
    """Everything in one document for the JSON download, every row of every section."""
    return {
        "profile": profile(user),
        "sections": {
            section.key: {
                "title": str(section.title),
                "rows": list(section.rows(user).iterator(chunk_size=2000)),
            }
            for section in SECTIONS
        },
    }
