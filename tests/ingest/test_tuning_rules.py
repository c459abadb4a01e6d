"""Rules added in tuning rounds three to seven, each on sentences the gold set does not contain."""

from __future__ import annotations

from datetime import date
from typing import Any

from haotong.ingest.engine.pipeline import extract_text
from haotong.ingest.engine.reconstruct import reconstruct
from haotong.ingest.engine.stages import resolve_anaphor
from haotong.ingest.engine.textmap import is_traditional, to_analysis


def _projects(text: str) -> dict[str, dict[str, Any]]:
    result = extract_text(text, when=date(2024, 5, 20))
    return {p["name"]: p for p in result["projects"]}


def _page(body: str, title: str = "要闻") -> str:
    return f"某某日报\n\n{title}\n\n{body}\n"


def test_built_and_in_production_is_production_not_completion() -> None:
    found = _projects(_page("5月8日，总投资6亿元的青禾食品加工项目建成投产。"))
    assert found["青禾食品加工项目"]["stage"] == "production"
    assert found["青禾食品加工项目"]["date"] == "2024-05-08"


def test_a_dated_plan_does_not_replace_the_stage_reached() -> None:
    found = _projects(_page("4月2日，总投资9亿元的远山储能电站项目开工，预计2025年10月建成投产。"))
    assert found["远山储能电站项目"]["stage"] == "started"
    assert found["远山储能电站项目"]["date"] == "2024-04-02"


def test_next_year_stays_a_plan() -> None:
    found = _projects(_page("4月2日，总投资9亿元的远山储能电站项目开工，明年6月投产。"))
    assert found["远山储能电站项目"]["stage"] == "started"


def test_two_dated_stages_in_one_sentence_give_the_later_one() -> None:
    found = _projects(_page("总投资12亿元的北辰轴承项目2021年3月开工，2022年9月投产。"))
    project = found["北辰轴承项目"]
    assert (project["stage"], project["date"]) == ("production", "2022-09")
    assert [e["stage"] for e in project["events"]] == ["started", "production"]


def test_an_undated_later_stage_is_not_taken() -> None:
    found = _projects(_page("总投资12亿元的北辰轴承项目2021年3月开工，目前已投产。"))
    assert found["北辰轴承项目"]["stage"] == "started"


def test_this_bases_first_phase_is_named_after_the_base() -> None:
    found = _projects(
        _page(
            "5月6日，南湖新材料产业基地（二期）项目开工，总投资20亿元。\n\n"
            "该基地一期项目2019年4月开工，2020年12月建成投产。"
        )
    )
    assert set(found) == {"南湖新材料产业基地(二期)项目", "南湖新材料产业基地(一期)项目"}
    first = found["南湖新材料产业基地(一期)项目"]
    assert (first["stage"], first["date"]) == ("production", "2020-12")
    assert found["南湖新材料产业基地(二期)项目"]["stage"] == "started"


def test_a_reference_with_nothing_before_it_is_not_a_project() -> None:
    assert resolve_anaphor("该基地一期项目", []) is None
    assert resolve_anaphor("该基地一期项目", ["东岭物流园项目"]) is None
    assert resolve_anaphor("东岭物流园项目", []) == "东岭物流园项目"
    assert resolve_anaphor("该项目二期", ["东岭物流园项目"]) == "东岭物流园(二期)项目"


def test_headline_names_the_project_when_the_body_only_plans_it() -> None:
    text = (
        "某某新闻网\n\n"
        "宏芯12英寸晶圆项目签约落户东湖\n\n"
        "3月1日，宏芯科技有限公司与东湖新区管委会签署协议，双方将合作建设12英寸晶圆项目。\n"
    )
    found = _projects(text)
    assert list(found) == ["宏芯12英寸晶圆项目"]
    assert (found["宏芯12英寸晶圆项目"]["stage"], found["宏芯12英寸晶圆项目"]["date"]) == (
        "signed",
        "2024-03-01",
    )


def test_headline_is_not_read_when_the_body_names_the_project() -> None:
    text = (
        "某某新闻网\n\n宏芯项目签约\n\n3月1日，总投资30亿元的宏芯12英寸晶圆项目签约落户东湖新区。\n"
    )
    assert list(_projects(text)) == ["宏芯12英寸晶圆项目"]


def test_a_simplified_page_keeps_its_name_characters() -> None:
    page = "3月8日，华昇光电显示模组项目开工。"
    assert not is_traditional(page)
    assert "华昇光电显示模组项目" in _projects(_page(page))
    traditional = "3月8日，總投資6億元的華昇光電顯示模組項目開工建設。"
    assert is_traditional(traditional)
    assert to_analysis(traditional) == "3月8日，总投资6亿元的华升光电显示模组项目开工建设。"
    assert to_analysis(page, traditional=False) == page


def test_subtitle_under_the_headline_is_not_the_title() -> None:
    page = reconstruct(
        "某某日报\n第02版 经济\n\n西岭电池项目开工\n总投资88亿元 年产能20GWh\n\n"
        "本报讯 4月3日，西岭电池项目开工。\n"
    )
    assert page.articles[0].title == "西岭电池项目开工"
    assert page.articles[0].subheads == ["总投资88亿元 年产能20GWh"]


def test_report_title_above_a_numbered_subhead() -> None:
    page = reconstruct(
        "某县重点项目建设简报\n第3期\n县重点项目服务中心 编\n\n一、项目进展\n\n"
        "5月，东岭物流园项目开工。\n"
    )
    assert page.articles[0].title == "某县重点项目建设简报"
    assert page.articles[0].subheads == ["第3期", "一、项目进展"]


def test_publication_line_with_source_is_a_date_not_a_title() -> None:
    page = reconstruct(
        "某某日报\n\n东岭物流园项目签约\n\n发布时间：2023-03-27 09:12  来源：某某日报\n\n"
        "3月26日，东岭物流园项目签约。\n"
    )
    assert page.dates == [(2023, 3, 27)]
    assert page.articles[0].title == "东岭物流园项目签约"


def test_traditional_byline_is_a_byline() -> None:
    page = reconstruct(
        "某某報\n\n東岭項目開工\n\n記者 陳曉東 通訊員 林 韻\n\n4月3日，東岭項目開工。\n"
    )
    assert page.articles[0].title == "東岭項目開工"
    assert page.articles[0].bylines == ["記者 陳曉東 通訊員 林 韻"]


def test_amount_clause_after_the_stage_belongs_to_the_project() -> None:
    found = _projects(
        _page(
            "由宁德时代投资建设的四川时代动力电池宜宾制造基地项目于2020年12月开工，总投资约100亿元。"
        )
    )
    project = found["四川时代动力电池宜宾制造基地项目"]
    assert (project["investment_yuan"], project["investment_qualifier"]) == (
        10_000_000_000,
        "about",
    )


def test_numbered_report_items() -> None:
    found = _projects(
        _page("1.赣锋锂业年产5万吨锂电新材料项目：总投资50亿元，目前厂房主体已封顶。")
    )
    assert found["赣锋锂业年产5万吨锂电新材料项目"]["stage"] == "under_construction"
    topic = _projects(_page("（二）江铜铜箔项目。总投资25亿元，4月已试生产。"))
    assert topic["江铜铜箔项目"]["investment_yuan"] == 2_500_000_000
    assert (topic["江铜铜箔项目"]["stage"], topic["江铜铜箔项目"]["date"]) == (
        "production",
        "2024-04",
    )


