"""Chain gap analysis, pure: no database."""

from __future__ import annotations

from decimal import Decimal

from haotong.attraction.gaps import Presence, analyse


def presence(link_id, name, firms, sizeable=0, anchors=0, projects=0):
    return Presence(link_id, name, link_id, firms, sizeable, anchors, projects, Decimal(0))


def test_empty_links_come_first_then_the_weakest_with_reasons():
    ranked = analyse(
        [
            presence(1, "半导体材料", 9, sizeable=1, projects=15),
            presence(2, "半导体设备", 0),
            presence(3, "检测", 10, sizeable=2),
            presence(4, "芯片设计", 3, sizeable=1, projects=2),
            presence(5, "高端印制线路板", 11, sizeable=2, anchors=2, projects=44),
        ],
        min_firms=5,
    )
    assert [(g.presence.name, g.level) for g in ranked] == [
        ("半导体设备", "空白"),
        ("芯片设计", "薄弱"),
        ("检测", "薄弱"),
    ]
    assert ranked[0].reasons == ("本地无企业", "无在库项目")
    assert ranked[1].reasons == ("本地仅3家企业（少于5家）",)
    assert ranked[2].reasons == ("无在库项目",)


def test_a_link_with_enough_firms_a_sizeable_one_and_projects_is_no_gap():
    assert analyse([presence(1, "封装载板", 9, sizeable=2, projects=1)], min_firms=5) == []
