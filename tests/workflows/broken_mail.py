"""A mail server that is down, for the tests of failing e-mail."""

from django.core.mail.backends.base import BaseEmailBackend


class BrokenEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("The mail server is down")


#: The EMAIL_BACKEND setting that selects it.
BROKEN_EMAIL_BACKEND = f"{__name__}.BrokenEmailBackend"