def test_a_list_of_signed_projects_with_a_joint_total() -> None:
    found = _projects(
        _page("签约项目包括晶澳太阳能电池项目、天合光能组件项目和协鑫硅料项目，总投资合计120亿元。")
    )
    assert set(found) == {"晶澳太阳能电池项目", "天合光能组件项目", "协鑫硅料项目"}
    assert all(p["stage"] == "signed" and p["investment_yuan"] is None for p in found.values())


def test_counted_projects_after_the_amount_are_an_aggregate() -> None:
    result = extract_text(_page("總投資83.2億元的16個項目集中開工。"), when=date(2024, 2, 11))
    assert result["projects"] == []
    assert [(a["count"], a["investment_yuan"], a["stage"]) for a in result["aggregates"]] == [
        (16, 8_320_000_000, "started")
    ]


def test_a_count_at_a_stage_without_a_total() -> None:
    result = extract_text(
        _page("今年以来，全市累计开工项目27个，完成投资96亿元。"), when=date(2024, 5, 20)
    )
    assert [(a["count"], a["investment_yuan"], a["stage"]) for a in result["aggregates"]] == [
        (27, None, "started")
    ]


def test_last_month_and_new_stage_words() -> None:
    found = _projects(_page("上月底，青岛中车四方高速列车智能制造项目正式落地城阳，总投资10亿元。"))
    assert found["青岛中车四方高速列车智能制造项目"]["date"] == "2024-04"
    grid = _projects(_page("5月2日，总投资5000万元的王家村光伏扶贫项目已并网发电。"))
    assert grid["王家村光伏扶贫项目"]["stage"] == "production"


def test_projects_listed_under_a_stage_take_it() -> None:
    text = (
        "某某日报\n\n要闻\n\n3月14日，我区一季度重大项目集中签约，12个项目现场签约，总投资186亿元。\n\n"
        "签约项目中，总投资60亿元的中创新航动力电池二期项目投资规模最大。此外，宁波均胜汽车电子项目"
        "计划投资25亿元；正泰新能源光伏组件项目投资额18亿元。\n"
    )
    found = _projects(text)
    assert {n: (p["stage"], p["date"]) for n, p in found.items()} == {
        "中创新航动力电池二期项目": ("signed", "2024-03-14"),
        "宁波均胜汽车电子项目": ("signed", "2024-03-14"),
        "正泰新能源光伏组件项目": ("signed", "2024-03-14"),
    }


def test_the_named_owner_is_the_company() -> None:
    found = _projects(
        _page(
            "3月26日，总投资83亿元的北岸精细化工项目签约。项目建设主体为北岸石油化工有限公司，"
            "由东华化学工业集团有限公司和南港实业集团有限公司合资组建。"
        )
    )
    assert found["北岸精细化工项目"]["company"] == "北岸石油化工有限公司"


def test_company_that_signs_with_the_park() -> None:
    text = (
        "某某新闻网\n\n星河汽车项目签约落户东湖\n\n"
        "3月1日，东湖新区管委会与星河汽车有限公司正式签约，双方将合作建设整车工厂。\n"
    )
    assert _projects(text)["星河汽车项目"]["company"] == "星河汽车有限公司"


def test_a_company_registered_elsewhere_does_not_move_the_project() -> None:
    found = _projects(
        _page(
            "9月12日，总投资30亿元的星衡卫星载荷基地项目落户燕郊高新区，"
            "项目由北京星衡航天科技有限公司投资建设。"
        )
    )
    assert found["星衡卫星载荷基地项目"]["location"]["province"] != "北京市"
    assert found["星衡卫星载荷基地项目"]["location"]["district"] == "燕郊高新区"


def test_autonomous_county_and_its_town() -> None:
    found = _projects(_page("9月11日，位于大厂回族自治县夏垫镇的佳禾新型建材项目建成投产。"))
    location = found["佳禾新型建材项目"]["location"]
    assert (location["district"], location["town"]) == ("大厂回族自治县", "夏垫镇")


def test_a_place_said_once_for_two_projects() -> None:
    found = _projects(
        _page(
            "2月8日，总投资28亿元的瑞驰线束项目和总投资15亿元的鼎泰电路板项目在昆山市周市镇同时开工。"
        )
    )
    assert found["瑞驰线束项目"]["location"]["town"] == "周市镇"
    assert found["鼎泰电路板项目"]["location"]["town"] == "周市镇"


def test_a_park_of_a_county_level_city() -> None:
    found = _projects(_page("2月8日，总投资60亿元的华昇光电显示模组项目在昆山开发区开工。"))
    location = found["华昇光电显示模组项目"]["location"]
    assert (location["province"], location["city"], location["district"]) == (
        "江苏省",
        "苏州市",
        "昆山开发区",
    )


# round four


def test_items_under_a_stage_subhead_take_its_stage() -> None:
    text = (
        "某区重点项目建设情况报告\n第3期\n区发展局 编\n\n一、总体情况\n\n"
        "全区共安排重点项目91个，总投资4715亿元。\n\n二、在建项目进展\n\n"
        "（一）北岭化学180万吨/年乙二醇项目累计完成投资26亿元，预计7月底建成中交。\n"
        "（二）南坡能源煤基乙醇项目正在进行设备安装调试，预计6月底机械竣工。\n"
    )
    found = _projects(text)
    assert {n: (p["stage"], p["date"], p["investment_yuan"]) for n, p in found.items()} == {
        "北岭化学180万吨/年乙二醇项目": ("under_construction", None, None),
        "南坡能源煤基乙醇项目": ("under_construction", None, None),
    }


def test_a_description_of_the_project_is_not_another_project() -> None:
    text = _page(
        "6月18日，东岳新材料股份有限公司年产45万吨尼龙6聚合项目（一期）开工仪式在云溪区举行。\n\n"
        "该项目是己内酰胺产业链的下游延链项目，一期工程总投资10亿元，建成后年产值60亿元。"
    )
    found = _projects(text)
    assert list(found) == ["东岳新材料股份有限公司年产45万吨尼龙6聚合项目(一期)"]
    assert found["东岳新材料股份有限公司年产45万吨尼龙6聚合项目(一期)"]["investment_yuan"] == (
        1_000_000_000
    )


def test_phase_written_after_the_name_before_the_amount() -> None:
    found = _projects(_page("5月6日，海卓智能装备产业园项目（二期）总投资18亿元，在海青镇开工。"))
    assert found["海卓智能装备产业园项目(二期)"]["investment_yuan"] == 1_800_000_000


def test_indented_first_line_cut_short_is_rejoined() -> None:
    text = (
        "某某日报\n\n要闻\n\n　　5月6日，总投资50亿元的芯瑞半导体封\n\n"
        "装测试项目在青岛经济技术开发区开工。\n"
    )
    assert list(_projects(text)) == ["芯瑞半导体封装测试项目"]


