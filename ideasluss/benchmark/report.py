"""The benchmark's report: one Markdown file per run under docs/benchmarks/, with the
machine, every page at every scale, and each target met or missed."""

import datetime
from dataclasses import dataclass
from pathlib import Path

# kind: (least ratio to the bare view, p95 under this many ms)
TARGETS = {
    "staff": (0.25, 150),
    "step": (0.25, 150),
    "search": (0.25, 200),
    "public": (0.7, 50),
}
LEAST_GROWTH = 0.8
MAX_WORKER_MB = 300


@dataclass
class Measurement:
    name: str
    kind: str
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    queries: int
    requests: int
    bad: int
    first_bad: str
    #: The largest worker's resident memory right after this page: which page leaves a
    #: worker big (the target is judged after the whole run).
    worker_mb: float = 0.0

    @classmethod
    def of(cls, entry: dict, result: dict, *, worker_mb: float = 0.0) -> "Measurement":
        return cls(
            name=entry["name"],
            kind=entry["kind"],
            rps=result["rps"],
            p50_ms=result["p50_us"] / 1000,
            p95_ms=result["p95_us"] / 1000,
            p99_ms=result["p99_us"] / 1000,
            queries=entry["queries"],
            requests=result["requests"],
            bad=result["bad"] + result["socket_errors"],
            first_bad=result["first_bad"],
            worker_mb=worker_mb,
        )


@dataclass
class Run:
    scale: int
    ideas: int
    seeding_seconds: float
    bare_first: float
    bare_last: float
    bare_p95_ms: float
    measurements: list[Measurement]
    worker_rss_mb: list[float]
    duration: int
    connections: int
    workers: int

    @property
    def bare(self) -> float:
        return (self.bare_first + self.bare_last) / 2

    def ratio(self, measurement: Measurement) -> float:
        return measurement.rps / self.bare if self.bare else 0.0


def verdict(run: Run, measurement: Measurement) -> list[str]:
    """The targets this page misses at this scale (none: it meets them)."""
    least, p95 = TARGETS[measurement.kind]
    missed = []
    if run.ratio(measurement) < least:
        missed.append(f"ratio < {least}")
    if measurement.p95_ms >= p95:
        missed.append(f"p95 ≥ {p95} ms")
    if measurement.bad:
        missed.append(f"{measurement.bad} wrong answers ({measurement.first_bad})")
    return missed


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ") if value >= 100 else f"{value:.1f}"


def render(runs: list[Run], *, machine: dict[str, str], elapsed: float) -> str:
    first = runs[0]
    lines = [
        f"# Benchmark {machine['date']}",
        "",
        f"`make bench` on {machine['cpu']}, {machine['memory']}; {machine['os']}; Python "
        f"{machine['python']}, Django {machine['django']}, {machine['postgresql']}, "
        f"{machine['redis']}, {machine['wrk']}.",
        "",
        f"gunicorn with {first.workers} sync workers under the production settings (Redis cache, "
        "persistent database connections), wrk on the same machine over loopback with "
        f"{first.connections} connections for {first.duration} s a page, signed-in people "
        "spread over many accounts. The bare view is one Django view rendering one template, "
        "no database, no middleware, served the same way and measured before the first page "
        "and after the last; ratio = the page's req/s ÷ the bare view's mean. Only answers "
        "with the expected status count (200, or 302 after a step).",
        "",
        f"Whole run: {elapsed / 60:.1f} minutes.",
        "",
    ]
    for run in runs:
        lines += [
            f"## {run.ideas:,} ideas".replace(",", " "),
            "",
            f"Bare view: {_number(run.bare_first)} req/s first, {_number(run.bare_last)} "
            f"last (p95 {run.bare_p95_ms:.1f} ms). Seeding or checking the database took "
            f"{run.seeding_seconds / 60:.1f} minutes. Worker memory after the run: "
            + ", ".join(f"{size:.0f} MB" for size in run.worker_rss_mb)
            + f" (target: under {MAX_WORKER_MB} MB each).",
            "",
            "| page | kind | req/s | ratio | p50 ms | p95 ms | p99 ms | queries | worker MB "
            "| targets |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for m in run.measurements:
            missed = verdict(run, m)
            lines.append(
                f"| {m.name} | {m.kind} | {_number(m.rps)} | {run.ratio(m):.2f} | "
                f"{m.p50_ms:.1f} | {m.p95_ms:.1f} | {m.p99_ms:.1f} | {m.queries} | "
                f"{m.worker_mb:.0f} | {'met' if not missed else 'missed: ' + '; '.join(missed)} |"
            )
        lines.append("")
    if len(runs) > 1:
        small, large = runs[0], runs[-1]
        lines += [
            f"## Growth from {small.ideas:,} to {large.ideas:,} ideas".replace(",", " "),
            "",
            f"Target: each page's ratio at the larger scale at least {LEAST_GROWTH} × its ratio "
            "at the smaller (ratios, so that the machine's own drift between the two runs "
            "cancels out; raw req/s beside them).",
            "",
            "| page | req/s small | req/s large | ratio small | ratio large | large ÷ small "
            "| target |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        by_name = {m.name: m for m in small.measurements}
        for m in large.measurements:
            before = by_name.get(m.name)
            if before is None:
                continue
            growth = large.ratio(m) / small.ratio(before) if small.ratio(before) else 0.0
            lines.append(
                f"| {m.name} | {_number(before.rps)} | {_number(m.rps)} | "
                f"{small.ratio(before):.2f} | {large.ratio(m):.2f} | {growth:.2f} | "
                f"{'met' if growth >= LEAST_GROWTH else 'missed'} |"
            )
        lines.append("")
    return "\n".join(lines)


def write_report(runs: list[Run], *, out: Path, machine: dict[str, str], elapsed: float) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M")
    path = out / f"{stamp}.md"
    path.write_text(render(runs, machine=machine, elapsed=elapsed), encoding="utf-8")
    return path
