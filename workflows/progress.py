"""Where an idea or an application is in its life, who acts next, and the one main step.

The idea page and the application page show a stepper (the states of the life, done,
now and coming), a sentence that says what happens next and who does it, one primary
action for the main next step and the others beside it: destructive ones (withdraw,
decline) as warnings confirmed on a page of their own, and a step that cannot be taken
yet shown with why, from the step's own guards (`workflows.transitions.available_actions`),
so the reason is computed once and the page never offers a step that fails.
"""

from dataclasses import dataclass, field, replace

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ideasluss.accounts.rules import is_coach
from ideasluss.fund.models import Application, ApplicationState
from ideasluss.fund.templatetags.fund_money import kronor
from ideasluss.ideas.models import Idea, IdeaState

from .transitions import Action

DONE, CURRENT, COMING = "done", "current", "coming"
STATUS_TEXT = {
    DONE: gettext_lazy("done"),
    CURRENT: gettext_lazy("now"),
    COMING: gettext_lazy("coming"),
}


@dataclass(frozen=True)
class Step:
    """One state of the life in the stepper."""

    label: str
    status: str

    @property
    def status_text(self) -> str:
        return str(STATUS_TEXT[self.status])

    @property
    def is_current(self) -> bool:
        return self.status == CURRENT


def _path(labels: list[str], current: int) -> list[Step]:
    return [
        Step(label=str(label), status=DONE if i < current else CURRENT if i == current else COMING)
        for i, label in enumerate(labels)
    ]


# --- the idea ---------------------------------------------------------------------------

IS = IdeaState
IDEA_PATH = [IS.DRAFT, IS.SUBMITTED, IS.PLANNING, IS.TESTING, IS.TESTED]
IDEA_ENDS = (IS.SCALED, IS.LEARNED)

#: state → (who acts: "team" or "coach", what happens told to others, told to the one who acts)
IDEA_NEXT = {
    IS.DRAFT: (
        "team",
        gettext_lazy("the team completes the idea and submits it"),
        gettext_lazy("complete the idea and submit it"),
    ),
    IS.SUBMITTED: (
        "coach",
        gettext_lazy(
            "a coach screens the idea: accepts it, returns it to the team with questions, "
            "or declines it"
        ),
        gettext_lazy(
            "screen the idea: accept it, return it to the team with questions, or decline it"
        ),
    ),
    IS.PLANNING: (
        "team",
        gettext_lazy("the team writes a test plan, settles the money question and starts the test"),
        gettext_lazy("write the test plan, settle the money question and start the test"),
    ),
    IS.TESTING: (
        "team",
        gettext_lazy("the team runs the test, writes the evaluation and reports the result"),
        gettext_lazy("run the test, write the evaluation and report the result"),
    ),
    IS.TESTED: (
        "coach",
        gettext_lazy(
            "a coach decides with the team: scale it up, test again, or stop and keep the lessons"
        ),
        gettext_lazy("decide with the team: scale it up, test again, or stop and keep the lessons"),
    ),
}
IDEA_DONE = {
    IS.SCALED: gettext_lazy("Done: the idea is part of ordinary operations."),
    IS.LEARNED: gettext_lazy("Done: the test is stopped and the lessons are kept for others."),
    IS.DECLINED: gettext_lazy("Done: a coach declined the idea. Why is in the timeline."),
    IS.WITHDRAWN: gettext_lazy("Done: the idea was withdrawn by its owner."),
}


def _next_text(others: str, own: str, *, yours: bool) -> str:
    if yours:
        return _("Next step is yours: %(step)s.") % {"step": own}
    return _("Next step: %(step)s.") % {"step": others}


def idea_next_step_text(idea: Idea, *, team: bool = False, coach: bool = False) -> str:
    """What happens next and who does it ("Next step: a coach screens the idea…"), told to
    someone on the idea's team (`team`) or to a coach who may act on it (`coach`)."""
    if idea.state in IDEA_DONE:
        return str(IDEA_DONE[idea.state])
    actor, others, own = IDEA_NEXT[idea.state]
    return _next_text(str(others), str(own), yours=(team if actor == "team" else coach))