def test_district_without_its_city_takes_the_pages_city() -> None:
    text = (
        "包头日报\n\n包头市新能源项目集中开工\n\n"
        "4月3日，包头市一批新能源项目集中开工。其中，总投资12亿元的北辰硅材料项目在九原区开工。\n"
    )
    location = _projects(text)["北辰硅材料项目"]["location"]
    assert (location["province"], location["city"], location["district"]) == (
        "内蒙古自治区",
        "包头市",
        "九原区",
    )


def test_a_new_area_named_by_the_page_is_the_district() -> None:
    text = (
        "兰州新区报\n\n兰州新区项目签约\n\n"
        "5月8日，兰州新区举行项目签约活动。总投资20亿元的恒昌锂电池正极材料项目签约。\n"
    )
    location = _projects(text)["恒昌锂电池正极材料项目"]["location"]
    assert (location["city"], location["district"]) == ("兰州市", "兰州新区")


# round five


def test_stage_of_the_clause_that_modifies_the_name() -> None:
    found = _projects(
        _page("同在埠河镇，去年12月开工的鑫泰电机壳体项目目前主体厂房已封顶，项目投资额4.5亿元。")
    )
    project = found["鑫泰电机壳体项目"]
    assert (project["stage"], project["date"], project["investment_yuan"]) == (
        "started",
        "2023-12",
        450_000_000,
    )


def test_negotiation_by_dui_jie_and_its_name() -> None:
    found = _projects(_page("高密市与深圳一家储能企业对接大容量储能电芯项目，拟投资30亿元。"))
    assert found["大容量储能电芯项目"]["stage"] == "negotiating"
    assert _projects(_page("4月2日，区里召开政企对接服务会。")) == {}


def test_amounts_shared_out_in_order() -> None:
    found = _projects(
        _page(
            "5月9日，建安区的发制品产业园项目和鄢陵县的花木供应链中心项目同日开工，"
            "总投资分别为12亿元、6.3亿元。"
        )
    )
    assert {n: p["investment_yuan"] for n, p in found.items()} == {
        "发制品产业园项目": 1_200_000_000,
        "花木供应链中心项目": 630_000_000,
    }


def test_one_project_of_two_capacities() -> None:
    found = _projects(_page("1月10日，年产15GW高效光伏电池、3GW光伏组件项目签约仪式在滁州举行。"))
    assert list(found) == ["年产15GW高效光伏电池、3GW光伏组件项目"]


def test_projects_of_a_signing_ceremony_are_signed_that_day() -> None:
    text = (
        "某某日报\n\n湖州市一季度重大项目集中签约\n\n"
        "3月17日，湖州市一季度重大项目集中签约活动举行，现场签约项目28个，总投资超360亿元。\n\n"
        "南浔区引进的高端数控机床产业园项目，计划总投资56亿元，由一家装备制造龙头企业投资建设。\n"
    )
    result = extract_text(text, when=date(2023, 3, 18))
    project = {p["name"]: p for p in result["projects"]}["高端数控机床产业园项目"]
    assert (project["stage"], project["date"]) == ("signed", "2023-03-17")
    assert [(a["count"], a["stage"], a["date"]) for a in result["aggregates"]] == [
        (28, "signed", "2023-03-17")
    ]


def test_a_batch_and_a_count_are_not_projects() -> None:
    found = _projects(
        _page(
            "11月18日，海南自由贸易试验区建设项目（第七批）集中开工。"
            "泊头市今年计划实施铸造产业转型升级项目28个，目前已开工21个。"
        )
    )
    assert found == {}


def test_running_totals_have_no_date_and_ceremonies_do() -> None:
    result = extract_text(
        _page(
            "1月30日，株洲市103个项目集中开工，总投资227.6亿元。\n\n"
            "本次集中开工的项目中，产业类项目77个，总投资183.3亿元；基础设施类项目22个，总投资34.3亿元。\n\n"
            "今年以来，全县新签约亿元以上项目23个，新开工项目19个，完成工业投资41亿元。"
        ),
        when=date(2023, 1, 31),
    )
    got = {(a["count"], a["investment_yuan"], a["stage"], a["date"]) for a in result["aggregates"]}
    assert (103, 22_760_000_000, "started", "2023-01-30") in got
    assert (22, 3_430_000_000, "started", "2023-01-30") in got
    assert (19, None, "started", None) in got
    assert not any(a[0] == 19 and a[1] for a in got)  # 完成工业投资 is money spent


def test_source_and_publication_time_line_dates_the_page() -> None:
    text = (
        "钦州新闻网\n首页 > 钦州要闻 > 正文\n\n华谊钦州基地三期项目开工\n\n"
        "来源：钦州日报　　发布时间：2022-11-26 09:20:45　　浏览次数：3251\n\n"
        "11月25日，华谊钦州基地三期项目开工，三期计划2025年建成。\n"
    )
    result = extract_text(text)
    assert result["date"] == "2022-11-26"
    assert {p["name"]: p["date"] for p in result["projects"]} == {
        "华谊钦州基地三期项目": "2022-11-25"
    }


# round six


def test_notice_records_are_read_field_by_field() -> None:
    text = (
        "某市发展和改革委员会\n\n关于三季度新开工和竣工投产重点产业项目情况的公示\n\n"
        "　　一、新开工项目\n"
        "　　1．年产10万吨α-烯烃项目\n"
        "　　建设地点：龙凤区　　建设单位：龙华化工有限公司\n"
        "　　总投资：46亿元　　开工时间：2023年7月12日\n"
        "　　2．可降解材料产业园项目（二期）\n"
        "　　建设地点：高新区　　建设单位：绿源生物科技有限公司\n"
        "　　计划总投资：12.8亿元\n"
        "　　二、竣工投产项目\n"
        "　　1．高端润滑油脂项目\n"
        "　　总投资：5.3亿元　　竣工投产时间：2023年8月28日\n"
    )
    found = {
        p["name"]: (
            p["investment_yuan"],
            p["investment_qualifier"],
            p["stage"],
            p["date"],
            p["company"],
        )
        for p in extract_text(text, when=date(2023, 10, 8))["projects"]
    }
    assert found == {
        "年产10万吨α-烯烃项目": (4_600_000_000, "", "started", "2023-07-12", "龙华化工有限公司"),
        "可降解材料产业园项目(二期)": (
            1_280_000_000,
            "planned",
            "started",
            None,
            "绿源生物科技有限公司",
        ),
        "高端润滑油脂项目": (530_000_000, "", "production", "2023-08-28", None),
    }


def test_the_sentences_subject_takes_the_amount() -> None:
    found = _projects(
        _page(
            "5月26日，碳纤维产业链项目集中开工仪式举行。\n\n"
            "主会场的年产3万吨碳纤维原丝项目（一期）由江城碳纤维有限公司投资建设，一期总投资42亿元。"
        )
    )
    assert list(found) == ["年产3万吨碳纤维原丝项目(一期)"]
    project = found["年产3万吨碳纤维原丝项目(一期)"]
    assert (project["investment_yuan"], project["stage"]) == (4_200_000_000, "started")


