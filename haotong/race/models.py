"""The race (赛马): versioned scoring rules and the monthly report's snapshots.

Standings themselves are not stored: they are computed from ledger events by
``engine.py`` whenever asked. A monthly report (RaceReport + one RaceSnapshot per
team) freezes one month's result for the 红旗/末位 list and the rank history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from haotong.core.models import Team, User
from haotong.race import rules


class RaceRuleQuerySet(models.QuerySet["RaceRule"]):
    def in_effect(self, as_of: date) -> RaceRule | None:
        """The version in effect on ``as_of``: latest effective date, then highest version."""
        return (
            self.filter(effective_from__lte=as_of).order_by("-effective_from", "-version").first()
        )


class RaceRule(models.Model):
    """One version of the scoring weights. Never edited: an edit is a new version."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    effective_from = models.DateField(_("生效日期"))
    weights = models.JSONField(_("权重"))
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("修改人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RaceRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("赛马计分规则")
        verbose_name_plural = _("赛马计分规则")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"赛马计分规则 v{self.version}（{self.effective_from:%Y-%m-%d} 起）"

    def clean(self) -> None:
        try:
            rules.parse_weights(self.weights, version=self.version or 0)
        except rules.RuleError as exc:
            raise ValidationError({"weights": [str(exc)]}) from exc

    def to_rule(self) -> rules.Rule:
        return rules.parse_weights(self.weights, version=self.version)


class RaceReport(models.Model):
    """The monthly report (赛马月报): one month's standings frozen, recomputable."""

    month = models.DateField(_("月份"), unique=True, help_text=_("该月第一天"))
    as_of = models.DateField(_("计算截至"))
    rule = models.ForeignKey(RaceRule, on_delete=models.PROTECT, verbose_name=_("计分规则"))
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)
    computed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("计算人")
    )

    class Meta:
        verbose_name = _("赛马月报")
        verbose_name_plural = _("赛马月报")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y年%-m月}赛马月报"

    @property
    def code(self) -> str:
        return f"{self.month:%Y-%m}"


class RaceSnapshot(models.Model):
    class Flag(models.TextChoices):
        NONE = "", _("（无）")
        RED = "red", _("红旗")
        LAST = "last", _("末位")

    report = models.ForeignKey(RaceReport, on_delete=models.CASCADE, related_name="rows")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="race_snapshots")
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    points_milli = models.BigIntegerField(_("得分（千分）"))
    score_milli = models.BigIntegerField(_("排名分（千分）"))
    signed = models.PositiveIntegerField(_("签约"))
    started = models.PositiveIntegerField(_("开工"))
    completed_yuan = models.DecimalField(_("完成投资（元）"), max_digits=18, decimal_places=2)
    tech = models.PositiveIntegerField(_("科创"))
    talent = models.PositiveIntegerField(_("人才"))
    major = models.PositiveIntegerField(_("重大招商"))
    last_scored_on = models.DateField(_("最后得分日期"), null=True, blank=True)
    unranked_reason = models.CharField(_("未排名原因"), max_length=200, blank=True)
    flag = models.CharField(_("标记"), max_length=10, choices=Flag.choices, blank=True)

    class Meta:
        verbose_name = _("赛马月报行")
        verbose_name_plural = _("赛马月报行")
        ordering = ["report", models.F("rank").asc(nulls_last=True), "team__name"]
        constraints = [
            models.UniqueConstraint(fields=["report", "team"], name="race_one_row_per_team_month")
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.team} {self.rank or '—'}"

    @property
    def points(self) -> Decimal:
        return Decimal(self.points_milli) / 1000
