"""Investment attraction: leads (线索) worked by the teams, and industry chains (产业链)
with their links, local firms and target lists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haotong.attraction import stages
from haotong.core.amounts import format_yuan
from haotong.core.models import AuditEntry, Team
from haotong.ledger.models import Enterprise, Project, validate_industry_code

if TYPE_CHECKING:
    from haotong.core.models import User


class Chain(models.Model):
    name = models.CharField(_("产业链"), max_length=100, unique=True)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    synthetic = models.BooleanField(_("演示生成"), default=False)
    # Bumped by every structural edit (links, their order, their firms), so a stale
    # editor form is refused (services.ChainConflictError) instead of overwriting.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("产业链")
        verbose_name_plural = _("产业链")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("attraction:chain_detail", args=[self.pk])


class ChainLink(models.Model):
    """One link of a chain; ``position`` orders them upstream (0) to downstream."""

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="links")
    name = models.CharField(_("环节"), max_length=100)
    position = models.PositiveSmallIntegerField(_("上下游次序"))
    industry_codes = models.CharField(
        _("对应行业代码"), max_length=100, blank=True, help_text=_("用逗号分隔，如 C3973,C3985")
    )
    synthetic = models.BooleanField(_("演示生成"), default=False)

    class Meta:
        verbose_name = _("产业链环节")
        verbose_name_plural = _("产业链环节")
        ordering = ["chain", "position"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "name"], name="chainlink_unique_name"),
            models.UniqueConstraint(fields=["chain", "position"], name="chainlink_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.chain.name} · {self.name}"


class ChainFirm(models.Model):
    link = models.ForeignKey(ChainLink, on_delete=models.CASCADE, related_name="firms")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="chain_memberships"
    )
    is_anchor = models.BooleanField(_("链主"), default=False)

    class Meta:
        verbose_name = _("链上企业")
        verbose_name_plural = _("链上企业")
        constraints = [
            models.UniqueConstraint(fields=["link", "enterprise"], name="chainfirm_unique")
        ]

    def __str__(self) -> str:
        return f"{self.link.name} · {self.enterprise.name}"


class ChainTarget(models.Model):
    """A firm to court for a gap (目标企业清单); turned into a lead with one click."""

    link = models.ForeignKey(ChainLink, on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(_("目标企业"), max_length=200)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    lead = models.OneToOneField(
        "Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="chain_target"
    )
    synthetic = models.BooleanField(_("演示生成"), default=False)

    class Meta:
        verbose_name = _("目标企业")
        verbose_name_plural = _("目标企业")
        ordering = ["link", "id"]
        constraints = [
            models.UniqueConstraint(fields=["link", "name"], name="chaintarget_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class LeadQuerySet(models.QuerySet["Lead"]):
    def visible_to(self, user: User) -> LeadQuerySet:
        """District roles see every lead; a team member those of teams in their unit's subtree."""
        if user.is_district_wide:
            return self
        if user.role != "team_member" or user.org_unit is None:
            return self.none()
        return self.filter(team__org_unit__path__startswith=user.org_unit.path)

    def open(self) -> LeadQuerySet:
        return self.filter(stage__in=stages.OPEN_STAGES)


