"""Notifications about ideas: in-app and by e-mail (see workflows/tasks.py)."""


def notify_idea_transition(*, idea, log_entry) -> None:
    """Tell the owner and team (and on submit, the coaches) that the idea moved."""


def notify_comment(*, comment) -> None:
    """Tell the idea's owner and team about a new comment."""
