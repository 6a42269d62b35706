"""The life of an idea and of a best-mistake nomination, each declared once.

Each is a proxy of its domain model, so the domain stays free of workflow code while
django-fsm-2 drives the buttons, the guards, the log (django-fsm-log) and the state
diagrams in docs/. Who may take a step is a rules permission in `ideasluss.ideas.rules`.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ideasluss.ideas.models import Idea, IdeaState, Nomination, NominationState

from .. import guards
from ..notifications import notify_idea_transition, notify_nomination_step
from ..transitions import Lifecycle, lifecycle, step

S = IdeaState
NOT_FINAL = [S.DRAFT, S.SUBMITTED, S.PLANNING, S.TESTING, S.TESTED]


@lifecycle
class IdeaLifecycle(Lifecycle, Idea):
    changed_message = _(
        "Someone changed this idea just now. Reload the page to see the change, then try again."
    )
    not_allowed_message = _("You are not allowed to do this with this idea.")
    wrong_state_message = _("This cannot be done while the idea is “%(state)s”.")

    class Meta:
        proxy = True

    @step(
        source=S.DRAFT,
        target=S.SUBMITTED,
        permission="ideas.submit_idea",
        label=_("Submit the idea"),
        conditions=[guards.submission_complete],
        success=_(
            "Thank you! The idea is submitted. A coach reads it and answers you here; "
            "you get a notification when it moves on."
        ),
    )
    def submit(self, by=None, description=None):
        """The team sends a draft to the innovation team."""

    @step(
        source=S.SUBMITTED,
        target=S.DRAFT,
        permission="ideas.return_to_owner_idea",
        label=_("Return to the owner"),
        success=_(
            "The idea is back with its owner as a draft, with your message. It comes back to "
            "the inbox when they submit it again."
        ),
        message_required=True,
    )
    def return_to_owner(self, by=None, description=None):
        """A coach sends a submitted idea back to its owner with a message."""

    @step(
        source=S.SUBMITTED,
        target=S.PLANNING,
        permission="ideas.accept_idea",
        label=_("Accept"),
        success=_(
            "The idea is accepted. The team is told and writes a test plan next; you can help "
            "them plan it."
        ),
    )
    def accept(self, by=None, description=None):
        """A coach accepts the idea for planning a test."""

    @step(
        source=S.SUBMITTED,
        target=S.DECLINED,
        permission="ideas.decline_idea",
        label=_("Decline"),
        success=_("The idea is declined. The owner gets your message."),
        message_required=True,
        confirm=True,
    )
    def decline(self, by=None, description=None):
        """A coach declines the idea, saying why."""

    @step(
        source=S.PLANNING,
        target=S.TESTING,
        permission="ideas.start_test_idea",
        label=_("Start the test"),
        success=_(
            "The test has started. When it is done, write the evaluation and report the result."
        ),
        conditions=[guards.ready_to_test],
    )
    def start_test(self, by=None, description=None):
        """The test starts: a test plan exists and the money question is settled."""

    @step(
        source=S.TESTING,
        target=S.TESTED,
        permission="ideas.report_idea",
        label=_("Report the result"),
        success=_(
            "The result is reported. A coach now decides with you: scale it up, test again, or "
            "stop and keep the lessons."
        ),
        conditions=[guards.evaluation_complete],
    )
    def report(self, by=None, description=None):
        """The team reports the test's result against each success criterion."""

    @step(
        source=S.TESTED,
        target=S.TESTING,
        permission="ideas.iterate_idea",
        label=_("Test again (iterate)"),
        success=_(
            "The idea is being tested again. Update the test plan if the new test changes it."
        ),
        message_required=True,
    )
    def iterate(self, by=None, description=None):
        """Test again after a report, saying what changes."""

    @step(
        source=S.TESTED,
        target=S.SCALED,
        permission="ideas.scale_idea",
        label=_("Scale it up"),
        success=_(
            "The idea is scaled up and part of ordinary operations. With the team's consent you "
            "can now make a public result page about it."
        ),
        conditions=[guards.new_owner_named],
        fields=["run_by_unit", "run_by_contact"],
    )
    def scale(self, by=None, description=None):
        """A coach scales the tested idea into ordinary operations."""

    @step(
        source=[S.TESTING, S.TESTED],
        target=S.LEARNED,
        permission="ideas.stop_and_learn_idea",
        label=_("Stop and learn"),
        success=_(
            "The test is stopped and the lessons are kept, so others can learn from them. With "
            "the team's consent a coach makes a public lesson page, and the idea can be "
            "nominated as the best mistake of the year."
        ),
        conditions=[guards.lessons_written],
        fields=["lessons_learned"],
    )
    def stop_and_learn(self, by=None, description=None):
        """Stop the test and keep the lessons: a stopped test is a result."""

    @step(
        source=NOT_FINAL,
        target=S.WITHDRAWN,
        permission="ideas.withdraw_idea",
        label=_("Withdraw the idea"),
        success=_(
            "The idea is withdrawn. It stays among your ideas, and nobody can take it further."
        ),
        confirm=True,
    )
    def withdraw(self, by=None, description=None):
        """The owner withdraws the idea."""

    def on_committed(self, transition, log_entry) -> None:
        notify_idea_transition(idea=self, log_entry=log_entry)


