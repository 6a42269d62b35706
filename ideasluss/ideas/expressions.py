from django.db.models import BooleanField, Func


class IsAnyOf(Func):
    """`value = ANY(ARRAY(subquery))` on PostgreSQL: the subquery runs once, before the
    rest, as written. As `value IN (subquery)` the planner may instead walk the outer
    table in the page's order and test the subquery for every row (a search, a team's
    ideas: seconds at 100,000 ideas). Elsewhere (SQLite) the plain `IN`."""

    arg_joiner = " = ANY(ARRAY("
    template = "%(expressions)s))"
    output_field = BooleanField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # The subquery brings its own parentheses; "IN ((…))" would compare with its
        # first row only.
        return self.as_sql(
            compiler, connection, arg_joiner=" IN ", template="%(expressions)s", **extra_context
        )
