"""The write path of document intake: read a document into candidate facts, then
a person edits, rejects or accepts each one. Accepting is the only way a fact
reaches the ledger, and it goes through the ledger's own services."""

from __future__ import annotations

import calendar
import hashlib
import logging
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from haotong.core import audit
from haotong.core.amounts import QUALIFIER_LABELS, format_yuan
from haotong.core.models import OrgUnit, User
from haotong.core.services import lock_version
from haotong.ingest.engine import DecodeError, extract_text
from haotong.ingest.engine.decode import SAMPLE_BYTES, detect_encoding
from haotong.ingest.models import FACT_STAGE_LABELS, Candidate, Document
from haotong.ingest.queries import Matcher, project_pool, scope_match
from haotong.ledger import services as ledger
from haotong.ledger.models import Project, StageEvent

log = logging.getLogger(__name__)
DOCUMENT = "document"
EVIDENCE_MAX = 300
UNNAMED = "（未命名）"  # a fact the engine found no name for
ALIAS_SEPARATOR = "、"
_SENTENCE_END = re.compile(r"[。！？!?\n]")


class DuplicateDocument(ValidationError):
    """The same text was read before; ``existing`` is that document."""

    def __init__(self, existing: Document | None) -> None:
        self.existing = existing
        if existing is None:
            super().__init__("同一文档刚刚已由他人上传，不重复入库")
            return
        super().__init__(
            f"该文档已入库：文档#{existing.pk}《{existing.name}》，"
            f"{timezone.localtime(existing.uploaded_at):%Y-%m-%d %H:%M} 上传；不重复入库"
        )


def check_can_review(user: User | None) -> None:
    if user is not None and not user.can_edit_ledger:
        raise PermissionDenied("您的角色不能上传或审核文档入库")


# --- reading a document ---


def decode_upload(data: bytes) -> tuple[str, str]:
    """Text and encoding of uploaded bytes, or a ValidationError naming the problem."""
    if not data:
        raise ValidationError("文件为空：没有可读取的内容")
    try:
        encoding = detect_encoding(data[:SAMPLE_BYTES])
    except DecodeError as exc:
        raise ValidationError(f"无法读取文件：{exc}") from exc
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"无法读取文件：按 {encoding} 解码失败（第 {exc.start} 字节），文件可能混用了多种编码"
        ) from exc


def check_size(size: int) -> None:
    limit = settings.HAOTONG_MAX_UPLOAD_BYTES
    if size > limit:
        raise ValidationError(
            f"文档过大（{size / 1048576:.1f} MB），上限为 {limit / 1048576:.0f} MB；请分篇上传"
        )


def _run_engine(text: str, when: date | None, name: str) -> dict[str, Any]:
    try:
        return extract_text(text, when=when, source=name)
    except Exception as exc:  # the engine is heuristic; a bad page must not be a 500
        log.exception("ingest engine failed on %s", name)
        raise ValidationError(f"文档解析失败（{type(exc).__name__}），未保存任何内容") from exc