N = NominationState


@lifecycle
class NominationLifecycle(Lifecycle, Nomination):
    """The jury's moves on a nomination for the best mistake of the year.

    Any juror shortlists and sets aside; the winner is the jury's: each juror votes
    (`ideasluss.ideas.services.vote_cast`) and the chair declares the result
    (`workflows.ideas.services.winner_declare`, the only one to take `declare_winner`).
    A corrected result is two explicit steps, the chair withdraws the win with a reason,
    then declares again, so the public page never swaps its winner by one click.
    """

    changed_message = _(
        "Someone in the jury changed this nomination just now. Reload the page and try again."
    )
    not_allowed_message = _("Only the jury – committee members and coaches – can do this.")
    wrong_state_message = _("This cannot be done while the nomination is “%(state)s”.")
    message_missing_message = _(
        "Say why the win is withdrawn: the reason is kept in the nomination's history."
    )

    class Meta:
        proxy = True

    @step(
        source=[N.NOMINATED, N.NOT_CHOSEN],
        target=N.SHORTLISTED,
        permission="ideas.judge_mistakes",
        label=_("Shortlist"),
        conditions=[guards.nomination_consent_given],
        success=_("“%(title)s” is on the shortlist."),
    )
    def shortlist(self, by=None, description=None):
        """The jury puts a nomination on the shortlist (a set-aside one may come back)."""

    @step(
        source=[N.NOMINATED, N.SHORTLISTED],
        target=N.NOT_CHOSEN,
        permission="ideas.judge_mistakes",
        label=_("Set aside"),
        refusals={N.WINNER: _("The winner cannot be set aside. Withdraw the win first.")},
        success=_("“%(title)s” is set aside. It will not be shown publicly."),
    )
    def set_aside(self, by=None, description=None):
        """The jury sets a nomination aside: not chosen, never shown publicly."""

    @step(
        source=N.SHORTLISTED,
        target=N.WINNER,
        label=_("Declare the winner"),
        conditions=[
            guards.nomination_consent_given,
            guards.jury_motivation_written,
            guards.no_other_winner_this_year,
        ],
        fields=["jury_motivation"],
        refusals={
            N.NOMINATED: _("Shortlist the nomination before picking it as the winner."),
            N.NOT_CHOSEN: _("Shortlist the nomination before picking it as the winner."),
            N.WINNER: _("This nomination is already the winner."),
        },
        success=_("“%(title)s” is the best mistake of %(year)s."),
    )
    def declare_winner(self, by=None, description=None):
        """The finalist the jury's votes give becomes the year's winner, with the jury's
        motivation. Internal: only `winner_declare` takes it, for the jury's chair, so no
        juror alone picks the winner."""

    @step(
        source=N.WINNER,
        target=N.SHORTLISTED,
        permission="ideas.decide_best_mistake",
        label=_("Withdraw the win"),
        message_required=True,
        confirm=True,
        success=_("The win is withdrawn: “%(title)s” is back on the shortlist."),
    )
    def withdraw_winner(self, by=None, description=None):
        """The jury's chair withdraws a win, saying why (kept in the nomination's history):
        the nomination is a finalist again, the motivation removed, and the jury's votes
        may change until the chair declares again."""
        self.jury_motivation = ""

    def after_step(self, transition, by) -> None:
        self.decided_by = by
        self.decided_at = timezone.now()
        if transition.target != N.WINNER:
            self.jury_motivation = ""

    def on_committed(self, transition, log_entry) -> None:
        notify_nomination_step(nomination=self, log_entry=log_entry)

    @classmethod
    def explain_integrity_error(cls, obj):
        # Two jury members picked different winners for one year at the same moment: the
        # database's one-winner-a-year constraint let the first one win.
        return guards.winner_already_picked(obj)
