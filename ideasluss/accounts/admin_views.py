"""What the admin screens of every app share."""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail.admin.views import generic


class RefusingDeleteView(generic.DeleteView):
    """Deleting an object its model refuses to lose (`deletion_refusal()` says why) sends
    the administrator back to it with that reason instead of failing."""

    def get(self, request, *args, **kwargs):
        return self._refused() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refused() or super().post(request, *args, **kwargs)

    def _refused(self):
        refusal = self.object.deletion_refusal()
        if refusal is None:
            return None
        messages.error(self.request, refusal)
        return redirect(self.edit_url_name, self.object.pk)
