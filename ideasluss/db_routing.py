"""An optional read replica for the heavy public lists (DATABASE_REPLICA_URL).

Off unless DATABASE_REPLICA_URL is set. Then only views marked `@reads_from_replica`
(the public decision register, the API's list of decisions, the staff's CSV and Excel
exports) read from the replica, and only these models: the fund's, the ideas' and the
public pages' (`REPLICA_APPS`). Everything else goes to the primary:

- every write, and every read after a write in the same request, so a request reads
  what it wrote;
- every read inside a transaction (`transaction.atomic`), which must see one database;
- sessions, people and sign-in records: a person who has just signed in must not look
  signed out because the replica lags behind.

A replica may lag the primary by a moment: a new decision can be missing from the public
register for that long. Nothing that decides a write reads from it.

Imports no app, so any layer may mark a view.
"""

import contextvars
import functools
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.http import StreamingHttpResponse
from django.template.response import SimpleTemplateResponse

REPLICA = "replica"
#: The models a marked view may read from the replica, by app label.
REPLICA_APPS = frozenset({"fund", "ideas", "cms"})


@dataclass
class _Request:
    wrote: bool = False


_replica_request: ContextVar[_Request | None] = ContextVar("replica_request", default=None)


class ReplicaRouter:
    """DATABASE_ROUTERS entry when DATABASES has a "replica" (settings/base.py)."""

    def db_for_read(self, model, **hints):
        state = _replica_request.get()
        if (
            state is None
            or state.wrote
            or model._meta.app_label not in REPLICA_APPS
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        state = _replica_request.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read from either may be
        # related to one read from the other.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA} or None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's schema by replication, never by migrate.
        return False if db == REPLICA else None


def reads_from_replica(view):
    """Let the view's reads (and its template's, and a streamed body's) use the replica.

    The person is read before, from the primary. A template response is rendered, and a
    streamed body read, under the same mark, since that is where their queries run.
    """

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        request = next((arg for arg in args if hasattr(arg, "META")), None)
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018 - load the session and person from the primary
        state = _Request()
        token = _replica_request.set(state)
        try:
            response = view(*args, **kwargs)
            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.render()
        finally:
            _replica_request.reset(token)
        if isinstance(response, StreamingHttpResponse):
            response.streaming_content = _streamed_under(state, response.streaming_content)
        return response

    return wrapper


def _streamed_under(state: _Request, content):
    """The body, each chunk read under the view's mark, which leaks into nothing else."""
    context = contextvars.copy_context()
    context.run(_replica_request.set, state)
    chunks = iter(content)
    while True:
        try:
            chunk = context.run(next, chunks)
        except StopIteration:
            return
        yield chunk
