"""The seed newspaper page: concrete facts the engine must get right (no database)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from haotong.ingest.engine import extract_text

SEED = Path(__file__).resolve().parents[2] / "haotong" / "ingest" / "gold" / "tongzhou-2023.txt"


@pytest.fixture(scope="module")
def text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def result(text: str) -> dict:
    return extract_text(text, source="seed")


def project(result: dict, name: str) -> dict:
    matches = [p for p in result["projects"] if p["name"] == name]
    assert len(matches) == 1, [p["name"] for p in result["projects"]]
    return matches[0]


def test_kangyuan_started_with_amount_date_and_capacity(result: dict, text: str) -> None:
    p = project(result, "康源电路项目")
    assert p["investment_yuan"] == 5_000_000_000
    assert p["investment_qualifier"] == ""
    assert (p["stage"], p["date"]) == ("started", "2023-02-11")
    assert p["capacity"] == "年产封装载板86万平方米"
    start, end = p["evidence"]
    assert "康源电路项目" in text[start:end] and "开工" in text[start:end]


def test_signing_and_start_of_kangyuan_are_linked(result: dict) -> None:
    p = project(result, "康源电路项目")
    stages = {(e["name"], e["stage"], e["date"]) for e in p["events"]}
    # the signing has no date on the page (截至目前…相继签约): none is invented for it
    assert stages == {
        ("康源电路项目", "started", "2023-02-11"),
        ("康源电子高端IC载板项目", "signed", None),
    }
    assert not any(q["name"] == "康源电子高端IC载板项目" for q in result["projects"])


def test_kanghui_near_125_yi_in_wujie_started_last_october(result: dict) -> None:
    p = project(result, "康辉新材料项目")
    assert (p["investment_yuan"], p["investment_qualifier"]) == (12_500_000_000, "near")
    assert p["location"] == {
        "province": "江苏省",
        "city": "南通市",
        "district": "通州区",
        "town": "五接镇",
    }
    assert (p["stage"], p["date"]) == ("started", "2022-10")
    assert "production" not in {e["stage"] for e in p["events"]}  # 11月…将正式投产 is a plan


def test_aggregate_is_never_a_project(result: dict) -> None:
    assert [
        (a["count"], a["investment_yuan"], a["stage"], a["date"]) for a in result["aggregates"]
    ] == [(16, 8_320_000_000, "started", "2023-02-11")]
    assert all(p["investment_yuan"] != 8_320_000_000 for p in result["projects"])


def test_sales_and_tax_cuts_are_not_investment(result: dict, text: str) -> None:
    amounts = sorted(p["investment_yuan"] for p in result["projects"] if p["investment_yuan"])
    assert amounts == [5_000_000_000, 10_000_000_000, 12_500_000_000]
    for p in result["projects"]:
        start, end = p["evidence"]
        assert "应税销售" not in text[start:end] and "减税" not in text[start:end]


def test_people_with_positions(result: dict) -> None:
    people = {p["name"]: p["positions"] for p in result["people"]}
    assert people["张建华"] == ["南通市委常委", "通州区委书记"]
    assert people["王少勇"] == ["通州区委副书记", "区长"]
    assert people["施晓毅"] == ["通州区委常委", "组织部部长", "统战部部长"]


def test_quotes_have_speakers_and_offsets(result: dict, text: str) -> None:
    quote = next(q for q in result["quotes"] if q["speaker"] == "王少勇")
    assert quote["text"].startswith("机遇稍纵即逝")
    start, end = quote["evidence"]
    assert text[start:end].startswith("机遇稍纵即逝")


def test_reconstruction_rejoins_columns_and_drops_furniture(result: dict) -> None:
    (article,) = result["articles"]
    assert article["title"] == "南通通州： 打造新高地、建设硬核区"
    assert article["byline"] == "通讯员 吴欣欣 现代快报+记者 陈莹 花宇"
    assert article["credits"] == ["吴欣欣 摄"]
    body = "".join(article["paragraphs"])
    assert (
        "通过招商引资" in body and "“前延”服务工作方案" in body and "以干部敢为的率先成势" in body
    )
    for furniture in ("现代快报+2023", "恒力车间", "洲际梦幻岛", "吴欣欣 摄", "科技新城"):
        assert furniture not in body
    assert article["subheads"][0] == "开年起步即冲刺 项目建设“有速度”"


def test_given_date_is_reported(text: str) -> None:
    assert extract_text(text, when=date(2023, 3, 6))["date"] == "2023-03-06"
    assert extract_text(text)["date"] is None
