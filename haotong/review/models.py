"""研判会商: the major-project review as records.

A ``ReviewPolicy`` version holds the rules (thresholds, verdict rule, rubric of
``Criterion`` rows); editing publishes a new version and old reviews keep the one
they were called under. A ``Review`` invites departments in parallel
(``Invitation``, wagtail's TaskState idea); each department's reviewer gives one
``Opinion`` with a ``Score`` per criterion; late departments are chased
(``Reminder``). Every transition is written to the audit trail against the review.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haotong.core.models import OrgUnit, Role
from haotong.review import engine

if TYPE_CHECKING:
    from haotong.core.models import User

# District roles that call reviews, see all of them and record verdicts.
MANAGER_ROLES = frozenset({Role.LEADER, Role.ANALYST, Role.ADMIN})
# Read-only over every review (the auditor reads every change).
READER_ROLES = MANAGER_ROLES | {Role.AUDITOR}


def can_manage_reviews(user: User) -> bool:
    return user.is_superuser or user.role in MANAGER_ROLES


class ReviewPolicy(models.Model):
    """One version of the review rules. The highest version is in force."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    min_investment_yuan = models.DecimalField(
        _("研判门槛：总投资（元）"), max_digits=16, decimal_places=2, default=Decimal("1000000000")
    )
    manufacturing_min_yuan = models.DecimalField(
        _("研判门槛：制造业总投资（元）"),
        max_digits=16,
        decimal_places=2,
        default=Decimal("100000000"),
    )
    manufacturing_sections = models.CharField(
        _("制造业行业门类"), max_length=20, default="C", help_text=_("国民经济行业分类门类字母")
    )
    pass_score = models.DecimalField(
        _("通过分（百分制）"), max_digits=5, decimal_places=2, default=Decimal(75)
    )
    conditional_score = models.DecimalField(
        _("有条件通过分（百分制）"), max_digits=5, decimal_places=2, default=Decimal(60)
    )
    opinion_working_days = models.PositiveIntegerField(_("意见期限（工作日）"), default=5)
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("发布人")
    )
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("研判规则")
        verbose_name_plural = _("研判规则")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"研判规则 第{self.version}版"

    def thresholds(self) -> engine.Thresholds:
        sections = tuple(s.strip().upper() for s in self.manufacturing_sections.split(",") if s)
        return engine.Thresholds(
            min_investment_yuan=self.min_investment_yuan,
            manufacturing_min_yuan=self.manufacturing_min_yuan,
            manufacturing_sections=sections,
        )

    def rule(self) -> engine.VerdictRule:
        return engine.VerdictRule(
            pass_score=self.pass_score, conditional_score=self.conditional_score
        )

    def specs(self) -> list[engine.CriterionSpec]:
        return [c.spec() for c in self.criteria.all()]


class Criterion(models.Model):
    policy = models.ForeignKey(ReviewPolicy, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveIntegerField(_("顺序"), default=0)
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("评分项"), max_length=50)
    measure = models.CharField(_("考察指标"), max_length=100, blank=True)
    min_score = models.DecimalField(_("最低分"), max_digits=6, decimal_places=2, default=0)
    max_score = models.DecimalField(_("最高分"), max_digits=6, decimal_places=2, default=10)
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=2, default=1)
    veto = models.BooleanField(_("一票否决"), default=False)
    veto_below = models.DecimalField(
        _("否决线"), max_digits=6, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "code"], name="criterion_code_per_policy")
        ]

    def __str__(self) -> str:
        return self.name

    def spec(self) -> engine.CriterionSpec:
        return engine.CriterionSpec(
            code=self.code,
            name=self.name,
            min_score=self.min_score,
            max_score=self.max_score,
            weight=self.weight,
            veto=self.veto,
            veto_below=self.veto_below,
        )


