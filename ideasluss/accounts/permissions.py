"""The one way a view asks "who may": rules' own `PermissionRequiredMixin`, plus 404.

A view names the permission it needs (`permission_required`) and, for pages about one
object, the permission to see that object at all (`view_permission`). Someone who may
not see the object gets 404, so a draft or an application does not even reveal that it
exists; someone who may see it but not do this gets 403; anonymous visitors are sent
to sign in. Views never re-code a rule: they ask the predicates through these names.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from rules.contrib.views import PermissionRequiredMixin as RulesPermissionRequiredMixin


class PermissionRequiredMixin(RulesPermissionRequiredMixin):
    """`permission_required` on `get_permission_object()`; `view_permission` gives 404.

    For object pages set `model` (or `queryset`) and `pk_url_kwarg`; the object is then
    `self.object`, loaded once. Without `permission_required`, seeing is enough.
    """

    model = None
    queryset = None
    pk_url_kwarg = "pk"
    view_permission: str | None = None
    permission_required: str | tuple = ()

    def dispatch(self, request, *args, **kwargs):
        # Anonymous visitors sign in first; then a method the view does not answer is 405
        # for everyone, before any rule is asked.
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.method.lower() not in self.http_method_names or not hasattr(
            self, request.method.lower()
        ):
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        if self.queryset is not None:
            return self.queryset.all()
        return self.model._default_manager.all()

    def get_object(self):
        if not hasattr(self, "object"):
            self.object = get_object_or_404(self.get_queryset(), pk=self.kwargs[self.pk_url_kwarg])
        return self.object

    def get_permission_object(self):
        if self.model is None and self.queryset is None:
            return None
        return self.get_object()

    def get_permission_required(self):
        if not self.permission_required:
            return ()
        return super().get_permission_required()

    def has_permission(self):
        user = self.request.user
        if not user.is_authenticated:
            return False
        obj = self.get_permission_object()
        if self.view_permission and not user.has_perm(self.view_permission, obj):
            raise Http404
        return all(user.has_perm(p, obj) for p in self.get_permission_required())
