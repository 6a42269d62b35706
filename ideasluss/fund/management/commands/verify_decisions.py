"""Recompute the hash chain of every fund's decisions; exit non-zero at the first break."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ideasluss.fund.chain import verify_chain
from ideasluss.fund.models import Fund


class Command(BaseCommand):
    help = "Verify that no fund decision has been changed, removed or inserted afterwards."

    def handle(self, *args, **options):
        # An operator's tool, like the logs: one language, English, throughout.
        with translation.override("en"):
            self.verify()

    def verify(self):
        checked = 0
        for fund in Fund.objects.order_by("pk"):
            broken = verify_chain(fund)
            if broken is not None:
                raise CommandError(f"{fund}: the decision log is broken at {broken}")
            count = fund.decisions.count()
            checked += count
            self.stdout.write(f"{fund}: {count} decisions, chain intact")
        self.stdout.write(self.style.SUCCESS(f"All {checked} decisions verified."))
