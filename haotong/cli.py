"""The ``haotong`` console command: Django's management commands under our settings.

``haotong demo``, ``haotong export projects``, ``haotong ingest extract`` and the rest
are management commands of haotong's apps; ``haotong runserver`` etc. work as usual.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haotong.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["haotong", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
