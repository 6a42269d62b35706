"""Create the public site's sections under the home page when they are missing."""

from django.core.management.base import BaseCommand

from cms.site_tree import ensure_site_tree


class Command(BaseCommand):
    help = "Create /resultat/, /lardomar/, /arets-basta-misstag/ and /fonden/ when missing."

    def handle(self, *args, **options):
        pages = ensure_site_tree()
        for page in pages.values():
            self.stdout.write(f"{page.url}  {page.title}")
