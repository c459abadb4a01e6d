"""Error pages speak Chinese (English when chosen) and give nothing of the record away."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_out_of_scope_record_is_a_chinese_404(client, outsider, project):
    login(client, outsider)
    response = client.get(reverse("ledger:project_detail", args=[project.pk]))
    page = response.content.decode()
    assert response.status_code == 404
    assert "未找到该页面或记录" in page
    assert project.name not in page
    assert "Not Found" not in page


def test_404_in_english_when_chosen(client, outsider, project):
    login(client, outsider)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("ledger:project_detail", args=[project.pk])).content.decode()
    assert "Page or record not found" in page


def test_permission_denied_says_why_in_chinese(client, owner):
    login(client, owner)
    response = client.get(reverse("attraction:chain_create"))
    assert response.status_code == 403
    assert "无权" in response.content.decode() or "只有" in response.content.decode()


def test_server_error_page_is_chinese_and_standalone():
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    # rendered without a request or context, as Django's server_error does
    assert "服务器出错了" in page and "未保存任何部分的更改" in page
