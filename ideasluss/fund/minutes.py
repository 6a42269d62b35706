"""The minutes (protokoll) of a fund committee meeting, generated from its decisions.

Minutes are never typed by hand: everything in them comes from the meeting and
the append-only decision records made at it (who attended, who was recused,
what was decided and why). The HTML page and the PDF are both built from one
`Minutes`, so they cannot say different things.
"""

import io
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .models import Decision, Meeting, MeetingState
from .selectors import minutes_decisions, minutes_undecided


@dataclass(frozen=True)
class MinutesEntry:
    """One paragraph (§) of the minutes: one decision as the record states it."""

    paragraph: int
    decision: Decision
    title: str
    recused: list[str]
    attendees: list[str]
    supersedes: Decision | None
    superseded_by: Decision | None

    @property
    def registration_number(self) -> str:
        return self.decision.registration_number


@dataclass(frozen=True)
class Minutes:
    meeting: Meeting
    attendees: list[str]
    entries: list[MinutesEntry]
    undecided: list[str]

    @property
    def is_final(self) -> bool:
        """Only a closed meeting's minutes are final; before that they can still grow."""
        return self.meeting.state == MeetingState.CLOSED


def minutes_for(meeting: Meeting) -> Minutes:
    """The minutes of `meeting` (fetched with its fund and chair): three queries."""
    entries = [
        MinutesEntry(
            paragraph=number,
            decision=decision,
            title=decision.application.idea.title,
            recused=list(decision.recused),
            attendees=list(decision.attendees),
            supersedes=decision.supersedes,
            superseded_by=getattr(decision, "superseded_by", None),
        )
        for number, decision in enumerate(minutes_decisions(meeting=meeting), start=1)
    ]
    return Minutes(
        meeting=meeting,
        attendees=[
            user.full_name for user in meeting.attendees.order_by("last_name", "first_name")
        ],
        entries=entries,
        undecided=[application.idea.title for application in minutes_undecided(meeting=meeting)],
    )


def minutes_filename(meeting: Meeting) -> str:
    """For example `protokoll-IF-2026-mote-3.pdf`."""
    prefix = re.sub(r"[^A-Za-z0-9]+", "-", meeting.fund.registration_prefix).strip("-") or "fond"
    return f"protokoll-{prefix}-{meeting.date.year}-mote-{meeting.number}.pdf"


# --- the PDF ------------------------------------------------------------------------------


def _kronor(amount: int) -> str:
    return _("%(amount)s SEK") % {"amount": number_format(amount, force_grouping=True)}


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
        "date": date_format(timezone.localtime(decision.decided_at), "j F Y"),
    }


def _entry_flowables(entry: MinutesEntry, styles: _Styles) -> list:
    decision = entry.decision
    rows = [
        (_("Registration number"), _text(entry.registration_number)),
        (_("Idea"), _text(entry.title)),
        (_("Amount applied for"), _text(_kronor(decision.amount_requested))),
        (_("Decision"), _text(decision.get_kind_display())),
        (_("Amount granted"), _text(_kronor(decision.amount) if decision.grants_money else "–")),
    ]
    flowables = [
        Paragraph(
            _text(f"§ {entry.paragraph}  {entry.registration_number} – {entry.title}"),
            styles.heading,
        ),
        _facts(rows, styles),
    ]
    # Free text of any length goes below the table: a table row cannot break across pages.
    texts = [
        (_("Rationale"), decision.rationale),
        (_("Conditions"), decision.conditions),
        (_("Taking part in the decision"), ", ".join(entry.attendees)),
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


def minutes_pdf(minutes: Minutes, *, compress: bool = True) -> bytes:
    """The minutes as an A4 PDF. Helvetica's Latin-1 encoding covers å ä ö “ ” –."""
    meeting = minutes.meeting
    styles = _Styles()
    title = _("Minutes")
    footer = _("%(title)s – %(fund)s – meeting %(number)s") % {
        "title": title,
        "fund": meeting.fund.name,
        "number": meeting.number,
    }

    def draw_footer(canvas, document):
        canvas.saveState()
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
    ]
    story = [Paragraph(_text(title), styles.title), _facts(facts, styles)]
    if not minutes.is_final:
        story += [
            Spacer(0, 4 * mm),
            Paragraph(
                _text(_("Preliminary: the meeting is not closed, so more decisions may follow.")),
                styles.label,
            ),
        ]
    for entry in minutes.entries:
        story += _entry_flowables(entry, styles)
    if not minutes.entries:
        story.append(Paragraph(_text(_("No decisions were recorded at the meeting.")), styles.body))
    if minutes.undecided:
        story += [
            Paragraph(_text(_("On the agenda without a decision")), styles.heading),
            Paragraph(_text("\n".join(minutes.undecided)), styles.body),
        ]
    story += [
        Spacer(0, 8 * mm),
        Paragraph(
            _text(_("Generated from the fund's decision register; it is not typed by hand.")),
            styles.small,
        ),
    ]
    document.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()
