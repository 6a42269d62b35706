"""Generated ideas for load and query tests (`seed_demo --ideas N`)."""

import itertools
import random

from ideasluss.accounts.models import Unit, User
from ideasluss.ideas.models import Idea, IdeaState

SUBJECTS = [
    "Digital nyckelhantering",
    "Gemensam vikariepool",
    "Läxhjälp på biblioteket",
    "Sensorer i papperskorgar",
    "Matsvinn i skolköket",
    "Videobesök i hemtjänsten",
    "Cykelpool för personal",
    "Enklare blanketter",
    "Språkvänner för nyanlända",
    "Lånecyklar för äldre",
]
TARGET_GROUPS = [
    "äldre med hemtjänst",
    "elever i årskurs 4–6",
    "nyanlända familjer",
    "personal i hemtjänsten",
    "besökare på biblioteket",
    "invånare i ytterområden",
]
GENERATED_STATES = [
    IdeaState.SUBMITTED,
    IdeaState.PLANNING,
    IdeaState.TESTING,
    IdeaState.TESTED,
    IdeaState.SCALED,
    IdeaState.LEARNED,
    IdeaState.DECLINED,
]


def seed_bulk_ideas(*, total: int, owners: list[User], batch_size: int = 2000) -> int:
    """Top the idea table up to `total` rows in bulk; returns how many were added."""
    missing = total - Idea.objects.count()
    if missing <= 0:
        return 0
    rng = random.Random(total)
    units = list(Unit.objects.filter(parent__isnull=False)) or [None]
    numbers = itertools.count(Idea.objects.count() + 1)
    ideas = (
        Idea(
            title=f"{rng.choice(SUBJECTS)} #{number}",
            problem=f"Problem som {rng.choice(TARGET_GROUPS)} möter i vardagen (idé {number}).",
            target_group=rng.choice(TARGET_GROUPS),
            description="En liten test under några veckor, följd av en utvärdering.",
            owner=owner,
            unit=rng.choice(units),
            state=rng.choice(GENERATED_STATES),
        )
        for number, owner in zip(
            numbers, itertools.islice(itertools.cycle(owners), missing), strict=False
        )
    )
    created = 0
    while batch := list(itertools.islice(ideas, batch_size)):
        Idea.objects.bulk_create(batch)
        created += len(batch)
    return created
