"""The minutes (protokoll) of a fund committee meeting, generated from its decisions.

Minutes are never typed by hand: everything in them comes from the meeting and
the append-only decision records made at it (who attended, who was recused,
what was decided and why). The HTML page and the PDF are both built from one
`Minutes`, so they cannot say different things.
"""

import datetime
import io
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .amounts import kronor
from .models import Decision, Meeting, MeetingState
from .selectors import (
    HELD_STATES,
    minute_checkers,
    minutes_agenda,
    minutes_decisions,
    minutes_signatures,
)


@dataclass(frozen=True)
class MinutesEntry:
    """One decision in a paragraph of the minutes, as the record states it."""

    decision: Decision
    recused: list[str]
    attendees: list[str]
    supersedes: Decision | None
    superseded_by: Decision | None

    @property
    def registration_number(self) -> str:
        return self.decision.registration_number

    @property
    def led_by_stand_in(self) -> bool:
        """The chair was disqualified and someone else led the item (and says so)."""
        decision = self.decision
        chair = decision.meeting.chair if decision.meeting_id else None
        return (
            bool(decision.chaired_by)
            and chair is not None
            and (decision.chaired_by != chair.full_name)
        )

    @property
    def stand_in_note(self) -> str:
        return stand_in_note(self.decision)


@dataclass(frozen=True)
class MinutesParagraph:
    """One § of the minutes: an item of the agenda, in the agenda's order, with the
    decisions made on it at the meeting (none: the matter was not decided, it was tabled)."""

    paragraph: int
    title: str
    entries: list[MinutesEntry]

    @property
    def is_decided(self) -> bool:
        return bool(self.entries)


@dataclass(frozen=True)
class MinutesSigner:
    name: str
    role: str
    signed_at: datetime.datetime | None


def stand_in_note(decision: Decision) -> str:
    return _(
        "%(name)s led the item in the chair's place: the chair was disqualified "
        "(conflict of interest)."
    ) % {"name": decision.chaired_by}


@dataclass(frozen=True)
class Minutes:
    meeting: Meeting
    attendees: list[str]
    paragraphs: list[MinutesParagraph]
    checkers: list[str]
    signers: list[MinutesSigner]

    @property
    def entries(self) -> list[MinutesEntry]:
        """Every decision of the meeting, in the order of the agenda."""
        return [entry for paragraph in self.paragraphs for entry in paragraph.entries]

    @property
    def is_final(self) -> bool:
        """Once the meeting is closed no decision is added; before that the minutes grow."""
        return self.meeting.state in HELD_STATES

    @property
    def is_checked(self) -> bool:
        """Checked (justerat) by the chair and the minute checkers: no longer a draft."""
        return self.meeting.state in (MeetingState.CHECKED, MeetingState.POSTED)


def _entry(decision: Decision) -> MinutesEntry:
    return MinutesEntry(
        decision=decision,
        recused=list(decision.recused),
        attendees=list(decision.attendees),
        supersedes=decision.supersedes,
        superseded_by=getattr(decision, "superseded_by", None),
    )


def minutes_for(meeting: Meeting) -> Minutes:
    """The minutes of `meeting` (fetched with its fund and chair): six queries.

    Every agenda item is a §, in the agenda's order, decided or not; a correction decided
    at a later meeting is on that meeting's agenda, so it is a § of that meeting's minutes.
    """
    decisions: dict[int, list[Decision]] = {}
    for decision in minutes_decisions(meeting=meeting):
        decisions.setdefault(decision.application_id, []).append(decision)
    items = [
        (item.application_id, item.application.idea.title)
        for item in minutes_agenda(meeting=meeting)
    ]
    on_agenda = {application_id for application_id, _title in items}
    # A decision whose application is not on the agenda (recorded before agendas were
    # kept in order) still gets its own §, after the agenda's.
    items += [
        (application_id, found[0].application.idea.title)
        for application_id, found in decisions.items()
        if application_id not in on_agenda
    ]
    paragraphs = [
        MinutesParagraph(
            paragraph=number,
            title=title,
            entries=[_entry(decision) for decision in decisions.get(application_id, [])],
        )
        for number, (application_id, title) in enumerate(items, start=1)
    ]
    signed = {s.signer_id: s.signed_at for s in minutes_signatures(meeting=meeting)}
    checkers = list(minute_checkers(meeting=meeting))
    signers = [MinutesSigner(meeting.chair.full_name, _("Chair"), signed.get(meeting.chair_id))]
    signers += [
        MinutesSigner(checker.full_name, _("Minute checker"), signed.get(checker.pk))
        for checker in checkers
    ]
    return Minutes(
        meeting=meeting,
        attendees=[
            user.full_name for user in meeting.attendees.order_by("last_name", "first_name")
        ],
        paragraphs=paragraphs,
        checkers=[checker.full_name for checker in checkers],
        signers=signers,
    )


