"""Idea search (the idea bank) and "similar ideas while writing".

The first part runs on any database; tests marked `postgres` prove that PostgreSQL
uses the GIN index from migration 0002 and stems Swedish words.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ideasluss.ideas.models import Idea, IdeaState
from ideasluss.ideas.search import (
    SEARCH_INDEX_NAME,
    SIMILAR_CANDIDATES,
    search_ideas,
    significant_words,
    similar_ideas,
)
from ideasluss.pagination import BoundedPaginator
from tests.factories import IdeaFactory, UnitFactory, UserFactory


@pytest.fixture
def similar_url() -> str:
    return reverse("ideas:idea-similar")


def submitted(**kwargs) -> Idea:
    return IdeaFactory(state=IdeaState.SUBMITTED, **kwargs)


def plain(**kwargs) -> dict:
    """Idea text with nothing in common with the other test ideas."""
    return {
        "problem": "",
        "target_group": "",
        "description": "",
        **kwargs,
    }


# --- search_ideas: the idea bank's search box --------------------------------------------


@pytest.mark.django_db
def test_empty_search_returns_the_queryset_unchanged():
    ideas = Idea.objects.submitted()
    assert search_ideas(ideas, "") is ideas
    assert search_ideas(ideas, "   ") is ideas


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field", ["title", "problem", "target_group", "description"], ids=lambda field: field
)
def test_search_finds_a_word_in_each_searched_field(field):
    match = submitted(**plain(**{"title": "Något helt annat", field: "Sensorer i papperskorgar"}))
    submitted(**plain(title="Läxhjälp på biblioteket"))
    found = search_ideas(Idea.objects.submitted(), "papperskorgar")
    assert list(found) == [match]


@pytest.mark.django_db
def test_search_needs_every_word_and_ignores_case():
    both = submitted(**plain(title="Digitala lås", problem="Nycklar tappas bort i hemtjänsten"))
    submitted(**plain(title="Digitala blanketter"))
    submitted(**plain(title="Lås på cykelförrådet"))
    assert list(search_ideas(Idea.objects.submitted(), "DIGITALA lås")) == [both]
    assert list(search_ideas(Idea.objects.submitted(), "cykelpool")) == []


@pytest.mark.django_db
def test_search_ignores_case_of_swedish_letters():
    idea = submitted(**plain(title="Äldre får läsplattor"))
    assert list(search_ideas(Idea.objects.submitted(), "äldre")) == [idea]
    assert list(search_ideas(Idea.objects.submitted(), "ÄLDRE läsplattor")) == [idea]


@pytest.mark.django_db
def test_search_keeps_the_filters_of_the_queryset():
    IdeaFactory(**plain(title="Matsvinn i skolköket"))  # a draft
    published = submitted(**plain(title="Matsvinn i skolköket"))
    assert list(search_ideas(Idea.objects.submitted(), "matsvinn")) == [published]


# --- similar_ideas: the look-alikes shown while writing -----------------------------------


def test_significant_words_skip_short_and_stop_words_and_repeats():
    text = "Och det är inte så att brukarna väntar, brukarna VÄNTAR på nycklar till 2024"
    assert significant_words(text) == ["brukarna", "väntar", "nycklar"]
    assert significant_words("") == []


@pytest.mark.django_db
def test_similar_ideas_are_submitted_ones_only(staff):
    IdeaFactory(**plain(title="Cykelpool för personal"))  # a draft: private to its owner
    shared = submitted(**plain(title="Cykelpool för personal"))
    for state in (IdeaState.TESTING, IdeaState.LEARNED):
        submitted(**plain(title="Lånecyklar"))  # no common word
        IdeaFactory(state=state, **plain(title="Cykelpool i hemtjänsten"))
    found = similar_ideas(text="En cykelpool för alla", user=staff)
    assert shared in found
    assert len(found) == 3
    assert all(idea.state != IdeaState.DRAFT for idea in found)


@pytest.mark.django_db
def test_similar_ideas_return_at_most_the_limit_and_fetch_no_more(staff):
    for number in range(7):
        submitted(**plain(title=f"Videobesök i hemtjänsten {number}"))
    with CaptureQueriesContext(connection) as queries:
        found = similar_ideas(text="videobesök", user=staff)
    assert len(found) == 5
    assert "LIMIT 5" in queries.captured_queries[-1]["sql"]
    assert len(similar_ideas(text="videobesök", user=staff, limit=2)) == 2


@pytest.mark.django_db
def test_similar_ideas_leave_out_the_idea_being_edited(staff):
    editing = submitted(**plain(title="Språkvänner för nyanlända"))
    other = submitted(**plain(title="Språkvänner på biblioteket"))
    found = similar_ideas(text="Språkvänner", user=staff, exclude_pk=editing.pk)
    assert found == [other]


@pytest.mark.django_db
def test_similar_ideas_need_significant_words(staff):
    submitted(**plain(title="Och så vidare"))
    assert similar_ideas(text="och så", user=staff) == []
    assert similar_ideas(text="", user=staff) == []


@pytest.mark.django_db
def test_similar_ideas_show_nothing_to_someone_who_may_not_see_ideas():
    submitted(**plain(title="Enklare blanketter"))
    outsider = UserFactory(username="outsider", roles=[])
    assert similar_ideas(text="blanketter", user=outsider) == []


@pytest.mark.sqlite
@pytest.mark.django_db
def test_similar_ideas_without_ranking_are_newest_first(staff):
    older = submitted(**plain(title="Läxhjälp på biblioteket"))
    newer = submitted(**plain(title="Läxhjälp i skolan"))
    assert similar_ideas(text="läxhjälp", user=staff) == [newer, older]


# --- the similar-ideas fragment ----------------------------------------------------------


@pytest.mark.django_db
def test_similar_fragment_needs_login(client, similar_url):
    response = client.get(similar_url, {"title": "Cykelpool för personal"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_similar_fragment_answers_get_only(client, staff, similar_url):
    client.force_login(staff)
    assert client.post(similar_url, {"title": "Cykelpool"}).status_code == 405


@pytest.mark.django_db
def test_similar_fragment_lists_links_with_state_and_unit(client, staff, similar_url):
    staff.preferred_language = "en"
    staff.save()
    unit = UnitFactory(name="Gata och park")
    idea = submitted(**plain(title="Sensorer i papperskorgar", unit=unit))
    client.force_login(staff)
    response = client.get(similar_url, {"title": "Sensorer", "problem": "papperskorgar fulla"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{idea.get_absolute_url()}"' in html
    assert "Sensorer i papperskorgar" in html
    assert "Submitted" in html
    assert "Gata och park" in html
    assert "<h" not in html  # no heading: the region sits inside the form
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_similar_fragment_leaves_out_the_excluded_idea(client, staff, similar_url):
    editing = submitted(**plain(title="Gemensam vikariepool"))
    client.force_login(staff)
    response = client.get(similar_url, {"title": "vikariepool", "exclude": str(editing.pk)})
    assert editing.get_absolute_url() not in response.content.decode()
    response = client.get(similar_url, {"title": "vikariepool", "exclude": "²"})
    assert editing.get_absolute_url() in response.content.decode()


@pytest.mark.django_db
def test_similar_fragment_says_so_when_nothing_is_alike(client, staff, similar_url):
    staff.preferred_language = "en"
    staff.save()
    client.force_login(staff)
    response = client.get(similar_url, {"title": "Ingenting liknande", "problem": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No similar ideas found so far." in html
    assert "<ul" not in html


@pytest.mark.django_db
def test_similar_fragment_escapes_html_in_titles(client, staff, similar_url):
    submitted(**plain(title='<script>alert("x")</script> Lånecyklar för äldre'))
    client.force_login(staff)
    response = client.get(similar_url, {"title": "Lånecyklar"})
    html = response.content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Lånecyklar" in html
    assert "<script>" not in html


@pytest.mark.django_db
def test_similar_fragment_runs_a_fixed_number_of_queries(client, staff, similar_url):
    client.force_login(staff)
    submitted(**plain(title="Matsvinn i skolköket", unit=UnitFactory()))

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(similar_url, {"title": "Matsvinn", "problem": "skolköket"})
        assert response.status_code == 200
        return len(queries)

    few = count_queries()
    for _ in range(6):
        submitted(**plain(title="Matsvinn i skolköket", unit=UnitFactory()))
    assert count_queries() == few


# --- PostgreSQL: the GIN index and Swedish stemming --------------------------------------


def _bulk_ideas(owner, count: int) -> None:
    subjects = [
        "Digital nyckelhantering",
        "Gemensam vikariepool",
        "Läxhjälp på biblioteket",
        "Matsvinn i skolköket",
        "Videobesök i hemtjänsten",
        "Cykelpool för personal",
        "Enklare blanketter",
        "Språkvänner för nyanlända",
    ]
    Idea.objects.bulk_create(
        (
            Idea(
                title=f"{subjects[number % len(subjects)]} #{number}",
                problem=f"Problem som invånare möter i vardagen (idé {number}).",
                target_group="invånare i ytterområden",
                description="En liten test under några veckor, följd av en utvärdering.",
                owner=owner,
                state=IdeaState.SUBMITTED if number % 10 else IdeaState.DRAFT,
            )
            for number in range(count)
        ),
        batch_size=2000,
    )


def _explain(queryset) -> str:
    plan = queryset.explain()
    print(plan)  # shown with pytest -s, and on failure
    return plan


def _explain_sql(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print(plan)
    return plan


@pytest.mark.postgres
@pytest.mark.django_db
def test_search_over_10000_ideas_uses_the_gin_index(staff):
    _bulk_ideas(staff, 10_000)
    submitted(**plain(title="Sensorer i papperskorgar", problem="Tömning när de är fulla"))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ideas_idea")
    assert Idea.objects.count() == 10_001

    searched = search_ideas(Idea.objects.submitted(), "papperskorgar")
    plan = _explain(searched)
    assert f"Bitmap Index Scan on {SEARCH_INDEX_NAME}" in plan
    assert "Seq Scan on ideas_idea" not in plan
    assert [idea.title for idea in searched] == ["Sensorer i papperskorgar"]

    # As the idea bank asks: newest first, one page at a time.
    page = search_ideas(Idea.objects.submitted(), "sensorer papperskorgar").order_by(
        "-created_at", "-id"
    )[:20]
    plan = _explain(page)
    assert f"Bitmap Index Scan on {SEARCH_INDEX_NAME}" in plan
    assert "Seq Scan on ideas_idea" not in plan


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_common_word_over_10000_ideas_walks_the_newest_ideas(staff):
    # Every bulk idea says "vardagen": a page of them newest first is found by walking
    # the ideas by date and testing each stored document, not by listing 9,000 ids.
    _bulk_ideas(staff, 10_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ideas_idea")
    page = search_ideas(Idea.objects.submitted(), "vardagen").order_by("-created_at", "-id")
    plan = _explain(page[:20])
    assert "idea_created" in plan
    assert "ANY" not in plan
    assert len(page[:20]) == 20
    assert BoundedPaginator(page, 20).get_page(1).paginator.count_is_exact is False


@pytest.mark.postgres
@pytest.mark.django_db
def test_similar_ideas_over_10000_ideas_use_the_gin_index(staff):
    _bulk_ideas(staff, 10_000)
    sensor = submitted(**plain(title="Sensorer i papperskorgar"))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ideas_idea")

    with CaptureQueriesContext(connection) as queries:
        found = similar_ideas(text="Fulla papperskorgar i parken", user=staff)
    assert found == [sensor]
    # The newest matches through the GIN index, then at most 5 of them by primary key.
    find_candidates, fetch_ideas = (query["sql"] for query in queries.captured_queries[-2:])
    assert f"LIMIT {SIMILAR_CANDIDATES}" in find_candidates
    assert "LIMIT 5" in fetch_ideas
    plan = _explain_sql(find_candidates)
    assert f"Bitmap Index Scan on {SEARCH_INDEX_NAME}" in plan
    assert "Seq Scan on ideas_idea" not in plan
    plan = _explain_sql(fetch_ideas)
    assert "ideas_idea_pkey" in plan
    assert "Seq Scan on ideas_idea" not in plan


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stored", "searched"),
    [
        ("Brukarna väntar för länge på nycklar", "nycklarna"),  # nyckl
        ("Brukarna väntar för länge på nycklar", "brukaren"),  # bruk
        ("Sensorer i papperskorgar", "papperskorgen"),  # papperskorg
        ("Lånecyklar och cyklar för äldre", "cyklarna"),  # cykl
        ("Digitala lås i hemtjänsten", "digital"),  # digital
    ],
)
def test_search_stems_swedish_words(stored, searched):
    idea = submitted(**plain(title=stored))
    submitted(**plain(title="Läxhjälp på biblioteket"))
    assert list(search_ideas(Idea.objects.submitted(), searched)) == [idea]


@pytest.mark.postgres
@pytest.mark.django_db
def test_search_understands_web_search_syntax():
    keys = submitted(**plain(title="Digitala nycklar i hemtjänsten"))
    forms = submitted(**plain(title="Digitala blanketter"))
    ideas = Idea.objects.submitted()
    assert set(search_ideas(ideas, "digitala")) == {keys, forms}
    assert list(search_ideas(ideas, "digitala -blanketter")) == [keys]
    assert set(search_ideas(ideas, "nycklar or blanketter")) == {keys, forms}
    assert list(search_ideas(ideas, '"digitala nycklar"')) == [keys]


@pytest.mark.postgres
@pytest.mark.django_db
def test_similar_ideas_rank_the_most_alike_first(staff):
    one_word = submitted(**plain(title="Videobesök för anhöriga"))
    three_words = submitted(**plain(title="Videobesök i hemtjänsten för äldre brukare"))
    submitted(**plain(title="Läxhjälp på biblioteket"))
    found = similar_ideas(text="Videobesök för äldre i hemtjänsten", user=staff)
    assert found == [three_words, one_word]


@pytest.mark.postgres
@pytest.mark.django_db
def test_similar_ideas_treat_tsquery_syntax_as_plain_words(staff):
    idea = submitted(**plain(title="Cykelpool för personal"))
    found = similar_ideas(text="cykelpool & !:* | <-> ' \\ ( personal", user=staff)
    assert found == [idea]
