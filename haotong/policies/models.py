"""Policy catalogue (policies made of clauses, every rule edit kept as a version),
stored eligibility from matching runs, outreach tasks and grants (免申即享 and
applications) with their logged transitions."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haotong.core.models import OrgUnit, User
from haotong.ledger.models import Enterprise
from haotong.policies.engine.parser import LANGUAGE_VERSION


class Policy(models.Model):
    title = models.CharField(_("政策名称"), max_length=200)
    issuer = models.CharField(_("发文单位"), max_length=100)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    period_start = models.DateField(_("有效期起"), null=True, blank=True)
    period_end = models.DateField(_("有效期止"), null=True, blank=True)
    text = models.TextField(_("政策原文"), blank=True)
    synthetic = models.BooleanField(_("演示生成"), default=False)

    class Meta:
        verbose_name = _("惠企政策")
        verbose_name_plural = _("惠企政策")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("policies:policy_detail", args=[self.pk])


class ClauseQuerySet(models.QuerySet["Clause"]):
    def of_department(self, unit: OrgUnit) -> ClauseQuerySet:
        return self.filter(department__path__startswith=unit.path)


class Clause(models.Model):
    """One clause: an eligibility rule and a benefit, both in the rule language
    (engine/LANGUAGE.md). ``version`` counts edits; each one is a ClauseVersion."""

    policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, related_name="clauses", verbose_name=_("所属政策")
    )
    code = models.CharField(_("条款编号"), max_length=30)
    title = models.CharField(_("条款名称"), max_length=200)
    rule = models.TextField(_("适用条件（规则）"))
    language_version = models.PositiveSmallIntegerField(_("规则语言版本"), default=LANGUAGE_VERSION)
    benefit_formula = models.CharField(
        _("金额公式"),
        max_length=1000,
        blank=True,
        help_text=_("如 min(rd_expense_yuan * 0.1, 200万)"),
    )
    cap_yuan = models.DecimalField(
        _("封顶金额（元）"), null=True, blank=True, max_digits=16, decimal_places=2
    )
    combinable = models.BooleanField(_("可与本政策其他条款叠加"), default=True)
    auto_grant = models.BooleanField(_("免申即享"), default=False)
    department = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="policy_clauses", verbose_name=_("责任部门")
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ClauseQuerySet.as_manager()

    class Meta:
        verbose_name = _("政策条款")
        verbose_name_plural = _("政策条款")
        ordering = ["policy_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "code"], name="clause_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("policies:clause_detail", args=[self.pk])


class ClauseVersion(models.Model):
    """A clause as it was after one edit; the history never loses a rule."""

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("条款名称"), max_length=200)
    rule = models.TextField(_("适用条件（规则）"))
    language_version = models.PositiveSmallIntegerField(_("规则语言版本"))
    benefit_formula = models.CharField(_("金额公式"), max_length=1000, blank=True)
    cap_yuan = models.DecimalField(
        _("封顶金额（元）"), null=True, blank=True, max_digits=16, decimal_places=2
    )
    combinable = models.BooleanField(_("可叠加"))
    auto_grant = models.BooleanField(_("免申即享"))
    department = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    edited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT)
    edited_at = models.DateTimeField(_("修改时间"), auto_now_add=True)
    note = models.CharField(_("修改说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["clause_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "number"], name="clauseversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.clause_id} v{self.number}"


class MatchRun(models.Model):
    class Kind(models.TextChoices):
        FULL = "full", _("全量匹配")
        ENTERPRISE = "enterprise", _("单个企业刷新")
        CLAUSE = "clause", _("单个条款刷新")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    as_of = models.DateField(_("数据截至"))
    enterprises = models.PositiveIntegerField(_("企业数"), default=0)
    clauses = models.PositiveIntegerField(_("条款数"), default=0)
    eligible = models.PositiveIntegerField(_("符合"), default=0)
    unknown = models.PositiveIntegerField(_("无法判断"), default=0)
    engine_ms = models.FloatField(_("引擎耗时（毫秒）"), default=0)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Eligibility(models.Model):
    """Sparse result of matching: only eligible and unknown pairs are stored."""

    class Status(models.TextChoices):
        ELIGIBLE = "eligible", _("符合")
        UNKNOWN = "unknown", _("无法判断（缺少数据）")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="eligibilities")
    status = models.CharField(_("结果"), max_length=10, choices=Status.choices)
    benefit_yuan = models.DecimalField(
        _("可享金额（元）"),
        null=True,
        blank=True,
        help_text=_("空：金额无法计算"),
        max_digits=16,
        decimal_places=2,
    )
    clause_version = models.PositiveIntegerField(_("条款版本"))
    run = models.ForeignKey(MatchRun, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("匹配结果")
        verbose_name_plural = _("匹配结果")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "clause"], name="eligibility_unique")
        ]
        indexes = [models.Index(fields=["clause", "status"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id}×{self.clause_id} {self.status}"


class OutreachTask(models.Model):
    """Contacting an enterprise that qualifies but has not applied (主动告知)."""

    class Status(models.TextChoices):
        OPEN = "open", _("待联系")
        DONE = "done", _("已联系")

    class Outcome(models.TextChoices):
        NONE = "", _("—")
        WILL_APPLY = "will_apply", _("有意申报")
        APPLIED = "applied", _("已申报")
        DECLINED = "declined", _("企业不需要")
        UNREACHABLE = "unreachable", _("联系不上")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="outreach")
    department = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("经办人"),
    )  # fmt: skip
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="open")
    outcome = models.CharField(
        _("联系结果"), max_length=20, choices=Outcome.choices, blank=True, default=""
    )
    contacted_on = models.DateField(_("联系日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    synthetic = models.BooleanField(_("演示生成"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("政策告知任务")
        verbose_name_plural = _("政策告知任务")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "clause"], name="outreach_unique")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.clause.code}"


class Grant(models.Model):
    """An enterprise's uptake of a clause: 免申即享 (数据比对 → 意愿确认 → 拨付)
    or an application (已申报 → 拨付). Every transition is a GrantEvent."""

    class Status(models.TextChoices):
        MATCHED = "matched", _("数据比对")
        CONFIRMED = "confirmed", _("意愿确认")
        APPLIED = "applied", _("已申报")
        PAID = "paid", _("已拨付")
        DECLINED = "declined", _("企业放弃")
        REJECTED = "rejected", _("不予支持")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="grants")
    auto = models.BooleanField(_("免申即享"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    expected_yuan = models.DecimalField(
        _("测算金额（元）"), null=True, blank=True, max_digits=16, decimal_places=2
    )
    paid_yuan = models.DecimalField(
        _("拨付金额（元）"), null=True, blank=True, max_digits=16, decimal_places=2
    )
    paid_on = models.DateField(_("拨付日期"), null=True, blank=True)
    synthetic = models.BooleanField(_("演示生成"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("政策兑现")
        verbose_name_plural = _("政策兑现")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "clause"], name="grant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.clause.code} · {self.get_status_display()}"


class GrantEvent(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT)
    amount_yuan = models.DecimalField(null=True, blank=True, max_digits=16, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.grant_id} {self.from_status}→{self.to_status}"

    @property
    def label(self) -> str:
        return str(Grant.Status(self.to_status).label)
