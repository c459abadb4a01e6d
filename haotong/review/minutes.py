"""会商纪要: the review's minutes as a .docx (python-docx), with every opinion."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentObject
from docx.shared import Pt

from haotong.core.amounts import format_yuan
from haotong.review import engine
from haotong.review.models import Criterion, Invitation, Review
from haotong.review.workdays import working_days_late

TITLE = "重大项目落户研判会商纪要"


def minutes_filename(review: Review) -> str:
    return f"研判会商纪要-{review.project.name}-{review.called_on:%Y%m%d}.docx"


def build_minutes(review: Review, invitations: list[Invitation]) -> bytes:
    """``invitations`` with department, opinion, reviewer and scores prefetched."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(11)  # type: ignore[attr-defined]
    doc.add_heading(TITLE, level=0)
    if review.status == Review.Status.OPEN:
        doc.add_paragraph("（草稿：会商尚未作出结论）")
    if review.synthetic:
        doc.add_paragraph("演示数据：由程序生成，并非真实记录")
    _facts(doc, review)
    _attendees(doc, review, invitations)
    doc.add_heading("各部门意见", level=1)
    for invitation in invitations:
        _opinion(doc, invitation)
    _verdict(doc, review)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _facts(doc: DocumentObject, review: Review) -> None:
    p = review.project
    doc.add_heading("项目基本情况", level=1)
    rows = [
        ("项目名称", p.name),
        ("所在镇街/园区", str(p.town)),
        ("总投资", p.investment_label),
        ("行业", f"{p.industry_label} {p.industry_code}".strip()),
        ("用地", f"{p.land_mu}亩" if p.land_mu is not None else "未披露"),
        ("预计年税收", format_yuan(p.planned_tax_yuan)),
        ("招引队伍", str(p.owner_team or "—")),
        ("研判原因", review.reason or "—"),
        ("发起日期", f"{review.called_on:%Y年%-m月%-d日}"),
        ("意见截止", f"{review.deadline:%Y年%-m月%-d日}"),
        ("规则版本", f"第{review.policy.version}版"),
    ]
    _table(doc, ("事项", "内容"), rows)
    if review.note:
        doc.add_paragraph(f"会商说明：{review.note}")


def _attendees(doc: DocumentObject, review: Review, invitations: list[Invitation]) -> None:
    doc.add_heading("参会部门", level=1)
    rows = []
    for inv in invitations:
        opinion = getattr(inv, "opinion", None)
        if opinion is None:
            state = "未提交"
        else:
            late = working_days_late(inv.deadline, opinion.submitted_on)
            state = f"{opinion.submitted_on:%Y-%m-%d}提交" + (
                f"（逾期{late}个工作日）" if late else ""
            )
        who = (opinion.reviewer.first_name or opinion.reviewer.username) if opinion else "—"
        rows.append((inv.department.name, who, state))
    _table(doc, ("部门", "审核人", "意见"), rows)
    caller = review.called_by
    doc.add_paragraph(f"召集：{(caller.first_name or caller.username) if caller else '系统'}")


def _opinion(doc: DocumentObject, invitation: Invitation) -> None:
    doc.add_heading(invitation.department.name, level=2)
    opinion = getattr(invitation, "opinion", None)
    if opinion is None:
        doc.add_paragraph("未提交意见。")
        return
    rows = []
    for s in opinion.scores.all():
        c = s.criterion
        veto = c.veto and c.veto_below is not None and s.value < c.veto_below
        rows.append(
            (c.name, c.measure, f"{s.value.normalize():f}", _range(c), "否决" if veto else "")
        )
    _table(doc, ("评分项", "考察指标", "得分", "分值范围", "一票否决"), rows)
    doc.add_paragraph(f"意见：{opinion.comments}")
    if opinion.conditions:
        doc.add_paragraph(f"建议条件：{opinion.conditions}")


def _verdict(doc: DocumentObject, review: Review) -> None:
    doc.add_heading("会商结论", level=1)
    if not review.verdict:
        doc.add_paragraph("尚未作出结论。")
        return
    doc.add_paragraph(f"结论：{engine.VERDICT_LABELS[review.verdict]}")
    doc.add_paragraph(
        f"加权得分：{review.score}（通过≥{review.policy.pass_score}，"
        f"有条件通过≥{review.policy.conditional_score}，百分制）"
    )
    if review.veto_reasons:
        doc.add_paragraph("一票否决：" + "；".join(review.veto_reasons.splitlines()))
    if review.conditions:
        doc.add_paragraph("通过条件：")
        for line in review.conditions.splitlines():
            doc.add_paragraph(line, style="List Number")
    if review.decided_on:
        doc.add_paragraph(f"结论日期：{review.decided_on:%Y年%-m月%-d日}")


def _range(c: Criterion) -> str:
    return f"{c.min_score.normalize():f}–{c.max_score.normalize():f}"


def _table(doc: DocumentObject, header: tuple[str, ...], rows: Sequence[Sequence[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
