"""The benchmark's verdicts (ideasluss/benchmark/report.py): each target a rule."""

from pathlib import Path

from ideasluss.benchmark.report import Measurement, Run, render, verdict, write_report

MACHINE = {
    "date": "2026-12-03",
    "cpu": "test CPU, 2 cores",
    "memory": "24 GiB",
    "os": "Linux",
    "python": "3.11",
    "django": "5.2",
    "postgresql": "15",
    "redis": "7",
    "wrk": "4.1.0",
}


def page(name="Idébanken", kind="staff", rps=500.0, p95=100.0, bad=0) -> Measurement:
    return Measurement(
        name=name, kind=kind, rps=rps, p50_ms=p95 / 2, p95_ms=p95, p99_ms=p95 * 1.2,
        queries=7, requests=int(rps * 8), bad=bad, first_bad="302 /accounts/login/" if bad else "",
    )  # fmt: skip


def run(*measurements, ideas=100_000, bare=(2000.0, 2000.0)) -> Run:
    return Run(
        scale=ideas, ideas=ideas, seeding_seconds=300, bare_first=bare[0], bare_last=bare[1],
        bare_p95_ms=12.0, measurements=list(measurements), worker_rss_mb=[180.0, 190.0],
        duration=8, connections=20, workers=2,
    )  # fmt: skip


def test_a_staff_page_at_a_quarter_of_the_bare_view_under_150_ms_meets_its_targets():
    measured = page(rps=500, p95=149)
    assert verdict(run(measured), measured) == []


def test_a_staff_page_below_a_quarter_of_the_bare_view_misses():
    measured = page(rps=499)
    assert verdict(run(measured), measured) == ["ratio < 0.25"]


def test_a_staff_page_at_150_ms_p95_misses():
    measured = page(p95=150)
    assert verdict(run(measured), measured) == ["p95 ≥ 150 ms"]


def test_the_bare_view_is_the_mean_of_its_first_and_last_run():
    measured = page(rps=500)
    assert verdict(run(measured, bare=(1000.0, 3000.0)), measured) == []
    assert verdict(run(measured, bare=(1000.0, 3100.0)), measured) == ["ratio < 0.25"]


def test_a_search_may_take_200_ms():
    assert verdict(run(m := page(kind="search", p95=199)), m) == []
    assert verdict(run(m := page(kind="search", p95=200)), m) == ["p95 ≥ 200 ms"]


def test_a_public_page_needs_seven_tenths_and_50_ms():
    assert verdict(run(m := page(kind="public", rps=1400, p95=49)), m) == []
    assert verdict(run(m := page(kind="public", rps=1399, p95=50)), m) == [
        "ratio < 0.7",
        "p95 ≥ 50 ms",
    ]


def test_wrong_answers_are_a_miss_whatever_the_speed():
    measured = page(bad=3)
    assert verdict(run(measured), measured) == ["3 wrong answers (302 /accounts/login/)"]


def test_the_report_compares_the_scales_by_ratio(tmp_path: Path):
    small = run(page(rps=800), ideas=10_000, bare=(2000.0, 2000.0))
    # A busier machine at the larger scale: both slower, the ratio the same.
    large = run(page(rps=400), ideas=100_000, bare=(1000.0, 1000.0))
    text = render([small, large], machine=MACHINE, elapsed=600)
    assert "| Idébanken | 800 | 400 | 0.40 | 0.40 | 1.00 | met |" in text
    shrinking = run(page(rps=300), ideas=100_000, bare=(1000.0, 1000.0))
    assert "| 0.75 | missed |" in render([small, shrinking], machine=MACHINE, elapsed=600)
    path = write_report([small, large], out=tmp_path, machine=MACHINE, elapsed=600)
    assert path.read_text(encoding="utf-8") == text


def test_each_page_says_how_large_the_largest_worker_was_after_it():
    measured = page()
    measured.worker_mb = 287.4
    text = render([run(measured)], machine=MACHINE, elapsed=60)
    row = next(line for line in text.splitlines() if line.startswith("| Idébanken |"))
    assert "| 7 | 287 | met |" in row
