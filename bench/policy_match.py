"""Policy matching benchmark: 1,000,000 enterprises × 100 clauses by default.

    .venv/bin/python bench/policy_match.py --enterprises 1000000 --clauses 100

Same as ``haotong bench match``; prints one JSON line last. See docs/benchmarks.md (policy matching section).
"""

from __future__ import annotations

import sys

from haotong.policies.engine.bench import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
