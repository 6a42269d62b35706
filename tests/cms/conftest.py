import pytest

from cms.site_tree import ensure_site_tree


@pytest.fixture
def site_tree(db):
    """The home page and the sections /resultat/, /lardomar/, /arets-basta-misstag/, /fonden/."""
    return ensure_site_tree()


@pytest.fixture
def publish_story(site_tree):
    """Make a story page under its section and publish it: `publish_story(ResultPage, ...)`."""
    from cms.models import LessonPage, ResultPage

    sections = {ResultPage: site_tree["resultat"], LessonPage: site_tree["lardomar"]}

    def publish(model, *, live: bool = True, **fields):
        fields.setdefault("title", "En berättelse")
        fields.setdefault("summary", "Det här hände när vi testade.")
        page = model(live=False, **fields)
        sections[model].add_child(instance=page)
        revision = page.save_revision()
        if live:
            revision.publish()
        page.refresh_from_db()
        return page

    return publish


@pytest.fixture
def translate(site_tree):
    """Translate a page into English as an editor does ("Translate" in the admin) and
    publish the copy with `fields`: `translate(page, title="Results")`."""
    from wagtail.models import Locale

    def translate_page(page, **fields):
        copy = page.specific.copy_for_translation(Locale.objects.get(language_code="en"))
        copy = copy.specific
        for name, value in fields.items():
            setattr(copy, name, value)
        copy.save_revision().publish()
        copy.refresh_from_db()
        return copy

    return translate_page


@pytest.fixture
def english_site(site_tree, translate):
    """The home page and the sections translated into English."""
    english = {"home": translate(site_tree["home"], title="Idésluss", introduction="In English.")}
    for slug, title in (
        ("resultat", "Results"),
        ("lardomar", "Lessons"),
        ("arets-basta-misstag", "The best mistake of the year"),
        ("fonden", "The innovation fund"),
    ):
        english[slug] = translate(site_tree[slug], title=title)
    return english
