"""Command-line entry points, free of Django: ``extract`` and ``score``.

The management command ``haotong ingest`` is a thin wrapper around ``main``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from haotong.ingest.engine.decode import DecodeError
from haotong.ingest.engine.pipeline import extract_file
from haotong.ingest.engine.score import GOLD_DIR, format_report, score_probes, score_split


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    parser = parser or argparse.ArgumentParser(prog="haotong ingest")
    sub = parser.add_subparsers(dest="action", required=True)
    ex = sub.add_parser("extract", help="print one JSON line of facts per file")
    ex.add_argument("files", nargs="+", metavar="FILE")
    ex.add_argument(
        "--date", type=date.fromisoformat, default=None, help="publication date YYYY-MM-DD"
    )
    sc = sub.add_parser("score", help="precision / recall / F1 per field on the gold set")
    sc.add_argument(
        "--split",
        default="test",
        help="test = the current held-out split (split.json 'held_out'); dev = tuned on; "
        "test1, test2, … = each batch by its name (spent batches are part of dev); all = dev + test",
    )
    sc.add_argument("--misses", action="store_true", help="list the missed and extra projects")
    sc.add_argument("--gold", type=Path, default=GOLD_DIR)
    sc.add_argument(
        "--probes",
        type=Path,
        default=None,
        metavar="FILE",
        help="score phrasing probes (JSON lines: id, date, text, projects) instead of the gold set",
    )
    return parser


def run_extract(files: list[str], when: date | None, out: TextIO, err: TextIO) -> int:
    """Extract every file; errors become ``{"source", "error"}`` lines. Returns the exit code."""
    failed = 0
    for i, name in enumerate(files, 1):
        if len(files) > 1:
            print(f"[{i}/{len(files)}] {name}", file=err, flush=True)
        try:
            extract_file(name, out, when=when)
        except BrokenPipeError:
            return 1  # the reader went away (e.g. `| head`)
        except (OSError, DecodeError, UnicodeDecodeError) as exc:
            failed += 1
            message = (
                str(exc)
                if not isinstance(exc, UnicodeDecodeError)
                else f"解码失败（{exc.encoding}，第 {exc.start} 字节）"
            )
            print(json.dumps({"source": name, "error": message}, ensure_ascii=False), file=out)
            print(f"{name}: {message}", file=err)
    return 1 if failed else 0


def main(argv: list[str] | None = None, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    args = build_parser().parse_args(argv)
    return dispatch(args, out, err)


def dispatch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.action == "extract":
        return run_extract(args.files, args.date, out, err)
    probes = getattr(args, "probes", None)
    try:
        report = score_probes(probes) if probes else score_split(args.gold, args.split)
    except (ValueError, OSError) as exc:
        err.write(f"{exc}\n")
        return 2
    label = f"probes:{probes.name}" if probes else args.split
    out.write(format_report(report, label, getattr(args, "misses", False)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
