"""Meetings of the fund committee: plan, take up, open, decide, close, and the minutes.

Each view parses input with a form and calls one service (`meeting_create`,
`meeting_update`, `decision_record`, or a step of the meeting's lifecycle); a refusal is
shown with the service's own words and nothing is written.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from ideasluss.accounts.permissions import PermissionRequiredMixin
from ideasluss.errors import WorkflowError
from ideasluss.fund import selectors
from ideasluss.fund.minutes import minutes_filename, minutes_for, minutes_pdf
from ideasluss.fund.models import (
    AgendaItem,
    Application,
    ApplicationState,
    Decision,
    Fund,
    Meeting,
    MeetingState,
)
from ideasluss.fund.models import AgendaItem as Item
from ideasluss.fund.participation import Participation, committee_of, participation_in
from ideasluss.fund.rules import is_meeting_chair
from ideasluss.pagination import BoundedPaginator
from workflows.fund.forms.decisions import DecisionForm
from workflows.fund.forms.meetings import (
    AgendaItemForm,
    MeetingDateForm,
    MeetingEditForm,
    MeetingFilterForm,
    MeetingForm,
    MinuteCheckersForm,
    StandInForm,
)

from ...transition_views import TransitionView
from ...transitions import action_for
from ..services import (
    agenda_move,
    decision_preview,
    decision_record,
    item_refusal,
    meeting_create,
    meeting_minute_checkers_set,
    meeting_reschedule,
    meeting_update,
    minutes_sign,
    minutes_signing_refusal,
    stand_in_appoint,
)
from .confirmation import render_confirmation

PAGE_SIZE = 20
UNDECIDED_STATES = (ApplicationState.SUBMITTED, ApplicationState.IN_REVIEW)


class FundReviewerRequired(PermissionRequiredMixin):
    """Anonymous visitors are sent to log in; others without the permission get 403."""

    permission_required = "fund.access_fund"


class ChairRequired(FundReviewerRequired):
    permission_required = "fund.manage_meetings"


class MeetingListView(FundReviewerRequired, ListView):
    """Upcoming or held meetings, for all funds or one."""

    template_name = "fund/meeting_list.html"
    paginate_by = PAGE_SIZE
    paginator_class = BoundedPaginator
    context_object_name = "meetings"

    def get_queryset(self):
        self.filter_form = MeetingFilterForm(self.request.GET or None)
        return selectors.meeting_list(**self.filter_form.filters())

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter_form=self.filter_form,
            held=self.filter_form.filters()["held"],
            query_string=query.urlencode(),
            **kwargs,
        )


class MeetingCreateView(ChairRequired, View):
    template_name = "fund/meeting_form.html"

    def get(self, request):
        fund = Fund.objects.filter(pk=request.GET.get("fund") or None).first()
        if fund is None:
            fund = Fund.objects.filter(is_open=True).first()
        return render(request, self.template_name, {"form": MeetingForm(initial={"fund": fund})})

    def post(self, request):
        form = MeetingForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        try:
            meeting = meeting_create(by=request.user, **form.cleaned_data)
        except WorkflowError as refusal:
            for text in refusal.messages:
                form.add_error(None, text)
            return render(request, self.template_name, {"form": form}, status=400)
        messages.success(
            request,
            _("Meeting %(number)s is planned. Record who attends and what is taken up.")
            % {"number": meeting.number},
        )
        return redirect("fund:meeting-edit", pk=meeting.pk)


class MeetingFormView(ChairRequired, View):
    """A chair's form about one meeting: the form parses, `perform` calls the one service,
    a refusal is shown on the form with the service's words and nothing is written."""

    template_name: str
    form_class: type
    success_message: str
    queryset = Meeting.objects.select_related("fund", "chair")

    def form_kwargs(self, meeting) -> dict:
        return {}

    def initial(self, meeting) -> dict:
        return {}

    def perform(self, meeting, data: dict) -> None:
        raise NotImplementedError

    def render_form(self, request, meeting, form, status=200):
        return render(
            request, self.template_name, {"meeting": meeting, "form": form}, status=status
        )

    def get(self, request, pk):
        meeting = self.get_object()
        form = self.form_class(initial=self.initial(meeting), **self.form_kwargs(meeting))
        return self.render_form(request, meeting, form)

    def post(self, request, pk):
        meeting = self.get_object()
        form = self.form_class(request.POST, **self.form_kwargs(meeting))
        if form.is_valid():
            try:
                self.perform(meeting, form.cleaned_data)
            except WorkflowError as refusal:
                for text in refusal.messages:
                    form.add_error(None, text)
            else:
                messages.success(request, self.success_message)
                return redirect(meeting)
        return self.render_form(request, meeting, form, status=400)


