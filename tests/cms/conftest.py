import pytest

from cms.site_tree import ensure_site_tree


@pytest.fixture
def site_tree(db):
    """The home page and the sections /resultat/, /lardomar/, /arets-basta-misstag/, /fonden/."""
    return ensure_site_tree()
