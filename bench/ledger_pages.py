"""Ledger pages benchmark: dashboard, project list (50 rows) and project detail at
district scale (the 300-project demo) and province scale (100,000 projects,
~1,000,000 stage events from ``haotong generate_scale``), on SQLite and PostgreSQL.

    .venv/bin/python bench/ledger_pages.py --prepare --scale both --db both

Server time is measured IN-PROCESS: Django's test ``Client`` calls the WSGI
handler directly (full middleware, session, auth, template rendering), so there
is no network or HTTP-server noise. Each page is reported as a ratio to the
trivial view ``/healthz`` served by the same process in the same run, plus the
number of SQL queries per request (``CaptureQueriesContext``, in a separate
request so capturing does not inflate the timings). It also checks that the
query count does not grow with the rows shown: list at 10 vs 50 rows per page,
detail of a project with 5 vs ~50 events. Prints a table and one JSON line last.
See docs/benchmarks.md (ledger pages section).

Databases (each (db, scale) pair is measured in its own child process):
  SQLite      $BENCH_SQLITE_DIR/district.sqlite3 and province.sqlite3 (default /tmp/bench)
  PostgreSQL  $BENCH_PG_URL (else $DATABASE_URL when it is postgres://): the server;
              databases <name>_district and <name>_province on it are used.
``--prepare`` creates what is missing: migrate, then ``haotong demo`` (district) or
``haotong generate_scale --projects 100000 --events-per-project 10`` (province).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SCALES = ("district", "province")
DBS = ("sqlite", "pg")


# ---------------------------------------------------------------- parent process


def _pg_server_url() -> str | None:
    url = os.environ.get("BENCH_PG_URL") or os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def database_url(db: str, scale: str) -> str | None:
    if db == "sqlite":
        folder = Path(os.environ.get("BENCH_SQLITE_DIR", "/tmp/bench"))
        return f"sqlite:///{folder / f'{scale}.sqlite3'}"
    server = _pg_server_url()
    if server is None:
        return None
    parts = urlsplit(server)
    name = parts.path.lstrip("/") or "haotong"
    return urlunsplit(parts._replace(path=f"/{name}_{scale}"))


def _haotong(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "haotong.settings.dev"}
    cmd = [sys.executable, "-m", "haotong", *args]
    return subprocess.run(cmd, env=env, cwd=ROOT, text=True, capture_output=True, check=False)


def _create_pg_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(db: str, scale: str, url: str) -> None:
    if db == "sqlite":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    else:
        _create_pg_database(url)
    done = _haotong(url, "migrate", "-v0")
    if done.returncode:
        raise SystemExit(done.stderr)
    probe = _haotong(
        url,
        "shell",
        "-c",
        "from haotong.ledger.models import Project; print(Project.objects.count())",
    )
    if probe.returncode:
        raise SystemExit(probe.stderr)
    if int(probe.stdout.strip().splitlines()[-1]) > 0:
        return
    started = time.monotonic()
    if scale == "district":
        done = _haotong(url, "demo")
    else:
        done = _haotong(url, "generate_scale", "--projects", "100000", "--events-per-project", "10")
    if done.returncode:
        raise SystemExit(done.stderr)
    print(f"# prepared {db}/{scale} in {time.monotonic() - started:.0f} s", file=sys.stderr)


def run_child(db: str, scale: str, url: str, requests: int) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "haotong.settings.dev"}
    cmd = [
        sys.executable,
        __file__,
        "--child",
        "--db",
        db,
        "--scale",
        scale,
        "--requests",
        str(requests),
    ]
    done = subprocess.run(cmd, env=env, cwd=ROOT, text=True, capture_output=True, check=False)
    if done.returncode:
        raise SystemExit(f"{db}/{scale} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_table(results: list[dict[str, Any]]) -> None:
    head = f"{'db':<7}{'scale':<9}{'page':<34}{'median ms':>10}{'p95 ms':>9}{'× healthz':>11}{'queries':>9}"
    print(head)
    print("-" * len(head))
    for r in results:
        h = r["healthz"]
        print(
            f"{r['db']:<7}{r['scale']:<9}{'/healthz (baseline)':<34}{h['median_ms']:>10.3f}{h['p95_ms']:>9.3f}{1:>11.0f}{h['queries']:>9}"
        )
        for p in r["pages"]:
            print(
                f"{'':<7}{'':<9}{p['name']:<34}{p['median_ms']:>10.1f}{p['p95_ms']:>9.1f}{p['ratio']:>11.0f}{p['queries']:>9}"
            )
        for g in r["growth"]:
            verdict = "constant" if g["constant"] else "GROWS"
            print(f"{'':<7}{'':<9}  queries {g['name']}: {g['small']} vs {g['large']} → {verdict}")
        print(f"{'':<7}{'':<9}  data: " + ", ".join(f"{k} {v:,}" for k, v in r["counts"].items()))


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=[*SCALES, "both"], default="both")
    parser.add_argument("--db", choices=[*DBS, "both"], default="both")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (≥ 30)")
    parser.add_argument(
        "--prepare", action="store_true", help="create, migrate and load missing databases"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.db, args.scale, args.requests)))
        return 0
    started = time.monotonic()
    load_before = _load()
    results = []
    for db in DBS if args.db == "both" else (args.db,):
        for scale in SCALES if args.scale == "both" else (args.scale,):
            url = database_url(db, scale)
            if url is None:
                print(f"# {db}: no PostgreSQL (set BENCH_PG_URL); skipped", file=sys.stderr)
                continue
            if args.prepare:
                prepare(db, scale, url)
            print(f"# measuring {db}/{scale} …", file=sys.stderr)
            results.append(run_child(db, scale, url, args.requests))
    print_table(results)
    load = {"before": load_before, "after": _load()}
    # Other work on the machine slows every page and the baseline alike: say how busy it was.
    print(f"load average (1, 5, 15 min): before {load['before']}, after {load['after']}")
    summary = {
        "bench": "ledger_pages",
        "in_process": True,
        "requests_per_page": args.requests,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_average": load,
        "wall_s": round(time.monotonic() - started, 1),
        "results": results,
    }
    print(json.dumps(summary, ensure_ascii=False))
    return 0


# ---------------------------------------------------------------- child process


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": round(p95 * 1000, 3),
    }


def measure(db: str, scale: str, requests: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from haotong.core.models import User
    from haotong.ledger import views
    from haotong.ledger.models import Enterprise, InvestmentReport, Project, StageEvent

    settings.DEBUG = False  # as in production; the dev settings turn it on
    requests = max(requests, 30)

    def timed(client: Client, url: str, n: int, warmup: int = 3) -> list[float]:
        for _ in range(warmup):
            assert client.get(url).status_code == 200, url
        samples = []
        for _ in range(n):
            t0 = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - t0)
            assert response.status_code == 200, (url, response.status_code)
        return samples

    def queries(client: Client, url: str) -> tuple[int, bytes]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        return len(ctx.captured_queries), response.content

    def rows(content: bytes) -> int:
        return len(re.findall(rb'<tr><td><a href="/projects/\d+/">', content))

    analyst = User.objects.filter(role="analyst").order_by("id").first()
    member = User.objects.filter(role="team_member", org_unit__kind="town").order_by("id").first()
    assert analyst is not None and member is not None, (
        "no analyst / town team member: load the data first"
    )
    counts = {
        "projects": Project.objects.count(),
        "events": StageEvent.objects.count(),
        "reports": InvestmentReport.objects.count(),
        "enterprises": Enterprise.objects.count(),
    }
    per_project = (
        StageEvent.objects.values("project")
        .annotate(n=Count("id"))
        .order_by("-n", "project")
        .values_list("project", "n")
    )
    most_id, most_n = per_project[0]
    counted = {n: pid for pid, n in per_project.order_by("project")[:20000]}
    small_id = counted.get(5) or min(counted.items(), key=lambda kv: abs(kv[0] - 5))[1]
    near50 = min(counted.items(), key=lambda kv: abs(kv[0] - 50))
    large_id = near50[1] if abs(near50[0] - 50) <= 10 else most_id

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(analyst)
    town_client = Client(HTTP_HOST="127.0.0.1")
    town_client.force_login(member)
    bare = Client(HTTP_HOST="127.0.0.1")

    pages = [
        ("dashboard /", client, "/"),
        ("list /projects/ (50 rows)", client, "/projects/"),
        ("list ?stage=started&band=10to50", client, "/projects/?stage=started&band=10to50"),
        (f"detail ({most_n} events)", client, f"/projects/{most_id}/"),
        ("dashboard / (town member)", town_client, "/"),
        ("list /projects/ (town member)", town_client, "/projects/"),
    ]
    healthz = timed(bare, "/healthz", requests * 10, warmup=20)
    out_pages = []
    for name, c, url in pages:
        samples = timed(c, url, requests)
        n_queries, content = queries(c, url)
        out_pages.append({"name": name, "url": url, **_stats(samples), "queries": n_queries,
                          "rows": rows(content) if url.startswith("/projects/?") or url == "/projects/" else None})  # fmt: skip
    healthz += timed(bare, "/healthz", requests * 10, warmup=0)
    base = _stats(healthz)
    base["queries"] = queries(bare, "/healthz")[0]
    for p in out_pages:
        p["ratio"] = round(p["median_ms"] / base["median_ms"], 1)

    growth = []
    original = views.PAGE_SIZE
    try:
        views.PAGE_SIZE = 10
        q10, c10 = queries(client, "/projects/")
    finally:
        views.PAGE_SIZE = original
    q50, c50 = queries(client, "/projects/")
    assert rows(c10) == min(10, counts["projects"]) and rows(c50) == min(50, counts["projects"]), (
        rows(c10),
        rows(c50),
    )
    growth.append(
        {"name": "list 10 vs 50 rows", "small": q10, "large": q50, "constant": q10 == q50}
    )
    n_small = StageEvent.objects.filter(project=small_id).count()
    n_large = StageEvent.objects.filter(project=large_id).count()
    qs, _ = queries(client, f"/projects/{small_id}/")
    ql, _ = queries(client, f"/projects/{large_id}/")
    growth.append(
        {
            "name": f"detail {n_small} vs {n_large} events",
            "small": qs,
            "large": ql,
            "constant": qs == ql,
        }
    )
    return {"db": db, "scale": scale, "vendor": connection.vendor, "counts": counts, "healthz": base,
            "pages": out_pages, "growth": growth}  # fmt: skip


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
