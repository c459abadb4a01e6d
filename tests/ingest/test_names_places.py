"""Project names, places, companies and aggregates in sentences the gold set does not contain."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from haotong.ingest.engine.people import find_quotes
from haotong.ingest.engine.pipeline import extract_text
from haotong.ingest.engine.places import Gazette, locate
from haotong.ingest.engine.score import GOLD_DIR, load_split


def _extract(paragraph: str) -> dict[str, Any]:
    return extract_text(f"某某日报\n\n要闻\n\n{paragraph}\n", when=date(2023, 9, 20))


def _projects(paragraph: str) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in _extract(paragraph)["projects"]}


def test_research_and_production_stays_inside_the_name() -> None:
    found = _projects("5月9日，总投资35亿元的蓝海电子材料研发与生产项目签约落户。")
    assert list(found) == ["蓝海电子材料研发与生产项目"]
    assert found["蓝海电子材料研发与生产项目"]["investment_yuan"] == 3_500_000_000
    bare = _projects("6月1日，远航生物医药研发及产业化项目开工。")
    assert list(bare) == ["远航生物医药研发及产业化项目"]


def test_policy_phrase_is_not_a_project() -> None:
    assert _projects("各部门要全力强化项目服务，推动开工项目加快建设。") == {}


def test_two_projects_joined_by_he_are_two_with_their_own_amounts() -> None:
    found = _projects(
        "3月5日，总投资18亿元的恒达新能源电池材料项目和总投资9亿元的远景智能装备项目同时开工。"
    )
    assert {n: p["investment_yuan"] for n, p in found.items()} == {
        "恒达新能源电池材料项目": 1_800_000_000,
        "远景智能装备项目": 900_000_000,
    }
    assert {p["stage"] for p in found.values()} == {"started"}


def test_two_projects_in_one_sentence_keep_their_own_towns() -> None:
    found = _projects("8月，城南镇的永兴纺织项目和城北镇的宏达包装项目先后开工。")
    assert found["永兴纺织项目"]["location"]["town"] == "城南镇"
    assert found["宏达包装项目"]["location"]["town"] == "城北镇"
    assert found["宏达包装项目"]["date"] == "2023-08"


def test_amount_in_a_later_clause_with_project_as_subject() -> None:
    found = _projects("6月2日，华宁冷链物流园项目签约落户，项目总投资12亿元。")
    assert found["华宁冷链物流园项目"]["investment_yuan"] == 1_200_000_000


def test_county_level_city_is_a_district_with_its_prefecture() -> None:
    loc = locate("位于新沂市的电子元器件项目开工", Gazette())
    assert loc.as_dict() == {
        "province": "江苏省",
        "city": "徐州市",
        "district": "新沂市",
        "town": None,
    }
    assert locate("沿海城市多项城市建设", Gazette()).empty()


def test_park_without_a_city_in_front() -> None:
    loc = locate("项目在南京浦口经济开发区举行奠基仪式", Gazette())
    assert (loc.city, loc.district) == ("南京市", "浦口经济开发区")
    assert locate("项目落户江宁开发区", Gazette()).district == "江宁开发区"
    assert locate("项目在西咸新区签约", Gazette()).city == "西安市"


def test_company_that_signs_and_company_inside_the_name() -> None:
    signed = _projects(
        "9月18日，星河半导体股份有限公司与经开区签署协议，投资建设碳化硅晶圆项目，总投资40亿元。"
    )
    assert signed["碳化硅晶圆项目"]["company"] == "星河半导体股份有限公司"
    named = _projects("10月8日，东华化工有限公司环氧树脂项目投产。")
    assert named["东华化工有限公司环氧树脂项目"]["company"] == "东华化工有限公司"


def test_aggregate_with_count_after_project_and_date_of_the_paragraph() -> None:
    result = _extract(
        "4月6日，全县二季度项目集中开工活动举行。全县集中开工项目21个，总投资95亿元，"
        "其中20亿元以上项目2个。"
    )
    assert result["projects"] == []
    assert [
        (a["count"], a["investment_yuan"], a["stage"], a["date"]) for a in result["aggregates"]
    ] == [
        (21, 9_500_000_000, "started", "2023-04-06"),
        (2, None, "started", "2023-04-06"),
    ]


def test_quote_after_the_speakers_own_sentence() -> None:
    text = "区长李明表示，园区将全力服务企业。“我们要让每个项目都跑出加速度。”"
    quotes = find_quotes(text, {"李明"})
    assert [(q.speaker, q.text) for q in quotes] == [("李明", "我们要让每个项目都跑出加速度。")]


def test_test_split_means_the_held_out_batch() -> None:
    spec = json.loads((GOLD_DIR / "split.json").read_text(encoding="utf-8"))
    held_out = load_split(GOLD_DIR, "test")
    assert held_out == spec[spec["held_out"]] == load_split(GOLD_DIR, spec["held_out"])
    assert not set(held_out) & set(load_split(GOLD_DIR, "dev"))
    # every batch scored before the held-out one was read and moved into dev
    number = lambda k: int(k.removeprefix("test"))  # noqa: E731  (test10 comes after test9)
    spent = [k for k in spec if k.startswith("test") and number(k) < number(spec["held_out"])]
    assert spent and all(set(spec[k]) <= set(load_split(GOLD_DIR, "dev")) for k in spent)
    assert all((Path(GOLD_DIR) / f"{name}.json").exists() for name in held_out)
