"""Reads for the accounts pages."""

from django.db import models

from .models import Unit


def unit_tree_positions() -> dict[int, int]:
    """Each unit's place in the tree read top down (a parent, then its children by name).

    One query over the id, parent and name of every unit: units are a few hundred at
    most, and this lets the list order by the tree whatever its depth.
    """
    children: dict[int | None, list[tuple[str, int]]] = {}
    for pk, parent_id, name in Unit.objects.values_list("pk", "parent_id", "name"):
        children.setdefault(parent_id, []).append((name.casefold(), pk))
    positions: dict[int, int] = {}
    stack = sorted(children.get(None, []), reverse=True)
    while stack:
        _, pk = stack.pop()
        positions[pk] = len(positions)
        stack.extend(sorted(children.get(pk, []), reverse=True))
    return positions


def units_in_tree_order(queryset: models.QuerySet[Unit] | None = None) -> models.QuerySet[Unit]:
    """Units ordered so that children follow their parent, each with its parents joined."""
    queryset = Unit.objects.all() if queryset is None else queryset
    positions = unit_tree_positions()
    tree_position = models.Case(
        *(models.When(pk=pk, then=models.Value(position)) for pk, position in positions.items()),
        default=models.Value(len(positions)),
        output_field=models.IntegerField(),
    )
    return (
        queryset.select_related("parent__parent__parent")
        .annotate(tree_position=tree_position)
        .order_by("tree_position", "name")
    )
