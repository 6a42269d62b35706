"""Per-person limits on submissions and uploads: our 429 page and the view decorator.

Each action (a key of `settings.RATE_LIMITS`: "idea_create", "comment", …) allows a
number of requests per person per fixed window ("20/10m": 20 in each ten minutes).
Over the limit the view does not run: the person gets our 429 page, in their language,
with `Retry-After`, and nothing is written. Uploads are counted when they are tried
(the cost is in checking the file); other submissions when they succeed (a form sent
back with errors, status 400, does not count), so that correcting a mistake is free.

The counting, its cache and its system checks are the project's one rate limiter,
ideasluss.rate_limits, which the password reset limit uses too; this module adds what
renders our templates, and `count_or_refuse` for the Wagtail admin's image form, which
no view decorator can reach (docs/security-uploads.md).
"""

from __future__ import annotations

import logging
import math
from functools import wraps

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from ideasluss.rate_limits import Usage, usage

logger = logging.getLogger(__name__)


def rate_limit_message(retry_after: int) -> str:
    minutes = max(1, math.ceil(retry_after / 60))
    return ngettext(
        "You have done this many times in a short while. Wait %(minutes)d minute and try again.",
        "You have done this many times in a short while. Wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


def count_or_refuse(action: str, user) -> None:
    """Count one try of `action`, or refuse it (ValidationError) when the limit is reached.

    For forms that have no view of ours to decorate (the Wagtail admin's image form).
    """
    if user is None or not user.is_authenticated:
        return
    used = usage(action, str(user.pk), count=True)
    if used.exceeded:
        _log_refusal(action, user.pk)
        raise ValidationError(rate_limit_message(used.retry_after), code="rate_limited")


def too_many_requests(request: HttpRequest, used: Usage) -> HttpResponse:
    """Our 429 page, with the wait in minutes and `Retry-After` in seconds."""
    response = render(
        request,
        "429.html",
        {"rate_limit_message": rate_limit_message(used.retry_after)},
        status=429,
    )
    response["Retry-After"] = str(used.retry_after)
    return response


def _log_refusal(action: str, user_pk: int) -> None:
    logger.warning("Rate limit reached: %s by user %s", action, user_pk)


def rate_limited(action: str, *, count_refused: bool = False):
    """View decorator: a person over `action`'s limit gets the 429 page, the view never runs.

    With `count_refused`, every try counts, before the view runs (uploads: checking
    the file is the cost). Otherwise a request counts once the view has answered it
    with anything but a 4xx. Anonymous requests pass: the view sends them to sign in.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return view(request, *args, **kwargs)
            if count_refused:
                used = usage(action, str(user.pk), count=True)
                if used.exceeded:
                    _log_refusal(action, user.pk)
                    return too_many_requests(request, used)
                return view(request, *args, **kwargs)
            used = usage(action, str(user.pk), count=False)
            if used.exhausted:
                _log_refusal(action, user.pk)
                return too_many_requests(request, used)
            response = view(request, *args, **kwargs)
            if response.status_code < 400:
                usage(action, str(user.pk), count=True)
            return response

        return wrapped

    return decorator