def idea_steps(idea: Idea, *, withdrawn_from: str | None = None) -> list[Step]:
    """The stepper: draft, submitted, planning, testing, tested, then scaled or a lesson.
    A declined idea ends after "submitted"; a withdrawn one where it was withdrawn."""
    labels = [IdeaState(state).label for state in IDEA_PATH]
    if idea.state in IDEA_ENDS:
        return _path([*labels, idea.get_state_display()], len(labels))
    if idea.state == IS.DECLINED:
        return _path([*labels[:2], idea.get_state_display()], 2)
    if idea.state == IS.WITHDRAWN:
        reached = IDEA_PATH.index(withdrawn_from) + 1 if withdrawn_from in IDEA_PATH else 0
        return _path([*labels[:reached], idea.get_state_display()], reached)
    end = _("Scaled or a lesson")
    return _path([*labels, end], IDEA_PATH.index(idea.state))


# --- the application ------------------------------------------------------------------

AS = ApplicationState
APPLICATION_PATH = [AS.DRAFT, AS.SUBMITTED, AS.IN_REVIEW, AS.DECIDED]
APPLICATION_DONE = {
    AS.DECIDED: gettext_lazy("Done: the application is decided."),
    AS.WITHDRAWN: gettext_lazy("Done: the application was withdrawn."),
}


def application_next_step_text(
    application: Application, *, team: bool = True, coach: bool = False, member: bool = False
) -> str:
    """What happens next with the application and who does it, told to its team, to a
    coach who may decide it, or to a member of the fund's committee."""
    if application.state in APPLICATION_DONE:
        return str(APPLICATION_DONE[application.state])
    if application.state == AS.DRAFT:
        return _next_text(
            _("the team completes the application and submits it"),
            _("complete the application and submit it"),
            yours=team,
        )
    if application.state == AS.RETURNED:
        return _next_text(
            _("the team changes the application and submits it again"),
            _("change the application as the decision asks and submit it again"),
            yours=team,
        )
    if application.is_delegable:
        return _next_text(
            _("a coach decides it under the delegated limit of %(limit)s")
            % {"limit": kronor(application.fund.delegated_limit)},
            _("decide it under the delegated limit"),
            yours=coach,
        )
    return _next_text(
        _("the fund committee scores it and decides at a meeting"),
        _("declare any conflict of interest and score it; the committee decides at a meeting"),
        yours=member,
    )


def application_steps(application: Application) -> list[Step]:
    """The stepper: draft, submitted, in review, decided; returned or withdrawn where it
    happened."""
    labels = [ApplicationState(state).label for state in APPLICATION_PATH]
    if application.state == AS.RETURNED:
        return _path([*labels[:2], application.get_state_display(), labels[3]], 2)
    if application.state == AS.WITHDRAWN:
        reached = 2 if application.submitted_at else 1
        return _path([*labels[:reached], application.get_state_display()], reached)
    return _path(labels, APPLICATION_PATH.index(application.state))


# --- the actions on a page -----------------------------------------------------------------

PRIMARY, SECONDARY, WARNING = "primary", "secondary", "warning"


@dataclass(frozen=True)
class PageAction:
    """A button or link on the page. A step without a page of its own (no confirmation, no
    message required, no fields) is one click: a POST with the state the page showed."""

    label: str
    url: str
    post: bool = False
    emphasis: str = SECONDARY
    #: why it cannot be taken yet (the step's guards), and where to complete it
    missing: tuple[str, ...] = ()
    fix_url: str = ""
    fix_label: str = ""
    #: a one-click step that may carry an optional message to the owner
    message: bool = False
    #: a step taken on its own page first (a message, its fields, or a confirmation)
    asks_first: bool = False

    @property
    def blocked(self) -> bool:
        return bool(self.missing)


