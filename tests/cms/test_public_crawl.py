"""The privacy crawl: everything an anonymous visitor can reach from `/` is public data.

A site full of things that must stay inside (a draft idea, draft and unpublished pages,
a draft revision of a live page, private attachments, comments, unpublished nominations,
staff e-mail addresses) is crawled breadth-first from `/`, the sitemap, the feeds and a
few searches. Every address must answer 200, 301 or 302, and no answer may contain any
of those things.
"""

import re
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.conf import settings
from django.utils import timezone

import cms
from cms.models import LessonPage, MistakeYearPage, ResultPage
from ideasluss.accounts.models import User
from ideasluss.accounts.roles import Role
from ideasluss.ideas.models import Idea
from tests.factories import (
    AttachmentFactory,
    CommentFactory,
    FundFactory,
    IdeaFactory,
    NominationFactory,
    PictureAttachmentFactory,
    TestPlanFactory,
    UserFactory,
    WagtailImageFactory,
)
from tests.fund.decision_helpers import delegated_decision

pytestmark = pytest.mark.django_db

OWN_HOSTS = {"", "testserver", "localhost", "localhost:80"}
# Staff-only parts of the site (they send anonymous visitors to the login page) and files.
SKIPPED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/accounts/",
    "/ideas/",
    "/fund/",
    "/notifications/",
    # The language switch: following it would change the language halfway through the crawl.
    "/language/",
    "/static/",
    "/media/",
    "/documents/",
)
SEEDS = ["/", "/sitemap.xml", "/feed/rss/", "/feed/atom/", "/robots.txt"]
MAX_ADDRESSES = 600
LINK = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"']+)["']""")
SRCSET = re.compile(r"""srcset\s*=\s*["']([^"']+)["']""")
XML_ADDRESS = re.compile(r"<(?:loc|link|guid|id)>([^<]+)</")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Addresses published on purpose: the contacts an editor wrote on the information pages
# (the innovation unit's mailbox, the data protection officer, DIGG, IMY), never a person's.
PUBLISHED_CONTACTS = set(
    EMAIL.findall((Path(cms.__file__).parent / "data" / "information_pages.toml").read_text())
)
IDEA_ATTACHMENT_ADDRESS = re.compile(r"/ideas/\d+/attachments/")

SECRETS = {
    "draft idea": "Hemlig idé i utkast Zirkon",
    "draft idea problem": "Problemet som bara ägaren känner till Zirkon",
    "draft result page": "Opublicerat resultat Safir",
    "draft revision of a live page": "Ändring som inte är publicerad Rubin",
    "unpublished page": "Avpublicerad lärdom Topas",
    "staff comment": "Intern kommentar om budgeten Opal",
    "test plan hypothesis": "Intern hypotes om nycklarna Onyx",
    "nomination not shortlisted": "Nominering utan jurybeslut Beryll",
    "nomination not chosen": "Nominering som inte valdes Kvarts",
    "shortlisted without consent": "Nominering utan samtycke Jaspis",
}


def build_site_with_secrets(site_tree):
    """A small public site, and around it everything that must never reach the public."""
    owner = UserFactory(username="lisa", email="lisa.lindqvist@hemtjanst.exempel.se")
    coach = UserFactory(
        username="coachen", email="kalle.coach@exempel.se", roles=[Role.STAFF, Role.COACH]
    )
    jury = UserFactory(
        username="juryn", email="jury.ledamot@exempel.se", roles=[Role.STAFF, Role.COMMITTEE_MEMBER]
    )

    # A scaled idea with a grant in the public register and a published result page.
    fund = FundFactory(name="Innovationsfonden")
    decision = delegated_decision(fund=fund, coach=coach, idea=IdeaFactory(owner=owner))
    scaled = decision.application.idea
    Idea.objects.filter(pk=scaled.pk).update(
        state="scaled",
        title="Digitala lås i hemtjänsten",
        publication_consent=True,
        run_by_contact=owner.email,
    )
    TestPlanFactory(idea=scaled, hypothesis=SECRETS["test plan hypothesis"])
    CommentFactory(idea=scaled, author=coach, body=SECRETS["staff comment"])
    picture = PictureAttachmentFactory(idea=scaled)

    # A learned idea with a published lesson page.
    learned = IdeaFactory(owner=owner, state="learned", title="Matsvinn i skolköket")

    # A draft idea with a private file.
    draft_idea = IdeaFactory(
        owner=owner, title=SECRETS["draft idea"], problem=SECRETS["draft idea problem"]
    )
    document = AttachmentFactory(idea=draft_idea)

    results, lessons = site_tree["resultat"], site_tree["lardomar"]
    image = WagtailImageFactory()
    result = ResultPage(
        title="Digitala lås i hela hemtjänsten",
        slug="digitala-las",
        summary="Brukarna slipper vänta på nycklar.",
        idea=scaled,
        hero_image=image,
        hero_image_alt="En dörr med ett digitalt lås",
        body=[{"type": "paragraph", "value": "<p>Så gick det till.</p>"}],
    )
    results.add_child(instance=result)
    result.save_revision().publish()
    result.title = SECRETS["draft revision of a live page"]
    result.save_revision()

    lesson = LessonPage(
        title="Matsvinn i skolköket",
        slug="matsvinn",
        summary="Vi vägde maten i tre veckor.",
        idea=learned,
        what_we_learned="Eleverna åt mer när de fick välja själva.",
    )
    lessons.add_child(instance=lesson)
    lesson.save_revision().publish()

    draft_page = ResultPage(
        title=SECRETS["draft result page"], slug="utkast", summary="x", live=False
    )
    results.add_child(instance=draft_page)
    draft_page.save_revision()

    unpublished = LessonPage(title=SECRETS["unpublished page"], slug="avpublicerad", summary="x")
    lessons.add_child(instance=unpublished)
    unpublished.save_revision().publish()
    unpublished.unpublish()

    # The best mistake of this year: only the winner and the shortlisted with consent are public.
    year = timezone.localdate().year
    year_page = MistakeYearPage(title=f"Årets bästa misstag {year}", slug=str(year), year=year)
    site_tree["arets-basta-misstag"].add_child(instance=year_page)
    year_page.save_revision().publish()
    NominationFactory(
        year=year, idea=learned, title="Vi vägde fel mat", state="winner", decided_by=jury
    )
    NominationFactory(year=year, title="Låsen som inte passade", state="shortlisted")
    NominationFactory(year=year, title=SECRETS["nomination not shortlisted"])
    NominationFactory(year=year, title=SECRETS["nomination not chosen"], state="not_chosen")
    NominationFactory(
        year=year,
        title=SECRETS["shortlisted without consent"],
        state="shortlisted",
        consent_confirmed=False,
    )

    return {"attachments": [picture, document], "decision": decision}


