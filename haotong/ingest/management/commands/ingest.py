"""``haotong ingest extract FILE... [--date]`` and ``haotong ingest score [--split]``.

A thin wrapper: all the work is in the Django-free ``haotong.ingest.engine.cli``.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haotong.ingest.engine import cli


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # pure text work: no database, no models
    help = (
        "Read news/report text into project facts (extract) or score against the gold set (score)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        cli.build_parser(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        namespace = argparse.Namespace(**options)
        # The engine writes raw JSON lines in pieces; bypass OutputWrapper's newline handling.
        out = cast(TextIO, getattr(self.stdout, "_out", self.stdout))
        err = cast(TextIO, getattr(self.stderr, "_out", self.stderr))
        code = cli.dispatch(namespace, out, err)
        if code:
            raise CommandError(
                "some files could not be read (see the error lines)", returncode=code
            )
