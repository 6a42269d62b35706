"""`make bench`: seed, serve, load, report (docs/benchmarks/README.md).

For each scale it makes sure a PostgreSQL database seeded by `seed_scale` exists (reused
when it does), prepares sessions and addresses (`prepare.py`), starts gunicorn with the
production settings and the Redis cache, and loads every page with wrk from this
process's children. A bare Django view, served the same way, is measured before the
first page and after the last; a page's ratio is its req/s over their mean.
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from ideasluss.benchmark.report import Measurement, Run, write_report

ROOT = Path(__file__).resolve().parent.parent.parent
PYTHON = sys.executable
LUA = Path(__file__).resolve().parent / "wrk.lua"
GUNICORN_CONFIG = "python:ideasluss.gunicorn_config"
# One Redis database for the benchmark's cache, away from development's and the tests' (13).
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


@dataclass
class Options:
    scales: list[int]
    duration: int
    connections: int
    workers: int
    pg: str
    out: Path
    pages: list[str] = field(default_factory=list)
    database: str = ""


def parse(argv: list[str]) -> Options:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__)
    parser.add_argument(
        "--scales",
        default="10000,100000",
        help="idea counts to seed and measure, comma-separated (default 10000,100000)",
    )
    parser.add_argument("--duration", type=int, default=8, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=20, help="concurrent users")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--pg",
        default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"),
        help="the PostgreSQL server, without a database name",
    )
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks"))
    parser.add_argument(
        "--page", action="append", default=[], help="only pages whose name contains this"
    )
    parser.add_argument(
        "--database",
        default="",
        help="measure this database as it is (no seeding; one scale), e.g. while profiling",
    )
    args = parser.parse_args(argv)
    return Options(
        scales=[int(scale) for scale in args.scales.split(",") if scale.strip()],
        duration=args.duration,
        connections=args.connections,
        workers=args.workers,
        pg=args.pg.rstrip("/"),
        out=Path(args.out),
        pages=args.page,
        database=args.database,
    )


def main(argv: list[str] | None = None) -> int:
    options = parse(sys.argv[1:] if argv is None else argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `apt-get install wrk` (make bench installs it).")
    started = time.monotonic()
    runs = []
    if options.database:
        runs.append(measure(options, options.database, 0, 0.0))
    for scale in [] if options.database else options.scales:
        database = f"{options.pg}/idesluss_bench_{scale}"
        seeding = seed(database, scale)
        runs.append(measure(options, database, scale, seeding))
    path = write_report(
        runs, out=options.out, machine=machine(), elapsed=time.monotonic() - started
    )
    print(path.read_text(encoding="utf-8"))
    print(f"Report written to {path}")
    return 0


def environment(database: str, **extra: str) -> dict[str, str]:
    """The app servers' environment: production settings over plain HTTP on loopback."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ideasluss.settings.production",
        "DATABASE_URL": database,
        "DATABASE_CONN_MAX_AGE": "600",
        "CACHE_BACKEND": "ideasluss.redis_cache.RedisCache",
        "CACHE_LOCATION": REDIS_URL,
        "SECRET_KEY": "benchmark-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "BEHIND_TLS_PROXY": "false",
        "IDESLUSS_LOG_SIGNING_KEY_FILE": str(signing_key()),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.update(extra)
    return env


def signing_key() -> Path:
    """The demo's generated key file (seeding makes it), which the register is signed with."""
    return ROOT / ".var" / "decision-log-signing-key"


def manage(database: str, *args: str, settings: str = "ideasluss.settings.dev") -> None:
    env = {**os.environ, "DATABASE_URL": database, "DJANGO_SETTINGS_MODULE": settings}
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def seed(database: str, scale: int) -> float:
    """Create and seed the scale's database unless it is there; seconds spent."""
    started = time.monotonic()
    name = database.rsplit("/", 1)[1]
    server = database.rsplit("/", 1)[0]
    exists = subprocess.run(
        ["psql", f"{server}/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(
            ["psql", f"{server}/postgres", "-qc", f'CREATE DATABASE "{name}"'], check=True
        )
    manage(database, "migrate", "--noinput", "-v0")
    manage(database, "seed_scale", "--scale", str(scale))
    # As the migrate step of a release: the pictures' renditions are made before serving.
    manage(database, "make_public_renditions", "-v0")
    # What autovacuum keeps true of a database in use (the visibility map that lets index
    # scans skip the table, statistics that fit): earlier runs' steps left dead rows, and
    # a server with autovacuum off (as on the machine the reports come from) never clears them.
    subprocess.run(["psql", database, "-qc", "VACUUM (ANALYZE)"], check=True)
    return time.monotonic() - started


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn on a free loopback port, stopped on exit."""

    def __init__(self, app: str, env: dict[str, str], workers: int, log: Path):
        self.port = free_port()
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [
                PYTHON, "-m", "gunicorn", "-c", GUNICORN_CONFIG, app,
                "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
                # The benchmark's own answers must not recycle workers in the middle of a page.
                "--max-requests", "0", "--access-logfile", "-",
            ],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.wait()

    def wait(self) -> None:
        for _ in range(100):
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped: see {self.log.name}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"gunicorn did not answer on port {self.port}")

    def worker_rss_mb(self) -> list[float]:
        children = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split()
        sizes = []
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            kilobytes = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
            sizes.append(round(kilobytes / 1024, 1))
        return sizes

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def drain(port: int, *, settle_ms: float = 25, limit_s: float = 60) -> None:
    """Wait until the servers have worked off what the last load left queued: a sync
    worker still serves the requests wrk had sent when it stopped, and they would eat
    into the next page's seconds. Idle is /healthz answering quickly twice in a row."""
    deadline, quick = time.monotonic() + limit_s, 0
    while quick < 2 and time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=limit_s):
                pass
        except OSError:
            pass
        quick = quick + 1 if (time.monotonic() - started) * 1000 < settle_ms else 0
        time.sleep(0.05)