@transaction.atomic
def ingest_document(
    *,
    actor: User | None,
    name: str,
    origin: str,
    source: str,
    data: bytes | None = None,
    text: str | None = None,
    published_on: date | None = None,
    synthetic: bool = False,
) -> Document:
    """Store one document and its candidate facts (all pending), or refuse it whole."""
    check_can_review(actor)
    if data is not None:
        check_size(len(data))
        text, encoding = decode_upload(data)
    else:
        text, encoding = text or "", "utf-8"
        check_size(len(text.encode("utf-8", errors="replace")))
    # Offsets are into the stored text, so line endings are normalised before reading it.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ValidationError("文档为空：没有可读取的文字")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    existing = Document.objects.filter(sha256=digest).first()
    if existing is not None:
        raise DuplicateDocument(existing)
    name = (name or "").strip()[:200] or f"未命名文档 {timezone.localdate():%Y-%m-%d}"
    result = _run_engine(text, published_on, name)
    found = result.get("date")
    document = Document(
        name=name, text=text, encoding=encoding, sha256=digest,
        size_bytes=len(text.encode("utf-8")), origin=origin,
        published_on=published_on or (date.fromisoformat(found) if found else None),
        date_found=published_on is None and bool(found), uploaded_by=actor,
        extras={k: result.get(k) or [] for k in ("aggregates", "people", "quotes")}
        | {"titles": [a.get("title") for a in result.get("articles", []) if a.get("title")]},
        synthetic=synthetic,
    )  # fmt: skip
    document.full_clean(exclude=["sha256"])
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as exc:  # uploaded by someone else a moment ago
        raise DuplicateDocument(None) from exc
    candidates = _candidates(document, result.get("projects") or [])
    audit.record(
        actor=actor, action="ingest", obj=document, before=None,
        after={"name": name, "encoding": encoding, "sha256": digest,
               "published_on": document.published_on and document.published_on.isoformat(),
               "candidates": len(candidates)},
        source=source, detail=f"{document.label}：{len(candidates)} 条候选",
    )  # fmt: skip
    return document


def _candidates(document: Document, facts: list[dict[str, Any]]) -> list[Candidate]:
    towns = _towns_named(facts)
    matcher = Matcher(project_pool(Project.objects.all()))
    out = []
    for i, fact in enumerate(facts, start=1):
        candidate = _candidate(document, i, fact, towns)
        candidate.matched_project = scope_match(matcher, candidate)
        candidate.full_clean(exclude=["document", "matched_project"])
        out.append(candidate)
    return Candidate.objects.bulk_create(out)


def _towns_named(facts: list[dict[str, Any]]) -> dict[str, OrgUnit]:
    names = {
        (f.get("location") or {}).get(level) for f in facts for level in ("town", "district")
    } - {None, ""}
    return {u.name: u for u in OrgUnit.objects.filter(name__in=names).order_by("-path")}


def _candidate(
    document: Document, position: int, fact: dict[str, Any], towns: dict[str, OrgUnit]
) -> Candidate:
    location = fact.get("location") or {}
    start, end = [*(fact.get("evidence") or []), 0, 0][:2]
    amount = fact.get("investment_yuan")
    stage = fact.get("stage") or ""
    return Candidate(
        document=document,
        position=position,
        name=str(fact.get("name") or UNNAMED)[:200],
        company=str(fact.get("company") or "")[:200],
        place="".join(str(location[k]) for k in ("province", "city", "district", "town") if location.get(k))[:200],
        town=_town_for(location, towns),
        investment_yuan=None if amount is None else Decimal(str(amount)).quantize(Decimal("0.01")),
        investment_qualifier=fact.get("investment_qualifier") or "",
        stage=stage if stage in FACT_STAGE_LABELS else "",
        fact_date=str(fact.get("date") or "")[:10],
        capacity=str(fact.get("capacity") or "")[:200],
        evidence_start=start, evidence_end=end,
        evidence=sentence_around(document.text, start, end),
        original=fact,
    )  # fmt: skip