@dataclass(frozen=True)
class NextStep:
    """The box at the top of the page: the stepper, the sentence, the primary action (or,
    when the main step cannot be taken yet, the way to complete it and the step with why),
    the other actions, and the destructive ones apart."""

    steps: list[Step]
    text: str
    state: str
    primary: PageAction | None = None
    blocked: PageAction | None = None
    others: list[PageAction] = field(default_factory=list)
    warnings: list[PageAction] = field(default_factory=list)
    final: bool = False

    @property
    def has_actions(self) -> bool:
        return bool(self.primary or self.blocked or self.others or self.warnings)


def _step_action(action: Action, url: str, *, destructive: bool, message: bool = False):
    asks_first = action.confirm or action.message_required or bool(action.fields)
    return PageAction(
        label=action.label,
        url=url,
        post=not asks_first,
        emphasis=WARNING if destructive else SECONDARY,
        # A step with fields shows what is missing on its own page, where they are filled.
        missing=() if action.fields else tuple(action.missing),
        message=message and not asks_first,
        asks_first=asks_first,
    )


def _arrange(*, steps, text, state, candidates, main, fixes, final=False) -> NextStep:
    """Pick the primary action: the first of `main` (names, in order) among `candidates`
    (name → PageAction). When it cannot be taken yet, its fix (`fixes`: name → (label,
    url)) becomes the primary action and the step is shown blocked, with why."""
    primary = blocked = None
    for name in main:
        chosen = candidates.get(name)
        if chosen is None:
            continue
        del candidates[name]
        if chosen.blocked and name in fixes:
            fix_label, fix_url = fixes[name]
            blocked = replace(chosen, fix_label=fix_label, fix_url=fix_url)
            # The way to complete it is the primary action, not also a secondary link.
            for key in [k for k, a in candidates.items() if a.url == fix_url]:
                del candidates[key]
            primary = PageAction(label=fix_label, url=fix_url, emphasis=PRIMARY)
        elif chosen.blocked:
            blocked = chosen
        else:
            primary = replace(chosen, emphasis=PRIMARY)
        break
    others = [a for a in candidates.values() if a.emphasis != WARNING]
    warnings = [a for a in candidates.values() if a.emphasis == WARNING]
    return NextStep(
        steps=steps,
        text=text,
        state=state,
        primary=primary,
        blocked=blocked,
        others=others,
        warnings=warnings,
        final=final,
    )


IDEA_DESTRUCTIVE = {"withdraw", "decline"}
#: The main step of each state, in order of preference: the primary action when the person
#: may take it. In other states, or for someone else, every action is secondary.
IDEA_MAIN = {
    IS.DRAFT: ["submit"],
    IS.SUBMITTED: ["accept"],
    IS.PLANNING: ["start_test"],
    IS.TESTING: ["report"],
    IS.TESTED: ["scale", "stop_and_learn"],
}


def _plan_complete(idea: Idea) -> bool:
    plan = getattr(idea, "test_plan", None)
    return bool(
        plan
        and plan.hypothesis.strip()
        and any(str(c).strip() for c in plan.success_criteria)
        and plan.start_date
        and plan.end_date
    )