def warm(port: int, entry: dict) -> None:
    """Ask once for every address of a public page, so that its stored copy, not its
    first rendering, is what is measured."""
    for path in entry["paths"]:
        address = f"http://127.0.0.1:{port}{quote(path, safe='/?=&%')}"
        with contextlib.suppress(OSError), urllib.request.urlopen(address, timeout=60):
            pass


def load(
    port: int, entry: dict, cookies: list[str], *, duration: int, connections: int, work: Path
) -> dict:
    """One page under wrk: requests, answers as expected, latency percentiles."""
    paths = work / "paths.txt"
    paths.write_text("\n".join(entry["paths"]) + "\n", encoding="utf-8")
    cookie_file = work / "cookies.txt"
    cookie_file.write_text("\n".join(cookies) + "\n", encoding="utf-8")
    threads = 2
    env = {
        **os.environ,
        "BENCH_PATHS": str(paths),
        "BENCH_COOKIES": str(cookie_file) if cookies else "",
        "BENCH_METHOD": entry.get("method", "GET"),
        "BENCH_BODY": entry.get("body", ""),
        "BENCH_EXPECT": str(entry.get("expect", 200)),
        "BENCH_THREADS": str(threads),
    }
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
        "-s", str(LUA), f"http://127.0.0.1:{port}",
    ]  # fmt: skip
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    result = json.loads(line.removeprefix("BENCH "))
    result["rps"] = result["good"] / (result["duration_us"] / 1_000_000)
    return result


def measure(options: Options, database: str, scale: int, seeding: float) -> Run:
    work = Path(tempfile.mkdtemp(prefix="idesluss-bench-"))
    env = environment(database)
    subprocess.run(["redis-cli", "-u", REDIS_URL, "FLUSHDB"], check=True, capture_output=True)
    # The production settings serve hashed static files from a manifest (whitenoise).
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    plan_file = work / "plan.json"
    subprocess.run(
        [PYTHON, "-m", "ideasluss.benchmark.prepare", str(plan_file)], cwd=ROOT, env=env, check=True
    )
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    pages = [
        entry
        for entry in plan["pages"]
        if not options.pages or any(part in entry["name"] for part in options.pages)
    ]
    bare_env = {**env, "DJANGO_SETTINGS_MODULE": "ideasluss.benchmark.bare_settings"}
    bare = Server("ideasluss.wsgi", bare_env, options.workers, work / "bare.log")
    site = Server("ideasluss.wsgi", env, options.workers, work / "site.log")
    bare_page = {"name": "bare", "paths": ["/"], "people": None}
    settings = {"duration": options.duration, "connections": options.connections, "work": work}
    try:
        # Warm both: imports, templates and the page cache are not what is measured.
        load(bare.port, bare_page, [], duration=2, connections=options.connections, work=work)
        for entry in pages:
            if entry.get("method") == "GET":
                cookies = plan["cookies"][entry["people"]] if entry["people"] else []
                load(site.port, entry, cookies, duration=1, connections=4, work=work)
            if entry["kind"] == "public":
                warm(site.port, entry)
        drain(site.port)
        bare_first = load(bare.port, bare_page, [], **settings)
        measurements = []
        for entry in pages:
            cookies = plan["cookies"][entry["people"]] if entry["people"] else []
            drain(site.port)
            result = load(site.port, entry, cookies, **settings)
            largest = max(site.worker_rss_mb(), default=0.0)
            measurements.append(Measurement.of(entry, result, worker_mb=largest))
            print(f"  {scale:>7} {entry['name']}: {result['rps']:.0f} req/s", flush=True)
        drain(site.port)
        bare_last = load(bare.port, bare_page, [], **settings)
        rss = site.worker_rss_mb()
    finally:
        site.stop()
        bare.stop()
    return Run(
        scale=scale,
        ideas=plan["ideas"],
        seeding_seconds=seeding,
        bare_first=bare_first["rps"],
        bare_last=bare_last["rps"],
        bare_p95_ms=max(bare_first["p95_us"], bare_last["p95_us"]) / 1000,
        measurements=measurements,
        worker_rss_mb=rss,
        duration=options.duration,
        connections=options.connections,
        workers=options.workers,
    )


def machine() -> dict[str, str]:
    def first(command: list[str]) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True).stdout.strip()
        except OSError:
            return "?"

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    import django

    return {
        "date": datetime.date.today().isoformat(),
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "memory": f"{memory / 1024 / 1024:.0f} GiB",
        "os": first(["uname", "-sr"]),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": first(["psql", "--version"]),
        "redis": first(["redis-server", "--version"]).split(" sha=")[0],
        "wrk": first(["wrk", "--version"]).splitlines()[0] if first(["wrk", "--version"]) else "?",
    }


if __name__ == "__main__":
    sys.exit(main())
