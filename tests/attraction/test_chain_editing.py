"""Editing a chain's structure (产业链编辑): links added, renamed, reordered and removed,
firms attached and anchors marked, by the district (发改委 analyst); refused for a town
team member; stale forms refused; reordering all-or-nothing; every change audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection
from django.urls import reverse

from haotong.attraction import chains, services
from haotong.attraction.models import Chain, ChainFirm, ChainLink, ChainTarget
from haotong.core.models import AuditEntry, Role
from haotong.core.services import create_user
from haotong.ledger import services as ledger
from haotong.ledger.models import Enterprise
from tests.attraction.conftest import make_lead

pytestmark = pytest.mark.django_db
LINKS = ["芯片设计", "检测", "高端印制线路板", "半导体材料", "封装载板"]
SHENNAN_CODE = "91320612MA1MABCD09"


@pytest.fixture
def chain() -> Chain:
    return chains.create_chain(actor=None, name="新一代信息技术", links=LINKS, source="system")


@pytest.fixture
def shennan(wujie) -> Enterprise:
    return ledger.create_enterprise(actor=None, source="system", fields={
        "name": "深南电路股份有限公司", "credit_code": SHENNAN_CODE,
        "chain_link": "高端印制线路板", "town": wujie,
    })  # fmt: skip


@pytest.fixture
def zhanhua(wujie) -> Enterprise:
    return ledger.create_enterprise(actor=None, source="system", fields={
        "name": "展华电子（南通）有限公司", "chain_link": "封装载板", "town": wujie,
    })  # fmt: skip


def order(chain: Chain) -> list[str]:
    return list(chain.links.order_by("position").values_list("name", flat=True))


def positions(chain: Chain) -> list[int]:
    return list(chain.links.order_by("position").values_list("position", flat=True))


def version(chain: Chain) -> int:
    return Chain.objects.get(pk=chain.pk).version


def link(chain: Chain, name: str) -> ChainLink:
    return chain.links.get(name=name)


def actions(chain: Chain) -> list[str]:
    entries = AuditEntry.objects.filter(model="attraction.chain", object_id=str(chain.pk))
    return list(entries.order_by("id").values_list("action", flat=True))


def post(client, url_name: str, pk: int, chain: Chain, **data) -> str:
    """POST an editor form read at the chain's current version; the page shown after."""
    data.setdefault("version", version(chain))
    r = client.post(reverse(url_name, args=[pk]), data, follow=True)
    assert r.status_code == 200
    return r.content.decode()


def test_the_district_creates_a_chain_with_its_links_in_order(client, colleague):
    client.force_login(colleague)
    url = reverse("attraction:chain_create")
    assert client.get(url).status_code == 200
    r = client.post(url, {"name": "新能源", "description": "光伏与储能",
                          "links": "光伏硅片\n\n 光伏组件 \n储能电池\n"})  # fmt: skip
    made = Chain.objects.get(name="新能源")
    assert r.status_code == 302 and r["Location"] == reverse(
        "attraction:chain_edit", args=[made.pk]
    )
    assert order(made) == ["光伏硅片", "光伏组件", "储能电池"] and positions(made) == [0, 1, 2]
    assert (
        AuditEntry.objects.get(model="attraction.chain", object_id=str(made.pk)).actor == colleague
    )

    body = client.post(url, {"name": "新能源", "links": ""}).content.decode()
    assert "已有名为「新能源」的产业链" in body
    body = client.post(url, {"name": "高端纺织", "links": "纺纱\n织造\n纺纱"}).content.decode()
    assert "环节名称重复：纺纱" in body
    assert not Chain.objects.filter(name="高端纺织").exists()


