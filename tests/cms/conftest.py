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
