"""Throughput of haotong's ingest engine vs. a bare jieba pass over the same text.

Generates a corpus of at least ``--mb`` MB of UTF-8 at run time from the gold
documents (shuffled, amounts and dates varied, never committed), then runs in one
fresh process each (so peak memory is per phase):

* ``engine``: reconstruction + extraction, streamed (``extract_file``), one core;
* ``jieba``: ``jieba.cut`` over the same text in 1 MB pieces (dictionary load untimed).

Usage: ``.venv/bin/python bench/ingest_throughput.py --mb 50``
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from haotong.ingest.engine.decode import decode_bytes  # noqa: E402

GOLD = ROOT / "haotong" / "ingest" / "gold"


def make_corpus(path: Path, megabytes: float, seed: int = 7) -> int:
    """Write a corpus of at least ``megabytes`` MB; returns its size in bytes."""
    rng = random.Random(seed)
    docs = [decode_bytes(p.read_bytes()) for p in sorted(GOLD.glob("*.txt"))]
    target, written = int(megabytes * 1_000_000), 0
    with path.open("w", encoding="utf-8") as fh:
        while written < target:
            doc = rng.choice(docs)
            doc = re.sub(
                r"\d+(?=(?:\.\d+)?亿元)", lambda m: str(int(m.group(0)) + rng.randint(0, 9)), doc
            )
            doc = re.sub(
                r"(?<!\d)(\d{1,2})月(\d{1,2})日",
                lambda m: f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
                doc,
            )
            chunk = doc + "\n\n\n"
            fh.write(chunk)
            written += len(chunk.encode("utf-8"))
    return path.stat().st_size


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def run_engine(path: str, queue: mp.Queue) -> None:
    from haotong.ingest.engine.pipeline import extract_file

    base = _peak_mb()
    with open(os.devnull, "w", encoding="utf-8") as sink:
        start, cpu = time.perf_counter(), time.process_time()
        extract_file(path, sink)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    queue.put({"seconds": seconds, "cpu": cpu, "peak_mb": _peak_mb(), "base_mb": base})


def run_jieba(path: str, queue: mp.Queue) -> None:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()  # dictionary load is not part of the timed pass
    base = _peak_mb()
    tokens = 0
    start, cpu = time.perf_counter(), time.process_time()
    with open(path, encoding="utf-8") as fh:
        while piece := fh.read(1 << 20):
            for _ in jieba.cut(piece):
                tokens += 1
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    queue.put(
        {"seconds": seconds, "cpu": cpu, "peak_mb": _peak_mb(), "base_mb": base, "tokens": tokens}
    )


def measure(target: Callable[[str, mp.Queue], None], path: Path) -> dict:
    ctx = mp.get_context("spawn")
    queue: mp.Queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(str(path), queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--mb", type=float, default=50.0, help="corpus size in MB of UTF-8 (default 50)"
    )
    parser.add_argument("--skip-jieba", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.txt"
        size = make_corpus(path, args.mb)
        mb = size / 1_000_000
        engine = measure(run_engine, path)
        rows = [("engine (reconstruct + extract, streamed)", engine)]
        if not args.skip_jieba:
            rows.append(("jieba.cut (bare segmentation)", measure(run_jieba, path)))
    print(
        f"corpus: {mb:.1f} MB UTF-8 generated from {len(list(GOLD.glob('*.txt')))} gold documents; one process, one core"
    )
    print(f"cpu: {os.cpu_count()} logical cores available; python {sys.version.split()[0]}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print()
    print(
        "| phase | wall s | CPU s | MB/s per core (CPU) | MB/s (wall) | peak RSS MB | RSS before MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(
            f"| {name} | {r['seconds']:.1f} | {r['cpu']:.1f} | {mb / r['cpu']:.2f} | "
            f"{mb / r['seconds']:.2f} | {r['peak_mb']:.0f} | {r['base_mb']:.0f} |"
        )
    if len(rows) == 2:
        ratio = rows[1][1]["cpu"] / rows[0][1]["cpu"]
        print(f"\nengine / jieba throughput (same text, same run, CPU time) = {ratio:.2f}")


if __name__ == "__main__":
    main()
