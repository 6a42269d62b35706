"""In-app notifications at scale, sparsely: what happened in the last weeks on an idea,
told to its team as the real notifications would (`workflows.notifications`), already
e-mailed so that nothing is sent; those older than a fortnight are read."""

import datetime

from workflows.models import Notification, NotificationKind

from .bulk import insert

#: How far back notifications are written.
RECENT = datetime.timedelta(days=21)
READ_AFTER = datetime.timedelta(days=14)


def _notice(recipient, *, at, now, **facts) -> Notification:
    read = at + datetime.timedelta(hours=20) if at < now - READ_AFTER else None
    return Notification(
        recipient=recipient,
        created_at=at,
        emailed_at=at + datetime.timedelta(minutes=1),
        read_at=read,
        **facts,
    )


def write_notifications(*, stories: list, champions: list, comments: list, now) -> int:
    """The team hears of others' steps on their idea, of new champions and comments."""
    since = now - RECENT
    teams = {story.idea.pk: story.team for story in stories}
    notices = []
    for story in stories:
        for step in story.steps:
            if step.at < since:
                continue
            for member in story.team:
                if member.pk != step.by.pk:
                    notices.append(
                        _notice(
                            member,
                            at=step.at,
                            now=now,
                            kind=NotificationKind.TRANSITION,
                            idea=story.idea,
                            actor=step.by,
                            transition=step.transition,
                            source_state=step.source,
                            target_state=step.target,
                            message=step.message,
                        )
                    )
    for champion in champions:
        if champion.created_at >= since:
            notices.append(
                _notice(
                    champion.idea.owner,
                    at=champion.created_at,
                    now=now,
                    kind=NotificationKind.CHAMPIONED,
                    idea=champion.idea,
                    actor=champion.user,
                )
            )
    for comment in comments:
        if comment.created_at < since:
            continue
        for member in teams[comment.idea.pk]:
            if member.pk != comment.author_id:
                notices.append(
                    _notice(
                        member,
                        at=comment.created_at,
                        now=now,
                        kind=NotificationKind.COMMENT,
                        idea=comment.idea,
                        actor=comment.author,
                        comment=comment,
                    )
                )
    return len(insert(Notification, notices))
