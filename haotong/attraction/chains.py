"""Industry chains (产业链): building the map, reading local presence per link, the
gap analysis, and turning a gap's target list into leads with one click."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum

from haotong.attraction import gaps
from haotong.attraction.models import Chain, ChainFirm, ChainLink, ChainTarget, Lead
from haotong.attraction.services import can_settle, check_can_work_team, create_lead
from haotong.core import audit
from haotong.core.models import DistrictSetting, Team, User
from haotong.ledger.models import Enterprise, Project

GAP_MIN_FIRMS_KEY = "chain_gap_min_firms"
DEFAULT_GAP_MIN_FIRMS = 5


def gap_min_firms() -> int:
    row = DistrictSetting.objects.filter(key=GAP_MIN_FIRMS_KEY).first()
    return int(row.value) if row else DEFAULT_GAP_MIN_FIRMS


def check_can_edit_chains(user: User | None) -> None:
    """The chain map is the district's: the same roles that settle between teams keep it."""
    if not can_settle(user):
        raise PermissionDenied("只有区领导、发改委或管理员可以维护产业链图谱")


@transaction.atomic
def create_chain(
    *,
    actor: User | None,
    name: str,
    links: Iterable[str],
    source: str,
    description: str = "",
    synthetic: bool = False,
    synthetic_links: Iterable[str] = (),
) -> Chain:
    """A chain with its links in upstream → downstream order."""
    check_can_edit_chains(actor)
    chain = Chain(name=name, description=description, synthetic=synthetic)
    chain.full_clean()
    chain.save()
    made_up = set(synthetic_links)
    for position, link_name in enumerate(links):
        link = ChainLink(
            chain=chain, name=link_name, position=position, synthetic=link_name in made_up
        )
        link.full_clean()
        link.save()
    audit.record(
        actor=actor,
        action="create",
        obj=chain,
        before=None,
        after={**audit.snapshot(chain), "links": list(links)},
        source=source,
    )
    return chain


@transaction.atomic
def add_firm(
    *,
    actor: User | None,
    link: ChainLink,
    enterprise: Enterprise,
    source: str,
    is_anchor: bool = False,
) -> ChainFirm:
    check_can_edit_chains(actor)
    firm, _ = ChainFirm.objects.get_or_create(link=link, enterprise=enterprise)
    before = audit.snapshot(firm)
    firm.is_anchor = is_anchor
    firm.save()
    audit.record(
        actor=actor,
        action="chain_firm",
        obj=firm,
        before=before,
        after=audit.snapshot(firm),
        source=source,
    )
    return firm


@transaction.atomic
def sync_firms(
    *, actor: User | None, chain: Chain, source: str, anchors: Iterable[str] = ()
) -> int:
    """Put every enterprise whose ``chain_link`` names a link of ``chain`` on that link."""
    check_can_edit_chains(actor)
    anchor_names = set(anchors)
    added = 0
    for link in chain.links.all():
        known = set(link.firms.values_list("enterprise_id", flat=True))
        for e in Enterprise.objects.filter(chain_link=link.name).exclude(pk__in=known):
            add_firm(
                actor=actor,
                link=link,
                enterprise=e,
                source=source,
                is_anchor=e.name in anchor_names,
            )
            added += 1
    return added


