"""Documents read by the ingest engine and the candidate facts a person reviews.

A Document keeps the decoded original text (line endings normalised to ``\\n``),
so the evidence offsets the engine gives point into ``Document.text``. Each
project fact becomes a Candidate; nothing reaches the ledger until a person
accepts one (``services.accept_candidate``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from haotong.core.amounts import QUALIFIER_LABELS, format_yuan
from haotong.core.models import OrgUnit

if TYPE_CHECKING:
    from haotong.core.models import User

# Stage codes the engine gives, with the words a clerk reads.
FACT_STAGE_LABELS: dict[str, str] = {
    "negotiating": "在谈",
    "signed": "签约",
    "started": "开工",
    "under_construction": "在建",
    "completed": "竣工",
    "production": "投产",
    "capacity": "达产",
}


def _scope_q(user: User, prefix: str) -> Q:
    """Candidates whose project would be in a team member's org-unit subtree."""
    path = user.org_unit.path if user.org_unit else "\x00"
    return (
        Q(**{f"{prefix}town__path__startswith": path})
        | Q(**{f"{prefix}matched_project__town__path__startswith": path})
        | Q(**{f"{prefix}matched_project__owner_team__org_unit__path__startswith": path})
    )


class DocumentQuerySet(models.QuerySet["Document"]):
    def visible_to(self, user: User) -> DocumentQuerySet:
        """District roles see every document; editors see what they uploaded and
        documents with a candidate in their scope; others nothing."""
        if user.is_district_wide:
            return self
        if not user.can_edit_ledger or user.org_unit is None:
            return self.none()
        in_scope = Candidate.objects.filter(_scope_q(user, ""), document=OuterRef("pk"))
        return self.filter(Q(uploaded_by=user) | Exists(in_scope))


class Document(models.Model):
    class Origin(models.TextChoices):
        UPLOAD = "upload", _("上传文件")
        PASTE = "paste", _("粘贴文本")
        API = "api", _("接口")
        DEMO = "demo", _("演示")

    name = models.CharField(_("来源名称"), max_length=200)
    text = models.TextField(_("原文"))
    encoding = models.CharField(_("编码"), max_length=20)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size_bytes = models.PositiveIntegerField(_("大小（字节）"))
    origin = models.CharField(_("来源方式"), max_length=10, choices=Origin.choices)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    date_found = models.BooleanField(
        _("日期取自原文"), default=False, help_text=_("否：由上传人填写或未知")
    )
    uploaded_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # What the engine found besides projects, kept for display: titles, aggregates,
    # people and quotes in the engine's JSON shape (see ingest/README.md).
    extras = models.JSONField(_("其他抽取结果"), default=dict, blank=True)
    synthetic = models.BooleanField(_("演示生成"), default=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("文档")
        verbose_name_plural = _("文档")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """Name and date, as the ledger's source detail shows it."""
        when = f"{self.published_on:%Y-%m-%d}，" if self.published_on else ""
        return f"{self.name}（{when}文档#{self.pk}）"


class CandidateQuerySet(models.QuerySet["Candidate"]):
    def visible_to(self, user: User) -> CandidateQuerySet:
        if user.is_district_wide:
            return self
        if not user.can_edit_ledger or user.org_unit is None:
            return self.none()
        return self.filter(Q(document__uploaded_by=user) | _scope_q(user, ""))

    def for_review(self) -> CandidateQuerySet:
        return self.select_related(
            "town", "decided_by", "project", "matched_project__town"
        ).order_by("position", "id")


class Candidate(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        EDITED = "edited", _("已修改待确认")
        ACCEPTED = "accepted", _("已采纳")
        REJECTED = "rejected", _("已驳回")

    OPEN = (Status.PENDING, Status.EDITED)

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("文档")
    )
    position = models.PositiveIntegerField(_("序号"))
    name = models.CharField(_("项目名称"), max_length=200)
    company = models.CharField(_("企业"), max_length=200, blank=True)
    place = models.CharField(_("地点（原文）"), max_length=200, blank=True)
    town = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("所在镇街/园区")
    )
    investment_yuan = models.DecimalField(
        _("总投资（元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    investment_qualifier = models.CharField(_("金额限定"), max_length=10, blank=True)
    stage = models.CharField(
        _("阶段"), max_length=20, blank=True, choices=list(FACT_STAGE_LABELS.items())
    )
    # "YYYY-MM-DD" or "YYYY-MM" as the text says it; "" when it gives no date.
    fact_date = models.CharField(_("日期"), max_length=10, blank=True)
    capacity = models.CharField(_("产能"), max_length=200, blank=True)
    evidence_start = models.PositiveIntegerField(_("依据起点"))
    evidence_end = models.PositiveIntegerField(_("依据终点"))
    # The sentence around the evidence span: what the ledger event keeps as its evidence.
    evidence = models.TextField(_("依据"), blank=True)
    # The engine's fact as it came out (kept when a clerk edits), with its events.
    original = models.JSONField(_("原始抽取"), default=dict)
    # Best match in the whole ledger when the document was read; drives who sees it.
    matched_project = models.ForeignKey(
        "ledger.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("最佳匹配"),
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    reason = models.CharField(_("驳回理由"), max_length=300, blank=True)
    project = models.ForeignKey(
        "ledger.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ingest_candidates",
        verbose_name=_("采纳到项目"),
    )
    stage_event = models.ForeignKey(
        "ledger.StageEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("登记的阶段事件"),
    )
    note = models.CharField(_("处理说明"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        "core.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("处理人"),
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("候选事实")
        verbose_name_plural = _("候选事实")
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "position"], name="candidate_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(evidence_end__gte=models.F("evidence_start")),
                name="candidate_evidence_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.stage_label or '无阶段'}）"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def stage_label(self) -> str:
        return FACT_STAGE_LABELS.get(self.stage, "")

    @property
    def investment_label(self) -> str:
        if self.investment_yuan is None:
            return "未披露"
        return QUALIFIER_LABELS.get(self.investment_qualifier, "") + format_yuan(
            self.investment_yuan
        )

    @property
    def date_label(self) -> str:
        if len(self.fact_date) == 7:
            return f"{int(self.fact_date[:4])}年{int(self.fact_date[5:])}月"
        if self.fact_date:
            on = date.fromisoformat(self.fact_date)
            return f"{on.year}年{on.month}月{on.day}日"
        return ""