class MeetingUpdateView(MeetingFormView):
    """The chair records who attends and which applications the meeting takes up."""

    template_name = "fund/meeting_edit.html"
    form_class = MeetingEditForm
    success_message = gettext_lazy("The attendance and the agenda are saved.")

    def form_kwargs(self, meeting) -> dict:
        return {"meeting": meeting}

    def initial(self, meeting) -> dict:
        return {"attendees": meeting.attendees.all(), "agenda": meeting.agenda.all()}

    def perform(self, meeting, data: dict) -> None:
        meeting_update(
            meeting=meeting,
            by=self.request.user,
            attendees=data["attendees"],
            agenda=data["agenda"],
        )


class MeetingActionView(ChairRequired, TransitionView):
    """Open or close a meeting (POST only): a step of the meeting's lifecycle."""

    http_method_names = ["post"]

    model = Meeting
    step_kwarg = "action"


@dataclass
class AgendaRow:
    """One agenda item on the meeting page with what this viewer sees and may do."""

    position: int
    item: Item
    participation: Participation
    decisions: list[Decision]
    may_see_scores: bool
    may_decide: bool = False
    may_appoint: bool = False
    refusal: str | None = None
    form: DecisionForm | None = None

    @property
    def application(self) -> Application:
        return self.item.application

    @property
    def is_undecided(self) -> bool:
        return self.application.state in UNDECIDED_STATES

    @property
    def record(self) -> Decision | None:
        """The item's latest decision at this meeting: once decided, who took part is what
        the record says, not what the committee looks like today."""
        return self.decisions[-1] if self.decisions else None


