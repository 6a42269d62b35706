"""One way to move anything along its lifecycle, and one way to say what may be done next.

Ideas, fund applications, meetings and best-mistake nominations are each declared once
as a django-fsm-2 lifecycle (a proxy of the domain model, in `workflows/<area>/lifecycle.py`)
with `step(...)`: source, target, the permission (a `rules` permission name), the guards
that must hold, and the texts the pages show. Everything here reads those declarations
through django-fsm-2's public API (`get_all_state_transitions`, `Transition.has_perm`,
`Transition.conditions`), never its private attributes:

- `transition_perform` is the one service that performs a step: it locks the row, checks
  the state the person saw, the permission and the guards, writes the step's own fields
  (`changes`, only those the step declares), moves the state, logs it (django-fsm-log)
  and runs the lifecycle's after-commit hook (notifications) — in one transaction, so a
  refused step writes nothing;
- `available_actions` is the one builder of the buttons a page shows.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import (
    ConcurrentTransition,
    ConcurrentTransitionMixin,
    Transition,
    TransitionNotAllowed,
    transition,
)
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from django_fsm_log.models import StateLog

from ideasluss.errors import ConcurrentChange, NotAllowed, RequirementsMissing

from .guards import Guard

#: concrete model → its lifecycle proxy; filled by `@lifecycle`.
LIFECYCLES: dict[type[models.Model], type[models.Model]] = {}


def object_permission(permission_name: str) -> Callable:
    """The django-fsm `permission` of a step: the rules permission, always asked with the
    object. (Given a permission name, django-fsm would also accept it without the object,
    which lets an object rule such as "not on the idea's team" pass unasked.)"""

    def permission(instance, user) -> bool:
        return user.has_perm(permission_name, instance)

    permission.__name__ = permission_name
    return permission


def step(
    *,
    source,
    target,
    label,
    permission: str | None = None,
    conditions: Iterable[Callable] = (),
    message_required: bool = False,
    fields: Iterable[str] = (),
    confirm: bool = False,
    refusals: dict | None = None,
    success=None,
):
    """Declare one step of a lifecycle: a logged django-fsm-2 transition with its texts.

    - `permission`: the rules permission that says who may take it; a step without one is
      internal: only the service that owns it performs it (a fund decision, say);
    - `conditions`: guards (`workflows.guards.Guard`) that also say what is missing;
    - `fields`: what the person writes with the step (lessons learned, who runs it now);
    - `confirm`: asked on a page of its own first (it cannot be undone);
    - `refusals`: state → the sentence that explains why the step cannot be taken there;
    - `success`: the sentence shown after the step.
    """

    def declare(method):
        declared = transition(
            field="state",
            source=source,
            target=target,
            conditions=list(conditions),
            permission=object_permission(permission) if permission else None,
            custom={
                "label": label,
                "internal": permission is None,
                "message_required": message_required,
                "fields": tuple(fields),
                "confirm": confirm,
                "refusals": refusals or {},
                "success": success,
            },
        )(method)
        return fsm_log_by(fsm_log_description(declared))

    return declare


class Lifecycle(ConcurrentTransitionMixin):
    """What every lifecycle proxy shares. Subclasses set `changed_message` and may
    override `after_step` (data the step sets itself) and `on_committed` (tell people)."""

    changed_message = ""
    not_allowed_message = gettext_lazy("You are not allowed to do this.")
    wrong_state_message = gettext_lazy("This cannot be done while it is “%(state)s”.")
    #: the refusal when a step that needs a message is taken without one
    message_missing_message = gettext_lazy("Write a message to the owner explaining why.")

    def after_step(self, transition: Transition, by) -> None:
        if any(f.name == "state_changed_at" for f in self._meta.concrete_fields):
            self.state_changed_at = timezone.now()

    def on_committed(self, transition: Transition, log_entry: StateLog | None) -> None:
        """Runs after the step's transaction has committed."""

    @classmethod
    def explain_integrity_error(cls, obj) -> Exception | None:
        """A database constraint refused the step (a race the guards could not see):
        the error to raise instead, or None to let the database's error through."""
        return None


def lifecycle(proxy):
    """Register a lifecycle proxy for its concrete model."""
    LIFECYCLES[proxy._meta.concrete_model] = proxy
    return proxy


def lifecycle_of(obj_or_model) -> type:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return LIFECYCLES[model._meta.concrete_model]


def transitions(obj_or_model) -> list[Transition]:
    """Every step of the lifecycle, one per (name, source), in declaration order."""
    proxy = lifecycle_of(obj_or_model)
    return list(proxy._meta.get_field("state").get_all_transitions(proxy))


def step_names(obj_or_model) -> list[str]:
    return list(dict.fromkeys(t.name for t in transitions(obj_or_model)))


