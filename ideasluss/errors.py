from django.utils.translation import gettext_lazy as _


class WorkflowError(Exception):
    """A use case was refused; `messages` say why, in words for the person who tried."""

    def __init__(self, *messages):
        self.messages = [str(message) for message in messages]
        super().__init__(" ".join(self.messages))


class NotAllowed(WorkflowError):
    pass


class RequirementsMissing(WorkflowError):
    """A guard blocked a transition; each message names one missing requirement."""


class ConcurrentChange(WorkflowError):
    """Someone else acted on the same thing between reading and writing."""

    def __init__(self, message=None):
        super().__init__(
            message
            or _(
                "Someone changed this idea just now. "
                "Reload the page to see the change, then try again."
            )
        )