class Lead(models.Model):
    class Source(models.TextChoices):
        VISIT = "visit", _("走访")
        FAIR = "fair", _("展会")
        AGENT = "agent", _("中介")
        REFERRAL = "referral", _("以商招商")
        CHAIN = "chain", _("产业链")
        NEWS = "news", _("新闻线索")

    project_name = models.CharField(_("项目名称"), max_length=200)
    investor_name = models.CharField(_("投资方"), max_length=200)
    investor = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
        verbose_name=_("投资方（库内企业）"),
    )
    source = models.CharField(_("线索来源"), max_length=20, choices=Source.choices)
    industry_code = models.CharField(
        _("行业代码"), max_length=5, blank=True, validators=[validate_industry_code]
    )
    chain_link = models.ForeignKey(
        ChainLink,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
        verbose_name=_("产业链环节"),
    )
    intended_investment_yuan = models.DecimalField(
        _("意向投资（元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="leads", verbose_name=_("跟进队伍")
    )
    stage = models.CharField(
        _("阶段"),
        max_length=20,
        choices=list(stages.STAGE_LABELS.items()),
        default=stages.ACQUIRED,
        db_index=True,
    )
    stage_on = models.DateField(_("阶段日期"))
    acquired_on = models.DateField(_("获取日期"))
    abandon_reason = models.CharField(_("放弃原因"), max_length=300, blank=True)
    next_action = models.CharField(_("下一步"), max_length=200, blank=True)
    next_action_on = models.DateField(_("下一步日期"), null=True, blank=True)
    project = models.OneToOneField(
        Project,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="source_lead",
        verbose_name=_("转入项目"),
    )
    # Normalised names for duplicate detection (duplicates.normalise_*), kept in step on save.
    investor_key = models.CharField(max_length=200, blank=True, editable=False)
    project_key = models.CharField(max_length=200, blank=True, editable=False)
    synthetic = models.BooleanField(_("演示生成"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LeadQuerySet.as_manager()

    class Meta:
        verbose_name = _("线索")
        verbose_name_plural = _("线索")
        ordering = ["-acquired_on", "-id"]
        indexes = [models.Index(fields=["team", "stage"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(intended_investment_yuan__gte=0), name="lead_investment_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(stage="abandoned") | ~Q(abandon_reason=""),
                name="lead_abandon_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.project_name

    def get_absolute_url(self) -> str:
        return reverse("attraction:lead_detail", args=[self.pk])

    @property
    def stage_label(self) -> str:
        return stages.STAGE_LABELS[self.stage]

    @property
    def investment_label(self) -> str:
        return format_yuan(self.intended_investment_yuan)

    @property
    def is_open(self) -> bool:
        return stages.is_open(self.stage)


class LeadStageChange(models.Model):
    """One move of a lead through the stage machine, with who and why."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="stage_changes")
    stage = models.CharField(_("阶段"), max_length=20, choices=list(stages.STAGE_LABELS.items()))
    on = models.DateField(_("日期"))
    reason = models.CharField(_("说明"), max_length=300, blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=AuditEntry.Source.choices)
    recorded_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("线索阶段变化")
        verbose_name_plural = _("线索阶段变化")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.lead} {stages.STAGE_LABELS[self.stage]} {self.on:%Y-%m-%d}"

    @property
    def stage_label(self) -> str:
        return stages.STAGE_LABELS[self.stage]


class LeadActivity(models.Model):
    """A follow-up (跟进): a visit, call or meeting, dated, with who went and what came of it."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("走访")
        CALL = "call", _("电话")
        MEETING = "meeting", _("会谈")

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("方式"), max_length=10, choices=Kind.choices)
    on = models.DateField(_("日期"))
    who = models.CharField(_("参与人"), max_length=100)
    note = models.TextField(_("情况"), blank=True)
    recorded_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    synthetic = models.BooleanField(_("演示生成"), default=False)

    class Meta:
        verbose_name = _("跟进记录")
        verbose_name_plural = _("跟进记录")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["lead", "-on"])]

    def __str__(self) -> str:
        return f"{self.lead} {self.get_kind_display()} {self.on:%Y-%m-%d}"


class LeadConflict(models.Model):
    """Two teams pursuing what looks like the same investor or project; settled by the
    district (pick the owning team, or not a duplicate), never merged silently."""

    class Status(models.TextChoices):
        OPEN = "open", _("待裁定")
        OWNER_CHOSEN = "owner_chosen", _("已裁定归属")
        NOT_DUPLICATE = "not_duplicate", _("非重复")

    lead_a = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="+")
    lead_b = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="+")
    matched_on = models.CharField(_("相似字段"), max_length=20)
    score = models.DecimalField(_("相似度"), max_digits=5, decimal_places=1)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    owner_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("裁定跟进队伍")
    )
    note = models.CharField(_("裁定说明"), max_length=300, blank=True)
    settled_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    settled_at = models.DateTimeField(null=True, blank=True)
    detected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("重复线索")
        verbose_name_plural = _("重复线索")
        ordering = ["-detected_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["lead_a", "lead_b"], name="leadconflict_unique_pair"),
            models.CheckConstraint(
                condition=Q(lead_a__lt=models.F("lead_b")), name="leadconflict_ordered_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lead_a_id} ↔ {self.lead_b_id}"

    @property
    def matched_label(self) -> str:
        return {"investor": "投资方", "project": "项目名称"}.get(self.matched_on, self.matched_on)