def test_the_district_adds_renames_and_removes_links(client, colleague, chain):
    client.force_login(colleague)
    page = client.get(reverse("attraction:chain_edit", args=[chain.pk])).content.decode()
    assert all(f'data-link="{name}"' in page for name in LINKS)

    body = post(client, "attraction:chain_link_add", chain.pk, chain,
                name=" EDA工具 ", industry_codes="i6513， I6520", position=2)  # fmt: skip
    assert "已添加环节「EDA工具」" in body
    assert order(chain) == ["芯片设计", "EDA工具", *LINKS[1:]]
    assert link(chain, "EDA工具").industry_codes == "I6513,I6520"

    body = post(
        client, "attraction:chain_link_add", chain.pk, chain, name="封测", industry_codes="Z9999"
    )
    assert "行业代码「Z9999」不在国民经济行业分类中" in body
    body = post(client, "attraction:chain_link_add", chain.pk, chain, name="检测")
    assert "产业链「新一代信息技术」已有环节「检测」" in body
    body = post(client, "attraction:chain_link_add", chain.pk, chain, name="封测", position=9)
    assert "次序须在第1位到第7位之间" in body
    assert order(chain)[-1] == "封装载板" and len(order(chain)) == 6

    body = post(client, "attraction:chain_link_update", link(chain, "检测").pk, chain,
                name="检测认证", industry_codes="M7452")  # fmt: skip
    assert "不在国民经济行业分类中" in body and "检测认证" not in order(chain)
    post(client, "attraction:chain_link_update", link(chain, "检测").pk, chain, name="检测认证")
    assert order(chain)[2] == "检测认证"

    body = post(client, "attraction:chain_link_remove", link(chain, "EDA工具").pk, chain)
    assert "已删除环节「EDA工具」" in body
    assert order(chain) == ["芯片设计", "检测认证", *LINKS[2:]]
    assert positions(chain) == [0, 1, 2, 3, 4]  # the links below closed up
    assert version(chain) == 4  # 1 + add + rename + remove; refusals changed nothing


def test_links_move_up_down_and_to_a_set_position(client, colleague, chain):
    client.force_login(colleague)
    post(client, "attraction:chain_link_move", link(chain, "检测").pk, chain, direction="up")
    assert order(chain) == ["检测", "芯片设计", "高端印制线路板", "半导体材料", "封装载板"]
    post(client, "attraction:chain_link_move", link(chain, "芯片设计").pk, chain, direction="down")
    assert order(chain) == ["检测", "高端印制线路板", "芯片设计", "半导体材料", "封装载板"]
    post(client, "attraction:chain_link_move", link(chain, "封装载板").pk, chain, position=2)
    assert order(chain) == ["检测", "封装载板", "高端印制线路板", "芯片设计", "半导体材料"]
    assert positions(chain) == [0, 1, 2, 3, 4]

    before = version(chain)
    body = post(client, "attraction:chain_link_move", link(chain, "检测").pk, chain, direction="up")
    assert "次序须在第1位到第5位之间" in body
    body = post(client, "attraction:chain_link_move", link(chain, "检测").pk, chain)
    assert "请选择上移、下移，或填写要移到第几位" in body
    assert order(chain)[0] == "检测" and version(chain) == before


