"""Policy eligibility engine (pure Python + Polars; no Django imports).

* ``parser.parse_rule`` / ``clauses.make_clause`` — the rule language (LANGUAGE.md)
* ``interpreter`` — reference per-enterprise evaluation; ``explain`` — why / why not
* ``vector.prepare`` + ``vector.compile_plan`` + ``matching.match_all`` — all
  enterprises × all clauses, sparse; ``matching.match_one`` — one enterprise
* ``bench`` — the benchmark behind ``haotong bench match``
"""
