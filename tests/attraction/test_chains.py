"""Chain map services: local firms per link, gaps, target lists turned into leads."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haotong.attraction import chains
from haotong.attraction.models import ChainFirm, Lead
from haotong.core.models import AuditEntry
from haotong.ledger import services as ledger

pytestmark = pytest.mark.django_db
LINKS = ["半导体材料", "芯片设计", "检测", "高端印制线路板"]


@pytest.fixture
def chain(wujie):
    for name, link, size in [
        ("深南电路", "高端印制线路板", ""),
        ("某某电路有限公司", "高端印制线路板", "small"),
        ("某某材料有限公司", "半导体材料", "large"),
    ]:
        ledger.create_enterprise(actor=None, source="system",
                                 fields={"name": name, "chain_link": link, "size_class": size})  # fmt: skip
    made = chains.create_chain(actor=None, name="新一代信息技术", links=LINKS, source="system")
    chains.sync_firms(actor=None, chain=made, source="system", anchors=["深南电路"])
    return made


def test_firms_join_the_link_their_register_names_and_anchors_are_flagged(chain):
    firms = {(f.enterprise.name, f.link.name, f.is_anchor) for f in ChainFirm.objects.all()}
    assert firms == {
        ("深南电路", "高端印制线路板", True),
        ("某某电路有限公司", "高端印制线路板", False),
        ("某某材料有限公司", "半导体材料", False),
    }
    assert [link.name for link in chain.links.all()] == LINKS  # upstream → downstream


def test_gaps_rank_empty_links_first_and_count_an_anchor_as_sizeable(chain):
    links, ranked = chains.chain_map(chain)
    assert [(g.presence.name, g.level) for g in ranked] == [
        ("芯片设计", "空白"), ("检测", "空白"), ("半导体材料", "薄弱"), ("高端印制线路板", "薄弱"),
    ]  # fmt: skip
    pcb = next(v for v in links if v.presence.name == "高端印制线路板")
    assert (pcb.presence.firms, pcb.presence.sizeable_firms, pcb.anchors) == (2, 1, ["深南电路"])


def test_a_gap_target_list_becomes_leads_for_a_team_in_one_click(chain, colleague, wujie_team):
    link = chain.links.get(name="检测")
    chains.add_targets(actor=colleague, link=link, names=["甲检测有限公司", "乙检测有限公司", ""],
                       source="user")  # fmt: skip
    leads = chains.targets_to_leads(actor=colleague, link=link, team=wujie_team,
                                    on=date(2023, 3, 3), source="user")  # fmt: skip
    assert {(lead.investor_name, lead.source, lead.chain_link, lead.team) for lead in leads} == {
        ("甲检测有限公司", "chain", link, wujie_team), ("乙检测有限公司", "chain", link, wujie_team),
    }  # fmt: skip
    assert AuditEntry.objects.filter(action="targets_to_leads", actor=colleague).exists()
    with pytest.raises(ValidationError, match="没有待转线索的目标企业"):
        chains.targets_to_leads(actor=colleague, link=link, team=wujie_team,
                                on=date(2023, 3, 3), source="user")  # fmt: skip
    assert Lead.objects.count() == 2


def test_a_town_team_member_cannot_turn_gaps_into_leads(chain, owner, wujie_team):
    link = chain.links.get(name="检测")
    with pytest.raises(PermissionDenied):
        chains.add_targets(actor=owner, link=link, names=["甲"], source="user")
    assert not link.targets.exists()
