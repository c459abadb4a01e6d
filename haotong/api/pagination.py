"""Page-number pagination with a guaranteed stable order: two queries per page."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from ninja import Field, Schema

MAX_PAGE_SIZE = 200
M = TypeVar("M", bound=Model)


class PageQuery(Schema):
    page: int = Field(1, ge=1, description="页码，从 1 开始")
    page_size: int = Field(
        50, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，最多 {MAX_PAGE_SIZE}"
    )


def stable(queryset: QuerySet[M]) -> QuerySet[M]:
    """Order by the queryset's ordering, then by primary key, so that rows with equal
    sort values keep one order across requests and no row shows on two pages."""
    ordering = [str(o) for o in queryset.query.order_by or queryset.model._meta.ordering or ()]
    if not ordering or ordering[-1].lstrip("-") not in {"pk", "id"}:
        queryset = queryset.order_by(*ordering, "pk")
    return queryset


def paginate(queryset: QuerySet[Any], query: PageQuery) -> dict[str, Any]:
    queryset = stable(queryset)
    count = queryset.count()
    start = (query.page - 1) * query.page_size
    return {
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "pages": (count + query.page_size - 1) // query.page_size,
        "items": list(queryset[start : start + query.page_size]),
    }
