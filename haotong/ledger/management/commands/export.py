"""``haotong export projects|groundbreakings --format json|csv|xlsx [--out FILE]``.

The same columns as the web export (haotong.ledger.exports). Runs as the system,
so it writes the whole district's ledger.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haotong.ledger import exports
from haotong.ledger.models import Project


class Command(BaseCommand):
    help = "导出项目台账或集中开工（json、csv、xlsx），列与网页导出相同"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["projects", "groundbreakings"])
        parser.add_argument("--format", dest="fmt", choices=exports.FORMATS, default="json")
        parser.add_argument("--out", type=Path, help="output file (default: standard output)")

    def handle(self, *args: Any, what: str, fmt: str, out: Path | None, **options: Any) -> None:
        binary = fmt == "xlsx"
        buffer: Any = io.BytesIO() if binary else io.StringIO()
        if what == "projects":
            exports.write_projects(Project.objects.order_by("id"), fmt, buffer)
        else:
            exports.write_groundbreakings(fmt, buffer)
        data = buffer.getvalue()
        if out is not None:
            if binary:
                out.write_bytes(data)
            else:
                # The BOM of a CSV is part of the text already; write plain UTF-8.
                out.write_text(data, encoding="utf-8")
            self.stderr.write(f"wrote {out}")
            return
        if not binary:
            self.stdout.write(data, ending="")
            return
        stream = getattr(self.stdout, "_out", None)
        raw = getattr(stream, "buffer", None)
        if raw is None or (stream is sys.stdout and stream.isatty()):
            raise CommandError("xlsx 是二进制格式：请用 --out 指定文件，或把标准输出重定向到文件")
        raw.write(data)
        raw.flush()
