"""Org units, people, teams and the audit trail: what every other app hangs on."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgUnit(models.Model):
    """A node of the district tree: the district, its departments and their sections,
    its towns/subdistricts and its parks. Scoping walks this tree."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("区")
        DEPARTMENT = "department", _("部门")
        SECTION = "section", _("科室")
        TOWN = "town", _("镇街")
        PARK = "park", _("园区")
        CENTER = "center", _("中心")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path ("/1/7/") so "this unit and everything below it" is one
    # indexed prefix query instead of a recursive walk.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="/")
    synthetic = models.BooleanField(_("演示生成"), default=False)

    class Meta:
        verbose_name = _("组织单元")
        verbose_name_plural = _("组织单元")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="orgunit_unique_name_in_parent")
        ]

    def __str__(self) -> str:
        return self.name

    def subtree(self) -> models.QuerySet[OrgUnit]:
        return OrgUnit.objects.filter(path__startswith=self.path)


class Role(models.TextChoices):
    LEADER = "leader", _("区领导")
    ANALYST = "analyst", _("发改委分析员")
    TEAM_MEMBER = "team_member", _("招商队伍成员")
    REVIEWER = "reviewer", _("部门审核员")
    CLERK = "clerk", _("审批窗口")
    ENTERPRISE = "enterprise", _("企业用户")
    AUDITOR = "auditor", _("审计")
    ADMIN = "admin", _("系统管理员")


# Roles that see every record of the district (the article's leaders and the
# 发改委 keep the whole ledger; departments review any project).
DISTRICT_WIDE_ROLES = frozenset(
    {Role.LEADER, Role.ANALYST, Role.REVIEWER, Role.CLERK, Role.AUDITOR, Role.ADMIN}
)
# Roles allowed to change ledger records (within their scope).
LEDGER_EDITOR_ROLES = frozenset({Role.ANALYST, Role.TEAM_MEMBER, Role.ADMIN})


class User(AbstractUser):
    role = models.CharField(
        _("角色"), max_length=20, choices=Role.choices, default=Role.TEAM_MEMBER
    )
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("所属单位")
    )
    enterprise = models.ForeignKey(
        "ledger.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("所属企业"),
        help_text=_("企业用户只能看到本企业及其投资的项目"),
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def is_district_wide(self) -> bool:
        return self.is_superuser or self.role in DISTRICT_WIDE_ROLES

    @property
    def can_edit_ledger(self) -> bool:
        return self.is_superuser or self.role in LEDGER_EDITOR_ROLES

    @property
    def sees_personal_data(self) -> bool:
        """ID and phone numbers are shown unmasked only to those who work with them."""
        return self.is_superuser or self.role in {Role.ANALYST, Role.ADMIN}


class Team(models.Model):
    """An investment team (招商队伍). The article's three kinds race each other."""

    class Kind(models.TextChoices):
        CENTER = "center", _("区投资服务中心")
        PARK = "park", _("园区")
        TOWN = "town", _("镇街")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, verbose_name=_("所属单位"))
    staff = models.PositiveIntegerField(_("专职人数"), default=0)
    synthetic = models.BooleanField(_("演示生成"), default=False)

    class Meta:
        verbose_name = _("招商队伍")
        verbose_name_plural = _("招商队伍")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class DistrictSetting(models.Model):
    """Thresholds the district changes without a deploy (e.g. what counts as major)."""

    key = models.SlugField(_("键"), max_length=60, unique=True)
    value = models.CharField(_("值"), max_length=200)
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("区级参数")
        verbose_name_plural = _("区级参数")

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class AuditEntry(models.Model):
    """One change to one record: who, when, what, before/after and from what source.

    Written only by service functions; never editable through the UI or API."""

    class Source(models.TextChoices):
        USER = "user", _("用户操作")
        IMPORT = "import", _("导入")
        DOCUMENT = "document", _("文档")
        API = "api", _("接口")
        SYSTEM = "system", _("系统")

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("操作人")
    )
    action = models.CharField(_("操作"), max_length=40)
    model = models.CharField(_("对象类型"), max_length=60)
    object_id = models.CharField(_("对象ID"), max_length=40)
    object_repr = models.CharField(_("对象"), max_length=200)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    source_detail = models.CharField(_("来源说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"

    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        # Empty on both sides ("" → None on create) is not a change worth showing.
        return [
            (self._field_label(k), before.get(k), after.get(k))
            for k in keys
            if before.get(k) != after.get(k) and (before.get(k) or after.get(k))
        ]

    def _field_label(self, attname: str) -> str:
        """The field's verbose name (总投资（元）) where the model knows it, else the key."""
        try:
            model = apps.get_model(self.model)
            field = next(f for f in model._meta.concrete_fields if f.attname == attname)
        except (LookupError, ValueError, StopIteration):
            return attname
        return str(field.verbose_name)
