"""/api/v1/enterprises: enterprises the caller may see; phone numbers masked by role."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from haotong.api.auth import caller
from haotong.api.pagination import PageQuery, paginate
from haotong.api.schemas import EnterpriseDetail, EnterprisePage, ErrorOut
from haotong.ledger.models import Enterprise, Project

router = Router(tags=["企业"])


class EnterpriseFilters(Schema):
    town: int | None = Field(None, description="所在镇街/园区的组织单元 ID")
    industry: str | None = Field(None, description="行业代码或其前缀")
    q: str | None = Field(None, max_length=100, description="按企业名称或统一社会信用代码搜索")


@router.get("", response=EnterprisePage, summary="企业列表")
def list_enterprises(
    request: HttpRequest, filters: Query[EnterpriseFilters], page: Query[PageQuery]
) -> dict[str, object]:
    """按企业名称、再按 ID 排序。"""
    queryset = Enterprise.objects.visible_to(caller(request))
    if filters.town is not None:
        queryset = queryset.filter(town_id=filters.town)
    if filters.industry:
        queryset = queryset.filter(industry_code__startswith=filters.industry.strip().upper())
    if filters.q and filters.q.strip():
        term = filters.q.strip()
        queryset = queryset.filter(Q(name__icontains=term) | Q(credit_code=term.upper()))
    return paginate(queryset.select_related("town").order_by("name", "id"), page)


@router.get(
    "/{int:enterprise_id}", response={200: EnterpriseDetail, 404: ErrorOut}, summary="企业详情"
)
def get_enterprise(request: HttpRequest, enterprise_id: int) -> Enterprise:
    user = caller(request)
    projects = Project.objects.visible_to(user).order_by("-investment_yuan", "id")
    queryset = (
        Enterprise.objects.visible_to(user)
        .select_related("town")
        .prefetch_related(Prefetch("projects", queryset=projects, to_attr="visible_projects"))
    )
    return get_object_or_404(queryset, pk=enterprise_id)