def minutes_filename(meeting: Meeting) -> str:
    """For example `protokoll-IF-2026-mote-3.pdf`."""
    prefix = re.sub(r"[^A-Za-z0-9]+", "-", meeting.fund.registration_prefix).strip("-") or "fond"
    return f"protokoll-{prefix}-{meeting.date.year}-mote-{meeting.number}.pdf"


# --- the PDF ------------------------------------------------------------------------------


def _text(value: str) -> str:
    """Plain text as reportlab paragraph markup: escaped, line breaks kept."""
    return escape(value).replace("\n", "<br/>")


class _Styles:
    def __init__(self):
        sample = getSampleStyleSheet()
        self.title = ParagraphStyle("MinutesTitle", parent=sample["Title"], alignment=0)
        self.heading = ParagraphStyle(
            "MinutesHeading", parent=sample["Heading2"], keepWithNext=1, spaceBefore=14
        )
        self.body = sample["BodyText"]
        self.label = ParagraphStyle(
            "MinutesLabel", parent=sample["BodyText"], fontName="Helvetica-Bold"
        )
        self.label_above = ParagraphStyle(
            "MinutesLabelAbove", parent=self.label, keepWithNext=1, spaceBefore=4, spaceAfter=0
        )
        self.small = ParagraphStyle(
            "MinutesSmall", parent=sample["BodyText"], fontSize=8, textColor=colors.grey
        )
        self.draft = ParagraphStyle(
            "MinutesDraft",
            parent=sample["Heading1"],
            textColor=colors.Color(0.7, 0.1, 0.1),
            borderColor=colors.Color(0.7, 0.1, 0.1),
            borderWidth=1,
            borderPadding=4,
            spaceAfter=10,
        )


