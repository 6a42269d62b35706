"""Verify the decision log: against a checkpoint kept earlier, or its own consistency."""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import translation

from ideasluss.fund import tlog, transparency
from ideasluss.fund.models import Checkpoint


class Command(BaseCommand):
    help = (
        "Verify that no fund decision has been changed or removed afterwards. With "
        "--checkpoint FILE, against a checkpoint kept earlier (read over the public API with "
        "--api URL, else from this database through the same code); without it, check that "
        "the stored log matches the live decisions and its latest signed checkpoint, and "
        "that every checkpoint is signed with the current key or a published earlier one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", metavar="FILE", help="a checkpoint kept earlier")
        parser.add_argument("--api", metavar="URL", help="the public API, e.g. https://…/api/v1")
        parser.add_argument("--key", metavar="VKEY", help="the log's verifier key")
        parser.add_argument(
            "--earlier-key",
            metavar="VKEY",
            action="append",
            help="a key the log used before its key was rotated (repeat; default: those "
            "the log publishes)",
        )

    def handle(self, *args, checkpoint=None, api=None, key=None, earlier_key=None, **options):
        # An operator's tool, like the logs: one language, English, throughout.
        with translation.override("en"):
            if checkpoint is None:
                if api or key or earlier_key:
                    raise CommandError("--api, --key and --earlier-key need --checkpoint FILE.")
                self.verify_local()
                return
            self.verify_against(checkpoint, api, key, earlier_key)

    def verify_against(
        self, checkpoint: str, api: str | None, key: str | None, earlier: list[str] | None
    ):
        try:
            source = tlog.HttpSource(api) if api else transparency.DatabaseSource()
        except tlog.SourceError as error:
            raise CommandError(f"Cannot read the log: {error}") from None
        lines = []

        class Lines:
            def write(self, text):
                lines.append(text)

        status = tlog.run(source, checkpoint, key, out=Lines(), earlier_keys=earlier)
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
        current = transparency.log_verifier()
        try:
            head = tlog.open_checkpoint(latest.note, current)
        except tlog.NoteError as error:
            if latest.key in self.earlier_keys():
                raise CommandError(
                    f"The latest checkpoint is signed with the earlier key {latest.key}: "
                    f"run `manage.py sign_checkpoint` to sign the log with the current key "
                    f"{current.name_and_id}."
                ) from None
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
        self.check_every_key_is_published(current)
        self.stdout.write(self.style.SUCCESS(f"All {len(hashes)} decisions verified."))

    @staticmethod
    def earlier_keys() -> set[str]:
        return {verifier.name_and_id for verifier in transparency.log_earlier_verifiers()}

    def check_every_key_is_published(self, current: tlog.Verifier) -> None:
        """A checkpoint someone kept verifies only with a key the log publishes: after a
        rotation the replaced key must be in IDESLUSS_LOG_EARLIER_KEYS."""
        known = {current.name_and_id} | self.earlier_keys()
        signed = Counter(
            dict(
                Checkpoint.objects.exclude(signed_with="")
                .values_list("signed_with")
                .annotate(count=Count("pk"))
                .order_by()
            )
        )
        # Written during a rolling upgrade by a server that did not name its key yet.
        for note in Checkpoint.objects.filter(signed_with="").values_list("note", flat=True):
            signed[tlog.signature_keys(note)[0]] += 1
        unknown = sorted((key, count) for key, count in signed.items() if key not in known)
        if unknown:
            keys = ", ".join(f"{key} ({count})" for key, count in unknown)
            raise CommandError(
                f"Checkpoints signed with a key that is neither the current key nor a "
                f"published earlier one: {keys}. Add its verifier key to "
                "IDESLUSS_LOG_EARLIER_KEYS, or checkpoints kept from then cannot be verified."
            )
