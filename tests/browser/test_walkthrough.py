"""A newcomer's walk through haotong in headless Chromium: log in, read the
dashboard, filter the ledger (htmx), open a project's timeline, and import a
spreadsheet with one bad row.

Set HAOTONG_SCREENSHOT=1 to write the dashboard to docs/screenshot-dashboard.png
(for the README); otherwise screenshots go to a temporary directory."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from haotong.core.demo import loader
from haotong.core.models import User
from haotong.ledger.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_HEADERS = [
    "序号",
    "项目名称",
    "所在镇街/园区",
    "总投资",
    "行业代码",
    "当前阶段",
    "阶段日期",
    "招引队伍",
]
IMPORT_ROWS = [
    [1, "五接镇智能装备产业园项目", "五接镇", "8000万元", "C34", "签约", "2023年1月5日", "五接镇招商队伍"],
    [2, "五接镇高端面料项目", "五接镇", "五千万圆", "C17", "签约", "2023.1.9", "五接镇招商队伍"],
    [3, "五接镇储能电池项目", "五接镇", "1.2亿", "C38", "开工", "2023年2月11日", ""],
]  # fmt: skip


def import_file() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(IMPORT_HEADERS)
    for row in IMPORT_ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def screenshot_path(tmp_path: Path) -> Path:
    if os.environ.get("HAOTONG_SCREENSHOT") == "1":
        return REPO / "docs" / "screenshot-dashboard.png"
    return tmp_path / "screenshot-dashboard.png"


def listed(page) -> list[str]:
    return page.locator("#results tbody td:first-child a").all_inner_texts()


def test_a_newcomer_logs_in_reads_filters_opens_a_project_and_imports(live_server, page, tmp_path):
    # The full district makes the README screenshot; the small one keeps the suite quick.
    full = os.environ.get("HAOTONG_SCREENSHOT") == "1"
    loader.load() if full else loader.load(projects=40, enterprises=120)
    analyst = User.objects.get(username="analyst")
    projects_before = Project.objects.count()

    # Log in through the form; the dashboard is the landing page.
    page.goto(live_server.url + "/")
    assert "/login/" in page.url
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", loader.DEMO_PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(live_server.url + "/")

    # Dashboard: the figures are the ledger's, and the charts were drawn.
    assert page.locator("h1").first.inner_text().startswith("项目建设总览")
    total = Project.objects.visible_to(analyst).count()
    assert page.locator("[data-figure=total]").inner_text() == str(total)
    started = Project.objects.filter(stage="started").count()
    assert page.locator("[data-figure=under_construction]").inner_text() == str(started)
    assert "康辉新材料项目" in page.locator("#largest").inner_text()
    page.wait_for_function("() => Chart.getChart('chart-stages') !== undefined")
    page.wait_for_timeout(1200)  # let Chart.js finish drawing its bars
    page.screenshot(path=str(screenshot_path(tmp_path)), full_page=True)

    # Project list: choosing a stage updates the results in place (htmx, no reload).
    page.click("nav >> text=项目台账")
    page.wait_for_url(re.compile(r"/projects/$"))
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.stillThisPage = true; }")
    page.select_option("select[name=stage]", "started")
    page.wait_for_url(re.compile(r"stage=started"))
    page.wait_for_function(
        f"() => document.querySelector('#result-count').textContent === '{started}'"
    )
    expected = list(Project.objects.filter(stage="started").values_list("name", flat=True)[:50])
    assert listed(page) == expected
    assert page.evaluate("() => window.stillThisPage") is True

    # Typing a name narrows the list further.
    page.fill("input[name=q]", "康辉")
    page.press("input[name=q]", "Enter")
    page.wait_for_function("() => document.querySelector('#result-count').textContent === '1'")
    assert listed(page) == ["康辉新材料项目"]
    assert page.evaluate("() => window.stillThisPage") is True

    # The project's timeline, with the article's sentence as its source.
    page.click("#results >> text=康辉新材料项目")
    page.wait_for_url(re.compile(r"/projects/\d+/$"))
    assert page.locator("h1").inner_text().startswith("康辉新材料项目")
    timeline = page.locator("#timeline").inner_text()
    assert "2022年10月" in timeline and "开工" in timeline
    assert "自去年10月开工后" in timeline
    assert "来源：文档" in timeline

    # Import: the bad row's error by row and column, in Chinese; nothing saved.
    page.click("nav >> text=导入")
    page.wait_for_url(re.compile(r"/import/$"))
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "五接镇项目清单.xlsx", "mimeType": XLSX, "buffer": import_file()}],
    )
    page.click("button:has-text('上传并预览')")
    page.wait_for_selector("#import-errors")
    errors = page.locator("#import-errors li").all_inner_texts()
    assert len(errors) == 1
    assert errors[0].startswith("第3行 D列「总投资」：无法识别的金额「五千万圆」")
    assert "整批不会保存" in page.locator(".import-errors h2").inner_text()
    assert page.locator("button:has-text('确认导入')").count() == 0
    bad_row = page.locator("#import-rows tr.has-error")
    assert bad_row.count() == 1 and "五接镇高端面料项目" in bad_row.inner_text()
    assert Project.objects.count() == projects_before
    assert not Project.objects.filter(name__startswith="五接镇").exists()
