from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ideasluss.demo.scale import DEFAULT_IDEAS, AlreadySeeded, Scale, seed_scale

COUNTS = {
    "users": "employees (scale users)",
    "units": "organisational units, administrations included",
    "champions": "champions (distinct idea and colleague)",
    "comments": "comments",
    "applications": "fund applications, over the funds",
    "pages": "published result and lesson pages",
    "coaches": "innovation coaches",
    "committee": "members of each fund's committee, the chair included",
    "funds": "funds, one a year up to this year",
}


class Command(BaseCommand):
    help = (
        "Seed the demo at the scale of a large municipality for the benchmark: by default "
        "40,000 users in 300 units, 100,000 ideas, 300,000 champions, 200,000 comments, 3 funds "
        "with 5,000 applications and 500 public pages (seed_demo runs first). --scale N seeds "
        "N ideas and scales every other count with it. A database seeded already is left "
        "alone. Refused in production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=DEFAULT_IDEAS,
            metavar="IDEAS",
            help=f"how many ideas; every count is scaled by IDEAS / {DEFAULT_IDEAS:,}",
        )
        for name, what in COUNTS.items():
            parser.add_argument(f"--{name}", type=int, metavar="N", help=f"how many {what}")
        parser.add_argument("--seed", type=int, default=13, help="the random generator's seed")

    def handle(self, *args, scale: int, seed: int, **options):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError(
                "seed_scale refuses to run with these settings: its users have a published "
                "password. Use the dev or test settings."
            )
        try:
            counts = Scale.of(scale, **{name: options[name] for name in COUNTS})
        except ValueError as error:
            raise CommandError(f"Cannot seed that scale: {error}.") from None
        write = self.stdout.write if options["verbosity"] > 0 else lambda text: None
        try:
            summary = seed_scale(scale=counts, write=write, seed=seed)
        except AlreadySeeded as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(summary))
