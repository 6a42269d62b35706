from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ideasluss.demo.loader import quiet_seeding, seed_demo


class Command(BaseCommand):
    help = (
        "Create the demo organisation, users and content from ideasluss/demo/data. Safe to run "
        "again; refused in production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--ideas",
            type=int,
            default=0,
            metavar="N",
            help="make sure at least N ideas exist, generated in bulk over units and owners",
        )

    def handle(self, *args, ideas: int, **options):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError(
                "seed_demo refuses to run with these settings: demo users have a published "
                "password. Use the dev or test settings."
            )
        if ideas < 0:
            raise CommandError("--ideas must be zero or more.")
        with quiet_seeding(), transaction.atomic():
            summary = seed_demo(ideas=ideas)
        self.stdout.write(self.style.SUCCESS(summary))
