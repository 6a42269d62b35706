"""The demo's stories give the flow page figures worth reading, and the inbox a flag."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from ideasluss.accounts.models import User
from workflows.flow.selectors import default_period, flow_figures
from workflows.flow.targets import Measure

pytestmark = pytest.mark.django_db


def test_the_demo_shows_every_measure_over_several_months(client):
    call_command("seed_demo", verbosity=0)
    start, end = default_period()
    figures = flow_figures(start=start, end=end)
    for measure in Measure:
        assert figures.summary(measure).count >= 5, measure
        assert figures.summary(measure).median is not None
    months = [m for m, s in figures.month_summaries(Measure.FIRST_ANSWER) if s.count]
    assert len(months) >= 5
    assert len(figures.units) >= 4
    client.force_login(User.objects.get(username="cia"))
    html = client.get(reverse("ideas:idea-inbox")).content.decode()
    assert "flow-flag" in html  # something has waited longer than its target