def test_another_project_after_one_with_its_amount() -> None:
    found = _projects(
        _page(
            "10月12日，签约仪式举行。其中，高端电解铜箔项目总投资32亿元；"
            "另一个体量较大的柔性线路板项目由深圳一家上市公司投资，投资额约12亿元。"
        )
    )
    assert {n: p["investment_yuan"] for n, p in found.items()} == {
        "高端电解铜箔项目": 3_200_000_000,
        "柔性线路板项目": 1_200_000_000,
    }


def test_a_report_from_the_site() -> None:
    found = _projects(
        _page(
            "在蒲吕街道的锂电池结构件项目现场，几台塔吊正在同时作业。"
            "这个项目总投资约7亿元，今年5月开工，目前主体工程已经完成了八成。"
        )
    )
    project = found["锂电池结构件项目"]
    assert (project["investment_yuan"], project["stage"], project["date"]) == (
        700_000_000,
        "started",
        "2024-05",
    )


def test_plans_after_completion_and_talks_under_way() -> None:
    found = _projects(
        _page(
            "9月7日，智能家居五金配件项目开工，总投资5.2亿元，建成以后年产五金配件8000万件。"
            "佛冈县正与一家澳门企业接洽预制菜加工项目，拟投资3亿元。"
        )
    )
    assert found["智能家居五金配件项目"]["stage"] == "started"
    assert found["预制菜加工项目"]["stage"] == "negotiating"


def test_bullets_and_banner_prefixes_are_not_names() -> None:
    found = _projects(
        _page(
            "★青神县竹编产业园项目正在进行主体施工。4月18日，克什克腾旗100万千瓦风储一体化项目开工。"
        )
    )
    assert set(found) == {"竹编产业园项目", "100万千瓦风储一体化项目"}


def test_tv_transcript_speaker_labels() -> None:
    text = (
        "县台新闻\n\n两个项目开工\n\n9月7日，两个项目在灵璧开工。\n\n"
        "【同期声】安徽恒锐五金制品有限公司总经理 张志远\n\n"
        "“我们上个月刚拿到土地，今天就开工了，县里的办事效率确实很高。”\n\n"
        "同期声（锂电池结构件项目负责人 黄勇）：“我们争取春节前把厂房全部交付，明年二季度投产。”\n"
    )
    result = extract_text(text, when=date(2023, 9, 7))
    assert {p["name"]: p["positions"] for p in result["people"]} == {
        "张志远": ["安徽恒锐五金制品有限公司总经理"],
        "黄勇": ["锂电池结构件项目负责人"],
    }
    assert sorted(q["speaker"] for q in result["quotes"]) == ["张志远", "黄勇"]


# round seven


def test_named_records_with_full_width_digits_and_iso_dates() -> None:
    text = (
        "某市发改委\n\n关于新开工亿元以上工业项目的公示\n\n　　一、新开工项目\n\n　　项目一\n"
        "　　项目名称：锂电池负极材料一体化项目（一期）\n　　建设单位：河南昊碳新能源科技有限公司\n"
        "　　总投资：２６．５亿元\n　　开工时间：２０２３年７月\n\n　　项目二\n"
        "　　项目名称：温县汽车零部件智能制造项目\n　　总投资：4.2亿元\n　　开工日期：2023-08-16\n"
    )
    found = {
        p["name"]: (p["investment_yuan"], p["stage"], p["date"])
        for p in extract_text(text, when=date(2023, 10, 8))["projects"]
    }
    assert found == {
        "锂电池负极材料一体化项目(一期)": (2_650_000_000, "started", "2023-07"),
        "汽车零部件智能制造项目": (420_000_000, "started", "2023-08-16"),
    }


def test_a_table_pasted_as_text() -> None:
    text = (
        "某市人民政府\n\n2023年第三批重大项目集中开工项目表（部分）\n\n"
        "　　8月29日，全市第三批重大项目集中开工活动举行。\n\n"
        "序号\t项目名称\t建设单位\t建设地点\t总投资（万元）\t计划竣工时间\n"
        "1\t汽车电子控制器产业化项目\t睿驰汽车电子有限公司\t经济技术开发区\t85000\t2024年12月\n"
        "2\t新型环保建材及装配式建\t怀建新材料有限公司\t怀宁县高河镇\t46000\t2025年6月\n"
        "\t筑部品项目\n"
        "合计\t2个项目\t\t\t131000\n"
    )
    found = {
        p["name"]: (p["investment_yuan"], p["stage"], p["date"], p["company"])
        for p in extract_text(text, when=date(2023, 8, 30))["projects"]
    }
    assert found == {
        "汽车电子控制器产业化项目": (850_000_000, "started", "2023-08-29", "睿驰汽车电子有限公司"),
        "新型环保建材及装配式建筑部品项目": (
            460_000_000,
            "started",
            "2023-08-29",
            "怀建新材料有限公司",
        ),
    }


def test_talks_with_an_amount_the_other_side_proposes() -> None:
    found = _projects(
        _page(
            "此外，高平市与一家省内企业围绕煤层气综合利用项目进行了多轮洽谈，对方初步拟投资6亿元。"
            "开鲁县正与一家北京企业洽谈红干椒精深加工项目，拟投资4亿元，双方已签署保密协议。"
        )
    )
    assert {n: (p["investment_yuan"], p["stage"]) for n, p in found.items()} == {
        "煤层气综合利用项目": (600_000_000, "negotiating"),
        "红干椒精深加工项目": (400_000_000, "negotiating"),
    }


# round eight (test7 read): field and column keys read by what they say, minutes items


def test_record_keys_are_read_by_the_words_in_them() -> None:
    text = _page(
        "（一）新开工项目\n\n"
        "1.\n项目名称：青岚精密轴承项目\n承建企业：山东青岚轴承有限公司\n落户地：邹平市\n"
        "投资规模：计划总投资7.4亿元\n开工日期：2024年4月18日\n\n"
        "2.\n项目名称：远帆冷链仓储项目\n合作方：江苏一家物流企业\n项目位置：滨城区\n"
        "投资规模：协议投资12亿元\n计划开工时间：2024年9月\n签约日期：2024年5月6日\n",
        "重点项目公示",
    )
    found = _projects(text)
    first, second = found["青岚精密轴承项目"], found["远帆冷链仓储项目"]
    assert (first["investment_yuan"], first["investment_qualifier"]) == (740000000, "planned")
    assert (first["stage"], first["date"]) == ("started", "2024-04-18")
    assert first["company"] == "山东青岚轴承有限公司"
    assert second["investment_yuan"] == 1200000000 and second["investment_qualifier"] == ""
    # a planned start is no event; an unnamed partner is no company
    assert (second["stage"], second["date"]) == ("signed", "2024-05-06")
    assert second["company"] is None
    assert set(found) == {"青岚精密轴承项目", "远帆冷链仓储项目"}  # nothing read twice