def presence(chain: Chain) -> list[gaps.Presence]:
    """Local presence per link, upstream first: three queries whatever the chain's size."""
    links = list(
        chain.links.annotate(
            n_firms=Count("firms", distinct=True),
            # A 链主 carries its link whatever size class the register gives it.
            n_sizeable=Count(
                "firms",
                filter=Q(firms__enterprise__size_class__in=["medium", "large"])
                | Q(firms__is_anchor=True),
                distinct=True,
            ),
            n_anchors=Count("firms", filter=Q(firms__is_anchor=True), distinct=True),
        )
    )
    projects: dict[str, dict[str, Any]] = {
        row["chain_link"]: dict(row)
        for row in Project.objects.live()
        .filter(chain_link__in=[link.name for link in links])
        .values("chain_link")
        .annotate(n=Count("id"), total=Sum("investment_yuan"))
    }
    return [
        gaps.Presence(
            link_id=link.pk,
            name=link.name,
            position=link.position,
            firms=link.n_firms,
            sizeable_firms=link.n_sizeable,
            anchors=link.n_anchors,
            projects=projects.get(link.name, {}).get("n", 0),
            project_investment_yuan=projects.get(link.name, {}).get("total") or Decimal(0),
        )
        for link in links
    ]


@dataclass(frozen=True)
class LinkView:
    """What the map draws for one link."""

    presence: gaps.Presence
    gap: gaps.Gap | None
    anchors: list[str]
    synthetic: bool


def chain_map(chain: Chain) -> tuple[list[LinkView], list[gaps.Gap]]:
    found = presence(chain)
    ranked = gaps.analyse(found, min_firms=gap_min_firms())
    by_link = {g.presence.link_id: g for g in ranked}
    anchors: dict[int, list[str]] = {}
    for link_id, name in ChainFirm.objects.filter(link__chain=chain, is_anchor=True).values_list(
        "link_id", "enterprise__name"
    ):
        anchors.setdefault(link_id, []).append(name)
    synthetic = dict(chain.links.values_list("pk", "synthetic"))
    views = [
        LinkView(p, by_link.get(p.link_id), anchors.get(p.link_id, []), synthetic[p.link_id])
        for p in found
    ]
    return views, ranked


@transaction.atomic
def add_targets(
    *,
    actor: User | None,
    link: ChainLink,
    names: Iterable[str],
    source: str,
    note: str = "",
    synthetic: bool = False,
) -> list[ChainTarget]:
    """Add firms to court for a link (one name each); names already listed are skipped."""
    check_can_edit_chains(actor)
    wanted = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    if not wanted:
        raise ValidationError({"names": ["请至少填写一家目标企业"]})
    known = set(link.targets.values_list("name", flat=True))
    made = []
    for name in wanted:
        if name in known:
            continue
        target = ChainTarget(link=link, name=name, note=note, synthetic=synthetic)
        target.full_clean()
        target.save()
        made.append(target)
    audit.record(
        actor=actor,
        action="chain_targets",
        obj=link,
        before=None,
        after={"added": [t.name for t in made]},
        source=source,
    )
    return made


@transaction.atomic
def targets_to_leads(
    *, actor: User | None, link: ChainLink, team: Team, on: date, source: str
) -> list[Lead]:
    """One click: each target of ``link`` without a lead becomes a lead (source 产业链)
    owned by ``team``. All or nothing."""
    check_can_edit_chains(actor)
    check_can_work_team(actor, team)
    pending = list(link.targets.select_for_update().filter(lead__isnull=True))
    if not pending:
        raise ValidationError("该环节没有待转线索的目标企业，请先添加目标企业清单")
    code = next((c.strip() for c in link.industry_codes.split(",") if c.strip()), "")
    leads = []
    for target in pending:
        lead = create_lead(
            actor=actor,
            source=source,
            source_detail=f"产业链缺口：{link}",
            fields={
                "project_name": f"{target.name}{link.name}项目",
                "investor_name": target.name,
                "source": Lead.Source.CHAIN,
                "industry_code": code,
                "chain_link": link,
                "team": team,
                "acquired_on": on,
                "synthetic": target.synthetic,
                "next_action": "首次接洽",
            },
        )
        target.lead = lead
        target.save(update_fields=["lead"])
        leads.append(lead)
    audit.record(
        actor=actor,
        action="targets_to_leads",
        obj=link,
        before=None,
        after={"team": team.pk, "leads": [lead.pk for lead in leads]},
        source=source,
    )
    return leads
