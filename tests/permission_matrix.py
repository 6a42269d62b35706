"""The declared permission matrix: for every URL pattern, who may see and who may do.

Read by `tests/test_permission_matrix.py`, which requests every pattern as every persona
and compares the answers with this table. These are the TARGET rules of the product.

A row is `"<url name>": {variant: {method: Expect}}`:

- the variant names the objects put into the URL (`"draft"` = staff_a's draft idea for
  `ideas:*`, staff_a's draft application for `fund:application-*`, see `OBJECT_KWARGS`),
  optionally followed by `/word` for a word in the URL (a transition, a step, an action,
  a format): `"submitted/accept"`;
- `Expect.act` are the personas who may do it (they get 200, a redirect to a page other
  than the login page, 400 for an empty or invalid POST, or 409);
- `Expect.see` are the personas who may see the object (default: every signed-in
  persona); a persona who sees it but is not in `act` gets 403, one who may not see it
  gets 404; the anonymous visitor is sent to the login page;
- `Expect.answer = NOT_ALLOWED_METHOD`: `act` get 405 instead (a GET on a POST-only view).

Framework patterns (Wagtail and Django admin, documents, the API, Wagtail's pages…) are
declared in bulk in `FRAMEWORK_RULES`, by route prefix or name prefix.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

# --- personas ---------------------------------------------------------------------------

ANON = "anonymous"
STAFF_A = "staff_a"  # owns the ideas
STAFF_B = "staff_b"  # another unit, unrelated to everything
CO_OWNER = "co_owner"  # co-owner of staff_a's ideas
COACH = "coach"
MEMBER = "member"  # committee member: declared no conflict on the application and scored it
RECUSED = "recused"  # committee member with a declared conflict on the application
TEAM_MEMBER = "team_member"  # committee member and co-owner of staff_a's ideas
CHAIR = "chair"
ADMIN = "admin"  # superuser; in the product only an employee (the administrator role)

PERSONAS = (ANON, STAFF_A, STAFF_B, CO_OWNER, COACH, MEMBER, RECUSED, TEAM_MEMBER, CHAIR, ADMIN)


def _set(*names) -> frozenset:
    return frozenset(names)


NOBODY = frozenset()
EVERYONE = frozenset(PERSONAS) - {ANON}  # every signed-in persona is an employee
TEAM = _set(STAFF_A, CO_OWNER, TEAM_MEMBER)  # the team of every idea staff_a owns
COMMITTEE = _set(MEMBER, RECUSED, TEAM_MEMBER, CHAIR)
JURY = COMMITTEE | {COACH}  # the best mistake's jury; also who may use the fund's pages
FUND = JURY

# --- outcome classes --------------------------------------------------------------------

ALLOWED = "ALLOWED"  # 2xx, 302 to a page other than login, 400 (POST), 409
REFUSED_HIDDEN = "REFUSED_HIDDEN"  # 404
REFUSED_VISIBLE = "REFUSED_VISIBLE"  # 403
LOGIN = "LOGIN"  # 302 to the login page
PUBLIC = "PUBLIC"  # 200 for everyone
NOT_ALLOWED_METHOD = "NOT_ALLOWED_METHOD"  # 405
OPEN = "OPEN"  # framework sign-in pages: 2xx or any redirect, for everyone


@dataclass(frozen=True)
class Expect:
    act: frozenset
    see: frozenset = EVERYONE
    answer: str = ALLOWED
    #: POST data, `data(world) -> dict`; empty by default.
    data: Callable | None = field(default=None, compare=False)

    def outcome(self, persona: str) -> str:
        if self.answer in (PUBLIC, OPEN) or self is ABSENT_PAGE:
            return self.answer
        if persona == ANON:
            return LOGIN
        if persona in self.act:
            return self.answer
        return REFUSED_VISIBLE if persona in self.see else REFUSED_HIDDEN


def _union(groups) -> frozenset:
    return frozenset().union(*({g} if isinstance(g, str) else g for g in groups))


def ok(*groups, see=EVERYONE, data=None) -> Expect:
    """Allowed for the union of `groups` (personas or sets of them); others who may see
    the object get 403."""
    return Expect(act=_union(groups), see=frozenset(see), data=data)


def draft(*groups, data=None) -> Expect:
    """On a draft: only the team sees it (everyone else 404); `groups` within it may act."""
    return ok(*groups, see=TEAM, data=data)


def no_get(*groups, see=EVERYONE) -> Expect:
    """A GET on a POST-only view: `groups` get 405 (the others are refused first)."""
    return Expect(act=_union(groups), see=see, answer=NOT_ALLOWED_METHOD)


PUBLIC_PAGE = Expect(act=EVERYONE, answer=PUBLIC)
OPEN_PAGE = Expect(act=EVERYONE, answer=OPEN)
#: Sign-on while no identity provider is configured: 404 for everyone, the visitor too.
ABSENT_PAGE = Expect(act=EVERYONE, answer=REFUSED_HIDDEN)

GET, POST = "GET", "POST"


def same(expect: Expect) -> dict:
    return {GET: expect, POST: expect}


def post_only(post: Expect, get: Expect | None = None) -> dict:
    return {GET: get or no_get(EVERYONE), POST: post}


# --- what a URL's keyword arguments stand for -------------------------------------------

#: (pattern key prefix, kwarg) → kind of object in the world; the longest prefix wins.
OBJECT_KWARGS = {
    ("ideas:", "pk"): "idea",
    ("ideas:", "attachment_pk"): "attachment",
    ("ideas:comment-hide", "pk"): "comment",
    ("ideas:mistake-", "pk"): "nomination",
    ("fund:", "pk"): "application",
    ("fund:apply", "idea_pk"): "idea",
    ("fund:fund-", "pk"): "fund",
    ("fund:cost-receipt", "pk"): "cost",
    ("fund:cost-export", "pk"): "cost",
    ("fund:meeting-", "pk"): "meeting",
    ("fund:minutes", "pk"): "meeting",
    ("fund:agenda-move", "pk"): "meeting",
    ("fund:agenda-move", "application_pk"): "application",
    ("fund:stand-in", "pk"): "meeting",
    ("fund:stand-in", "application_pk"): "application",
    ("fund:decision-", "pk"): "decision",
    ("notifications:", "pk"): "notification",
    ("showcase:", "pk"): "idea",
}
#: Kwargs that take the variant's `/word` (or the whole variant when there is no object).
WORD_KWARGS = {"name", "step", "action", "fmt", "code", "size", "index", "direction"}

IDEA_STATES = ("draft", "submitted", "planning", "testing", "tested", "learned")
SEEN_STATES = IDEA_STATES[1:]


def _meeting_decision(application_key: str):
    """A complete decision (reject) on one agenda item, as the meeting page posts it."""

    def data(world) -> dict:
        pk = world["application"][application_key].pk
        return {
            "application": pk,
            f"item-{pk}-kind": "reject",
            f"item-{pk}-rationale": "Testet behöver planeras om.",
        }

    return data


def _application_step(key: str):
    def data(world) -> dict:
        return {"expected_state": world["application"][key].state, "message": "Vi drar tillbaka."}

    return data


def _stand_in(world) -> dict:
    return {"member": world["persona"][MEMBER].pk}


def _declare_no_conflict(world) -> dict:
    return {"answer": "no"}


# --- the product's own pages ------------------------------------------------------------

MATRIX: dict[str, dict[str, dict[str, Expect]]] = {
    # The idea bank and one's own lists: every employee.
    "ideas:idea-list": {"": {GET: ok(EVERYONE)}},
    "ideas:idea-mine": {"": {GET: ok(EVERYONE)}},
    "ideas:idea-similar": {"": {GET: ok(EVERYONE)}},
    "ideas:idea-create": {"": same(ok(EVERYONE))},
    # Screening is the coaches' work.
    "ideas:idea-inbox": {"": {GET: ok(COACH)}},
    "ideas:idea-detail": {
        "draft": {GET: draft(TEAM)},
        **{state: {GET: ok(EVERYONE)} for state in SEEN_STATES},
    },
    "ideas:idea-update": {"draft": same(draft(TEAM)), "submitted": same(ok())},
    "ideas:idea-team": {
        "draft": post_only(draft(TEAM)),
        "submitted": post_only(ok(TEAM)),
        "learned": post_only(ok()),
    },
    "ideas:idea-test-plan": {
        "draft": same(draft()),
        "planning": same(ok(TEAM, {COACH})),
        "testing": same(ok(TEAM, {COACH})),
        "tested": same(ok()),
    },
    "ideas:idea-evaluation": {
        "draft": same(draft()),
        "planning": same(ok()),
        "testing": same(ok(TEAM)),
        "tested": same(ok(TEAM)),
    },
    # One row per declared transition, on an idea in the transition's source state.
    "ideas:idea-transition": {
        "draft/submit": same(draft(TEAM)),
        "draft/withdraw": same(draft({STAFF_A})),
        "submitted/return_to_owner": same(ok({COACH})),
        "submitted/accept": same(ok({COACH})),
        "submitted/decline": same(ok({COACH})),
        "submitted/withdraw": same(ok({STAFF_A})),
        "planning/start_test": same(ok(TEAM, {COACH})),
        "testing/report": same(ok(TEAM)),
        "testing/stop_and_learn": same(ok(TEAM, {COACH})),
        "tested/iterate": same(ok(TEAM, {COACH})),
        "tested/scale": same(ok({COACH})),
        # The coach is a co-owner of this idea: no coach may screen it.
        "coach_team/return_to_owner": same(ok()),
        "coach_team/accept": same(ok()),
        "coach_team/decline": same(ok()),
    },
    "ideas:idea-champion": {
        "draft": post_only(draft()),
        "submitted": post_only(ok(EVERYONE - TEAM)),
    },
    "ideas:idea-consent": {
        "draft": post_only(draft(TEAM)),
        "learned": post_only(ok(TEAM)),
    },
    "ideas:comment-create": {
        "draft": post_only(draft()),
        "submitted": post_only(ok(EVERYONE)),
    },
    "ideas:comment-hide": {"submitted": post_only(ok({COACH}))},
    "ideas:attachment-create": {
        "draft": post_only(draft(TEAM)),
        "submitted": post_only(ok(TEAM, {COACH})),
    },
    "ideas:attachment-file": {"draft": {GET: draft(TEAM)}, "submitted": {GET: ok(EVERYONE)}},
    # The best mistake of the year: any employee nominates; the jury judges.
    "ideas:mistake-mine": {"": {GET: ok(EVERYONE)}},
    "ideas:mistake-nominate": {"": same(ok(EVERYONE))},
    "ideas:mistake-jury-current": {"": {GET: ok(JURY)}},
    "ideas:mistake-jury": {"": {GET: ok(JURY)}},
    # Each juror votes for a finalist; the jury's chair declares the result and withdraws a
    # win (on a page that asks why).
    "ideas:mistake-vote": {"shortlisted": post_only(ok(JURY))},
    "ideas:mistake-declare": {"": same(ok({CHAIR}))},
    "ideas:mistake-withdraw-winner": {"winner": same(ok({CHAIR}))},
    "ideas:mistake-step": {
        f"nominated/{step}": post_only(ok(JURY)) for step in ("shortlist", "set-aside")
    },
    # Story pages are made from ideas by coaches.
    "showcase:idea-page-create": {
        "draft": post_only(draft()),
        "learned": post_only(ok({COACH})),
    },
    # --- the fund ---
    "fund:dashboard": {"": {GET: ok(FUND)}},
    "fund:fund-detail": {"fund": {GET: ok(FUND)}},
    "fund:follow-up": {"": {GET: ok(FUND)}},
    "fund:application-list": {"": {GET: ok(EVERYONE)}},
    "fund:apply": {
        "draft": same(draft()),
        "submitted": same(ok()),
        "planning": same(ok(TEAM)),
    },
    # A draft application is the team's until it is submitted (like a draft idea).
    "fund:application-detail": {
        "draft": {GET: draft(TEAM)},
        "review": {GET: ok(FUND, TEAM, see=FUND | TEAM)},
    },
    "fund:application-edit": {
        "draft": same(draft(TEAM)),
        "review": same(ok(see=FUND | TEAM)),
    },
    "fund:application-action": {
        "draft/submit": same(draft(TEAM, data=_application_step("draft"))),
        "review/take_up": same(
            ok({COACH, CHAIR}, see=FUND | TEAM, data=_application_step("review"))
        ),
        "review/withdraw": same(ok(TEAM, see=FUND | TEAM, data=_application_step("review"))),
    },
    "fund:declare": {
        # Members who have declared may correct their answer until the application is
        # decided; the idea's team is told it is disqualified without declaring.
        "review": {
            GET: ok(COMMITTEE, see=FUND | TEAM),
            # "No conflict" from the chair (not yet declared), as a correction from the
            # members who have declared; the idea's team never declares
            # (tests/fund/test_disqualification.py).
            POST: ok({CHAIR, MEMBER, RECUSED}, see=FUND | TEAM, data=_declare_no_conflict),
        },
    },
    "fund:review": {
        # The page: the form for who scores, the spread for coaches, the recusal notice.
        "review": {
            GET: ok(FUND, see=FUND | TEAM),
            POST: ok({MEMBER}, see=FUND | TEAM),
        },
    },
    "fund:decide": {
        "review": same(ok({COACH}, see=FUND | TEAM)),
        "coach_team": same(ok(see=FUND)),
    },
    "fund:cost-add": {"decided": same(ok(TEAM, {COACH}, see=FUND | TEAM))},
    "fund:return-money": {"decided": same(ok({COACH}, see=FUND | TEAM))},
    "fund:cost-receipt": {"decided": {GET: ok(FUND | TEAM, see=FUND | TEAM)}},
    "fund:meeting-list": {"": {GET: ok(FUND)}},
    "fund:meeting-create": {"": same(ok({CHAIR}))},
    "fund:meeting-detail": {
        "planned": {GET: ok(FUND), POST: ok({CHAIR}, data=_meeting_decision("review"))},
        "open": {GET: ok(FUND), POST: ok({CHAIR}, data=_meeting_decision("review"))},
        # The chair is disqualified on this item and the fund has no vice chair: until the
        # meeting appoints a stand-in nobody may decide it; the chair is told why (400).
        "open/chair_recused": {
            GET: ok(FUND),
            POST: ok({CHAIR}, data=_meeting_decision("chair_recused")),
        },
    },
    "fund:meeting-edit": {"planned": same(ok({CHAIR}))},
    "fund:meeting-action": {
        "planned/open": post_only(ok({CHAIR})),
        "open/close": post_only(ok({CHAIR})),
        "checked/post_minutes": post_only(ok({CHAIR})),
    },
    # The meeting's own chair moves a planned meeting and chooses the minute checkers.
    # The chair records whom the meeting appoints to lead an item the chair is
    # disqualified on (the open meeting's "chair_recused" item).
    # The chair reorders the agenda of a meeting not yet held.
    "fund:agenda-move": {
        "open/chair_recused/up": post_only(ok({CHAIR})),
        "closed/review/up": post_only(ok({CHAIR})),
    },
    "fund:stand-in": {"open/chair_recused": post_only(ok({CHAIR}, data=_stand_in))},
    "fund:meeting-date": {"planned": same(ok({CHAIR}))},
    "fund:meeting-checkers": {"planned": same(ok({CHAIR})), "closed": same(ok({CHAIR}))},
    # Minutes are a draft, read by the fund's people only, until they are checked; then
    # every employee reads them.
    "fund:minutes": {"open": {GET: ok(FUND, see=FUND)}, "checked": {GET: ok(EVERYONE)}},
    "fund:minutes-pdf": {"open": {GET: ok(FUND, see=FUND)}, "checked": {GET: ok(EVERYONE)}},
    # Justering: the page says to anyone of the fund whether they may sign, and why not;
    # the chair and the checker (the member) sign, the others are told why not (400).
    "fund:minutes-sign": {"closed": same(ok(FUND, see=FUND))},
    # The chair posts checked minutes after confirming; before, the page says why not.
    "fund:minutes-post": {"checked": same(ok({CHAIR})), "closed": same(ok({CHAIR}))},
    # The decision register is public within the organisation.
    "fund:register": {"": {GET: ok(EVERYONE)}},
    "fund:decision-detail": {"delegated": {GET: ok(EVERYONE)}},
    # A delegated decision is corrected by a coach or the chair, never by its applicant.
    "fund:decision-supersede": {"delegated": same(ok({COACH, CHAIR}))},
    "fund:decision-export": {fmt: {GET: ok(EVERYONE)} for fmt in ("csv", "xlsx")},
    "fund:cost-export": {fmt: {GET: ok(FUND)} for fmt in ("csv", "xlsx")},
    # Flow figures: the innovation team and the fund committee (aggregates only).
    "flow:figures": {"": {GET: ok(FUND)}},
    "flow:export": {fmt: {GET: ok(FUND)} for fmt in ("csv", "xlsx")},
    # --- notifications: one's own only ---
    "notifications:list": {"": {GET: ok(EVERYONE)}},
    # "My work": where signing in lands, for every employee.
    "start:my-work": {"": {GET: ok(EVERYONE)}},
    "notifications:mark-all-read": {"": post_only(ok(EVERYONE))},
    "notifications:open": {"staff_a": post_only(ok({STAFF_A}, see={STAFF_A}))},
    # --- the public site beside Wagtail's pages ---
    "cms:search": {"": {GET: PUBLIC_PAGE}},
    "cms:feed-rss": {"": {GET: PUBLIC_PAGE}},
    "cms:feed-atom": {"": {GET: PUBLIC_PAGE}},
    "cms:sitemap": {"": {GET: PUBLIC_PAGE}},
    "cms:robots": {"": {GET: PUBLIC_PAGE}},
    # The load balancers' health check (ideasluss/health.py).
    "health": {"": {GET: PUBLIC_PAGE}},
    # --- sign-in pages (Django's) ---
    "login": {"": same(OPEN_PAGE)},
    "logout": {"": {POST: OPEN_PAGE}},
    # Sign-on with the organisation's identity provider: absent until configured
    # (tests/accounts/test_oidc.py runs it against a provider of its own).
    "oidc_authentication_init": {"": {GET: ABSENT_PAGE}},
    "oidc_authentication_callback": {"": {GET: ABSENT_PAGE}},
    # --- one's own account ---
    "profile": {"": same(ok(EVERYONE))},
    "password_change": {"": same(ok(EVERYONE))},
    "my-data": {"": {GET: ok(EVERYONE)}},
    "my-data-json": {"": {GET: ok(EVERYONE)}},
    "password_change_done": {"": {GET: ok(EVERYONE)}},
    "password_reset": {"": same(OPEN_PAGE)},
    "password_reset_done": {"": {GET: OPEN_PAGE}},
    "password_reset_confirm": {"": same(OPEN_PAGE)},
    "password_reset_complete": {"": {GET: OPEN_PAGE}},
    "language-switch": {"sv": {GET: OPEN_PAGE}, "en": {GET: OPEN_PAGE}},
    "wagtailcore_login": {"": same(OPEN_PAGE)},
    # --- the open-data API ---
    "api-v1:openapi-json": {"": {GET: PUBLIC_PAGE}},
    "api-v1:list_decisions": {"": {GET: PUBLIC_PAGE}},
    "api-v1:get_decision": {"delegated": {GET: PUBLIC_PAGE}},
    # The transparency log of the decisions: public, like the register.
    "api-v1:latest_checkpoint": {"": {GET: PUBLIC_PAGE}},
    "api-v1:checkpoint_at_size": {"1": {GET: PUBLIC_PAGE}},
    "api-v1:list_checkpoints": {"": {GET: PUBLIC_PAGE}},
    "api-v1:verifier_key": {"": {GET: PUBLIC_PAGE}},
    "api-v1:verifier_keys": {"": {GET: PUBLIC_PAGE}},
    "api-v1:list_entries": {"": {GET: PUBLIC_PAGE}},
    "api-v1:get_entry": {"0": {GET: PUBLIC_PAGE}},
    "api-v1:inclusion_proof": {"": {GET: PUBLIC_PAGE}},
    "api-v1:consistency_proof": {"": {GET: PUBLIC_PAGE}},
    # Wagtail's pages: the home page and the fund's public page.
    "wagtail_serve": {"/": {GET: PUBLIC_PAGE}, "/fonden/": {GET: PUBLIC_PAGE}},
}

#: Explicit paths for patterns whose URL cannot be reversed from kwargs.
EXPLICIT_PATHS = {"wagtail_serve"}

#: Django's function views that accept POST (class-based views are asked directly).
FUNCTION_VIEWS_ACCEPTING_POST: set[str] = set()


# --- framework patterns, declared in bulk -----------------------------------------------


@dataclass(frozen=True)
class FrameworkRule:
    """Patterns of a framework, matched by route prefix (or name prefix).

    `request`: which of them are requested — "parameterless-get" (cheap GETs only) or
    "none" (declared, not requested: they need objects of the framework's own).
    Admin pages: the superuser gets in; `editors` (coaches, who edit the public site's
    pages in Wagtail) get whatever Wagtail's own page permissions give them (any answer
    but a crash); everyone else, and the anonymous visitor, is sent to log in.
    """

    label: str
    route_prefix: str = ""
    name_prefix: str = ""
    request: str = "none"
    editors: frozenset = frozenset()
    #: The framework's own sign-in pages and scripts among them: open to everyone (`OPEN`).
    open_keys: frozenset = frozenset()
    #: Parameterless pages not requested: POST-only, or meaningless without a query
    #: string (they answer 400/403/404 even to the superuser), or a deliberate crash.
    skip: frozenset = frozenset()

    def matches(self, key: str, route: str) -> bool:
        if self.route_prefix and route.startswith(self.route_prefix):
            return True
        return bool(self.name_prefix) and key.startswith(self.name_prefix)


FRAMEWORK_RULES = (
    FrameworkRule(
        "Wagtail admin",
        route_prefix="admin/",
        request="parameterless-get",
        editors=frozenset({COACH}),
        open_keys=frozenset(
            {
                "wagtailadmin_login",
                "wagtailadmin_javascript_catalog",
                "wagtailadmin_sprite",
            }
        ),
        skip=frozenset(
            {
                # Switched off (WAGTAIL_PASSWORD_RESET_ENABLED): 404 for everyone; the
                # rate-limited reset at /accounts/password_reset/ serves the admins too.
                "wagtailadmin_password_reset",
                "wagtailadmin_password_reset_done",
                "wagtailadmin_password_reset_complete",
                "wagtailadmin_logout",
                "wagtailadmin_error_test",
                "wagtailadmin_block_preview",
                "wagtailredirects:process_import",
            }
        ),
    ),
    FrameworkRule(
        "Django admin",
        route_prefix="django-admin/",
        request="parameterless-get",
        open_keys=frozenset({"admin:login"}),
        skip=frozenset(
            {
                "admin:logout",
                "admin:autocomplete",
                "admin:django_tasks_database_dbtaskresult_add",
                # django-axes' sign-in records are read-only: adding one is refused (403).
                "admin:axes_accessattempt_add",
                "admin:axes_accessfailurelog_add",
                "admin:axes_accesslog_add",
            }
        ),
    ),
    FrameworkRule("Wagtail documents (serve, password)", route_prefix="documents/"),
    FrameworkRule("Wagtail page password form", name_prefix="wagtailcore_authenticate_with"),
    # The API's root answers nothing of its own; its routes are declared in MATRIX.
    FrameworkRule("django-ninja root", name_prefix="api-v1:api-root"),
)