def test_table_columns_by_their_words_and_a_wrapped_name_cell() -> None:
    text = _page(
        "5月16日，全市二季度招商引资项目集中签约。部分签约项目清单如下：\n\n"
        "序号\t项目名称\t投资方\t落户地\t协议投资（亿元）\n"
        "1\t高纯石英砂项目\t安徽晶澄新材料有限公司\t凤阳县\t26\n"
        "2\t光伏玻璃深加工及配套\t凤阳华耀玻璃有限公司\t凤阳县\t8.5\n"
        "\t组件项目\n"
        "合计\t2个\t\t\t34.5\n",
        "二季度签约项目清单",
    )
    found = _projects(text)
    assert set(found) == {"高纯石英砂项目", "光伏玻璃深加工及配套组件项目"}
    assert found["高纯石英砂项目"]["investment_yuan"] == 2600000000
    assert found["高纯石英砂项目"]["company"] == "安徽晶澄新材料有限公司"
    assert found["光伏玻璃深加工及配套组件项目"]["investment_yuan"] == 850000000
    assert found["光伏玻璃深加工及配套组件项目"]["stage"] == "signed"


def test_minutes_items_name_the_project_after_its_place() -> None:
    text = _page(
        "会议纪要如下：\n\n"
        "一、关于庐江县龙桥工业园硫酸钾镁肥项目。该项目总投资约12亿元，主体施工已经完成，正在进行设备安装。\n\n"
        "二、关于舒城县电子元器件项目。该项目今年3月开工，计划总投资4.6亿元。\n",
        "专题会议纪要",
    )
    found = _projects(text)
    first, second = found["硫酸钾镁肥项目"], found["电子元器件项目"]
    assert (first["investment_yuan"], first["investment_qualifier"]) == (1200000000, "about")
    assert first["stage"] == "under_construction"
    assert (second["stage"], second["date"]) == ("started", "2024-03")
    assert (second["investment_yuan"], second["investment_qualifier"]) == (460000000, "planned")


def test_planned_amounts_shared_out_and_intended_investment() -> None:
    found = _projects(
        _page(
            "当天，A县的青松板材项目和B县的白鹭纺织项目也分别开工，计划总投资分别为2.2亿元、3.1亿元。"
            "C县正与一家浙江企业洽谈计划引进新材料产业园项目，对方初步意向投资5亿元。"
        )
    )
    assert found["青松板材项目"]["investment_qualifier"] == "planned"
    assert found["白鹭纺织项目"]["investment_yuan"] == 310000000
    assert found["白鹭纺织项目"]["investment_qualifier"] == "planned"
    talks = found["新材料产业园项目"]
    assert (talks["investment_yuan"], talks["investment_qualifier"]) == (500000000, "planned")
    assert talks["stage"] == "negotiating"


def test_a_project_named_only_in_its_subhead() -> None:
    text = (
        "某某日报\n\n重大项目巡礼\n\n记者 王明\n\n今年以来，全区重大项目建设加速推进。\n\n"
        "■青禾食品加工项目\n\n该项目总投资6亿元，5月8日正式开工，主要建设速冻食品生产线8条。\n\n"
        "■远山储能电站项目\n\n项目由远山能源有限公司投资建设，总投资约9亿元，目前主体厂房已封顶。\n\n"
        "■项目服务\n\n区里为企业提供全程代办服务。\n"
    )
    found = _projects(text)
    assert set(found) == {"青禾食品加工项目", "远山储能电站项目"}
    first, second = found["青禾食品加工项目"], found["远山储能电站项目"]
    assert (first["investment_yuan"], first["stage"], first["date"]) == (
        600000000,
        "started",
        "2024-05-08",
    )
    assert (second["investment_yuan"], second["investment_qualifier"]) == (900000000, "about")
    assert second["stage"] == "under_construction"
    assert second["company"] == "远山能源有限公司"
    events = {e["name"]: e["evidence"] for p in found.values() for e in p["events"]}
    assert text[slice(*events["青禾食品加工项目"])] == "开工"


def test_amounts_with_thousands_separators_many_and_about() -> None:
    found = _projects(
        _page(
            "5月8日，总投资3,500万元的青禾食品加工项目开工。"
            "同日，总投资10多亿元的远山储能电站项目签约，白鹭纺织项目竣工，总投资2.5亿元左右。"
        )
    )
    assert found["青禾食品加工项目"]["investment_yuan"] == 35000000
    many = found["远山储能电站项目"]
    assert (many["investment_yuan"], many["investment_qualifier"]) == (1000000000, "over")
    about = found["白鹭纺织项目"]
    assert (about["investment_yuan"], about["investment_qualifier"]) == (250000000, "about")


def test_last_year_end_and_quoted_names() -> None:
    found = _projects(
        _page(
            "青禾食品加工项目去年底签约，总投资6亿元。"
            "5月8日，总投资9亿元的“远山储能电站项目”开工，总投资3亿元的《白鹭纺织项目》同日竣工。"
        )
    )
    assert (found["青禾食品加工项目"]["stage"], found["青禾食品加工项目"]["date"]) == (
        "signed",
        "2023-12",
    )
    assert found["远山储能电站项目"]["investment_yuan"] == 900000000
    assert found["白鹭纺织项目"]["investment_yuan"] == 300000000


def test_bracketed_amounts_between_two_names() -> None:
    found = _projects(
        _page("青松板材项目（总投资2亿元）和白鹭纺织项目（总投资3亿元）5月8日同时开工。")
    )
    assert set(found) == {"青松板材项目", "白鹭纺织项目"}
    assert found["白鹭纺织项目"]["investment_yuan"] == 300000000


def test_a_project_named_in_passing_then_told_of() -> None:
    found = _projects(
        _page("围绕青禾食品加工项目，县里成立工作专班。该项目5月8日开工，总投资6亿元。")
    )
    assert (found["青禾食品加工项目"]["stage"], found["青禾食品加工项目"]["date"]) == (
        "started",
        "2024-05-08",
    )
    assert found["青禾食品加工项目"]["investment_yuan"] == 600000000
    assert _projects(_page("全县要加快推进重点项目建设。该项目5月8日开工。")) == {}


def test_a_dated_list_opening_gives_its_stage_to_each_item() -> None:
    found = _projects(
        _page("5月8日开工的项目有：青松板材项目，总投资2亿元；白鹭纺织项目，总投资3亿元。")
    )
    assert [(p["stage"], p["date"]) for p in found.values()] == [("started", "2024-05-08")] * 2


def test_places_before_a_name_go_to_the_location_not_the_name() -> None:
    texts = {
        "准格尔旗大路工业园区煤制烯烃项目": "煤制烯烃项目",
        "呼和浩特市赛罕区乳业加工项目": "乳业加工项目",
        "新塘镇电子元件项目": "电子元件项目",
        "沈阳经济技术开发区新能源汽车零部件项目": "新能源汽车零部件项目",
        # a port district, a shop or a brand that names the works stays in the name
        "博贺港区液体化工码头项目": "博贺港区液体化工码头项目",
        "永辉超市配送中心项目": "永辉超市配送中心项目",
        "宁德时代电池材料项目": "宁德时代电池材料项目",
        "智慧城市大脑项目": "智慧城市大脑项目",
    }
    for written, name in texts.items():
        found = _projects(_page(f"5月8日，{written}开工，总投资6亿元。"))
        assert list(found) == [name], written
    assert _projects(_page("5月8日，副市长到东丽区督导项目建设，要求新开工项目早日投产。")) == {}


# round nine (phrasing probes): each rule on sentences of its own


