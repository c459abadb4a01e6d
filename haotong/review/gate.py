"""The signing gate: a project over the review thresholds cannot be signed until a
review of it has verdict 通过 or 有条件通过. Called by the stage machine's write path
(``haotong.ledger.services.record_stage_event``), so the UI, the API, imports and
the demo are all held to it.

History is not re-judged: the gate applies to events dated on or after the district
setting ``review_required_since`` (the demo sets the day after its article, so its
recorded history loads and every new signing is gated); without that setting it
always applies.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from haotong.core.models import DistrictSetting
from haotong.ledger import stages
from haotong.review import engine
from haotong.review.models import Review, ReviewPolicy

if TYPE_CHECKING:
    from haotong.ledger.models import Project

REQUIRED_SINCE_KEY = "review_required_since"


def required_since() -> date | None:
    row = DistrictSetting.objects.filter(key=REQUIRED_SINCE_KEY).first()
    return date.fromisoformat(row.value) if row else None


def current_policy() -> ReviewPolicy:
    """The policy version in force; an unsaved default one if none was ever published."""
    return ReviewPolicy.objects.order_by("-version").first() or ReviewPolicy(version=0)


def review_reason(project: Project, policy: ReviewPolicy | None = None) -> str | None:
    """Why ``project`` needs a review before signing ("总投资≥10亿元"), or None."""
    return engine.review_reason(
        (policy or current_policy()).thresholds(),
        investment_yuan=project.investment_yuan,
        industry_code=project.industry_code,
    )


def latest_review(project: Project) -> Review | None:
    return project.reviews.order_by("-called_on", "-id").first()


def review_state(review: Review | None) -> str:
    """未发起 / 进行中 / 通过 / 有条件通过 / 不通过, as the refusal says it."""
    if review is None:
        return "未发起"
    if review.status == Review.Status.OPEN:
        return "进行中"
    return engine.VERDICT_LABELS[review.verdict]


def check_signing_allowed(project: Project, on_date: date, *, stage: str = stages.SIGNED) -> None:
    """Raise ValidationError (on ``stage``) unless ``project`` may enter ``stage`` on
    ``on_date``. Signing is gated; so is a first event at a later stage (entering the
    ledger mid-life must not skip the review). The latest review decides: a re-review
    that is open or not passed withdraws an earlier pass."""
    if stage != stages.SIGNED and project.events.exists():
        return
    since = required_since()
    if since is not None and on_date < since:
        return
    reason = review_reason(project)
    if reason is None:
        return
    latest = latest_review(project)
    if latest is not None and latest.allows_signing:
        return
    message = f"该项目{reason}，须经研判会商通过后方可签约（当前：{review_state(latest)}）"
    if stage != stages.SIGNED:
        message += f"；未经签约不能直接登记「{stages.STAGE_LABELS.get(stage, stage)}」"
    raise ValidationError({"stage": [message]})
