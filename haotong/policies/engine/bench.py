"""Benchmark: full policy match of N enterprises × M clauses, against peers.

    python -m haotong.policies.engine.bench --enterprises 1000000 --clauses 100

Times the vectorised engine (compile + eligibility + benefits, sparse) over
several runs, then in the same process runs the reference interpreter and
zen-engine on a sample of enterprises, checks they agree with the vectorised
result on that sample, and scales their time linearly to N (the output says
so). Prints, last, one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import sys
import time
from collections.abc import Sequence

import polars as pl

from . import generate
from .clauses import Clause
from .matching import MatchResult, match_all, match_one
from .vector import compile_plan, prepare


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark (Linux); False where unsupported."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _peak_mb() -> float:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _sample_rows(n: int, size: int, seed: int) -> list[int]:
    size = min(size, n)
    return sorted(random.Random(seed).sample(range(n), size))


def _expected(result: MatchResult, rows: Sequence[int]) -> set[tuple[int, int, float | None]]:
    """The vectorised result restricted to the sampled rows: (row, clause, benefit)."""
    wanted = pl.Series(rows, dtype=pl.UInt32)
    out = set()
    for k, (idx, ben) in enumerate(zip(result.indices, result.benefits, strict=True)):
        sub = pl.DataFrame({"i": idx, "b": ben}).filter(pl.col("i").is_in(wanted.implode()))
        out |= {(int(i), k, b) for i, b in sub.iter_rows()}
    return out


def _time_interpreter(records: list[dict[str, object]], rows: Sequence[int], clauses: list[Clause]):  # type: ignore[no-untyped-def]
    found = set()
    t0 = time.perf_counter()
    for row, rec in zip(rows, records, strict=True):
        for m in match_one(rec, clauses):
            if m.eligible is True:
                found.add((row, m.clause_index, m.benefit))
    return time.perf_counter() - t0, found


def _time_zen(records: list[dict[str, object]], rows: Sequence[int], clauses: list[Clause]):  # type: ignore[no-untyped-def]
    from .peer_zen import ZenMatcher

    matcher = ZenMatcher(clauses)
    found = set()
    t0 = time.perf_counter()
    answers = matcher.evaluate_batch(records)
    elapsed = time.perf_counter() - t0
    for row, answer in zip(rows, answers, strict=True):
        for k, benefit in answer:
            found.add((row, k, benefit))
    return elapsed, found


def _agreement(
    ours: set[tuple[int, int, float | None]], theirs: set[tuple[int, int, float | None]]
) -> dict[str, object]:
    pairs_ours = {(r, k) for r, k, _ in ours}
    pairs_theirs = {(r, k) for r, k, _ in theirs}
    money_ours = {(r, k): b for r, k, b in ours}

    def same(a: float | None, b: float | None) -> bool:
        if a is None or b is None:
            return a is b
        return abs(a - b) <= 0.01  # zen computes in decimals

    close = sum(1 for r, k, b in theirs if (r, k) in money_ours and same(b, money_ours[(r, k)]))
    return {
        "pairs": len(pairs_theirs),
        "missing": len(pairs_ours - pairs_theirs),
        "extra": len(pairs_theirs - pairs_ours),
        "benefit_mismatch": len(pairs_ours & pairs_theirs) - close,
    }


def run(args: argparse.Namespace) -> dict[str, object]:
    say = print if not args.quiet else (lambda *a, **k: None)
    n, m = args.enterprises, args.clauses
    t0 = time.perf_counter()
    raw = generate.enterprises(n, seed=args.seed)
    gen_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    frame = prepare(raw)
    prepare_s = time.perf_counter() - t0
    clauses = generate.clauses(m, seed=args.seed + 1)
    conditions = sum(c.rule.source.count(" and ") + 1 for c in clauses)
    say(
        f"# {n:,} synthetic enterprises generated in {gen_s:.2f}s, prepared (Enum text columns) in {prepare_s:.3f}s"
    )
    say(
        f"# {m} generated clauses, {conditions} top-level conditions ({conditions / max(m, 1):.1f} per clause)"
    )

    _reset_peak()
    walls = []
    result = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        plan = compile_plan(clauses, frame.schema)
        result = match_all(frame, plan)
        walls.append(time.perf_counter() - t0)
    peak = _peak_mb()
    assert result is not None
    t0 = time.perf_counter()
    compile_plan(clauses, frame.schema)
    compile_s = time.perf_counter() - t0
    wall = statistics.median(walls)
    pairs = n * m
    say(
        f"# vectorised (polars {pl.__version__}, {plan.distinct_columns} distinct sub-expressions): "
        f"runs {[round(w, 3) for w in walls]} s, median {wall:.3f}s, {result.pairs:,} eligible pairs"
    )

    rows = _sample_rows(n, args.sample, args.seed)
    records = raw[rows].to_dicts()
    ours = _expected(result, rows)
    interp_s, interp_found = _time_interpreter(records, rows, clauses)
    interp_full = interp_s * n / len(rows)
    interp_agree = _agreement(ours, interp_found)
    say(
        f"# reference interpreter on a sample of {len(rows):,} enterprises: {interp_s:.3f}s, "
        f"scaled linearly to {n:,}: {interp_full:.1f}s; agreement {interp_agree}"
    )

    out: dict[str, object] = {}
    peer_full = None
    try:
        zen_rows = rows[: args.peer_sample]
        zen_s, zen_found = _time_zen(records[: len(zen_rows)], zen_rows, clauses)
        peer_full = zen_s * n / len(zen_rows)
        zen_agree = _agreement({x for x in ours if x[0] in set(zen_rows)}, zen_found)
        out["peer_sample"] = len(zen_rows)
        out["peer_agreement"] = zen_agree
        say(
            f"# zen-engine on a sample of {len(zen_rows):,} enterprises: {zen_s:.3f}s, "
            f"scaled linearly to {n:,}: {peer_full:.1f}s; agreement {zen_agree}"
        )
    except ImportError:
        say("# zen-engine not installed: peer skipped")

    # incremental: one enterprise's attributes change, its matches are refreshed
    rnd = random.Random(args.seed + 2)
    lat = []
    for rec in records[: args.incremental]:
        changed = dict(rec)
        changed["rd_ratio"] = round(rnd.uniform(0, 8), 1)
        changed["employees"] = float(rnd.randint(1, 800))
        t0 = time.perf_counter()
        match_one(changed, clauses)
        lat.append((time.perf_counter() - t0) * 1000)
    lat.sort()
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else None

    out = {
        "wall_s": round(wall, 4),
        "pairs_per_s": round(pairs / wall),
        "peak_rss_mb": round(peak, 1),
        "interpreter_ratio": round(interp_full / wall, 1),
        "peer_ratio": None if peer_full is None else round(peer_full / wall, 1),
        "peer": "zen-engine",
        "enterprises": n,
        "clauses": m,
        "eligible_pairs": result.pairs,
        "wall_runs_s": [round(w, 4) for w in walls],
        "wall_min_s": round(min(walls), 4),
        "prepare_s": round(prepare_s, 4),
        "compile_s": round(compile_s, 4),
        "wall_includes": "plan compilation + eligibility + benefits, sparse; not prepare_s",
        "interpreter_sample": len(rows),
        "interpreter_scaled_s": round(interp_full, 2),
        "interpreter_agreement": interp_agree,
        **out,
        "peer_scaled_s": None if peer_full is None else round(peer_full, 2),
        "scaling": "interpreter and peer timed on samples and scaled linearly to all enterprises",
        "incremental_p50_ms": round(lat[len(lat) // 2], 3) if lat else None,
        "incremental_p99_ms": None if p99 is None else round(p99, 3),
        "incremental_samples": len(lat),
        "polars": pl.__version__,
        "threads": pl.thread_pool_size(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    return out


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bench match", description="政策匹配基准测试（合成数据）")
    p.add_argument("--enterprises", type=int, default=1_000_000)
    p.add_argument("--clauses", type=int, default=100)
    p.add_argument("--repeat", type=int, default=5, help="vectorised runs; the median is reported")
    p.add_argument(
        "--sample", type=int, default=3000, help="enterprises run through the interpreter"
    )
    p.add_argument(
        "--peer-sample",
        type=int,
        default=3000,
        help="enterprises run through zen-engine (batch mode)",
    )
    p.add_argument(
        "--incremental", type=int, default=2000, help="single-enterprise refreshes timed"
    )
    p.add_argument("--seed", type=int, default=20230211)
    p.add_argument("--quiet", action="store_true", help="print only the JSON line")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.enterprises < 1 or args.clauses < 1 or args.repeat < 1 or args.sample < 1:
        print("enterprises, clauses, repeat and sample must be positive", file=sys.stderr)
        return 2
    print(json.dumps(run(args), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