def test_spoken_and_written_chinese_amounts_and_other_currencies() -> None:
    found = _projects(
        _page(
            "5月8日，青松板材项目开工，总投资12个亿。同日，总投资四亿五千万元的白鹭纺织项目签约。"
            "与一家韩国企业签约的远帆薄膜项目，总投资800亿韩元。"
        )
    )
    assert found["青松板材项目"]["investment_yuan"] == 1200000000
    assert found["白鹭纺织项目"]["investment_yuan"] == 450000000
    assert found["远帆薄膜项目"]["investment_yuan"] is None


def test_a_reporter_sentence_is_not_a_byline() -> None:
    found = _projects(_page("记者看到，总投资近19亿元的青松玻璃项目正在进行设备安装。"))
    assert found["青松玻璃项目"]["investment_qualifier"] == "near"
    assert found["青松玻璃项目"]["stage"] == "under_construction"


def test_a_plan_date_and_a_relative_clause_date_date_nothing_else() -> None:
    found = _projects(
        _page(
            "年初签约的青松膜材料项目已完成主体厂房建设，预计8月投产，项目总投资7亿元。"
            "去年8月签约的白鹭餐厨具项目，日前已竣工投产，总投资3.8亿元。"
        )
    )
    assert (found["青松膜材料项目"]["stage"], found["青松膜材料项目"]["date"]) == (
        "under_construction",
        None,
    )
    # the dated signing stays the main event; 日前 dates nothing
    assert (found["白鹭餐厨具项目"]["stage"], found["白鹭餐厨具项目"]["date"]) == (
        "signed",
        "2023-08",
    )
    production = [e for e in found["白鹭餐厨具项目"]["events"] if e["stage"] == "production"]
    assert production and production[0]["date"] is None


def test_a_state_in_a_later_sentence_is_dated_by_its_own_clause() -> None:
    found = _projects(
        _page("会议听取了青松模具产业园项目汇报。该项目于今年3月开工，目前主体施工已过半。")
    )
    assert (found["青松模具产业园项目"]["stage"], found["青松模具产业园项目"]["date"]) == (
        "started",
        "2024-03",
    )


def test_verbs_between_the_stage_word_and_the_name() -> None:
    found = _projects(_page("8月17日，全椒县签约引进年产2万吨碳纤维复合材料项目，总投资15亿元。"))
    assert found["年产2万吨碳纤维复合材料项目"]["stage"] == "signed"
    assert _projects(_page("对新引进总投资1亿元以上的制造业项目给予补助。")) == {}


def test_a_later_stage_after_an_unnamed_project_word() -> None:
    found = _projects(
        _page("4月17日，东海县与一家企业签约青松石英项目，签约当天项目就开工建设，总投资10亿元。")
    )
    assert (found["青松石英项目"]["stage"], found["青松石英项目"]["date"]) == (
        "started",
        "2024-04-17",
    )


def test_coordinated_names_share_the_stage_word() -> None:
    found = _projects(
        _page(
            "4月6日，仪征市的青松压缩机项目和扬州经济技术开发区的白鹭耗材项目同日开工，"
            "总投资分别为16亿元、9亿元。4月20日，平湖市与两家企业分别签约远帆镜头项目和远山卫浴项目，"
            "协议投资分别为8亿元、5亿元。"
        )
    )
    assert {n: (p["stage"], p["investment_yuan"]) for n, p in found.items()} == {
        "青松压缩机项目": ("started", 1600000000),
        "白鹭耗材项目": ("started", 900000000),
        "远帆镜头项目": ("signed", 800000000),
        "远山卫浴项目": ("signed", 500000000),
    }


def test_a_paragraph_that_announces_projects_then_names_them() -> None:
    colon = _projects(
        _page(
            "6月14日，昆山开发区签约两个外资项目：一家日资企业投资的青松冲压件项目，投资额5000万美元；"
            "一家台资企业投资的白鹭电子材料项目，总投资4.5亿元。"
        )
    )
    assert (colon["白鹭电子材料项目"]["stage"], colon["白鹭电子材料项目"]["date"]) == (
        "signed",
        "2024-06-14",
    )
    spoken = _projects(
        _page(
            "昨天，我县两个项目同时开工。一个是总投资5亿元的青松家具产业园项目，另一个是投资3亿元的白鹭茶叶项目。"
        )
    )
    assert {p["stage"] for p in spoken.values()} == {"started"}
    assert len(spoken) == 2


def test_a_factory_named_without_project_and_an_item_number_glued_to_a_date() -> None:
    factory = _projects(_page("5月6日，江西樟树的青松中药提取物智能工厂建成投产。"))
    assert factory["青松中药提取物智能工厂"]["stage"] == "production"
    glued = _projects(_page("1.5月12日，株洲高新区的青松检测设备项目开工，总投资3.8亿元。"))
    assert glued["青松检测设备项目"]["date"] == "2024-05-12"


# round ten (test8 and test9 read)


def test_a_markdown_table_with_a_progress_column() -> None:
    text = _page(
        "| 序号 | 项目名称 | 建设地点 | 总投资（亿元） | 进展情况 |\n"
        "|:---:|---|---|---:|---|\n"
        "| 1 | 青松风电叶片项目 | 玉门市 | 26.5 | 3月开工，主厂房已封顶 |\n"
        "| 2 | 白鹭光热发电项目 | 金塔县 | 约15 | 8月签约，计划明年3月开工 |\n"
        "| 3 | 远帆储能电站项目 | 肃州区 | 0.5亿美元 | 洽谈中 |\n",
        "重点项目推进情况",
    )
    found = _projects(text)
    assert (found["青松风电叶片项目"]["stage"], found["青松风电叶片项目"]["date"]) == (
        "started",
        "2024-03",
    )
    assert found["青松风电叶片项目"]["investment_yuan"] == 2650000000
    second = found["白鹭光热发电项目"]
    assert (second["stage"], second["investment_yuan"], second["investment_qualifier"]) == (
        "signed",
        1500000000,
        "about",
    )
    assert (found["远帆储能电站项目"]["stage"], found["远帆储能电站项目"]["investment_yuan"]) == (
        "negotiating",
        None,
    )


def test_a_ledger_table_with_a_stage_column_and_a_node_date() -> None:
    text = _page(
        "| 序号 | 项目名称 | 投资主体 | 总投资（万元） | 进展阶段 | 节点时间 |\n"
        "|:---:|---|---|---:|:---:|:---:|\n"
        "| 1 | 青松正极材料项目（二期） | 湖北青松材料有限公司 | 420000 | 已开工 | 2024.04.08 |\n"
        "| 2 | 白鹭硅基材料项目 | 浙江某民营企业 | 150000（意向） | 洽谈中 | — |\n",
        "招商引资项目推进台账",
    )
    found = _projects(text)
    first = found["青松正极材料项目(二期)"]
    assert (first["stage"], first["date"], first["investment_yuan"]) == (
        "started",
        "2024-04-08",
        4200000000,
    )
    second = found["白鹭硅基材料项目"]
    assert (second["stage"], second["investment_qualifier"]) == ("negotiating", "planned")


