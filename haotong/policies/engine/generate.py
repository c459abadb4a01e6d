"""Deterministic synthetic enterprises and clauses for benchmarks and tests.

Everything here is generated (marked synthetic); a seed gives the same data on
every run. Distributions are shaped like a county-level district: mostly
micro firms, a few large ones, many firms without land (so ``x / land_mu``
divides by zero), and a few percent of every attribute missing.
"""

from __future__ import annotations

import array
import random

import polars as pl

from .clauses import Clause, make_clause

TOWNS = (
    "金沙街道",
    "先锋街道",
    "兴东街道",
    "西亭镇",
    "二甲镇",
    "东社镇",
    "三余镇",
    "十总镇",
    "骑岸镇",
    "五接镇",
    "兴仁镇",
    "张芝山镇",
    "川姜镇",
    "刘桥镇",
    "平潮镇",
)
INDUSTRY_PREFIXES = (
    "C39",
    "C38",
    "C35",
    "C34",
    "C26",
    "C17",
    "C18",
    "C33",
    "F51",
    "I65",
    "M73",
    "E48",
)
SIZE_WEIGHTS = (("large", 0.03), ("medium", 0.09), ("small", 0.28), ("micro", 0.60))


def _uniform(rnd: random.Random, n: int) -> pl.Expr:
    words = array.array("Q")
    words.frombytes(rnd.randbytes(8 * n))
    s = pl.Series(values=words, dtype=pl.UInt64)
    return pl.lit(s // 2048).cast(pl.Float64) * 2.0**-53


def _normal(rnd: random.Random, n: int) -> pl.Expr:
    """Box–Muller from two uniform columns."""
    u1, u2 = _uniform(rnd, n), _uniform(rnd, n)
    return (-2.0 * (1.0 - u1).log()).sqrt() * (6.283185307179586 * u2).cos()


def _missing(expr: pl.Expr, rnd: random.Random, n: int, share: float) -> pl.Expr:
    return pl.when(_uniform(rnd, n) >= share).then(expr)


def _pick(values: tuple[str, ...], rnd: random.Random, n: int) -> pl.Expr:
    idx = (_uniform(rnd, n) * len(values)).cast(pl.UInt32)
    return pl.lit(pl.Series(values)).gather(idx)


def enterprises(n: int, seed: int = 20230211) -> pl.DataFrame:
    """``n`` synthetic enterprises with every attribute of the schema."""
    rnd = random.Random(seed)
    codes = tuple(f"{p}{d:02d}" for p in INDUSTRY_PREFIXES for d in range(10, 100, 7))
    u_size = _uniform(rnd, n)
    size = pl.lit("micro")
    edge = 0.0
    for name, weight in SIZE_WEIGHTS[:-1]:
        edge += weight
        size = pl.when(u_size < edge).then(pl.lit(name)).otherwise(size)
    scale = (
        pl.when(u_size < 0.03).then(6.0).when(u_size < 0.12).then(4.5).when(u_size < 0.40).then(3.0)
    ).otherwise(1.5)
    frame = pl.select(
        pl.format("91320612MA{}", pl.int_range(n).cast(pl.String).str.zfill(8)).alias(
            "credit_code"
        ),
        pl.format("南通示例企业{}号（合成）", pl.int_range(n)).alias("name"),
        _pick(codes, rnd, n).alias("industry_code"),
        _pick(TOWNS, rnd, n).alias("town"),
        size.alias("size_class"),
        scale.alias("_scale"),
        (-8.0 * (1.0 - _uniform(rnd, n)).log()).round(1).alias("age_years"),
        _normal(rnd, n).alias("_z1"),
        _normal(rnd, n).alias("_z2"),
        _uniform(rnd, n).alias("_u1"),
        _uniform(rnd, n).alias("_u2"),
        _uniform(rnd, n).alias("_u3"),
        _uniform(rnd, n).alias("_u4"),
    )
    z1, z2 = pl.col("_z1"), pl.col("_z2")
    u1, u2, u3, u4 = pl.col("_u1"), pl.col("_u2"), pl.col("_u3"), pl.col("_u4")
    employees = (pl.col("_scale") * 2.3 + z1 * 0.8).exp().round(0).clip(1, 50000)
    revenue = (employees * (13.0 + z2 * 0.7).exp()).round(0)
    rd_share = pl.when(u1 < 0.45).then(0.0).otherwise(u1 * u1 * 0.09)
    rd = (revenue * rd_share).round(0)
    frame = frame.with_columns(
        employees.alias("employees"),
        revenue.alias("revenue_yuan"),
        (revenue * (0.005 + u2 * 0.05)).round(0).alias("tax_yuan"),
        rd.alias("rd_expense_yuan"),
        pl.when(revenue > 0).then((rd / revenue * 1000).round(0) / 10).alias("rd_ratio"),
        pl.when(u3 < 0.5).then(0.0).otherwise((employees * u3 * 0.4).round(1)).alias("land_mu"),
        pl.when(pl.col("industry_code").str.starts_with("C"))
        .then((revenue * (0.8 + u4 * 0.5)).round(0))
        .alias("output_yuan"),
    )
    frame = frame.with_columns(
        ((pl.col("rd_ratio") >= 3) & (u4 < 0.35) | (u4 < 0.01)).alias("is_high_tech"),
        ((pl.col("rd_ratio") >= 2) & (u2 < 0.06)).alias("is_specialized"),
        (pl.col("age_years") < 3).alias("is_startup"),
        (u3 > 0.97).alias("founder_is_returnee"),
    )
    nullable = (
        "industry_code",
        "town",
        "age_years",
        "employees",
        "revenue_yuan",
        "tax_yuan",
        "rd_expense_yuan",
        "rd_ratio",
        "land_mu",
        "output_yuan",
        "is_high_tech",
        "is_specialized",
        "founder_is_returnee",
    )
    frame = frame.with_columns(
        _missing(pl.col(c), rnd, n, 0.01 + rnd.random() * 0.05).alias(c) for c in nullable
    )
    return frame.drop("_scale", "_z1", "_z2", "_u1", "_u2", "_u3", "_u4")


def _condition(rnd: random.Random, k: int) -> str:
    wan = rnd.choice
    if k == 0:
        return f"rd_ratio >= {rnd.choice((2, 3, 4, 5, 6))}"
    if k == 1:
        return f"revenue_yuan >= {wan((500, 1000, 2000, 5000, 20000))}万"
    if k == 2:
        return f"tax_yuan / land_mu >= {wan((5, 10, 20, 30))}万"
    if k == 3:
        return f"output_yuan / land_mu >= {wan((100, 200, 300, 500))}万"
    if k == 4:
        lo = rnd.choice((5, 10, 20, 50))
        return f"employees between {lo} and {lo * rnd.choice((10, 20, 50))}"
    if k == 5:
        towns = rnd.sample(TOWNS, rnd.randint(1, 5))
        return "town in (" + ", ".join(f"'{t}'" for t in towns) + ")"
    if k == 6:
        prefixes = rnd.sample(INDUSTRY_PREFIXES, rnd.randint(1, 3))
        return "industry_code startswith (" + ", ".join(f"'{p}'" for p in prefixes) + ")"
    if k == 7:
        return rnd.choice(("is_high_tech", "is_specialized", "(is_high_tech or is_specialized)"))
    if k == 8:
        return rnd.choice(("is_startup", "founder_is_returnee", "not is_startup"))
    if k == 9:
        return rnd.choice(("size_class in ('small', 'micro')", "size_class != 'large'"))
    if k == 10:
        return f"age_years <= {rnd.choice((3, 5, 10))}"
    if k == 11:
        return f"rd_expense_yuan / revenue_yuan * 100 >= {rnd.choice((2, 3, 5))}"
    if k == 12:
        return f"tax_yuan / employees >= {rnd.choice((1, 2, 5))}万"
    return f"revenue_yuan - tax_yuan * 10 > {rnd.choice((0, 100, 1000))}万"


BENEFITS = (
    ("100000", None),
    ("150000", None),
    ("500000", None),
    ("min(rd_expense_yuan * 0.1, 200万)", None),
    ("tax_yuan * 0.05", 100000.0),
    ("employees * 2000", 500000.0),
    ("max(revenue_yuan * 0.001, 1万)", 300000.0),
    (None, None),
)


def clause_sources(m: int, seed: int = 48_7) -> list[tuple[str, str, str | None, float | None]]:
    """``m`` (key, rule, benefit formula, cap) tuples with 2–6 conditions each."""
    rnd = random.Random(seed)
    out = []
    for k in range(m):
        kinds = rnd.sample(range(14), rnd.randint(2, 6))  # distinct kinds of condition
        conditions = [_condition(rnd, k) for k in kinds]
        rule = " and ".join(conditions)
        benefit, cap = rnd.choice(BENEFITS)
        out.append((f"synthetic-{k + 1:03d}", rule, benefit, cap))
    return out


def clauses(m: int, seed: int = 48_7) -> list[Clause]:
    return [make_clause(*src) for src in clause_sources(m, seed)]
