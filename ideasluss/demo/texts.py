"""The words of generated ideas, from [generated] in ideas.toml and [search] in scale.toml."""

import random

from ideasluss.demo.data import load

PLAIN, COMMON, RARE = "plain", "common", "rare"


class IdeaTexts:
    """Titles, problems and ideas put together from the data files' parts.

    A `COMMON` idea is about the home-care service (`BENCH_COMMON_WORD`), a `RARE` one
    about school transport (`BENCH_RARE_WORD`); a `PLAIN` one names neither."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.parts = load("ideas")["generated"]
        self.search = load("scale")["search"]

    def fields(self, kind: str = PLAIN) -> dict:
        """An idea's texts and needs, as `Idea` fields."""
        return self.fields_and_parts(kind)[0]

    def fields_and_parts(self, kind: str = PLAIN) -> tuple[dict, list[str]]:
        """An idea's fields, and the parts its searched text (title, problem, target group
        and idea, joined by spaces) is made of, each a whole number of words."""
        rng, parts = self.rng, self.parts
        subjects = {COMMON: "common_subjects", RARE: "rare_subjects"}
        subject = rng.choice(self.search[subjects[kind]] if kind in subjects else parts["subjects"])
        qualifier = rng.choice(parts["qualifiers"])
        group = rng.choice(
            self.search["common_target_groups"] if kind == COMMON else parts["target_groups"]
        )
        problems = [
            problem.format(group=group) for problem in rng.sample(parts["problems"], _how_many(rng))
        ]
        ideas = [
            idea.format(group=group) for idea in rng.sample(parts["descriptions"], _how_many(rng))
        ]
        fields = {
            "title": f"{subject} {qualifier}".strip(),
            "problem": " ".join(problems),
            "target_group": group,
            "description": " ".join(ideas),
            "first_test": rng.choice(parts["first_tests"]) if rng.random() < 0.5 else "",
            "needs_hours": rng.choice([None, rng.randint(4, 200)]),
            "needs_substitute": rng.random() < 0.2,
            "needs_money": rng.choice([None, None, rng.randrange(5_000, 300_000, 500)]),
        }
        return fields, [subject, qualifier, *problems, group, *ideas]


def _how_many(rng: random.Random) -> int:
    """One sentence, sometimes two."""
    return 1 if rng.random() < 0.65 else 2