def test_firms_are_picked_by_credit_code_or_name_and_anchors_marked(
    client, colleague, chain, shennan, zhanhua
):
    client.force_login(colleague)
    pcb, substrate = link(chain, "高端印制线路板"), link(chain, "封装载板")
    page = client.get(reverse("attraction:chain_edit", args=[chain.pk])).content.decode()
    assert '<option value="深南电路股份有限公司">' in page  # the register names this chain's link

    body = post(client, "attraction:chain_firm_add", pcb.pk, chain,
                enterprise=SHENNAN_CODE.lower(), is_anchor="on")  # fmt: skip
    assert "已将「深南电路股份有限公司」列入环节「高端印制线路板」" in body
    post(client, "attraction:chain_firm_add", substrate.pk, chain, enterprise="展华电子")
    assert {(f.link.name, f.enterprise.name, f.is_anchor) for f in ChainFirm.objects.all()} == {
        ("高端印制线路板", "深南电路股份有限公司", True), ("封装载板", "展华电子（南通）有限公司", False),
    }  # fmt: skip

    body = post(
        client, "attraction:chain_firm_add", pcb.pk, chain, enterprise="深南电路股份有限公司"
    )
    assert "「深南电路股份有限公司」已在环节「高端印制线路板」中" in body
    ledger.create_enterprise(actor=None, source="system", fields={"name": "南通某某电子有限公司"})
    body = post(client, "attraction:chain_firm_add", pcb.pk, chain, enterprise="电子")
    assert "「电子」对应多家企业：南通某某电子有限公司、展华电子（南通）有限公司" in body
    body = post(client, "attraction:chain_firm_add", pcb.pk, chain, enterprise="不存在的公司")
    assert "企业台账中没有统一社会信用代码或名称为「不存在的公司」的企业" in body

    firm = ChainFirm.objects.get(enterprise=zhanhua)
    post(client, "attraction:chain_firm_anchor", firm.pk, chain, is_anchor="1")
    post(client, "attraction:chain_firm_anchor", ChainFirm.objects.get(enterprise=shennan).pk,
         chain, is_anchor="0")  # fmt: skip
    views, _ = chains.chain_map(chain)
    assert {v.presence.name: v.anchors for v in views if v.anchors} == {
        "封装载板": ["展华电子（南通）有限公司"]
    }
    body = post(client, "attraction:chain_firm_remove", firm.pk, chain)
    assert "已将「展华电子（南通）有限公司」移出环节「封装载板」" in body
    assert not substrate.firms.exists() and Enterprise.objects.filter(pk=zhanhua.pk).exists()


def test_a_town_team_member_may_view_the_map_but_not_edit_it(
    client, owner, colleague, chain, shennan
):
    pcb = link(chain, "高端印制线路板")
    firm = services.attach_chain_firm(actor=colleague, link=pcb, expected_version=1,
                                      enterprise=shennan, source="user")  # fmt: skip
    edit_url = reverse("attraction:chain_edit", args=[chain.pk])
    client.force_login(colleague)
    assert edit_url in client.get(chain.get_absolute_url()).content.decode()

    client.force_login(owner)
    page = client.get(chain.get_absolute_url())
    assert page.status_code == 200 and edit_url not in page.content.decode()
    assert client.get(edit_url).status_code == 403
    assert client.get(reverse("attraction:chain_create")).status_code == 403
    v = version(chain)
    for name, pk, data in [
        ("chain_create", None, {"name": "新链", "links": "甲"}),
        ("chain_edit", chain.pk, {"name": "改名", "version": v}),
        ("chain_link_add", chain.pk, {"name": "新环节", "version": v}),
        ("chain_link_update", pcb.pk, {"name": "改名", "version": v}),
        ("chain_link_move", pcb.pk, {"direction": "up", "version": v}),
        ("chain_link_remove", link(chain, "检测").pk, {"version": v}),
        ("chain_firm_add", pcb.pk, {"enterprise": SHENNAN_CODE, "version": v}),
        ("chain_firm_anchor", firm.pk, {"is_anchor": "1", "version": v}),
        ("chain_firm_remove", firm.pk, {"version": v}),
    ]:
        url = reverse(f"attraction:{name}", args=[pk] if pk else [])
        assert client.post(url, data).status_code == 403, name
    with pytest.raises(PermissionDenied):
        services.add_chain_link(actor=owner, chain=chain, expected_version=v, name="新环节",
                                source="user")  # fmt: skip
    assert order(chain) == LINKS and version(chain) == v and Chain.objects.count() == 1
    assert ChainFirm.objects.get().is_anchor is False

    user = create_user(username="firm", password="x-pass-123", role=Role.ENTERPRISE,
                       org_unit=None, enterprise_id=shennan.pk)  # fmt: skip
    client.force_login(user)
    assert client.get(edit_url).status_code == 404