def internal_address(base: str, link: str) -> str | None:
    """The path and query of a link on this site, or None for another site or a file."""
    link = link.strip()
    if not link or link.startswith(("mailto:", "tel:", "javascript:", "data:", "#")):
        return None
    url, _fragment = urldefrag(urljoin(base, link))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc not in OWN_HOSTS:
        return None
    address = parts.path + (f"?{parts.query}" if parts.query else "")
    if address.startswith(SKIPPED_PREFIXES):
        return None
    return address


def links_in(base: str, content: str) -> set[str]:
    found = set(LINK.findall(content)) | set(XML_ADDRESS.findall(content))
    for srcset in SRCSET.findall(content):
        found |= {candidate.split()[0] for candidate in srcset.split(",") if candidate.strip()}
    return {
        address for link in found if (address := internal_address(f"http://testserver{base}", link))
    }


def crawl(client, seeds):
    """Breadth-first: {address: (status, content)} for every internal address reached."""
    seen, queue, answers = set(seeds), deque(seeds), {}
    while queue:
        address = queue.popleft()
        response = client.get(address)
        content = response.content.decode("utf-8", errors="replace")
        answers[address] = (response.status_code, content)
        following = links_in(address, content)
        if response.status_code in (301, 302):
            target = internal_address(f"http://testserver{address}", response["Location"])
            following |= {target} if target else set()
        for link in sorted(following - seen):
            seen.add(link)
            queue.append(link)
        assert len(seen) <= MAX_ADDRESSES, "the crawl does not end; links keep changing"
    return answers


@pytest.mark.parametrize("language", ["sv", "en"])
def test_an_anonymous_visitor_reaches_only_public_data(client, site_tree, language):
    built = build_site_with_secrets(site_tree)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    searches = [f"/sok/?q={secret.split()[-1]}" for secret in SECRETS.values()]

    answers = crawl(client, SEEDS + searches)

    problems = []
    for address, (status, _content) in answers.items():
        if status not in (200, 301, 302):
            problems.append(f"{address} answered {status}")
    emails = set(User.objects.values_list("email", flat=True)) - {""}
    storage_names = {attachment.file.name for attachment in built["attachments"]}
    for address, (_status, content) in answers.items():
        for what, secret in SECRETS.items():
            if secret in content:
                problems.append(f"{address} shows the {what}: {secret!r}")
        for email in emails:
            if email in content:
                problems.append(f"{address} shows the e-mail address {email}")
        for email in set(EMAIL.findall(content)) - emails - PUBLISHED_CONTACTS:
            problems.append(f"{address} shows an e-mail address: {email}")
        for name in storage_names:
            if name in content or name.rsplit("/", 1)[-1] in content:
                problems.append(f"{address} names a private attachment: {name}")
        if IDEA_ATTACHMENT_ADDRESS.search(content):
            problems.append(f"{address} links an idea attachment")
    assert not problems, "\n".join(problems)

    # The crawl saw the public site, not just an empty shell.
    reached = set(answers)
    for expected in (
        "/resultat/",
        "/resultat/digitala-las/",
        "/lardomar/",
        "/lardomar/matsvinn/",
        "/arets-basta-misstag/",
        f"/arets-basta-misstag/{timezone.localdate().year}/",
        "/fonden/",
        "/fonden/beslut/",
        f"/fonden/beslut/{built['decision'].pk}/",
        "/sok/",
    ):
        assert expected in reached, f"the crawl never reached {expected}"
    assert f'<html lang="{language}">' in answers["/"][1]
    assert "Vi vägde fel mat" in answers[f"/arets-basta-misstag/{timezone.localdate().year}/"][1]
