"""Request and response shapes of the JSON API. Amounts are decimal strings in yuan."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from haotong.core.masking import mask_phone
from haotong.core.models import User
from haotong.ledger.models import Enterprise, Project, StageEvent


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | list[dict[str, object]] | None = None


class Page(Schema):
    count: int
    page: int
    page_size: int
    pages: int


class EventOut(Schema):
    id: int
    stage: str
    stage_label: str
    date: date
    date_precision: str
    date_label: str
    source: str
    source_detail: str
    evidence: str
    recorded_by: str | None
    recorded_at: datetime
    synthetic: bool

    @staticmethod
    def resolve_recorded_by(obj: StageEvent) -> str | None:
        return obj.recorded_by.username if obj.recorded_by is not None else None


class EventIn(Schema):
    stage: str = Field(
        description="阶段代码：signed/land/approval/started/completed/production/capacity/suspended/terminated"
    )
    date: date
    precision: str = Field(StageEvent.Precision.DAY, description="日期精度：day/month/not_after")
    evidence: str = Field("", max_length=5000)
    source_detail: str = Field("", max_length=200)


class ProjectItem(Schema):
    id: int
    name: str
    town_id: int
    town: str
    investment_yuan: str
    investment_qualifier: str
    stage: str
    stage_label: str
    stage_date: date | None
    industry_code: str
    team_id: int | None
    team: str | None
    tags: list[str]
    synthetic: bool
    version: int

    @staticmethod
    def resolve_town(obj: Project) -> str:
        return obj.town.name

    @staticmethod
    def resolve_team_id(obj: Project) -> int | None:
        return obj.owner_team_id

    @staticmethod
    def resolve_team(obj: Project) -> str | None:
        return obj.owner_team.name if obj.owner_team is not None else None

    @staticmethod
    def resolve_investment_yuan(obj: Project) -> str:
        return str(obj.investment_yuan)


class InvestorOut(Schema):
    id: int
    name: str
    credit_code: str | None


class ProjectDetail(ProjectItem):
    aliases: str
    industry_label: str
    chain_link: str
    fixed_asset_yuan: str | None
    land_mu: str | None
    planned_output_yuan: str | None
    planned_tax_yuan: str | None
    capacity_text: str
    advanced_manufacturing: bool
    leader_in_charge: str
    source_note: str
    investors: list[InvestorOut]
    events: list[EventOut]

    @staticmethod
    def resolve_fixed_asset_yuan(obj: Project) -> str | None:
        return _money(obj.fixed_asset_yuan)

    @staticmethod
    def resolve_land_mu(obj: Project) -> str | None:
        return _money(obj.land_mu)

    @staticmethod
    def resolve_planned_output_yuan(obj: Project) -> str | None:
        return _money(obj.planned_output_yuan)

    @staticmethod
    def resolve_planned_tax_yuan(obj: Project) -> str | None:
        return _money(obj.planned_tax_yuan)

    @staticmethod
    def resolve_investors(obj: Project) -> list[Enterprise]:
        return list(obj.investors.all())

    @staticmethod
    def resolve_events(obj: Project) -> list[StageEvent]:
        return list(obj.events.all())


class ProjectPage(Page):
    items: list[ProjectItem]


class EnterpriseItem(Schema):
    id: int
    credit_code: str | None
    name: str
    industry_code: str
    town_id: int | None
    town: str | None
    size_class: str
    contact_name: str
    contact_phone: str
    synthetic: bool
    version: int

    @staticmethod
    def resolve_town(obj: Enterprise) -> str | None:
        return obj.town.name if obj.town is not None else None

    @staticmethod
    def resolve_contact_phone(obj: Enterprise, context: dict[str, object]) -> str:
        # Personal data: masked unless the caller's role works with phone numbers.
        request = context["request"]
        user = getattr(request, "auth", None)
        if isinstance(user, User) and user.sees_personal_data:
            return obj.contact_phone
        return mask_phone(obj.contact_phone)


class ProjectRef(Schema):
    id: int
    name: str
    stage: str
    investment_yuan: str

    @staticmethod
    def resolve_investment_yuan(obj: Project) -> str:
        return str(obj.investment_yuan)


class EnterpriseDetail(EnterpriseItem):
    industry_label: str
    founded: date | None
    employees: int | None
    revenue_yuan: str | None
    tax_yuan: str | None
    rd_expense_yuan: str | None
    rd_ratio: str | None
    land_mu: str | None
    is_high_tech: bool | None
    is_specialized: bool | None
    source_note: str
    projects: list[ProjectRef] = Field(description="本企业投资、且调用者有权查看的项目")

    @staticmethod
    def resolve_revenue_yuan(obj: Enterprise) -> str | None:
        return _money(obj.revenue_yuan)

    @staticmethod
    def resolve_tax_yuan(obj: Enterprise) -> str | None:
        return _money(obj.tax_yuan)

    @staticmethod
    def resolve_rd_expense_yuan(obj: Enterprise) -> str | None:
        return _money(obj.rd_expense_yuan)

    @staticmethod
    def resolve_rd_ratio(obj: Enterprise) -> str | None:
        return _money(obj.rd_ratio)

    @staticmethod
    def resolve_land_mu(obj: Enterprise) -> str | None:
        return _money(obj.land_mu)

    @staticmethod
    def resolve_projects(obj: Enterprise) -> list[Project]:
        # Set by the view from Project.objects.visible_to(caller); never the raw relation.
        return list(obj.visible_projects)  # type: ignore[attr-defined]


class EnterprisePage(Page):
    items: list[EnterpriseItem]