def transition_from(obj, name: str) -> Transition | None:
    """The step `name` as declared for the object's current state, or None."""
    for candidate in transitions(obj):
        if candidate.name == name and candidate.source in (obj.state, "*"):
            return candidate
    return None


def missing_requirements(obj, found: Transition) -> list[str]:
    """What the step's guards say is still missing (empty when ready)."""
    return [
        message
        for condition in found.conditions
        if isinstance(condition, Guard)
        for message in condition.missing(obj)
    ]


def refusal_of(obj, name: str) -> str:
    """Why the step `name` cannot be taken in the object's state, in words."""
    for candidate in transitions(obj):
        if candidate.name == name and obj.state in candidate.custom.get("refusals", {}):
            text = str(candidate.custom["refusals"][obj.state])
            return text % {"state": obj.get_state_display()} if "%(state)s" in text else text
    return str(lifecycle_of(obj).wrong_state_message) % {"state": obj.get_state_display()}


@dataclass(frozen=True)
class Action:
    """A step the person may take now, with what is still missing before it can be taken."""

    name: str
    label: str
    target: str
    message_required: bool = False
    confirm: bool = False
    fields: tuple[str, ...] = ()
    missing: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.missing


def available_actions(obj, user) -> list[Action]:
    """The steps `user` may take from the object's state (permission asked of the rules;
    guards asked what is missing), in declaration order. Internal steps are never shown."""
    actions = []
    for name in step_names(obj):
        found = transition_from(obj, name)
        if found is None or found.custom.get("internal") or not found.has_perm(obj, user):
            continue
        actions.append(
            Action(
                name=name,
                label=str(found.custom.get("label", name)),
                target=str(found.target),
                message_required=bool(found.custom.get("message_required")),
                confirm=bool(found.custom.get("confirm")),
                fields=tuple(found.custom.get("fields", ())),
                missing=missing_requirements(obj, found),
            )
        )
    return actions


def action_for(obj, user, name: str) -> Action | None:
    return next((a for a in available_actions(obj, user) if a.name == name), None)


def transition_perform(
    *,
    obj,
    name: str,
    by,
    message: str = "",
    expected_state: str | None = None,
    changes: dict | None = None,
    internal: bool = False,
):
    """Take the step `name` on `obj`, or raise a `WorkflowError` saying why not.

    `expected_state` is the state the person saw: when someone else moved the object in
    between, the second person is told instead of acting on a state they did not see.
    `changes` are the values of the fields the step declares (lessons learned...), written
    in the same transaction, so a refused step leaves nothing behind. `internal` is for
    the services that own an internal step (a decision moves its application).
    """
    proxy = lifecycle_of(obj)
    message = (message or "").strip()
    changes = changes or {}
    try:
        with transaction.atomic():
            locked = proxy.objects.select_for_update(of=("self",)).get(pk=obj.pk)
            if expected_state is not None and locked.state != expected_state:
                raise ConcurrentChange(locked.changed_message or None)
            found = transition_from(locked, name)
            if found is None:
                raise NotAllowed(refusal_of(locked, name))
            if found.custom.get("internal") and not internal:
                raise NotAllowed(_("This step is taken by the service that owns it."))
            if not internal and not found.has_perm(locked, by):
                raise NotAllowed(proxy.not_allowed_message)
            if found.custom.get("message_required") and not message:
                raise RequirementsMissing(proxy.message_missing_message)
            unknown = set(changes) - set(found.custom.get("fields", ()))
            if unknown:
                raise ValueError(f"{name} does not write {sorted(unknown)}")
            for field_name, value in changes.items():
                setattr(locked, field_name, value.strip() if isinstance(value, str) else value)
            missing = missing_requirements(locked, found)
            if missing:
                raise RequirementsMissing(*missing)
            try:
                getattr(locked, name)(by=by, description=message or None)
            except TransitionNotAllowed as error:
                # A condition that held a moment ago fails now: someone changed what it reads
                # (another row than the one locked) in between. Say what fails now.
                now_missing = missing_requirements(locked, found)
                if now_missing:
                    raise RequirementsMissing(*now_missing) from error
                raise ConcurrentChange(proxy.changed_message or None) from error
            locked.after_step(found, by)
            locked.save()
            log_entry = StateLog.objects.for_(locked).order_by("-pk").first()
            transaction.on_commit(lambda: locked.on_committed(found, log_entry))
    except ConcurrentTransition as error:
        raise ConcurrentChange(proxy.changed_message or None) from error
    except IntegrityError as error:
        explained = proxy.explain_integrity_error(obj)
        if explained is None:
            raise
        raise explained from error
    if obj is not locked:
        obj.refresh_from_db()
    return locked
