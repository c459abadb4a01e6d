"""The project ledger: enterprises, projects, their dated stage events, monthly
investment reports and groundbreaking batches (集中开工)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc

from haotong.core import labels
from haotong.core.amounts import format_yuan
from haotong.core.models import AuditEntry, DistrictSetting, OrgUnit, Team
from haotong.ledger import industries, stages

if TYPE_CHECKING:
    from haotong.core.models import User

MAJOR_THRESHOLD_KEY = "major_project_min_investment_yuan"
DEFAULT_MAJOR_THRESHOLD = Decimal("1000000000")  # 10亿元


AS_OF_KEY = "ledger_as_of"


def ledger_as_of() -> date:
    """The date the ledger's figures are as of: a district setting (the demo is as
    of its article), else today. Overdue checks count from it."""
    row = DistrictSetting.objects.filter(key=AS_OF_KEY).first()
    return date.fromisoformat(row.value) if row else timezone.localdate()


def major_threshold() -> Decimal:
    """What counts as a major project (重大项目): a district setting, not a flag."""
    row = DistrictSetting.objects.filter(key=MAJOR_THRESHOLD_KEY).first()
    return Decimal(row.value) if row else DEFAULT_MAJOR_THRESHOLD


def validate_credit_code(value: str) -> None:
    if not uscc.is_valid(value):
        raise ValidationError(
            _("统一社会信用代码「%(v)s」无效：应为18位且校验位正确（GB 32100-2015）"),
            params={"v": value},
        )


def validate_industry_code(value: str) -> None:
    if not industries.is_valid(value):
        raise ValidationError(_("行业代码「%(v)s」不在国民经济行业分类中"), params={"v": value})


class EnterpriseQuerySet(models.QuerySet["Enterprise"]):
    def visible_to(self, user: User) -> EnterpriseQuerySet:
        if user.is_district_wide:
            return self
        if user.role == "enterprise":
            return self.filter(pk=user.enterprise_id) if user.enterprise_id else self.none()
        if user.org_unit is None:
            return self.none()
        path = user.org_unit.path
        return self.filter(
            Q(town__path__startswith=path)
            | Q(projects__town__path__startswith=path)
            | Q(projects__owner_team__org_unit__path__startswith=path)
        ).distinct()


class Enterprise(models.Model):
    class Size(models.TextChoices):
        LARGE = "large", _("大型")
        MEDIUM = "medium", _("中型")
        SMALL = "small", _("小型")
        MICRO = "micro", _("微型")

    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("报道未给出代码的企业留空"),
    )
    name = models.CharField(_("企业名称"), max_length=200, unique=True)
    industry_code = models.CharField(
        _("行业代码"), max_length=5, blank=True, validators=[validate_industry_code]
    )
    town = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("所在镇街/园区")
    )
    size_class = models.CharField(_("规模"), max_length=10, choices=Size.choices, blank=True)
    founded = models.DateField(_("成立日期"), null=True, blank=True)
    # Attributes policy matching reads; null means "not known", never zero.
    employees = models.PositiveIntegerField(_("从业人数"), null=True, blank=True)
    revenue_yuan = models.DecimalField(
        _("营业收入（元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    tax_yuan = models.DecimalField(
        _("纳税额（元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    rd_expense_yuan = models.DecimalField(
        _("研发费用（元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    rd_ratio = models.DecimalField(
        _("研发费用占比（%）"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    land_mu = models.DecimalField(
        _("用地（亩）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    chain_link = models.CharField(_("产业链环节"), max_length=100, blank=True)
    is_high_tech = models.BooleanField(_("高新技术企业"), null=True, blank=True)
    is_specialized = models.BooleanField(_("专精特新"), null=True, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    synthetic = models.BooleanField(_("演示生成"), default=False)
    source_note = models.CharField(_("数据来源"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("ledger:enterprise_detail", args=[self.pk])

    @property
    def industry_label(self) -> str:
        return labels.label(industries.label(self.industry_code))


class ProjectQuerySet(models.QuerySet["Project"]):
    def visible_to(self, user: User) -> ProjectQuerySet:
        if user.is_district_wide:
            return self
        if user.role == "enterprise":
            if not user.enterprise_id:
                return self.none()
            return self.filter(investors=user.enterprise_id)
        if user.org_unit is None:
            return self.none()
        path = user.org_unit.path
        return self.filter(
            Q(town__path__startswith=path) | Q(owner_team__org_unit__path__startswith=path)
        )

    def major(self) -> ProjectQuerySet:
        return self.filter(investment_yuan__gte=major_threshold())

    def live(self) -> ProjectQuerySet:
        return self.exclude(stage=stages.TERMINATED)


class Project(models.Model):
    class Qualifier(models.TextChoices):
        EXACT = "", _("（无）")
        NEAR = "near", _("近")
        ABOUT = "about", _("约")
        OVER = "over", _("超")
        PLANNED = "planned", _("计划")

    name = models.CharField(_("项目名称"), max_length=200)
    aliases = models.CharField(
        _("别名"), max_length=300, blank=True, help_text=_("报道中的其他叫法，用顿号分隔")
    )
    investors = models.ManyToManyField(
        Enterprise, blank=True, related_name="projects", verbose_name=_("投资主体")
    )
    industry_code = models.CharField(
        _("行业代码"), max_length=5, blank=True, validators=[validate_industry_code]
    )
    chain_link = models.CharField(_("产业链环节"), max_length=100, blank=True)
    town = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="projects", verbose_name=_("所在镇街/园区")
    )
    investment_yuan = models.DecimalField(
        _("总投资（元）"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("来源未披露时留空，显示为「未披露」"),
    )
    investment_qualifier = models.CharField(
        _("金额限定"), max_length=10, choices=Qualifier.choices, blank=True, default=""
    )
    fixed_asset_yuan = models.DecimalField(
        _("固定资产投资（元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    land_mu = models.DecimalField(
        _("用地（亩）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    planned_output_yuan = models.DecimalField(
        _("预计年产值/销售（元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    planned_tax_yuan = models.DecimalField(
        _("预计年税收（元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    capacity_text = models.CharField(_("产能"), max_length=200, blank=True)
    tag_tech = models.BooleanField(_("科创项目"), default=False)
    tag_talent = models.BooleanField(_("人才项目"), default=False)
    tag_major_attraction = models.BooleanField(_("重大招商项目"), default=False)
    advanced_manufacturing = models.BooleanField(_("先进制造业"), default=False)
    owner_team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("招引队伍"),
    )
    leader_in_charge = models.CharField(_("挂钩领导"), max_length=50, blank=True)
    synthetic = models.BooleanField(_("演示生成"), default=False)
    source_note = models.CharField(_("数据来源"), max_length=300, blank=True)
    # Derived from the events by services.record_stage_event, kept here so the
    # list can filter and sort by stage at province scale; `haotong check-stages`
    # recomputes it from the events and reports any drift.
    stage = models.CharField(
        _("当前阶段"),
        max_length=20,
        choices=labels.STAGE_CHOICES,
        blank=True,
        db_index=True,
    )
    stage_date = models.DateField(_("阶段日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = [models.F("investment_yuan").desc(nulls_last=True), "id"]
        constraints = [
            models.UniqueConstraint(fields=["town", "name"], name="project_unique_name_in_town"),
            models.CheckConstraint(
                condition=Q(investment_yuan__gte=0), name="project_investment_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["town", "stage"]),
            models.Index(fields=["industry_code"]),
            models.Index(fields=["owner_team"]),
            models.Index(fields=["stage_date"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("ledger:project_detail", args=[self.pk])

    @property
    def investment_label(self) -> str:
        if self.investment_yuan is None:
            return gettext("未披露")
        return labels.amount(self.investment_yuan, self.investment_qualifier)

    @property
    def stage_label(self) -> str:
        return labels.label(stages.STATE_LABELS.get(self.stage, "未登记"))

    @property
    def industry_label(self) -> str:
        return labels.label(industries.label(self.industry_code))

    @property
    def tags(self) -> list[str]:
        return [
            gettext(text)
            for flag, text in (
                (self.tag_major_attraction, "重大招商"),
                (self.tag_tech, "科创"),
                (self.tag_talent, "人才"),
            )
            if flag
        ]

    def is_major(self, threshold: Decimal | None = None) -> bool:
        if self.investment_yuan is None:
            return False
        return self.investment_yuan >= (major_threshold() if threshold is None else threshold)


class StageEvent(models.Model):
    class Precision(models.TextChoices):
        DAY = "day", _("日")
        MONTH = "month", _("月")
        NOT_AFTER = "not_after", _("不晚于")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="events", verbose_name=_("项目")
    )
    stage = models.CharField(_("阶段"), max_length=20, choices=labels.STAGE_CHOICES)
    date = models.DateField(_("日期"))
    date_precision = models.CharField(
        _("日期精度"), max_length=10, choices=Precision.choices, default=Precision.DAY
    )
    source = models.CharField(_("来源"), max_length=20, choices=AuditEntry.Source.choices)
    source_detail = models.CharField(_("来源说明"), max_length=300, blank=True)
    evidence = models.TextField(_("依据"), blank=True)
    recorded_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("登记人")
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    synthetic = models.BooleanField(_("演示生成"), default=False)

    class Meta:
        verbose_name = _("阶段事件")
        verbose_name_plural = _("阶段事件")
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["project", "date", "id"]),
            models.Index(fields=["stage", "date"]),
            # The dashboard's "signed half a year ago, not started" check (queries.py).
            models.Index(fields=["project", "stage", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.stage_label} {self.date:%Y-%m-%d}"

    @property
    def stage_label(self) -> str:
        return labels.label(stages.STAGE_LABELS[self.stage])

    @property
    def date_label(self) -> str:
        if self.date_precision == self.Precision.MONTH:
            return labels.month(self.date)
        if self.date_precision == self.Precision.NOT_AFTER:
            return labels.not_after(self.date)
        return labels.day(self.date)


class InvestmentReport(models.Model):
    """Investment completed in one month (月度完成投资), as reported."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="investment_reports"
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    completed_yuan = models.DecimalField(_("当月完成投资（元）"), max_digits=16, decimal_places=2)
    source = models.CharField(_("来源"), max_length=20, choices=AuditEntry.Source.choices)
    synthetic = models.BooleanField(_("演示生成"), default=False)

    class Meta:
        verbose_name = _("月度投资")
        verbose_name_plural = _("月度投资")
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "month"], name="one_report_per_project_month"
            ),
            models.CheckConstraint(condition=Q(completed_yuan__gte=0), name="report_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.month:%Y-%m} {format_yuan(self.completed_yuan)}"


class Groundbreaking(models.Model):
    """集中开工: a dated batch. Its totals and shares are computed from the projects."""

    name = models.CharField(_("名称"), max_length=200)
    date = models.DateField(_("日期"), unique=True)
    projects = models.ManyToManyField(
        Project, related_name="groundbreakings", verbose_name=_("项目")
    )
    reported_count = models.PositiveIntegerField(_("报道项目数"), null=True, blank=True)
    reported_total_yuan = models.DecimalField(
        _("报道总投资（元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    source_note = models.CharField(_("数据来源"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("集中开工")
        verbose_name_plural = _("集中开工")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