def test_renminbi_and_currencies_written_before_the_number() -> None:
    found = _projects(
        _page(
            "5月8日，青松铜箔项目开工，总投资约人民币32亿元。"
            "白鹭食品公司宣布投资白鹭烘焙项目，投资额新台币12亿元。"
        )
    )
    assert (
        found["青松铜箔项目"]["investment_yuan"],
        found["青松铜箔项目"]["investment_qualifier"],
    ) == (
        3200000000,
        "about",
    )
    assert found["白鹭烘焙项目"]["investment_yuan"] is None


def test_the_first_phase_told_after_the_second_is_its_own_project() -> None:
    found = _projects(
        _page("5月8日，青松新材料二期项目动工，计划投资18亿元。该项目一期已于今年3月投产。")
    )
    assert found["青松新材料二期项目"]["stage"] == "started"
    assert (found["青松新材料一期项目"]["stage"], found["青松新材料一期项目"]["date"]) == (
        "production",
        "2024-03",
    )


def test_round_ten_names_talks_and_amounts() -> None:
    found = _projects(
        _page(
            "在古雷港经济开发区，台资青松化学品项目去年8月动工。"
            "州里正与一家央企商谈白鹭盐湖综合开发项目，对方初步提出的投资规模在200亿元以上。"
            "我局近期对接浙江一家纺织企业，对方有意投资建设远帆纤维项目，初步估算投资约8亿元。"
            "县里还就远山石材项目与一家韩国企业进行了接洽。"
            "另有一个肉羊屠宰加工项目正在洽谈，对方初步规划投资2亿元。"
            "上都镇的风电运维服务中心项目于5月6日签约。"
            "5月6日，设计小镇城市更新二期项目开工。"
        )
    )
    assert "青松化学品项目" in found
    salt = found["白鹭盐湖综合开发项目"]
    assert (salt["stage"], salt["investment_yuan"], salt["investment_qualifier"]) == (
        "negotiating",
        20000000000,
        "over",
    )
    assert found["远帆纤维项目"]["stage"] == "negotiating"
    assert found["远山石材项目"]["stage"] == "negotiating"
    assert found["肉羊屠宰加工项目"]["investment_qualifier"] == "planned"
    assert found["风电运维服务中心项目"]["stage"] == "signed"
    assert "设计小镇城市更新二期项目" in found


def test_what_is_not_a_project_in_posts_messages_and_minutes() -> None:
    found = _projects(
        _page(
            "#亦庄项目进行时# 青松医疗器械产业园二期项目今天开工。"
            "多伦县的新材料项目什么时候能投产？"
            "请各县（市）区今天下午4点前报送本周项目进展。"
        )
    )
    assert set(found) == {"青松医疗器械产业园二期项目"}
    minutes = _projects(_page("二、关于正蓝旗新项目。今年以来，正蓝旗新签约项目6个。"))
    assert minutes == {}


# round eleven (second phrasing probes read)


def test_amounts_without_a_leading_number() -> None:
    found = _projects(
        _page(
            "高新区在谈一个投资超百亿元的青松显示模组项目。"
            "5月6日，总投资过亿元的白鹭稀土分离项目竣工。5月7日，投资近亿元的远帆文创产业园项目完工。"
            "全年签约亿元以上项目45个。"
        )
    )
    assert (
        found["青松显示模组项目"]["investment_yuan"],
        found["青松显示模组项目"]["investment_qualifier"],
    ) == (
        10000000000,
        "over",
    )
    assert found["白鹭稀土分离项目"]["investment_qualifier"] == "over"
    assert (
        found["远帆文创产业园项目"]["investment_yuan"],
        found["远帆文创产业园项目"]["investment_qualifier"],
    ) == (
        100000000,
        "near",
    )
    assert all(
        a["investment_yuan"] is None
        for a in extract_text(_page("全年签约亿元以上项目45个。"))["aggregates"]
    )


def test_names_after_叫_入驻_还有_关于_and_places_before_them() -> None:
    found = _projects(
        _page(
            "这个项目叫青松弹性体项目，总投资近45亿元，5月6日刚刚开工。"
            "5月6日，我区与一家企业签约入驻白鹭精密铸造项目，投资规模5亿元。"
            "同日签约的还有远帆文旅综合体项目，计划总投资12亿元。"
            "会议听取了市发改委关于远山储能产业园项目推进情况的汇报。该项目正在进行设备安装。"
            "5月6日，投资5.4亿元的孝感临空经济区青云仓储项目竣工。"
            "5月7日，投资7200万元的通道县农村供水保障工程完工。"
            "5月8日，江华瑶族自治县稀土新材料项目竣工。"
        )
    )
    assert {
        "青松弹性体项目",
        "白鹭精密铸造项目",
        "远帆文旅综合体项目",
        "远山储能产业园项目",
    } <= set(found)
    assert found["青松弹性体项目"]["stage"] == "started"
    assert {"青云仓储项目", "农村供水保障工程", "稀土新材料项目"} <= set(found)


def test_a_centre_or_base_after_an_amount_and_new_stage_words() -> None:
    found = _projects(
        _page(
            "5月6日，投资6亿元的华南区域分拨中心签约落户韶关。"
            "5月7日，施工单位正式进场施工，标志着总投资9.3亿元的青松光学薄膜项目全面启动建设。"
            "5月8日，总投资7亿元的白鹭包装新材料项目实现签约即开工。"
            "目前，福鼎市的远帆白茶文化产业园项目正在进行内部装修。"
        )
    )
    assert found["华南区域分拨中心"]["stage"] == "signed"
    assert found["青松光学薄膜项目"]["stage"] == "started"
    assert found["白鹭包装新材料项目"]["stage"] == "started"
    assert found["远帆白茶文化产业园项目"]["stage"] == "under_construction"


def test_projects_listed_under_a_total_and_a_record_on_one_line() -> None:
    found = _projects(
        _page(
            "5月6日，现场签约项目21个，签约金额386亿元。其中，青松煤基新材料项目投资120亿元，白鹭重卡项目投资35亿元。"
        )
    )
    assert {p["stage"] for p in found.values()} == {"signed"}
    listed = extract_text(
        _page(
            "5月7日，经开区集中签约3个项目：青松电网装备项目、白鹭电堆项目、远帆软件研发中心项目，总投资42亿元。"
        ),
        when=date(2024, 5, 20),
    )
    assert {p["investment_yuan"] for p in listed["projects"]} == {None}
    assert [(a["count"], a["investment_yuan"]) for a in listed["aggregates"]] == [(3, 4200000000)]
    record = _projects(
        _page(
            "（三）已开工项目。项目名称：青松热电联产项目；建设地点：通榆县开通镇；总投资：4.6亿元；开工时间：2024年3月。"
        )
    )
    assert (record["青松热电联产项目"]["stage"], record["青松热电联产项目"]["investment_yuan"]) == (
        "started",
        460000000,
    )


# round twelve (test10 and test11 read)


