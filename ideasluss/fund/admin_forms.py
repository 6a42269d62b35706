"""The fund's form in Wagtail's admin: the fund with its criteria inline."""

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm


class FundAdminForm(WagtailAdminModelForm):
    """Refuses removing a criterion the committee has already scored on.

    The fund's own invariants (capital, prefix, period against its decisions)
    live in `Fund.clean()`, which this form runs like every other path.
    """

    def clean(self):
        cleaned_data = super().clean()
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
