from django.http import Http404
from django.views import View


class NotificationListView(View):
    def get(self, request):
        raise Http404