def _ancestor_paths(path: str) -> list[str]:
    """ "/1/7/12/" → ["/1/", "/1/7/", "/1/7/12/"]: the unit and every unit above it."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


class ReviewQuerySet(models.QuerySet["Review"]):
    def visible_to(self, user: User) -> ReviewQuerySet:
        """District roles see every review; a reviewer only those their department is
        invited to; everyone else none."""
        if user.is_superuser or user.role in READER_ROLES:
            return self
        if user.role != Role.REVIEWER or user.org_unit is None:
            return self.none()
        paths = _ancestor_paths(user.org_unit.path)
        return self.filter(invitations__department__path__in=paths).distinct()


class Review(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        DECIDED = "decided", _("已结论")

    class Verdict(models.TextChoices):
        NONE = "", _("（未结论）")
        PASSED = engine.PASSED, _("通过")
        CONDITIONAL = engine.CONDITIONAL, _("有条件通过")
        REJECTED = engine.REJECTED, _("不通过")

    project = models.ForeignKey(
        "ledger.Project", on_delete=models.PROTECT, related_name="reviews", verbose_name=_("项目")
    )
    policy = models.ForeignKey(
        ReviewPolicy, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("规则版本")
    )
    reason = models.CharField(_("研判原因"), max_length=100, blank=True)
    called_by = models.ForeignKey(
        "core.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("发起人"),
    )
    called_on = models.DateField(_("发起日期"))
    deadline = models.DateField(_("意见截止日期"))
    note = models.TextField(_("会商说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    verdict = models.CharField(
        _("结论"), max_length=12, choices=Verdict.choices, blank=True, default=""
    )
    score = models.DecimalField(
        _("加权得分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    conditions = models.TextField(_("通过条件"), blank=True)
    veto_reasons = models.TextField(_("否决理由"), blank=True)
    decided_by = models.ForeignKey(
        "core.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("结论登记人"),
    )
    decided_on = models.DateField(_("结论日期"), null=True, blank=True)
    synthetic = models.BooleanField(_("演示生成"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("研判会商")
        verbose_name_plural = _("研判会商")
        ordering = ["-called_on", "-id"]
        constraints = [
            # One open review per project at a time.
            models.UniqueConstraint(
                fields=["project"], condition=Q(status="open"), name="one_open_review_per_project"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project}研判会商（{self.called_on:%Y-%m-%d}）"

    def get_absolute_url(self) -> str:
        return reverse("review:detail", args=[self.pk])

    @property
    def allows_signing(self) -> bool:
        return self.verdict in {engine.PASSED, engine.CONDITIONAL}


class Invitation(models.Model):
    """One department asked for its opinion; answered when its Opinion is in."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="invitations")
    department = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="review_invitations",
        limit_choices_to={"kind": OrgUnit.Kind.DEPARTMENT},
        verbose_name=_("部门"),
    )
    deadline = models.DateField(_("截止日期"))
    answered_on = models.DateField(_("提交日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("会商邀请")
        verbose_name_plural = _("会商邀请")
        ordering = ["department__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "department"], name="one_invitation_per_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.review} · {self.department}"


class Opinion(models.Model):
    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, related_name="opinion", verbose_name=_("邀请")
    )
    reviewer = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("审核人")
    )
    comments = models.TextField(_("意见"))
    conditions = models.TextField(_("建议条件"), blank=True)
    submitted_on = models.DateField(_("提交日期"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("部门意见")
        verbose_name_plural = _("部门意见")

    def __str__(self) -> str:
        return f"{self.invitation.department}意见"


class Score(models.Model):
    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["opinion", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion} {self.value}"


class Reminder(models.Model):
    """A chase (催办) of a department whose opinion is due or late."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="reminders")
    sent_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_on = models.DateField(_("催办日期"))
    working_days_late = models.PositiveIntegerField(_("逾期工作日"), default=0)
    note = models.CharField(_("催办说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("催办记录")
        verbose_name_plural = _("催办记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"催办 {self.invitation.department} {self.sent_on:%Y-%m-%d}"
