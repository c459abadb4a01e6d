"""Fuzzy duplicate detection, pure: no database."""

from __future__ import annotations

import pytest

from haotong.attraction.duplicates import (
    Item,
    find_matches,
    matches_for,
    normalise_company,
    normalise_project,
    similarity,
)


@pytest.mark.parametrize(
    "name",
    [
        "康源电子(南通)股份有限公司",
        "南通康源电子有限公司",
        "江苏康源电子科技集团有限公司",
        "康源电子（南通）有限责任公司",
    ],
)
def test_legal_forms_places_and_generic_words_are_stripped(name):
    assert normalise_company(name) == "康源电子"


def test_a_short_name_keeps_its_generic_word():
    # 鸿睿科技 and 鸿睿实业 are two firms; stripping would make both 鸿睿.
    assert normalise_company("南通鸿睿科技有限公司") == "鸿睿科技"
    assert (
        similarity(normalise_company("鸿睿科技有限公司"), normalise_company("鸿睿实业有限公司"))
        < 88
    )


def test_project_words_are_stripped():
    assert (
        normalise_project("南通康源电子年产86万平方米封装载板项目（一期）")
        == "康源电子86万平方米封装载板"
    )


def test_containment_counts_as_a_match_only_for_names_of_four_or_more_characters():
    assert similarity("康源电子", "康源电子高端IC载板") == 100
    assert similarity("电子", "康源电子") < 88


def test_two_teams_on_one_investor_are_matched_but_one_team_twice_is_not():
    items = [
        Item(1, 10, normalise_company("康源电子(南通)股份有限公司"), "甲"),
        Item(2, 20, normalise_company("南通康源电子有限公司"), "乙"),
        Item(3, 10, normalise_company("江苏康源电子有限公司"), "丙"),
        Item(4, 30, normalise_company("鸿睿电气有限公司"), "丁"),
        Item(5, 40, normalise_company("鸿睿电子有限公司"), "戊"),
    ]
    pairs = {(m.a, m.b, m.field) for m in find_matches(items)}
    assert pairs == {(1, 2, "investor"), (2, 3, "investor")}


def test_project_names_with_shared_tails_need_a_closer_match():
    a = Item(1, 10, "鼎盛", normalise_project("鼎盛集成电路产业园项目"))
    b = Item(2, 20, "微盛", normalise_project("微盛集成电路产业园项目"))
    c = Item(3, 30, "某某", normalise_project("鼎盛集成电路产业园建设项目"))
    assert [(m.a, m.b, m.field) for m in matches_for(a, [b, c])] == [(1, 3, "project")]
