from functools import cache

from .models import Notification


def notifications(request):
    """The unread-notification count for the header (one cheap query, signed-in users only).

    `unread_notification_count` is a callable: templates call it when they use it,
    so a page that never shows the count costs no query, and one that shows it
    twice costs one.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def unread_notification_count() -> int:
        return Notification.objects.for_recipient(user).unread().count()

    return {"unread_notification_count": unread_notification_count}
