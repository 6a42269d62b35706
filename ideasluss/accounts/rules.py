"""Who is who: the role predicates every app builds its permissions on.

Role checks anywhere in Idésluss go through these predicates, never through
`user.groups` directly. Being a Django superuser is not a role: it opens the Wagtail
and Django admin, and nothing on the product's own pages (see `User.has_perm`).
"""

import rules

from .roles import Role

is_administrator = rules.is_group_member(Role.ADMINISTRATOR)
is_coach = rules.is_group_member(Role.COACH)
is_committee_chair = rules.is_group_member(Role.COMMITTEE_CHAIR)
is_committee_member = rules.is_group_member(Role.COMMITTEE_MEMBER) | is_committee_chair
# Everyone with a role is an employee too: every role can do what staff do.
is_staff_member = (
    rules.is_group_member(Role.STAFF) | is_coach | is_committee_member | is_administrator
)
is_fund_reviewer = is_committee_member | is_coach

rules.add_perm("accounts.access_fund", is_fund_reviewer)
rules.add_perm("accounts.coach", is_coach)
rules.add_perm("accounts.chair_meetings", is_committee_chair)
# The administrator role administers the organisation (funds, units, users) in Wagtail;
# so does the superuser, whose powers are the framework's admin and nothing more.
may_administer = is_administrator | rules.is_superuser
rules.add_perm("accounts.administer", may_administer)

ADMINISTRATION_ACTIONS = ("view", "add", "change", "delete")


def administered_by_administrators(app_label: str, model_name: str) -> None:
    """Only administrators may list, add, change and delete this model in Wagtail's admin.

    Wagtail's permission policy asks for Django's codenames (`fund.change_fund`);
    declaring them here answers it from the role, with no permission rows to seed.
    """
    for action in ADMINISTRATION_ACTIONS:
        rules.add_perm(f"{app_label}.{action}_{model_name}", may_administer)


administered_by_administrators("accounts", "unit")
administered_by_administrators("accounts", "user")

# Erasing a person's data (GDPR art. 17) is the administrators' (workflows/personal_data).
rules.add_perm("accounts.erase_person", may_administer)