def test_a_link_with_firms_or_leads_is_not_removed(client, colleague, chain, shennan, wujie_team):
    client.force_login(colleague)
    pcb, testing = link(chain, "高端印制线路板"), link(chain, "检测")
    services.attach_chain_firm(actor=colleague, link=pcb, expected_version=1, enterprise=shennan,
                               source="user")  # fmt: skip
    make_lead(wujie_team, chain_link=testing)
    v = version(chain)

    body = post(client, "attraction:chain_link_remove", pcb.pk, chain)
    assert "环节「高端印制线路板」上还有本地企业1家（深南电路股份有限公司），不能删除" in body
    body = post(client, "attraction:chain_link_remove", testing.pk, chain)
    assert "环节「检测」上还有线索1条（康源电子高端IC载板项目），不能删除" in body
    services.attach_chain_firm(actor=colleague, link=testing, expected_version=v,
                               enterprise=shennan, source="user")  # fmt: skip
    with pytest.raises(ValidationError, match="本地企业1家（深南电路股份有限公司）、线索1条"):
        services.remove_chain_link(actor=colleague, link=testing, expected_version=v + 1,
                                   source="user")  # fmt: skip
    assert order(chain) == LINKS and version(chain) == v + 1
    assert "chain_link_remove" not in actions(chain)

    # A target list alone does not hold a link; its names stay in the audit entry.
    design = link(chain, "芯片设计")
    chains.add_targets(actor=colleague, link=design, names=["甲设计有限公司"], source="user")
    services.remove_chain_link(actor=colleague, link=design, expected_version=v + 1, source="user")
    assert order(chain) == LINKS[1:] and not ChainTarget.objects.exists()
    entry = AuditEntry.objects.get(action="chain_link_remove")
    assert entry.before["targets"] == ["甲设计有限公司"] and entry.actor == colleague


def test_a_stale_form_is_refused_and_overwrites_nothing(
    client, colleague, district, chain, shennan
):
    leader = create_user(username="leader", password="x-pass-123", role=Role.LEADER,
                         org_unit=district)  # fmt: skip
    read_at = version(chain)  # both open the editor at version 1
    testing = link(chain, "检测")
    client.force_login(leader)
    post(
        client, "attraction:chain_link_update", testing.pk, chain, name="检测认证", version=read_at
    )
    client.force_login(colleague)
    body = post(
        client, "attraction:chain_link_update", testing.pk, chain, name="测试", version=read_at
    )
    assert (
        "产业链「新一代信息技术」已被他人修改（您读取的是第1版，当前为第2版），请刷新页面后重新操作"
        in body
    )
    assert order(chain)[1] == "检测认证"

    for call in (
        lambda: services.move_chain_link(actor=colleague, link=testing, expected_version=read_at,
                                         position=0, source="user"),
        lambda: services.attach_chain_firm(actor=colleague, link=testing, expected_version=read_at,
                                           enterprise=shennan, source="user"),
        lambda: services.remove_chain_link(actor=colleague, link=testing, expected_version=read_at,
                                           source="user"),
        lambda: services.update_chain(actor=colleague, chain=chain, expected_version=read_at,
                                      name="改名", source="user"),
    ):  # fmt: skip
        with pytest.raises(services.ChainConflictError):
            call()
    assert order(chain) == ["芯片设计", "检测认证", *LINKS[2:]] and not ChainFirm.objects.exists()
    assert Chain.objects.get().name == "新一代信息技术" and version(chain) == 2


@pytest.fixture
def failing_move_audit():
    """Make the database refuse the audit entry of a move: the last write of a reorder."""
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TRIGGER fail_move BEFORE INSERT ON {table} "
                "WHEN NEW.action = 'chain_link_move' BEGIN SELECT RAISE(ABORT, 'injected'); END"
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION fail_move() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'injected'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER fail_move BEFORE INSERT ON {table} FOR EACH ROW "
                "WHEN (NEW.action = 'chain_link_move') EXECUTE FUNCTION fail_move()"
            )
        else:
            pytest.skip(f"no trigger for {connection.vendor}")
    # Dropped with the test's transaction.


