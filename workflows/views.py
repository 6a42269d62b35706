"""The signed-in person's notifications: a paginated list, open one, mark all as read."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from ideasluss.pagination import BoundedPaginator

from .models import Notification


class NotificationListView(LoginRequiredMixin, ListView):
    """Newest first, one page at a time; the rows need no further queries."""

    template_name = "workflows/notification_list.html"
    context_object_name = "notifications"
    paginate_by = 25
    paginator_class = BoundedPaginator

    def get_queryset(self):
        return (
            Notification.objects.for_recipient(self.request.user)
            .for_page()
            .order_by("-created_at", "-pk")
        )


class NotificationOpenView(LoginRequiredMixin, View):
    """Mark one of my notifications as read and go where it leads (its deep link)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        notification = get_object_or_404(
            Notification.objects.for_page(), pk=pk, recipient=request.user
        )
        if notification.is_unread:
            Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
                read_at=timezone.now()
            )
        return redirect(notification.url)


class NotificationMarkAllReadView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        count = (
            Notification.objects.for_recipient(request.user).unread().update(read_at=timezone.now())
        )
        if count:
            messages.success(request, _("All notifications are marked as read."))
        return redirect("notifications:list")
