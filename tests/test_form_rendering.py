"""ManyOptionsSelect writes the markup Django's select writes, only faster."""

import re

import pytest
from django import forms

from ideasluss.accounts.selectors import unit_paths
from ideasluss.form_rendering import ManyOptionsSelect
from tests.factories import UnitFactory

CHOICES = [("", "Alla enheter"), (1, "Vård & omsorg › Hemtjänst <Norr>"), (2, 'Skola "Öst"')]


def options(html: str) -> list[str]:
    return re.findall(r"<option[^>]*>[^<]*</option>", html)


@pytest.mark.parametrize("value", [None, "", 1, "2"])
def test_the_options_are_those_of_djangos_select(value):
    ours = ManyOptionsSelect(choices=CHOICES).render("unit", value, {"id": "id_unit"})
    django = forms.Select(choices=CHOICES).render("unit", value, {"id": "id_unit"})
    assert options(ours) == options(django)
    assert ours.startswith('<select name="unit" id="id_unit">')
    assert "&lt;Norr&gt;" in ours and "&quot;Öst&quot;" in ours


def test_a_chosen_unit_is_selected():
    html = ManyOptionsSelect(choices=CHOICES).render("unit", 2, {})
    assert '<option value="2" selected>' in html
    assert html.count("selected") == 1


def test_the_unit_paths_are_kept_until_a_unit_changes(db, django_assert_num_queries):
    unit = UnitFactory(name="Hemtjänst")
    assert unit.pk in unit_paths()
    with django_assert_num_queries(0):
        unit_paths()
    unit.name = "Hemtjänsten"
    unit.save()
    assert unit_paths()[unit.pk] == "Hemtjänsten"
    pk = unit.pk
    unit.delete()
    assert pk not in unit_paths()