class MeetingDetailView(FundReviewerRequired, View):
    """The meeting, its agenda in order with who takes part in each item and whether there
    is a quorum, and, while it is open, the decision form of whoever leads each item.

    A POST first shows a confirmation of exactly what would be recorded (a preview through
    the same service); only a confirmed POST records. A refusal re-renders the page with the
    item's form as it was sent and the service's reasons.
    """

    template_name = "fund/meeting_detail.html"

    def get_meeting(self, pk) -> Meeting:
        if not hasattr(self, "object"):
            try:
                self.object = selectors.meeting_for_page(pk=pk)
            except Meeting.DoesNotExist as missing:
                raise Http404 from missing
        return self.object

    def rows(self, user, meeting, bound_form=None, bound_pk=None) -> list[AgendaRow]:
        is_open = meeting.state == MeetingState.OPEN
        rows = []
        for position, item in enumerate(meeting.items.all(), start=1):
            application = item.application
            row = AgendaRow(
                position=position,
                item=item,
                participation=participation_in(item),
                decisions=application.meeting_decisions,
                may_see_scores=user.has_perm("fund.see_scores", application),
            )
            if is_open and row.is_undecided:
                row.may_decide = user.has_perm("fund.record_decision", item)
                row.may_appoint = row.participation.needs_stand_in and user.has_perm(
                    "fund.appoint_stand_in", item
                )
                if not row.may_decide:
                    row.refusal = item_refusal(item=item, by=user)
            if application.pk == bound_pk:
                row.form = bound_form
            elif row.may_decide:
                row.form = DecisionForm(prefix=f"item-{application.pk}")
            rows.append(row)
        return rows

    def render_page(self, request, meeting, bound_form=None, bound_pk=None, status=200):
        rows = self.rows(request.user, meeting, bound_form, bound_pk)
        context = {
            "meeting": meeting,
            "items": rows,
            "committee": committee_of(meeting.fund),
            "undecided_count": sum(row.is_undecided for row in rows),
            "may_manage": request.user.has_perm("fund.manage_meetings"),
            **meeting_steps_context(meeting, request.user),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render_page(request, self.get_meeting(pk))

    def post(self, request, pk):
        meeting = self.get_meeting(pk)
        user = request.user
        item_form = AgendaItemForm(request.POST, meeting=meeting)
        if not item_form.is_valid():
            for errors in item_form.errors.values():
                for text in errors:
                    messages.error(request, text)
            return self.render_page(request, meeting, status=400)
        application = item_form.cleaned_data["application"]
        item = next(
            (i for i in meeting.items.all() if i.application_id == application.pk),
            Item(meeting=meeting, application=application),
        )
        if not (user.has_perm("fund.record_decision", item) or is_meeting_chair(user, meeting)):
            # The chair is told by the service why not; anyone else has no part in it.
            raise PermissionDenied
        form = DecisionForm(request.POST, prefix=f"item-{application.pk}")
        if "revise" in request.POST:
            return self.render_page(request, meeting, bound_form=form, bound_pk=application.pk)
        if form.is_valid():
            arguments = {
                "application": application,
                "by": user,
                "meeting": meeting,
                **form.decide_arguments(),
            }
            try:
                if not form.cleaned_data["confirmed"]:
                    preview = decision_preview(**arguments)
                    return render_confirmation(
                        request,
                        form=form,
                        preview=preview,
                        participation=participation_in(item),
                        hidden={"application": application.pk},
                        back_url=f"{meeting.get_absolute_url()}#item-{application.pk}",
                    )
                decision = decision_record(**arguments)
            except WorkflowError as refusal:
                for text in refusal.messages:
                    form.add_error(None, text)
            else:
                messages.success(
                    request,
                    _("Decision %(number)s on “%(title)s” is recorded.")
                    % {"number": decision.registration_number, "title": application.idea.title},
                )
                return redirect(f"{meeting.get_absolute_url()}#item-{application.pk}")
        if not any(i.application_id == application.pk for i in meeting.items.all()):
            for text in form.non_field_errors():
                messages.error(request, text)
        return self.render_page(
            request, meeting, bound_form=form, bound_pk=application.pk, status=400
        )


class AgendaMoveView(ChairRequired, View):
    """The chair moves an agenda item one place up or down (POST only)."""

    http_method_names = ["post"]
    STEPS = {"up": -1, "down": 1}

    def post(self, request, pk, application_pk, direction):
        if direction not in self.STEPS:
            raise Http404
        meeting = get_object_or_404(Meeting.objects.select_related("fund"), pk=pk)
        application = get_object_or_404(Application, pk=application_pk)
        try:
            agenda_move(
                meeting=meeting,
                application=application,
                by=request.user,
                step=self.STEPS[direction],
            )
        except WorkflowError as refusal:
            for text in refusal.messages:
                messages.error(request, text)
        return redirect(f"{meeting.get_absolute_url()}#item-{application_pk}")


class StandInView(ChairRequired, View):
    """The chair records whom the meeting appointed to lead an item the chair is
    disqualified on (POST only)."""

    http_method_names = ["post"]

    def post(self, request, pk, application_pk):
        meeting = get_object_or_404(Meeting.objects.select_related("fund", "chair"), pk=pk)
        item = get_object_or_404(
            AgendaItem.objects.select_related("application__idea"),
            meeting=meeting,
            application_id=application_pk,
        )
        form = StandInForm(request.POST, item=item)
        anchor = f"{meeting.get_absolute_url()}#item-{application_pk}"
        if not form.is_valid():
            for errors in form.errors.values():
                for text in errors:
                    messages.error(request, text)
            return redirect(anchor)
        try:
            stand_in_appoint(
                meeting=meeting,
                application=item.application,
                member=form.cleaned_data["member"],
                by=request.user,
            )
        except WorkflowError as refusal:
            for text in refusal.messages:
                messages.error(request, text)
        else:
            messages.success(
                request,
                _("%(name)s leads the item “%(title)s”.")
                % {
                    "name": form.cleaned_data["member"].full_name,
                    "title": item.application.idea.title,
                },
            )
        return redirect(anchor)


def meeting_steps_context(meeting: Meeting, user) -> dict:
    """What the meeting and minutes pages show of the meeting's own steps: opening (or why
    not yet), the date, the minute checkers, justering and posting."""
    return {
        "open_action": action_for(meeting, user, "open"),
        "post_action": action_for(meeting, user, "post_minutes"),
        "may_reschedule": user.has_perm("fund.reschedule_meeting", meeting),
        "may_choose_checkers": user.has_perm("fund.choose_minute_checkers", meeting),
        "may_sign": user.has_perm("fund.sign_minutes", meeting),
    }


class MeetingDateView(MeetingFormView):
    """The chair moves a planned meeting to another day (it opens only on its date)."""

    template_name = "fund/meeting_date.html"
    form_class = MeetingDateForm
    success_message = gettext_lazy("The meeting's date is changed.")

    def initial(self, meeting) -> dict:
        return {"date": meeting.date}

    def perform(self, meeting, data: dict) -> None:
        meeting_reschedule(meeting=meeting, by=self.request.user, date=data["date"])


class MinuteCheckersView(MeetingFormView):
    """The chair chooses who checks the minutes, until they are checked."""

    template_name = "fund/minute_checkers.html"
    form_class = MinuteCheckersForm
    success_message = gettext_lazy("The minute checkers are saved.")

    def form_kwargs(self, meeting) -> dict:
        return {"meeting": meeting}

    def initial(self, meeting) -> dict:
        return {"checkers": selectors.minute_checkers(meeting=meeting)}

    def perform(self, meeting, data: dict) -> None:
        meeting_minute_checkers_set(
            meeting=meeting, by=self.request.user, checkers=data["checkers"]
        )


class MinutesAccessMixin(PermissionRequiredMixin):
    """Checked minutes are public records: every employee who may read the decision
    register. Until checked they are a draft, read only by the fund's people."""

    view_permission = "fund.view_minutes"
    permission_required = "fund.view_register"
    queryset = Meeting.objects.select_related("fund", "chair")

    def get_minutes(self, pk):
        return minutes_for(self.get_object())


class MinutesView(MinutesAccessMixin, View):
    template_name = "fund/minutes.html"

    def get(self, request, pk):
        minutes = self.get_minutes(pk)
        context = {"minutes": minutes, **meeting_steps_context(minutes.meeting, request.user)}
        return render(request, self.template_name, context)


class MinutesSignView(MinutesAccessMixin, View):
    """The chair or a minute checker signs off the minutes (justering), after confirming.
    Anyone else of the fund is told why they cannot."""

    template_name = "fund/minutes_sign.html"
    permission_required = "fund.access_fund"

    def render_page(self, request, *, errors=(), status=200):
        meeting = self.get_object()
        context = {
            "meeting": meeting,
            "refusal": minutes_signing_refusal(meeting=meeting, by=request.user),
            "errors": errors,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render_page(request)

    def post(self, request, pk):
        try:
            minutes_sign(meeting=self.get_object(), by=request.user)
        except WorkflowError as refusal:
            return self.render_page(request, errors=refusal.messages, status=400)
        meeting = self.get_object()
        if meeting.state == MeetingState.CHECKED:
            messages.success(
                request, _("You have checked the minutes. Everyone has signed: they are checked.")
            )
        else:
            messages.success(request, _("You have checked the minutes."))
        return redirect("fund:minutes", pk=meeting.pk)


class MinutesPostView(ChairRequired, TransitionView):
    """The chair posts the checked minutes on the notice board, after confirming."""

    template_name = "fund/minutes_post.html"
    model = Meeting
    object_context_name = "meeting"
    ask_message = False

    def step_name(self) -> str:
        return "post_minutes"

    def get_success_url(self, obj) -> str:
        return reverse("fund:minutes", args=[obj.pk])


class MinutesPdfView(MinutesAccessMixin, View):
    def get(self, request, pk):
        minutes = self.get_minutes(pk)
        response = HttpResponse(minutes_pdf(minutes), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=minutes_filename(minutes.meeting)
        )
        return response
