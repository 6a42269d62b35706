"""The fund's form in Wagtail's admin: the fund with its criteria inline."""

from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from ideasluss.accounts.models import User
from ideasluss.accounts.roles import Role


class FundAdminForm(WagtailAdminModelForm):
    """Refuses removing a criterion the committee has already scored on.

    The fund's own invariants (capital, prefix, period against its decisions)
    live in `Fund.clean()`, which this form runs like every other path.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = User.objects.filter(
            Q(groups__name__in=[Role.COMMITTEE_MEMBER, Role.COMMITTEE_CHAIR], is_active=True)
            | Q(fund_committees=self.instance.pk or 0)
        )
        members = members.distinct().order_by("last_name", "first_name", "pk")
        for name in ("committee_members", "vice_chair"):
            if name in self.fields:
                self.fields[name].queryset = members
                self.fields[name].label_from_instance = lambda user: user.full_name

    def clean(self):
        cleaned_data = super().clean()
        vice_chair = cleaned_data.get("vice_chair")
        members = cleaned_data.get("committee_members")
        if vice_chair is not None and members is not None and vice_chair not in members:
            self.add_error("vice_chair", _("The vice chair must be one of the committee members."))
        criteria = self.formsets.get("criteria")
        if criteria is not None and criteria.is_valid():
            for form in criteria.deleted_forms:
                criterion = form.instance
                if criterion.pk is not None and criterion.scores.exists():
                    self.add_error(
                        None,
                        _(
                            "The criterion “%(criterion)s” has scores and cannot be removed; "
                            "rename it instead."
                        )
                        % {"criterion": criterion.name},
                    )
        return cleaned_data