def _facts(rows: list[tuple[str, str]], styles: _Styles) -> Table:
    table = Table(
        [
            [Paragraph(_text(label), styles.label), Paragraph(value, styles.body)]
            for label, value in rows
        ],
        colWidths=[45 * mm, None],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _number_and_date(decision: Decision) -> dict:
    return {
        "number": decision.registration_number,
        "date": date_format(decision.decided_on, "j F Y"),
    }


def _entry_flowables(entry: MinutesEntry, styles: _Styles) -> list:
    decision = entry.decision
    rows = [
        (_("Registration number"), _text(entry.registration_number)),
        (_("Amount applied for"), _text(kronor(decision.amount_requested))),
        (_("Decision"), _text(decision.get_kind_display())),
        (_("Amount granted"), _text(kronor(decision.amount) if decision.grants_money else "–")),
    ]
    flowables = [_facts(rows, styles)]
    # Free text of any length goes below the table: a table row cannot break across pages.
    texts = [
        (_("Rationale"), decision.rationale),
        (_("Conditions"), decision.conditions),
        (_("Taking part in the decision"), ", ".join(entry.attendees)),
        (_("Present without taking part (presenting)"), ", ".join(decision.present)),
    ]
    for label, text in texts:
        if text:
            flowables += [
                Paragraph(_text(label), styles.label_above),
                Paragraph(_text(text), styles.body),
            ]
    notes = [
        _("%(name)s did not take part in the decision because of a conflict of interest.")
        % {"name": name}
        for name in entry.recused
    ]
    if entry.led_by_stand_in:
        notes.append(stand_in_note(decision))
    if entry.supersedes is not None:
        notes.append(
            _("This decision supersedes decision %(number)s of %(date)s.")
            % _number_and_date(entry.supersedes)
        )
    if entry.superseded_by is not None:
        notes.append(
            _("This decision has been superseded by decision %(number)s of %(date)s.")
            % _number_and_date(entry.superseded_by)
        )
    flowables += [Paragraph(_text(note), styles.body) for note in notes]
    return flowables


def not_decided_text(minutes: Minutes) -> str:
    """What the minutes say of an agenda item without a decision."""
    if minutes.is_final:
        return _("Not decided at the meeting: the matter was tabled.")
    return _("Not decided yet.")


def _paragraph_flowables(paragraph: MinutesParagraph, minutes: Minutes, styles: _Styles) -> list:
    flowables = [Paragraph(_text(f"§ {paragraph.paragraph}  {paragraph.title}"), styles.heading)]
    for entry in paragraph.entries:
        flowables += _entry_flowables(entry, styles)
    if not paragraph.is_decided:
        flowables.append(Paragraph(_text(not_decided_text(minutes)), styles.body))
    return flowables


def _signing_flowables(minutes: Minutes, styles: _Styles) -> list:
    """Who checks the minutes, who has signed and when, and the posting."""
    meeting = minutes.meeting
    rows = [
        (
            f"{signer.name} ({signer.role})",
            _text(
                _("Signed %(moment)s")
                % {"moment": date_format(timezone.localtime(signer.signed_at), "j F Y, H:i")}
                if signer.signed_at
                else _("Not signed yet")
            ),
        )
        for signer in minutes.signers
    ]
    flowables = [Paragraph(_text(_("Checking of the minutes")), styles.heading)]
    if not minutes.checkers:
        flowables.append(
            Paragraph(_text(_("No minute checkers have been chosen yet.")), styles.body)
        )
    flowables.append(_facts(rows, styles))
    if meeting.checked_at:
        flowables.append(
            Paragraph(
                _text(
                    _("The minutes were checked on %(date)s.")
                    % {"date": date_format(timezone.localtime(meeting.checked_at), "j F Y")}
                ),
                styles.body,
            )
        )
    if meeting.posted_on:
        flowables.append(Paragraph(_text(posting_text(meeting)), styles.body))
    return flowables


def posting_text(meeting: Meeting) -> str:
    return _(
        "The minutes were posted on the notice board on %(posted)s. "
        "The last day to appeal the decisions is %(deadline)s."
    ) % {
        "posted": date_format(meeting.posted_on, "j F Y"),
        "deadline": date_format(meeting.appeal_deadline, "j F Y"),
    }


def minutes_pdf(minutes: Minutes, *, compress: bool = True) -> bytes:
    """The minutes as an A4 PDF. Helvetica's Latin-1 encoding covers å ä ö “ ” –.
    Until the minutes are checked, every page says so across it, like a watermark."""
    meeting = minutes.meeting
    styles = _Styles()
    title = _("Minutes")
    draft = _("The minutes are not checked")
    footer = _("%(title)s – %(fund)s – meeting %(number)s") % {
        "title": title,
        "fund": meeting.fund.name,
        "number": meeting.number,
    }

    def draw_page(canvas, document):
        canvas.saveState()
        if not minutes.is_checked:
            canvas.setFont("Helvetica-Bold", 40)
            canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.15))
            canvas.translate(A4[0] / 2, A4[1] / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, 0, draft)
            canvas.rotate(-45)
            canvas.translate(-A4[0] / 2, -A4[1] / 2)
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(
            document.leftMargin,
            12 * mm,
            _("%(footer)s – page %(page)s") % {"footer": footer, "page": document.page},
        )
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title=f"{title} – {meeting.fund.name} – {meeting.number}",
        author=meeting.fund.name,
        subject=title,
        lang=get_language() or "sv",
        pageCompression=1 if compress else 0,
        invariant=0 if compress else 1,
    )
    facts = [
        (_("Fund"), _text(meeting.fund.name)),
        (_("Meeting number"), str(meeting.number)),
        (_("Date"), _text(date_format(meeting.date, "j F Y"))),
        (_("Place"), _text(meeting.location or "–")),
        (_("Chair"), _text(meeting.chair.full_name)),
        (_("Attending"), _text(", ".join(minutes.attendees) or "–")),
        (_("Minute checkers"), _text(", ".join(minutes.checkers) or "–")),
    ]
    story = []
    if not minutes.is_checked:
        story.append(Paragraph(_text(draft), styles.draft))
    story += [Paragraph(_text(title), styles.title), _facts(facts, styles)]
    if not minutes.is_final:
        story += [
            Spacer(0, 4 * mm),
            Paragraph(
                _text(_("Preliminary: the meeting is not closed, so more decisions may follow.")),
                styles.label,
            ),
        ]
    for paragraph in minutes.paragraphs:
        story += _paragraph_flowables(paragraph, minutes, styles)
    if not minutes.entries:
        story.append(Paragraph(_text(_("No decisions were recorded at the meeting.")), styles.body))
    story += _signing_flowables(minutes, styles)
    story += [
        Spacer(0, 8 * mm),
        Paragraph(
            _text(_("Generated from the fund's decision register; it is not typed by hand.")),
            styles.small,
        ),
    ]
    document.build(story, onFirstPage=draw_page, onLaterPages=draw_page)
    return buffer.getvalue()