def test_a_reorder_is_all_or_nothing(colleague, chain, failing_move_audit):
    with pytest.raises(DatabaseError):
        services.move_chain_link(actor=colleague, link=link(chain, "封装载板"), expected_version=1,
                                 position=0, source="user")  # fmt: skip
    # Every link had been renumbered before the failure; none of it stayed.
    assert order(chain) == LINKS and positions(chain) == [0, 1, 2, 3, 4]
    assert version(chain) == 1 and actions(chain) == ["create"]


def test_every_change_is_audited_against_the_chain(client, colleague, chain, shennan):
    s = {"actor": colleague, "source": "user"}
    services.add_chain_link(**s, chain=chain, expected_version=1, name="EDA工具", position=0)
    services.update_chain_link(**s, link=link(chain, "检测"), expected_version=2, name="检测认证")
    services.move_chain_link(**s, link=link(chain, "EDA工具"), expected_version=3, position=2)
    firm = services.attach_chain_firm(**s, link=link(chain, "高端印制线路板"), expected_version=4,
                                      enterprise=shennan)  # fmt: skip
    services.set_chain_anchor(**s, firm=firm, expected_version=5, is_anchor=True)
    services.detach_chain_firm(**s, firm=firm, expected_version=6)
    services.remove_chain_link(**s, link=link(chain, "EDA工具"), expected_version=7)
    services.update_chain(**s, chain=chain, expected_version=8, name="新一代信息技术产业")
    assert actions(chain) == [
        "create", "chain_link_add", "chain_link_update", "chain_link_move", "chain_firm_add",
        "chain_firm_anchor", "chain_firm_remove", "chain_link_remove", "update",
    ]  # fmt: skip
    entries = list(AuditEntry.objects.filter(model="attraction.chain").order_by("id"))[1:]
    assert all(e.actor == colleague and e.source == "user" for e in entries)
    assert [e.after["version"] for e in entries] == [2, 3, 4, 5, 6, 7, 8, 9]
    move = entries[2]
    assert move.before["order"] == ["EDA工具", "芯片设计", "检测认证", *LINKS[2:]]
    assert move.after["order"] == ["芯片设计", "检测认证", "EDA工具", *LINKS[2:]]
    assert entries[3].after == {"link": "高端印制线路板", "enterprise_id": shennan.pk,
                                "enterprise": "深南电路股份有限公司", "is_anchor": False,
                                "version": 5}  # fmt: skip
    assert (entries[4].before["is_anchor"], entries[4].after["is_anchor"]) == (False, True)

    client.force_login(colleague)
    page = client.get(reverse("attraction:chain_edit", args=[chain.pk])).content.decode()
    assert "调整次序" in page and "芯片设计 → 检测认证 → EDA工具" in page


def test_the_editor_query_count_does_not_grow_with_firms(
    client, django_assert_max_num_queries, colleague, chain
):
    client.force_login(colleague)
    url = reverse("attraction:chain_edit", args=[chain.pk])

    def firms(start: int, n: int) -> None:
        for i in range(start, start + n):
            e = ledger.create_enterprise(actor=None, source="system", fields={"name": f"企业{i}"})
            services.attach_chain_firm(actor=None, link=link(chain, LINKS[i % 5]),
                                       expected_version=version(chain), enterprise=e,
                                       source="system")  # fmt: skip

    firms(0, 3)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    firms(3, 20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_empty_chain_list_offers_a_new_chain_to_the_district_only(client, colleague, owner):
    client.force_login(colleague)
    page = client.get(reverse("attraction:chain_list")).content.decode()
    assert reverse("attraction:chain_create") in page
    client.force_login(owner)
    page = client.get(reverse("attraction:chain_list")).content.decode()
    assert "暂无产业链" in page
    assert reverse("attraction:chain_create") not in page
