"""Sign a checkpoint of the decision log when the latest one is behind the tree."""

from django.core.management.base import BaseCommand, CommandError

from ideasluss.fund import tlog, transparency
from ideasluss.fund.services import checkpoint_sign


class Command(BaseCommand):
    help = (
        "Sign the decision log's current tree if the latest checkpoint does not cover it "
        "(after the data migration, say). With --generate-key NAME, print a new signing key "
        "for IDESLUSS_LOG_SIGNING_KEY instead and sign nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--generate-key", metavar="NAME", help="the key name, e.g. the origin")

    def handle(self, *args, generate_key=None, **options):
        if generate_key:
            try:
                signer = tlog.generate_signer(generate_key)
            except tlog.NoteError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"Signing key (keep it secret): {signer}")
            self.stdout.write(f"Verifier key (publish it): {signer.verifier}")
            return
        checkpoint = checkpoint_sign()
        if checkpoint is None:
            latest = transparency.latest_checkpoint()
            size = latest.tree_size if latest else 0
            self.stdout.write(f"Nothing to sign: the latest checkpoint covers {size} decisions.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Signed the checkpoint of {checkpoint.tree_size} decisions. "
                f"Key: {checkpoint.signed_with}."
            )
        )
