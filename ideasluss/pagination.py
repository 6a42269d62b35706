"""Pages of a long list without counting the whole list.

Django's Paginator counts every matching row (`COUNT(*)` over the filtered set) to say
"page 3 of 4,512", which costs as much as the table is large. BoundedPaginator counts no
further than a reader can click: at least `count_cap` rows, or as far as `lookahead`
pages past the requested one. Within that bound the count is exact; past it
`count_is_exact` is False and the page says "more than 1 000 ideas" and "page 3" instead
of "page 3 of 5 000" (templates/components/pagination.html, the result counts). Its cost
is the same at 100,000 rows as at 10,000 (docs/benchmarks/README.md).
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


class BoundedPaginator(Paginator):
    """`counter`, when given, counts the list instead of a bounded COUNT: called with the
    most rows worth counting, it says how many there are, up to that number. For a list
    whose rows the database finds more cheaply in parts (the coach inbox)."""

    count_cap = 1000
    lookahead = 10

    def __init__(self, object_list, per_page, *args, counter=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.counter = counter

    def validate_number(self, number):
        # The requested page decides how far the count goes: remember it before counting.
        try:
            self._requested = max(1, int(number))
        except (TypeError, ValueError):
            self._requested = 1
        return super().validate_number(number)

    @cached_property
    def count_bound(self) -> int:
        requested = getattr(self, "_requested", 1)
        return max(self.count_cap, (requested + self.lookahead) * self.per_page)

    @cached_property
    def _counted(self) -> int:
        rows = self.object_list
        if self.counter is not None:
            return self.counter(self.count_bound + 1)
        if not isinstance(rows, QuerySet):
            return len(rows)
        # Order is no matter for how many there are, and a ranked order would make the
        # database rank every match before the limit.
        return rows.order_by()[: self.count_bound + 1].count()

    @cached_property
    def count(self) -> int:
        return self._counted if self.count_is_exact else self.count_bound

    @property
    def count_is_exact(self) -> bool:
        return not isinstance(self.object_list, QuerySet) or self._counted <= self.count_bound