def idea_next_step(
    *, idea: Idea, user, actions: list[Action], withdrawn_from: str | None = None
) -> NextStep:
    """The next-step box of the idea page for `user`, from the steps they may take now
    (`available_actions`) and the pages they may open (the rules)."""
    pk = idea.pk
    team = idea.is_member(user)
    links: dict[str, PageAction] = {}

    def link(label, url):
        links[f"link:{url}"] = PageAction(label=label, url=url)

    edit_url = reverse("ideas:idea-update", args=[pk])
    plan_url = reverse("ideas:idea-test-plan", args=[pk])
    evaluation_url = reverse("ideas:idea-evaluation", args=[pk])
    apply_url = reverse("fund:apply", args=[pk])
    has_plan = getattr(idea, "test_plan", None) is not None
    has_evaluation = getattr(idea, "evaluation", None) is not None
    plan_label = _("Edit the test plan") if has_plan else _("Write the test plan")
    if user.has_perm("ideas.change_idea", idea):
        link(_("Edit the draft"), edit_url)
    if user.has_perm("ideas.edit_test_plan", idea):
        link(plan_label, plan_url)
    if user.has_perm("ideas.edit_evaluation", idea):
        link(
            _("Edit the evaluation") if has_evaluation else _("Write the evaluation"),
            evaluation_url,
        )
    may_apply = user.has_perm("fund.apply_for_idea", idea)
    if may_apply:
        link(_("Apply for money from the fund"), apply_url)

    candidates = {
        action.name: _step_action(
            action,
            reverse("ideas:idea-transition", args=[pk, action.name]),
            destructive=action.name in IDEA_DESTRUCTIVE,
            message=action.name == "accept",
        )
        for action in actions
    }
    candidates.update(links)
    fixes = {"submit": (_("Complete the draft"), edit_url)}
    if not _plan_complete(idea):
        fixes["start_test"] = (
            _("Edit the test plan") if has_plan else _("Write the test plan"),
            plan_url,
        )
    elif may_apply:
        fixes["start_test"] = (_("Apply for money from the fund"), apply_url)
    else:
        fixes["start_test"] = (_("Edit the test plan"), plan_url)
    fixes["report"] = (
        _("Edit the evaluation") if has_evaluation else _("Write the evaluation"),
        evaluation_url,
    )
    coach = is_coach(user) and not team
    return _arrange(
        steps=idea_steps(idea, withdrawn_from=withdrawn_from),
        text=idea_next_step_text(idea, team=team, coach=coach),
        state=idea.state,
        candidates=candidates,
        main=IDEA_MAIN.get(idea.state, []),
        fixes=fixes,
        final=idea.is_final,
    )


APPLICATION_MAIN = ["declare", "review", "decide", "submit", "take_up", "cost", "return"]


def application_next_step(*, application: Application, user, actions: list[Action], follow_up):
    """The next-step box of the application page for `user`."""
    pk = application.pk
    candidates: dict[str, PageAction] = {}
    if user.has_perm("fund.declare_conflict", application):
        candidates["declare"] = PageAction(
            _("Declare conflicts of interest"), reverse("fund:declare", args=[pk])
        )
    if user.has_perm("fund.review_application", application):
        candidates["review"] = PageAction(
            _("Score the application"), reverse("fund:review", args=[pk])
        )
    if user.has_perm("fund.decide_delegated", application):
        candidates["decide"] = PageAction(
            _("Decide under delegation"), reverse("fund:decide", args=[pk])
        )
    for action in actions:
        candidates[action.name] = _step_action(
            action,
            reverse("fund:application-action", args=[pk, action.name]),
            destructive=action.name == "withdraw",
        )
    edit_url = reverse("fund:application-edit", args=[pk])
    if user.has_perm("fund.change_application", application):
        candidates["edit"] = PageAction(_("Edit the application"), edit_url)
    if follow_up.is_open and user.has_perm("fund.record_cost", application):
        candidates["cost"] = PageAction(_("Record a cost"), reverse("fund:cost-add", args=[pk]))
    if (
        follow_up.is_open
        and follow_up.balance.returnable > 0
        and application.idea.is_final
        and user.has_perm("fund.return_money", application)
    ):
        candidates["return"] = PageAction(
            _("Return unspent money"), reverse("fund:return-money", args=[pk])
        )
    team = user.has_perm("fund.change_application", application) or any(
        a.name == "withdraw" for a in actions
    )
    member = "declare" in candidates or "review" in candidates
    return _arrange(
        steps=application_steps(application),
        text=application_next_step_text(
            application, team=team, coach="decide" in candidates, member=member
        ),
        state=application.state,
        candidates=candidates,
        main=APPLICATION_MAIN,
        fixes={"submit": (_("Complete the application"), edit_url)},
        final=application.state in APPLICATION_DONE,
    )
