"""Verify the decision log: against a checkpoint kept earlier, or its own consistency."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ideasluss.fund import tlog, transparency


class Command(BaseCommand):
    help = (
        "Verify that no fund decision has been changed or removed afterwards. With "
        "--checkpoint FILE, against a checkpoint kept earlier (read over the public API with "
        "--api URL, else from this database through the same code); without it, check that "
        "the stored log matches the live decisions and its latest signed checkpoint."
    )

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", metavar="FILE", help="a checkpoint kept earlier")
        parser.add_argument("--api", metavar="URL", help="the public API, e.g. https://…/api/v1")
        parser.add_argument("--key", metavar="VKEY", help="the log's verifier key")

    def handle(self, *args, checkpoint=None, api=None, key=None, **options):
        # An operator's tool, like the logs: one language, English, throughout.
        with translation.override("en"):
            if checkpoint is None:
                if api or key:
                    raise CommandError("--api and --key need --checkpoint FILE.")
                self.verify_local()
                return
            self.verify_against(checkpoint, api, key)

    def verify_against(self, checkpoint: str, api: str | None, key: str | None):
        try:
            source = tlog.HttpSource(api) if api else transparency.DatabaseSource()
        except tlog.SourceError as error:
            raise CommandError(f"Cannot read the log: {error}") from None
        lines = []

        class Lines:
            def write(self, text):
                lines.append(text)

        status = tlog.run(source, checkpoint, key, out=Lines())
        message = "".join(lines).strip()
        if status != 0:
            raise CommandError(message)
        self.stdout.write(self.style.SUCCESS(message))

    def verify_local(self):
        latest = transparency.latest_checkpoint()
        hashes = []
        for decision in transparency.leaf_decisions().iterator(chunk_size=500):
            if decision.log_index != len(hashes):
                raise CommandError(
                    f"The log is broken at position {len(hashes)}: the next decision, "
                    f"{decision.registration_number}, is at position {decision.log_index} "
                    "(a decision is missing)."
                )
            if transparency.leaf_hash_hex(decision) != decision.leaf_hash:
                raise CommandError(
                    f"The log is broken at {decision.registration_number} (position "
                    f"{decision.log_index}): it has changed since it was recorded."
                )
            hashes.append(bytes.fromhex(decision.leaf_hash))
        if latest is None:
            if hashes:
                raise CommandError(
                    f"{len(hashes)} decisions and no signed checkpoint: "
                    "run `manage.py sign_checkpoint`."
                )
            self.stdout.write(self.style.SUCCESS("The log is empty."))
            return
        try:
            head = tlog.open_checkpoint(latest.note, transparency.log_verifier())
        except tlog.NoteError as error:
            raise CommandError(f"The latest checkpoint does not verify: {error}") from None
        if head.size != latest.tree_size or head.size > len(hashes):
            raise CommandError(
                f"The latest checkpoint covers {head.size} decisions; the log has {len(hashes)}."
            )
        if tlog.root(hashes[: head.size]) != head.root:
            raise CommandError(
                "The stored decisions do not give the root of the latest checkpoint: "
                "run `verify_decisions --checkpoint` with a checkpoint kept earlier to find "
                "the first that fails."
            )
        unsigned = len(hashes) - head.size
        self.stdout.write(
            f"{len(hashes)} decisions, leaves as recorded; the latest checkpoint "
            f"({head.size}) is signed and matches."
        )
        if unsigned:
            raise CommandError(
                f"{unsigned} decisions are not covered by a checkpoint: run "
                "`manage.py sign_checkpoint`."
            )
        self.stdout.write(self.style.SUCCESS(f"All {len(hashes)} decisions verified."))