def test_a_csv_export_with_a_stage_column_and_quoted_cells() -> None:
    text = _page(
        "序号,项目名称,项目性质,建设单位,建设地点,总投资（万元）,开工时间,形象进度,2024年计划投资（万元）\n"
        '1,青松纤维项目,新开工,浙江青松新材料有限公司,柯桥区马鞍街道,"186,000",2024/3/15,'
        '"桩基完成,主体结构施工中",60000\n'
        "2,白鹭封装测试基地项目,签约,浙江白鹭半导体有限公司,越城区,650000,,2024年4月6日签订投资协议,0\n"
        '3,远帆正极材料项目,在谈,,滨海新区,约100000,,"正在进行第三轮商谈,\n投资方为一家上市公司",0\n'
        "合计,3个,,,,936000,,,60000\n",
        "重大产业项目推进情况表",
    )
    found = _projects(text)
    first = found["青松纤维项目"]
    assert (first["stage"], first["date"], first["investment_yuan"]) == (
        "started",
        "2024-03-15",
        1860000000,
    )
    assert (found["白鹭封装测试基地项目"]["stage"], found["白鹭封装测试基地项目"]["date"]) == (
        "signed",
        "2024-04-06",
    )
    third = found["远帆正极材料项目"]
    assert (third["stage"], third["investment_yuan"], third["investment_qualifier"]) == (
        "negotiating",
        1000000000,
        "about",
    )


def test_an_infographic_of_name_lines_under_a_ceremony() -> None:
    text = (
        "一图读懂丨某市2024年第二季度重大项目集中开工\n\n5月6日\n\n全市集中开工项目\n52个\n\n"
        "—— 主会场 ——\n青松硅材料产业园项目\n建设单位：安徽青松新材料科技有限公司\n总投资：35亿元\n\n"
        "■ 白鹭农产品加工产业园项目\n计划总投资12亿元\n\n"
        "■ 远帆生物基材料项目\n去年11月签约　总投资约20亿元\n\n"
        "—— 同日竣工投产 ——\n■ 远山光学元件项目\n总投资约6亿元\n"
    )
    found = _projects(text)
    assert {n: (p["stage"], p["investment_yuan"]) for n, p in found.items()} == {
        "青松硅材料产业园项目": ("started", 3500000000),
        "白鹭农产品加工产业园项目": ("started", 1200000000),
        "远帆生物基材料项目": ("started", 2000000000),
        "远山光学元件项目": ("production", 600000000),
    }


def test_html_source_is_read_without_its_tags() -> None:
    text = (
        "<!DOCTYPE html>\n<html>\n<head>\n<title>某市重大项目集中开工</title>\n"
        '<script>var x = "<p>不是正文</p>";</script>\n</head>\n<body>\n'
        "<h1>某市重大项目集中开工</h1>\n"
        '<p style="text-indent:2em;">5月6日，在主会场开工的<strong>青松储能材料产业园项目</strong>，'
        "总投资&nbsp;32亿元。</p>\n</body>\n</html>\n"
    )
    result = extract_text(text, when=date(2024, 5, 20))
    project = result["projects"][0]
    assert (project["name"], project["investment_yuan"], project["stage"]) == (
        "青松储能材料产业园项目",
        3200000000,
        "started",
    )
    assert text[slice(*project["evidence"])].startswith("开工")
    assert result["articles"][0]["title"] == "某市重大项目集中开工"


def test_not_yet_started_plans_and_components_are_not_events_or_projects() -> None:
    found = _projects(
        _page(
            "四、尚未开工的项目\n\n6.洮北区青松仓储交易中心项目。该项目去年9月签约，签约已近一年仍未开工。\n\n"
            "总投资58亿元的白鹭电池壳体项目6月底前建成投产，总投资32亿元的远帆建材产业园项目年内开工。"
            "远山冷链物流园项目的冷库主体工程已经封顶。"
        )
    )
    assert found["青松仓储交易中心项目"]["stage"] == "signed"
    assert found["白鹭电池壳体项目"]["stage"] is None
    assert found["远帆建材产业园项目"]["stage"] is None
    assert "冷库主体工程" not in found


# round thirteen (test12 and test13 read)


def test_a_table_drawn_in_box_characters_with_wrapped_cells() -> None:
    text = _page(
        "┌──┬──────┬─────┬─────┐\n"
        "│序号│项目名称      │总投资（亿│推进情况    │\n"
        "│    │              │元）      │            │\n"
        "├──┼──────┼─────┼─────┤\n"
        "│1   │青松玉米深加工│45        │4月12日开工 │\n"
        "│    │产业园项目    │          │，主体完成  │\n"
        "├──┼──────┼─────┼─────┤\n"
        "│2   │白鹭稻米项目  │5（意向） │洽谈中      │\n"
        "├──┼──────┼─────┼─────┤\n"
        "│合计│2个           │50        │            │\n"
        "└──┴──────┴─────┴─────┘\n",
        "三季度重点项目推进情况",
    )
    found = _projects(text)
    assert (
        found["青松玉米深加工产业园项目"]["stage"],
        found["青松玉米深加工产业园项目"]["date"],
    ) == (
        "started",
        "2024-04-12",
    )
    assert found["青松玉米深加工产业园项目"]["investment_yuan"] == 4500000000
    talks = found["白鹭稻米项目"]
    assert (talks["stage"], talks["investment_qualifier"]) == ("negotiating", "planned")


def test_round_thirteen_stages() -> None:
    found = _projects(
        _page(
            "（三）在建和竣工项目\n\n"
            "4.新塘街道的青松服装智能工厂项目总投资4.8亿元，主体结构已于上周完成，目前正在进行外立面施工。\n\n"
            "5月6日，全市集中开工。和县乌江镇的白鹭化工新材料项目是去年10月签约引进的，这次也同步开工，项目总投资22亿元。"
            "资兴市引进的远帆数据中心项目计划总投资30亿元。"
        )
    )
    assert found["青松服装智能工厂项目"]["stage"] == "under_construction"
    assert (found["白鹭化工新材料项目"]["stage"], found["白鹭化工新材料项目"]["date"]) == (
        "started",
        "2024-05-06",
    )
    assert found["远帆数据中心项目"]["stage"] == "signed"
    assert _projects(_page("我们要引进人才，青松人才公寓项目建设要加快。")) == {}


def test_a_headline_short_name_links_to_the_full_name() -> None:
    # a second story on the page, after a photo caption: its headline is read as well
    text = (
        "某某日报\n\n我市一季度重大项目集中开工\n\n"
        "3月28日，总投资12亿元的青松氢能装备项目开工。\n\n"
        "图为青松氢能装备项目开工现场。　本报记者 韩 冬 摄\n\n"
        "成安与意大利企业签约陶瓷装备项目\n\n"
        "本报讯（记者 曹 欣）3月27日，成安县与一家意大利企业签约高端陶瓷装备项目，投资额3000万欧元。\n"
    )
    found = _projects(text)
    assert set(found) == {"青松氢能装备项目", "高端陶瓷装备项目"}
    assert found["高端陶瓷装备项目"]["stage"] == "signed"


def test_names_after_之_and_配套建设() -> None:
    found = _projects(
        _page(
            "5月6日，铁山港区南康镇之青松冷轧不锈钢项目（一期）建成投产。"
            "我公司正与一家央企洽谈配套建设白鹭绿电制氢项目，初步测算投资约12亿元。"
        )
    )
    assert {"青松冷轧不锈钢项目(一期)", "白鹭绿电制氢项目"} <= set(found)
