"""The one write path for reviews. Each function checks permission, validates
everything before it writes (nothing is saved in part), saves and audits against
the review, so the review's audit trail is its workflow log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from haotong.core import audit
from haotong.core.models import OrgUnit, Role, User
from haotong.ledger.models import Project, ledger_as_of
from haotong.review import engine, gate
from haotong.review.defaults import DEFAULT_CRITERIA
from haotong.review.models import (
    Criterion,
    Invitation,
    Opinion,
    Reminder,
    Review,
    ReviewPolicy,
    Score,
    can_manage_reviews,
)
from haotong.review.workdays import add_working_days, working_days_late

POLICY_FIELDS = frozenset(
    {
        "min_investment_yuan",
        "manufacturing_min_yuan",
        "manufacturing_sections",
        "pass_score",
        "conditional_score",
        "opinion_working_days",
        "note",
    }
)
CRITERION_FIELDS = (
    "code",
    "name",
    "measure",
    "min_score",
    "max_score",
    "weight",
    "veto",
    "veto_below",
)


class ConflictError(ValidationError):
    """Someone else changed the record since it was read."""


def check_can_manage(actor: User | None) -> None:
    if actor is not None and not can_manage_reviews(actor):
        raise PermissionDenied("只有区领导、发改委或管理员可以组织研判会商")


def invitation_for(user: User, review: Review) -> Invitation | None:
    """The invitation ``user`` answers for: a reviewer in (a section of) an invited department."""
    if user.role != Role.REVIEWER or user.org_unit is None:
        return None
    for invitation in review.invitations.select_related("department"):
        if user.org_unit.path.startswith(invitation.department.path):
            return invitation
    return None


@transaction.atomic
def publish_policy(
    *,
    actor: User | None,
    fields: Mapping[str, Any],
    criteria: Sequence[Mapping[str, Any]],
    expected_version: int,
    source: str,
) -> ReviewPolicy:
    """A new version of the review rules; the previous versions stay for old reviews."""
    check_can_manage(actor)
    unknown = set(fields) - POLICY_FIELDS
    if unknown:
        raise ValidationError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    latest = ReviewPolicy.objects.select_for_update().order_by("-version").first()
    current = latest.version if latest else 0
    if current != expected_version:
        raise ConflictError(
            f"研判规则已被他人修订（您读取的是第{expected_version}版，当前为第{current}版），请刷新后重新填写"
        )
    policy = ReviewPolicy(version=current + 1, created_by=actor, **fields)
    rows = [Criterion(policy=policy, position=i, **_criterion(c)) for i, c in enumerate(criteria)]
    errors = engine.check_policy(policy.thresholds(), policy.rule(), [r.spec() for r in rows])
    if errors:
        raise ValidationError(errors)
    policy.full_clean()
    for row in rows:
        row.full_clean(exclude=["policy"])
    policy.save()
    for row in rows:
        row.policy = policy
    Criterion.objects.bulk_create(rows)
    after = audit.snapshot(policy) | {"criteria": [_criterion_snapshot(r) for r in rows]}
    audit.record(actor=actor, action="publish", obj=policy, before=None, after=after, source=source)
    return policy


def _criterion(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: data.get(k) for k in CRITERION_FIELDS if k in data}


def _criterion_snapshot(c: Criterion) -> dict[str, Any]:
    return {k: audit._json_value(getattr(c, k)) for k in CRITERION_FIELDS}


def ensure_policy(*, source: str = "system") -> ReviewPolicy:
    """The policy in force, publishing the default one first if none exists yet."""
    policy = ReviewPolicy.objects.order_by("-version").first()
    if policy is not None:
        return policy
    return publish_policy(
        actor=None,
        fields={"note": "默认规则"},
        criteria=DEFAULT_CRITERIA,
        expected_version=0,
        source=source,
    )


@transaction.atomic
def start_review(
    *,
    actor: User | None,
    project: Project,
    departments: Sequence[OrgUnit],
    source: str,
    deadline: date | None = None,
    note: str = "",
    on: date | None = None,
    synthetic: bool = False,
) -> Review:
    """Call a review and invite ``departments`` in parallel, all with one deadline."""
    check_can_manage(actor)
    on = on or timezone.localdate()
    departments = list(dict.fromkeys(departments))
    if not departments:
        raise ValidationError({"departments": ["请至少邀请一个部门参加会商"]})
    wrong = [d.name for d in departments if d.kind != OrgUnit.Kind.DEPARTMENT]
    if wrong:
        raise ValidationError({"departments": [f"只能邀请部门：{'、'.join(wrong)}不是部门"]})
    policy = ensure_policy(source=source)
    deadline = deadline or add_working_days(on, policy.opinion_working_days)
    if deadline < on:
        raise ValidationError({"deadline": ["意见截止日期不能早于发起日期"]})
    Project.objects.select_for_update().get(pk=project.pk)  # one caller at a time per project
    if project.reviews.filter(status=Review.Status.OPEN).exists():
        raise ValidationError({"project": [f"「{project.name}」已有进行中的研判会商"]})
    review = Review(
        project=project,
        policy=policy,
        reason=gate.review_reason(project, policy) or "",
        called_by=actor,
        called_on=on,
        deadline=deadline,
        note=note,
        synthetic=synthetic,
    )
    review.full_clean()
    review.save()
    Invitation.objects.bulk_create(
        Invitation(review=review, department=d, deadline=deadline) for d in departments
    )
    after = audit.snapshot(review) | {"departments": [d.name for d in departments]}
    audit.record(
        actor=actor, action="review:call", obj=review, before=None, after=after, source=source
    )
    return review


@transaction.atomic
def submit_opinion(
    *,
    actor: User,
    review: Review,
    scores: Mapping[str, Decimal],
    comments: str,
    source: str,
    conditions: str = "",
    expected_version: int | None = None,
    on: date | None = None,
) -> Opinion:
    """The department's opinion with one score per criterion; resubmitting before the
    verdict replaces it (``expected_version`` guards against overwriting a colleague)."""
    locked = Review.objects.select_for_update().get(pk=review.pk)
    invitation = invitation_for(actor, locked)
    if invitation is None:
        raise PermissionDenied("您所在部门未受邀参加本次研判会商")
    if locked.status != Review.Status.OPEN:
        raise ValidationError("本次研判会商已作出结论，不能再提交或修改意见")
    criteria = list(locked.policy.criteria.all())
    errors = engine.score_errors([c.spec() for c in criteria], scores)
    if not comments.strip():
        errors.append("请填写部门意见")
    if errors:
        raise ValidationError({"scores": errors})
    opinion = Opinion.objects.select_for_update().filter(invitation=invitation).first()
    before = _opinion_snapshot(opinion) if opinion else None
    if opinion is not None and opinion.version != expected_version:
        raise ConflictError(
            f"{invitation.department}的意见已被他人修改（当前为第{opinion.version}版），请刷新后再提交"
        )
    on = on or timezone.localdate()
    if opinion is None:
        opinion = Opinion(invitation=invitation, reviewer=actor, submitted_on=on)
    else:
        opinion.reviewer, opinion.submitted_on = actor, on
        opinion.version = F("version") + 1
    opinion.comments, opinion.conditions = comments.strip(), conditions.strip()
    opinion.full_clean(exclude=["version"])
    opinion.save()
    opinion.refresh_from_db()
    opinion.scores.all().delete()
    Score.objects.bulk_create(
        Score(opinion=opinion, criterion=c, value=scores[c.code]) for c in criteria
    )
    Invitation.objects.filter(pk=invitation.pk).update(answered_on=on)
    audit.record(
        actor=actor,
        action="review:opinion",
        obj=locked,
        before=before,
        after=_opinion_snapshot(opinion),
        source=source,
        detail=str(invitation.department),
    )
    return opinion


def _opinion_snapshot(opinion: Opinion) -> dict[str, Any]:
    scores = {s.criterion.code: str(s.value) for s in opinion.scores.select_related("criterion")}
    return audit.snapshot(opinion) | {"scores": scores}


@transaction.atomic
def chase_invitation(
    *,
    actor: User | None,
    invitation: Invitation,
    source: str,
    note: str = "",
    on: date | None = None,
) -> Reminder:
    """催办: a logged reminder to a department whose opinion is not in."""
    check_can_manage(actor)
    review = Review.objects.select_for_update().get(pk=invitation.review_id)
    if review.status != Review.Status.OPEN:
        raise ValidationError("本次研判会商已作出结论，无需催办")
    if Opinion.objects.filter(invitation=invitation).exists():
        raise ValidationError(f"{invitation.department}已提交意见，无需催办")
    on = on or timezone.localdate()
    reminder = Reminder(
        invitation=invitation,
        sent_by=actor,
        sent_on=on,
        working_days_late=working_days_late(invitation.deadline, ledger_as_of()),
        note=note,
    )
    reminder.full_clean()
    reminder.save()
    audit.record(
        actor=actor,
        action="review:chase",
        obj=review,
        before=None,
        after=audit.snapshot(reminder),
        source=source,
        detail=str(invitation.department),
    )
    return reminder


@transaction.atomic
def record_verdict(
    *,
    actor: User | None,
    review: Review,
    expected_version: int,
    source: str,
    conditions: str = "",
    on: date | None = None,
) -> Review:
    """The verdict the review's rule gives from all the opinions. Refused while any
    invited department has not given its opinion, or for 有条件通过 without conditions."""
    check_can_manage(actor)
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.version != expected_version:
        raise ConflictError("本次研判会商在您打开页面后已有变化，请刷新后再作结论")
    if locked.status != Review.Status.OPEN:
        raise ValidationError("本次研判会商已作出结论")
    outcome, opinions = _outcome(locked)
    stated = "\n".join(
        filter(None, [conditions.strip(), *(f"{o.invitation.department}：{o.conditions}"
                                            for o in opinions if o.conditions)])
    )  # fmt: skip
    if outcome.verdict == engine.CONDITIONAL and not stated:
        raise ValidationError({"conditions": ["结论为有条件通过，须写明通过条件"]})
    before = audit.snapshot(locked)
    locked.status, locked.verdict, locked.score = (
        Review.Status.DECIDED,
        outcome.verdict,
        outcome.score,
    )
    locked.conditions = stated if outcome.verdict == engine.CONDITIONAL else ""
    locked.veto_reasons = "\n".join(outcome.vetoes)
    locked.decided_by, locked.decided_on = actor, on or timezone.localdate()
    locked.full_clean()
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    audit.record(
        actor=actor,
        action="review:verdict",
        obj=locked,
        before=before,
        after=audit.snapshot(locked),
        source=source,
        detail=outcome.label,
    )
    return locked


def _outcome(review: Review) -> tuple[engine.Outcome, list[Opinion]]:
    invitations = list(review.invitations.select_related("department"))
    opinions = {
        o.invitation_id: o
        for o in Opinion.objects.filter(invitation__review=review)
        .select_related("invitation__department")
        .prefetch_related("scores__criterion")
    }
    missing = [i.department.name for i in invitations if i.pk not in opinions]
    if missing:
        raise ValidationError(
            f"尚有{len(missing)}个部门未提交意见（{'、'.join(missing)}），不能作出结论"
        )
    inputs = [
        engine.OpinionInput(
            department=o.invitation.department.name,
            scores={s.criterion.code: s.value for s in o.scores.all()},
            has_conditions=bool(o.conditions),
        )
        for o in opinions.values()
    ]
    outcome = engine.decide(review.policy.rule(), review.policy.specs(), inputs)
    return outcome, list(opinions.values())


def preview_outcome(review: Review) -> engine.Outcome | None:
    """What the rule would give now, or None while opinions are missing (read-only)."""
    try:
        return _outcome(review)[0]
    except ValidationError:
        return None
