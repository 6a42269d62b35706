from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ideasluss.demo.fund import StoryGrants, demo_fund, seed_fund_demo
from ideasluss.demo.ideas import seed_bulk_ideas
from ideasluss.demo.people import DEMO_PASSWORD, seed_units, seed_users
from ideasluss.demo.showcase import seed_showcase
from ideasluss.demo.sluice import quiet_seeding, seed_sluice_ideas
from ideasluss.fund.models import Application


class Command(BaseCommand):
    help = (
        "Create the demo organisation, users and content. Safe to run again; refused in production."
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
            units = seed_units()
            users, new_users = seed_users(units)
            fund = demo_fund()
            applications_before = Application.objects.count()
            # The fund's demo grants money to the stories' tests just before they start.
            grants = StoryGrants(users=users)
            demo_ideas = seed_sluice_ideas(users=users, units=units, settle_money=grants)
            seed_fund_demo(fund=fund, users=users)
            added_applications = Application.objects.count() - applications_before
            showcase = seed_showcase(users=users)
            added_ideas = seed_bulk_ideas(total=ideas, owners=users) if ideas else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {len(users)} users ({new_users} new, password '{DEMO_PASSWORD}'), "
                f"{len(units)} units, {demo_ideas} demo ideas and {added_ideas} generated "
                f"ideas added; {added_applications} fund applications added ({fund} is "
                "this year's fund); public site: "
                f"{showcase.pages} pages published, {showcase.pictures} pictures drawn and "
                f"{showcase.nominations} best-mistake nominations added."
            )
        )
