"""County-level names resolved through the division table that ``cpca`` ships (adcodes.csv).

Sentences and pages here are written for these tests; the gold set does not contain them.
"""

from __future__ import annotations

import subprocess
import sys

from haotong.ingest.engine.pipeline import extract_text
from haotong.ingest.engine.places import COUNTY_OWNERS, Gazette, Location, locate


def _page(text: str) -> Gazette:
    gazette = Gazette()
    for line in text.splitlines():
        gazette.learn(line)
    return gazette


def _where(loc: Location) -> tuple[str | None, str | None, str | None]:
    return (loc.province, loc.city, loc.district)


def test_table_is_read_without_importing_cpca_or_pandas() -> None:
    code = (
        "import sys; import haotong.ingest.engine.places as p; "
        "print(len(p.COUNTY_OWNERS), 'cpca' in sys.modules, 'pandas' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert int(out[0]) > 2800 and out[1:] == ["False", "False"]


def test_hierarchy_comes_from_the_adcode() -> None:
    assert COUNTY_OWNERS["宝坻区"] == [("天津市", "天津市")]  # municipality: city = province
    assert COUNTY_OWNERS["忠县"] == [("重庆市", "重庆市")]  # a municipality's county
    assert COUNTY_OWNERS["安图县"] == [("延边朝鲜族自治州", "吉林省")]
    assert COUNTY_OWNERS["仙桃市"] == [(None, "湖北省")]  # directly under the province
    assert len(COUNTY_OWNERS["鼓楼区"]) == 4


def test_gazetteer_updates_what_the_table_has_out_of_date() -> None:
    assert COUNTY_OWNERS["公主岭市"] == [("长春市", "吉林省")]  # moved from 四平
    assert COUNTY_OWNERS["莱芜区"] == [("济南市", "山东省")]  # 莱芜市 merged into 济南
    assert COUNTY_OWNERS["钢城区"] == [("济南市", "山东省")]
    assert ("深圳市", "广东省") in COUNTY_OWNERS["龙华区"]  # newer than the table
    assert ("海口市", "海南省") in COUNTY_OWNERS["龙华区"]
    assert _where(locate("项目落户繁昌区", Gazette())) == ("安徽省", "芜湖市", "繁昌区")  # 繁昌县


def test_unique_county_wins_over_another_province_on_the_page() -> None:
    page = _page("宝坻区在北京举办招商推介会，北京多家企业参会。\n北京、天津两地企业代表出席。")
    loc = locate("新能源汽车电驱动系统项目拟落户宝坻区。", page)
    assert _where(loc) == ("天津市", "天津市", "宝坻区")
    # the sentence's own city does not move the county either
    loc = locate("北京市科技企业投资的储能项目落户宝坻区", page)
    assert _where(loc) == ("天津市", "天津市", "宝坻区")


def test_unique_county_without_a_city_on_the_page() -> None:
    assert _where(locate("位于泽州县的光学元件项目开工", Gazette())) == (
        "山西省",
        "晋城市",
        "泽州县",
    )
    assert _where(locate("嘉定区的汽车芯片项目签约", Gazette())) == ("上海市", "上海市", "嘉定区")
    loc = locate("多伦县的锂电池负极材料项目开工", Gazette())
    assert _where(loc) == ("内蒙古自治区", "锡林郭勒盟", "多伦县")


def test_ambiguous_county_stays_without_city_when_nothing_tells() -> None:
    assert _where(locate("通州区的新材料项目开工", Gazette())) == (None, None, "通州区")


def test_ambiguous_county_settled_by_the_page() -> None:
    nantong = _page("南通今年前三季度工业投资增长12%。\n江苏省重大项目推进会在南通召开。")
    assert _where(locate("通州区的新材料项目开工", nantong)) == ("江苏省", "南通市", "通州区")
    beijing = _page("北京城市副中心建设加快推进，北京今年安排重点项目300个。")
    assert _where(locate("通州区的新材料项目开工", beijing)) == ("北京市", "北京市", "通州区")
    # a masthead names the page's city ("南通日报" is no city mention elsewhere)
    masthead = _page("南通日报\n重大项目周报")
    assert _where(locate("通州区的新材料项目开工", masthead))[1] == "南通市"


def test_ambiguous_county_settled_by_the_sentence() -> None:
    loc = locate("项目在福建省鼓楼区签约", Gazette())
    assert _where(loc) == ("福建省", "福州市", "鼓楼区")
    loc = locate("项目在南京市鼓楼区签约", Gazette())
    assert _where(loc) == ("江苏省", "南京市", "鼓楼区")


def test_page_pairing_comes_first() -> None:
    page = _page("南通市通州区今年新开工项目32个。")
    assert page.parent["通州区"] == "南通市"
    assert _where(locate("北京一家企业投资的项目落户通州区", page)) == (
        "江苏省",
        "南通市",
        "通州区",
    )


def test_county_development_zone_by_its_stem() -> None:
    tianjin = _page("天津市宝坻区发展和改革委员会编")
    loc = locate("宠物食品加工项目将落户宝坻经济开发区", tianjin)
    assert _where(loc) == ("天津市", "天津市", "宝坻经济开发区")
    # a park named after a town is not placed by a county elsewhere (龙潭区 is in 吉林市)
    yulin = _page("玉林市重大项目观摩活动第四站：博白县龙潭镇。")
    assert locate("龙潭产业园区的不锈钢冷轧板项目竣工投产", yulin).city is None
    # a stem whose province the page never names is not taken
    assert locate("项目落户宝坻经济开发区", _page("江苏省南京市")).city is None


def test_investor_home_city_is_not_the_place() -> None:
    assert locate("该项目由北京一家科技企业投资", Gazette()).empty()
    assert locate("园区正与一家上海企业洽谈膜电极项目", Gazette()).empty()
    page = _page("晋城日报\n泽州县光机电产业园首批项目签约。")
    loc = locate("半导体激光器封装项目投资方是深圳一家科创板上市企业", page)
    assert loc.city != "深圳市"


def test_company_name_does_not_swallow_the_place_before_it() -> None:
    loc = locate("两江新区与重庆启明光电科技有限公司签署协议", Gazette())
    assert _where(loc) == ("重庆市", "重庆市", "两江新区")
    loc = locate("位于珲春边境经济合作区的产业园项目由吉林珲海食品有限公司投资建设", Gazette())
    assert loc.district == "珲春边境经济合作区"
    # the company's own seat stays masked
    assert locate("由安徽恒锐五金制品有限公司投资建设", Gazette()).empty()


def test_county_development_zone_replaces_the_county() -> None:
    loc = locate("长兴县与浙江锐能新能源科技有限公司签约，项目落户长兴经济技术开发区", Gazette())
    assert _where(loc) == ("浙江省", "湖州市", "长兴经济技术开发区")


def test_county_media_names_the_page_county() -> None:
    page = _page("灵璧新闻　文字稿\n各位观众，晚上好！欢迎收看灵璧新闻。")
    assert _where(page.default()) == ("安徽省", "宿州市", "灵璧县")
    # national papers and provinces are no county's media
    assert not _page("光明日报\n海南日报评论员文章").districts


def test_end_to_end_municipality_page_that_names_another_municipality() -> None:
    text = (
        "宝坻区经济运行动态\n\n"
        "9月22日，宝坻区在北京举办京津冀协同发展专场招商推介会，北京企业踊跃参与。"
        "其中，储能系统集成项目协议投资15亿元，将落户宝坻区大口屯镇。\n"
    )
    result = extract_text(text)
    (project,) = [p for p in result["projects"] if p["name"] == "储能系统集成项目"]
    assert project["location"]["province"] == "天津市"
    assert project["location"]["city"] == "天津市"
    assert project["location"]["district"] == "宝坻区"
