"""/api/v1/projects: the ledger's projects and their stage events, scoped to the caller."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from haotong.api.auth import caller, caller_label
from haotong.api.pagination import PageQuery, paginate
from haotong.api.schemas import ErrorOut, EventIn, EventOut, ProjectDetail, ProjectPage
from haotong.core.models import AuditEntry
from haotong.ledger import stages
from haotong.ledger.models import Project, StageEvent
from haotong.ledger.queries import ProjectFilter, access_project, filter_projects
from haotong.ledger.services import record_stage_event

router = Router(tags=["项目"])


class ProjectFilters(Schema):
    stage: str | None = Field(None, description="当前阶段代码，如 started")
    town: int | None = Field(None, description="所在镇街/园区的组织单元 ID")
    industry: str | None = Field(None, description="行业代码或其前缀，如 C26")
    team: int | None = Field(None, description="招引队伍 ID")
    min_investment: Decimal | None = Field(None, ge=0, description="总投资下限（元，含）")
    max_investment: Decimal | None = Field(None, ge=0, description="总投资上限（元，含）")
    q: str | None = Field(None, max_length=100, description="按项目名称或别名搜索")

    def to_filter(self) -> ProjectFilter:
        """The ledger's filter; an unknown stage is refused (422) in Chinese."""
        if self.stage and self.stage not in stages.STAGE_LABELS:
            raise ValidationError({"stage": [_("未知的阶段代码「%(v)s」") % {"v": self.stage}]})
        return ProjectFilter(
            stage=self.stage or None,
            town_id=self.town,
            industry=(self.industry or "").strip().upper() or None,
            team_id=self.team,
            min_investment=self.min_investment,
            max_investment=self.max_investment,
            q=(self.q or "").strip() or None,
        )


def _events_in_order() -> QuerySet[StageEvent]:
    return StageEvent.objects.select_related("recorded_by").order_by("date", "id")


@router.get("", response=ProjectPage, summary="项目列表")
def list_projects(
    request: HttpRequest, filters: Query[ProjectFilters], page: Query[PageQuery]
) -> dict[str, object]:
    """按总投资从大到小、再按 ID 排序，翻页时顺序稳定。"""
    queryset = filter_projects(Project.objects.visible_to(caller(request)), filters.to_filter())
    queryset = queryset.select_related("town", "owner_team").order_by("-investment_yuan", "id")
    return paginate(queryset, page)


@router.get(
    "/{int:project_id}",
    response={200: ProjectDetail, 404: ErrorOut},
    summary="项目详情（含阶段事件）",
)
def get_project(request: HttpRequest, project_id: int) -> Project:
    queryset = (
        Project.objects.visible_to(caller(request))
        .select_related("town", "owner_team")
        .prefetch_related("investors", Prefetch("events", queryset=_events_in_order()))
    )
    return get_object_or_404(queryset, pk=project_id)


@router.get(
    "/{int:project_id}/events",
    response={200: list[EventOut], 404: ErrorOut},
    summary="项目阶段事件",
)
def list_events(request: HttpRequest, project_id: int) -> list[StageEvent]:
    project = access_project(caller(request), project_id)
    return list(_events_in_order().filter(project=project))


@router.post(
    "/{int:project_id}/events",
    response={201: EventOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="登记阶段事件",
)
def create_event(request: HttpRequest, project_id: int, body: EventIn) -> Status[StageEvent]:
    """经阶段状态机校验后登记；不允许的跳转返回 422 及中文原因。"""
    user = caller(request)
    project = access_project(user, project_id)
    detail = caller_label(request)
    if body.source_detail.strip():
        detail = f"{detail}：{body.source_detail.strip()}"
    event = record_stage_event(
        actor=user,
        project=project,
        stage=body.stage,
        on=body.date,
        precision=body.precision,
        source=AuditEntry.Source.API,
        source_detail=detail,
        evidence=body.evidence,
    )
    return Status(201, event)
