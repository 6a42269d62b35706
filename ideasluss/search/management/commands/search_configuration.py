"""`manage.py search_configuration`: (re)build the Swedish search after the Hunspell
dictionary was installed (or changed), and say what was done.

The migrations create `swedish_compound` without the dictionary when its files are
missing. Once `hunspell-sv` is installed and `pg_updatedicts` has linked it into
PostgreSQL's tsearch_data, this command chains the dictionary in, then rebuilds what
was computed with the old configuration: the ideas' stored documents (and so their GIN
index), the vocabularies and
Wagtail's page index (`update_index`). Idempotent; PostgreSQL only.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ideasluss.search.configuration import CONFIG, create_configuration


class Command(BaseCommand):
    help = "Add the Swedish Hunspell dictionary to the search and rebuild the search indexes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-pages", action="store_true", help="Do not run update_index for the pages."
        )

    def handle(self, *args, skip_pages=False, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The Swedish search configuration exists on PostgreSQL only.")
        if create_configuration(connection):
            self.stdout.write(f"{CONFIG}: the Hunspell dictionary splits compounds.")
        else:
            self.stdout.write(
                f"{CONFIG}: dictionary files missing (sv_se.affix, sv_se.dict in tsearch_data); "
                "stemming only. Install hunspell-sv and run pg_updatedicts first."
            )
        with connection.cursor() as cursor:
            # Writing a row computes its stored document (a generated column) again.
            cursor.execute('UPDATE "ideas_idea" SET "title" = "title"')
            cursor.execute("SELECT idea_search_words_rebuild()")
            self.stdout.write("Ideas: computed every search document again and the vocabulary.")
        if skip_pages:
            self.stdout.write("Pages: not reindexed (--skip-pages); run update_index.")
            return
        call_command("update_index", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("SELECT page_search_words_rebuild()")
        self.stdout.write("Pages: ran update_index and rebuilt the vocabulary.")
