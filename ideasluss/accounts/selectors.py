"""Reads for the accounts pages."""

from django.core.cache import cache
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ideasluss.cache_versions import current_version, renew_version

from .models import Unit

UNITS_VERSION_KEY = "units:version"


def unit_paths() -> dict[int, str]:
    """Every unit's place in the organisation (“Förvaltning › Enhet”), ordered by it.

    One query, kept in the shared cache until a unit is saved or deleted: every unit
    select (the idea bank's filter, the flow page) shows all of them, and building 300
    units with their parents on every request was a fifth of the idea bank's time.
    """
    key = f"units:paths:{current_version(cache, UNITS_VERSION_KEY)}"
    paths = cache.get(key)
    if paths is None:
        paths = _unit_paths()
        cache.set(key, paths, 24 * 60 * 60)
    return paths


def _unit_paths() -> dict[int, str]:
    units = {
        pk: (name, parent) for pk, name, parent in Unit.objects.values_list("pk", "name", "parent")
    }
    paths: dict[int, str] = {}
    for pk in units:
        names, seen, current = [], set(), pk
        while current is not None and current not in seen and current in units:
            seen.add(current)
            name, parent = units[current]
            names.append(name)
            current = parent
        paths[pk] = Unit.PATH_SEPARATOR.join(reversed(names))
    return dict(sorted(paths.items(), key=lambda item: item[1].casefold()))


@receiver(post_save, sender=Unit, dispatch_uid="units-saved")
@receiver(post_delete, sender=Unit, dispatch_uid="units-deleted")
def forget_unit_paths(sender, raw=False, **kwargs):
    if not raw:
        renew_version(cache, UNITS_VERSION_KEY)


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
