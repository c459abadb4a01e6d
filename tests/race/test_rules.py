"""Rule validation (pure) and rule versions (service)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haotong.core.models import AuditEntry
from haotong.race import services
from haotong.race.models import RaceRule
from haotong.race.rules import DEFAULT_WEIGHTS, RuleError, parse_period, parse_weights


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ('{"started": 10,', "不是有效的 JSON"),
        ({**DEFAULT_WEIGHTS, "started": "十"}, "「started」必须是数字"),
        ({**DEFAULT_WEIGHTS, "started": -1}, "「started」必须在 0 到"),
        ({**DEFAULT_WEIGHTS, "per_yi_completed": True}, "「per_yi_completed」必须是数字"),
        ({**DEFAULT_WEIGHTS, "tags": {"tech": 3, "green": 1}}, "「tags」中有未知的键：green"),
        ({**DEFAULT_WEIGHTS, "bonus": 1}, "未知的键：bonus"),
        ({k: v for k, v in DEFAULT_WEIGHTS.items() if k != "started"}, "缺少必填的键：started"),
        ({**DEFAULT_WEIGHTS, "signed_bands": [{"min_yi": 1}]}, "「signed_bands[0]」必须恰好包含"),
        (
            {**DEFAULT_WEIGHTS, "signed_bands": [{"min_yi": 5, "points": "x"}]},
            "「signed_bands[0].points」必须是数字",
        ),
        (
            {**DEFAULT_WEIGHTS, "signed_bands": [{"min_yi": 5, "points": 1}] * 2},
            "重复的 min_yi",
        ),
        ({**DEFAULT_WEIGHTS, "started": 1.23456}, "最多保留3位小数"),
        ({**DEFAULT_WEIGHTS, "per_staff": "yes"}, "「per_staff」必须是 true 或 false"),
        ({**DEFAULT_WEIGHTS, "minimums": {"signed": 1.5}}, "「minimums.signed」必须是"),
    ],
)
def test_it_refuses_weights_that_do_not_parse_naming_the_key(weights, message):
    with pytest.raises(RuleError, match=re.escape(message)):
        parse_weights(weights)


def test_it_accepts_the_default_weights_and_numeric_strings():
    rule = parse_weights({**DEFAULT_WEIGHTS, "started": "10.5"})
    assert rule.started_milli == 10_500
    assert [b.points_milli for b in rule.bands] == [30_000, 15_000, 5_000]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2023", date(2023, 1, 1), date(2023, 12, 31)),
        ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
    ],
)
def test_periods_parse_to_their_first_and_last_day(text, start, end):
    p = parse_period(text)
    assert (p.start, p.end) == (start, end)


def test_each_edit_is_a_new_audited_version_and_old_ones_are_kept(rule_v1, colleague):
    v2 = services.create_rule_version(
        actor=colleague,
        weights=json.dumps({**DEFAULT_WEIGHTS, "started": 12}),
        effective_from=date(2023, 1, 1),
        note="开工加分",
        expected_version=1,
        source="user",
    )
    assert v2.version == 2
    assert RaceRule.objects.count() == 2
    assert RaceRule.objects.get(version=1).weights["started"] == 10
    entry = AuditEntry.objects.get(model="race.racerule", object_id=str(v2.pk))
    assert entry.actor == colleague
    assert entry.before["version"] == 1 and entry.after["weights"]["started"] == 12
    assert RaceRule.objects.in_effect(date(2022, 12, 31)).version == 1
    assert RaceRule.objects.in_effect(date(2023, 1, 1)).version == 2


def test_bad_weights_save_nothing(rule_v1, colleague):
    with pytest.raises(ValidationError) as exc:
        services.create_rule_version(
            actor=colleague,
            weights={**DEFAULT_WEIGHTS, "started": "abc"},
            effective_from=date(2023, 1, 1),
            expected_version=1,
            source="user",
        )
    assert "「started」必须是数字" in str(exc.value)
    assert RaceRule.objects.count() == 1
    assert AuditEntry.objects.filter(model="race.racerule").count() == 1


def test_a_stale_edit_is_refused_instead_of_overwriting(rule_v1, colleague):
    kwargs = {"actor": colleague, "weights": DEFAULT_WEIGHTS, "source": "user"}
    services.create_rule_version(**kwargs, effective_from=date(2023, 1, 1), expected_version=1)
    with pytest.raises(services.ConflictError, match="已被他人修改"):
        services.create_rule_version(**kwargs, effective_from=date(2023, 2, 1), expected_version=1)
    assert RaceRule.objects.count() == 2


def test_team_members_cannot_edit_rules(rule_v1, owner):
    with pytest.raises(PermissionDenied):
        services.create_rule_version(
            actor=owner,
            weights=DEFAULT_WEIGHTS,
            effective_from=date(2023, 1, 1),
            expected_version=1,
            source="user",
        )