def _town_for(location: Mapping[str, Any], towns: dict[str, OrgUnit]) -> OrgUnit | None:
    town = towns.get(location.get("town") or "")
    if town is not None and town.kind in (OrgUnit.Kind.TOWN, OrgUnit.Kind.PARK):
        return town
    district = towns.get(location.get("district") or "")
    if district is not None and district.kind == OrgUnit.Kind.DISTRICT:
        return district
    return None


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence(s) holding ``text[start:end]``: the ledger's evidence for the fact."""
    left = max(0, start - EVIDENCE_MAX // 2)
    before = [m.end() for m in _SENTENCE_END.finditer(text, left, start)]
    lo = before[-1] if before else left
    after = _SENTENCE_END.search(text, max(end, start), min(len(text), end + EVIDENCE_MAX // 2))
    hi = after.end() if after else min(len(text), end + EVIDENCE_MAX // 2)
    # A sentence cut after "。”" must not start with the closing quote.
    return text[lo:hi].strip().lstrip("”’」』）)").strip()[: EVIDENCE_MAX * 2]


# --- reviewing a candidate ---


def _lock(actor: User | None, candidate: Candidate, expected_version: int) -> Candidate:
    check_can_review(actor)
    if (
        actor is not None
        and not Candidate.objects.visible_to(actor).filter(pk=candidate.pk).exists()
    ):
        raise PermissionDenied("该候选事实不在您的范围内")
    locked = Candidate.objects.select_for_update().select_related("document").get(pk=candidate.pk)
    if locked.version != expected_version:
        raise ledger.ConflictError(
            f"「{locked.name}」已被他人处理（状态：{locked.get_status_display()}），请刷新后再操作"
        )
    if not locked.is_open:
        raise ValidationError(f"「{locked.name}」已{locked.get_status_display()}，不能再次处理")
    return locked


def _finish(
    actor: User | None,
    locked: Candidate,
    action: str,
    before: dict[str, Any],
    source: str,
    via: str,
    **changes: Any,
) -> Candidate:
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.full_clean()
    locked.version = F("version") + 1  # type: ignore[assignment]
    locked.save()
    locked.refresh_from_db()
    audit.record(
        actor=actor, action=action, obj=locked, before=before, after=audit.snapshot(locked),
        source=source, detail="：".join(filter(None, [via, locked.document.label])),
    )  # fmt: skip
    return locked


EDITABLE = frozenset(
    {"name", "town", "investment_yuan", "investment_qualifier", "stage", "fact_date"}
)


@transaction.atomic
def edit_candidate(
    *,
    actor: User | None,
    candidate: Candidate,
    expected_version: int,
    fields: Mapping[str, Any],
    source: str = DOCUMENT,
    via: str = "",
) -> Candidate:
    """Correct what the machine read; the candidate stays open until accepted.

    ``source``/``via`` name the channel in the candidate's audit entry (the API passes
    "api" and the token); the web keeps "document"."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ValidationError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    _check_edit(fields)
    locked = _lock(actor, candidate, expected_version)
    before = audit.snapshot(locked)
    return _finish(
        actor, locked, "edit", before, source, via, status=Candidate.Status.EDITED, **fields
    )


def _check_edit(fields: Mapping[str, Any]) -> None:
    """The values an edit may set, whichever channel it comes through (the web form
    checks the same before it gets here; the API relies on this)."""
    if "name" in fields and not (fields["name"] or "").strip():
        raise ValidationError({"name": [_("请填写项目名称")]})
    qualifier = fields.get("investment_qualifier", "")
    if qualifier not in QUALIFIER_LABELS:
        raise ValidationError(
            {"investment_qualifier": [_("未知的金额限定「%(v)s」") % {"v": qualifier}]}
        )
    yuan = fields.get("investment_yuan")
    if yuan is not None and yuan < 0:
        raise ValidationError({"investment_yuan": [_("总投资不能为负数")]})
    stage = fields.get("stage", "")
    if stage and stage not in FACT_STAGE_LABELS:
        raise ValidationError({"stage": [_("未知的阶段代码「%(v)s」") % {"v": stage}]})


@transaction.atomic
def reject_candidate(
    *,
    actor: User | None,
    candidate: Candidate,
    expected_version: int,
    reason: str,
    source: str = DOCUMENT,
    via: str = "",
) -> Candidate:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ["请填写驳回理由"]})
    locked = _lock(actor, candidate, expected_version)
    before = audit.snapshot(locked)
    return _finish(
        actor, locked, "reject", before, source, via, status=Candidate.Status.REJECTED,
        reason=reason,
    )  # fmt: skip


def ledger_event(candidate: Candidate, published_on: date | None) -> tuple[str, date, str] | None:
    """(ledger stage, date, precision) the fact would record; None when it has no stage."""
    stage, when = candidate.stage, candidate.fact_date
    if not stage:
        return None
    if stage == "negotiating":
        raise ValidationError(
            {
                "stage": [
                    "「在谈」是招商线索，不登记到项目台账：请作为线索跟进，或在修改中改为已发生的阶段、或驳回"
                ]
            }
        )
    if stage == "under_construction":
        # 在建 says the project had started by the time of writing, not when.
        on = published_on or _last_day(when)
        if on is None:
            raise ValidationError({"fact_date": ["「在建」需要报道日期：请在修改中填写日期"]})
        return "started", on, StageEvent.Precision.NOT_AFTER
    if len(when) == 10:
        return stage, date.fromisoformat(when), StageEvent.Precision.DAY
    if len(when) == 7:
        return stage, date.fromisoformat(f"{when}-01"), StageEvent.Precision.MONTH
    if published_on is not None:
        return stage, published_on, StageEvent.Precision.NOT_AFTER
    raise ValidationError({"fact_date": ["原文没有给出日期，报道日期也未知：请在修改中填写日期"]})


def _last_day(when: str) -> date | None:
    if len(when) == 10:
        return date.fromisoformat(when)
    if len(when) == 7:
        year, month = int(when[:4]), int(when[5:])
        return date(year, month, calendar.monthrange(year, month)[1])
    return None


@transaction.atomic
def accept_candidate(
    *,
    actor: User | None,
    candidate: Candidate,
    expected_version: int,
    project: Project | None,
    town: OrgUnit | None = None,
    today: date | None = None,
    update_investment: bool = False,
    source: str = DOCUMENT,
    via: str = "",
) -> Candidate:
    """Put the fact in the ledger: into ``project``, or a new project when None.

    The stage event goes through the ledger's stage machine; if it refuses, nothing
    (not even a new project) is saved. A stage the project already has is linked,
    not recorded twice. The ledger records keep the document as their source whatever
    the channel; ``source``/``via`` name the channel in the candidate's audit entry.

    Into an existing project, the fact's name becomes an alias when the project does
    not go by it yet, and its amount fills an undisclosed investment; an amount that
    differs from the ledger's replaces it only with ``update_investment``. Those
    changes go through ``ledger.update_project`` (versioned, audited, the project row
    locked) in this transaction, so a refused stage event saves none of them. The
    candidate's note says what was done."""
    locked = _lock(actor, candidate, expected_version)
    document = locked.document
    event = ledger_event(locked, document.published_on)
    detail = document.label
    note = ""
    changes: dict[str, Any] = {}
    change_notes: list[str] = []
    if project is None:
        project = _create_project(actor, locked, town or locked.town, detail)
        note = "新建项目"
    else:
        ledger.check_can_edit_project(actor, project)
        # The row stays locked until the transaction ends: what is compared below is
        # what is saved, whoever else is editing the project.
        # (No select_related: PostgreSQL cannot lock the nullable side of an outer join.)
        project = lock_version(Project.objects.all(), project.pk, None)
        changes, change_notes = project_changes(project, locked, update_investment)
        if event is None:
            raise ValidationError(
                {
                    "stage": [
                        "该事实没有阶段，采纳到已有项目不会改变台账：请在修改中补充阶段，或驳回"
                    ]
                }
            )
    recorded = None
    if event is not None:
        stage, on, precision = event
        recorded = project.events.filter(stage=stage).order_by("date", "id").first()
        if recorded is not None:
            note = f"台账已有「{recorded.stage_label}」事件（{recorded.date_label}），仅确认，未重复登记"
        else:
            recorded = ledger.record_stage_event(
                actor=actor, project=project, stage=stage, on=on, precision=precision,
                source=DOCUMENT, source_detail=detail, evidence=locked.evidence, today=today,
            )  # fmt: skip
            note = "；".join(
                filter(None, [note, f"登记「{recorded.stage_label}」{recorded.date_label}"])
            )
    if changes:
        project = ledger.update_project(
            actor=actor, project=project, expected_version=project.version, fields=changes,
            source=DOCUMENT, source_detail=detail,
        )  # fmt: skip
    note = "；".join(filter(None, [note, *change_notes]))
    before = audit.snapshot(locked)
    status = Candidate.Status.ACCEPTED
    return _finish(
        actor, locked, "accept", before, source, via, status=status, project=project,
        stage_event=recorded, note=note[:300],
    )  # fmt: skip


def _create_project(
    actor: User | None, candidate: Candidate, town: OrgUnit | None, detail: str
) -> Project:
    if town is None:
        raise ValidationError({"town": ["原文没有可对应的镇街/园区：新建项目前请选择所在地"]})
    fields = {
        "name": candidate.name,
        "town": town,
        "investment_yuan": candidate.investment_yuan,
        "investment_qualifier": candidate.investment_qualifier,
        "capacity_text": candidate.capacity,
        "source_note": detail[:300],
    }
    return ledger.create_project(actor=actor, fields=fields, source=DOCUMENT, source_detail=detail)


# --- what accepting into an existing project changes besides the stage ---

_ALIAS_SPLIT = re.compile(r"[、,，;；/]+")  # as the matcher reads aliases (queries.py)
_FULL_WIDTH_BRACKETS = str.maketrans("（）［］｛｝", "()[]{}")


def name_key(name: str) -> str:
    """A name as compared for aliases: no whitespace, full-width brackets made ASCII."""
    return re.sub(r"\s+", "", name).translate(_FULL_WIDTH_BRACKETS)


def amount_text(yuan: Decimal | None, qualifier: str) -> str:
    """An amount as the ledger's notes write it (Chinese, like the stored source detail)."""
    if yuan is None:
        return "未披露"
    return QUALIFIER_LABELS.get(qualifier, "") + format_yuan(yuan)


def investment_differs(project: Project, fact: Candidate) -> bool:
    """Both give an amount and they are not the same (value or 近/约/超/计划)."""
    return (
        project.investment_yuan is not None
        and fact.investment_yuan is not None
        and (project.investment_yuan, project.investment_qualifier)
        != (fact.investment_yuan, fact.investment_qualifier)
    )


def project_changes(
    project: Project, candidate: Candidate, update_investment: bool
) -> tuple[dict[str, Any], list[str]]:
    """The fields accepting ``candidate`` into ``project`` changes, and the notes that
    say so (also for what is deliberately left unchanged)."""
    fields: dict[str, Any] = {}
    notes: list[str] = []
    alias = _new_alias(project, candidate.name)
    if alias:
        aliases = ALIAS_SEPARATOR.join(filter(None, [project.aliases.strip(), alias]))
        limit = Project._meta.get_field("aliases").max_length or 0
        if ALIAS_SEPARATOR in alias:
            notes.append(f"名称「{alias}」含顿号，未加入别名")
        elif len(aliases) > limit:
            notes.append(f"别名已达上限（{limit}字），未加入「{alias}」")
        else:
            fields["aliases"] = aliases
            notes.append(f"加入别名「{alias}」")
    new = amount_text(candidate.investment_yuan, candidate.investment_qualifier)
    old = amount_text(project.investment_yuan, project.investment_qualifier)
    if candidate.investment_yuan is not None and project.investment_yuan is None:
        fields["investment_yuan"] = candidate.investment_yuan
        fields["investment_qualifier"] = candidate.investment_qualifier
        notes.append(f"补充总投资{new}")
    elif investment_differs(project, candidate):
        if update_investment:
            fields["investment_yuan"] = candidate.investment_yuan
            fields["investment_qualifier"] = candidate.investment_qualifier
            notes.append(f"总投资由{old}更新为{new}")
        else:
            notes.append(f"本文总投资{new}与台账{old}不同，未更新")
    return fields, notes


def _new_alias(project: Project, name: str) -> str:
    """``name`` (stripped) if the project does not go by it yet, else ""."""
    name = name.strip()
    key = name_key(name)
    if not key or name == UNNAMED:
        return ""
    # Whole 、-separated aliases, and the pieces the matcher reads (a name with "/").
    aliases = project.aliases
    known = [project.name, *aliases.split(ALIAS_SEPARATOR), *_ALIAS_SPLIT.split(aliases)]
    return "" if any(name_key(n) == key for n in known) else name
