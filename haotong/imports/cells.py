"""Reading single cells the way people fill them in: 是/否, 已开工, 科创、人才 …

Each reader returns a value or raises ``ParseError`` with a Chinese message."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from stdnum.cn import uscc

from haotong.core.amounts import ParseError
from haotong.ledger import industries, stages

_SEPARATORS = re.compile(r"[、,，;；\n/／]+")
_STAGE_WORDS: dict[str, str] = {
    **{label: code for code, label in stages.STAGE_LABELS.items()},
    **{code: code for code in stages.STAGES},
    "在建": stages.STARTED,
    "开工建设": stages.STARTED,
    "新开工": stages.STARTED,
    "已签约": stages.SIGNED,
    "签约落户": stages.SIGNED,
    "拿地": stages.LAND,
    "已供地": stages.LAND,
    "审批中": stages.APPROVAL,
    "建成": stages.COMPLETED,
    "竣工投产": stages.PRODUCTION,
    "停建": stages.SUSPENDED,
}
# Words for a project that has not reached any stage yet: no event is recorded.
_NO_STAGE = frozenset({"前期", "在谈", "拟建", "谋划", "储备", "未开工", "未登记", "无"})
_TAG_WORDS: dict[str, str] = {
    "重大招商": "tag_major_attraction",
    "重大招商项目": "tag_major_attraction",
    "招商": "tag_major_attraction",
    "科创": "tag_tech",
    "科创项目": "tag_tech",
    "科技创新": "tag_tech",
    "人才": "tag_talent",
    "人才项目": "tag_talent",
}
_YES = frozenset({"是", "√", "✓", "y", "yes", "true", "1", "对"})
_NO = frozenset({"否", "×", "✗", "n", "no", "false", "0", "不是"})


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value, "f")
    return re.sub(r"[ \t\u3000]+", " ", str(value)).strip()


def split_list(value: Any) -> list[str]:
    return [part.strip() for part in _SEPARATORS.split(text(value)) if part.strip()]


def credit_codes(value: Any) -> list[str]:
    codes = [code.upper().replace(" ", "") for code in split_list(value)]
    for code in codes:
        if not uscc.is_valid(code):
            raise ParseError(
                _("统一社会信用代码「%(v)s」无效：应为18位且校验位正确（GB 32100-2015）")
                % {"v": code}
            )
    return codes


def industry_code(value: Any) -> str:
    raw = text(value).upper()
    match = re.match(r"^([A-T]?)(\d{0,4})", raw)
    assert match is not None  # both groups may be empty, so this always matches
    code = match.group(1) + match.group(2)
    if code and not match.group(1) and len(code) >= 2:
        # "3982" written without its section letter: infer it from the division.
        section = next((d[0] for d in industries.DIVISIONS if d[1:] == code[:2]), "")
        code = section + code if section else code
    if not code or not industries.is_valid(code):
        raise ParseError(
            _("行业代码「%(v)s」不在国民经济行业分类中，应写作如 C3982") % {"v": value}
        )
    return code


def stage(value: Any) -> str:
    word = text(value).removeprefix("已").removeprefix("正在")
    if word in _NO_STAGE:
        return ""
    for candidate in (text(value), word, word.removesuffix("阶段")):
        if candidate in _STAGE_WORDS:
            return _STAGE_WORDS[candidate]
    allowed = "、".join(stages.STAGE_LABELS.values())
    raise ParseError(
        _("无法识别的阶段「%(v)s」，应为：%(allowed)s") % {"v": value, "allowed": allowed}
    )


def tags(value: Any) -> dict[str, bool]:
    flags: dict[str, bool] = {}
    for word in split_list(value):
        if word not in _TAG_WORDS:
            raise ParseError(
                _("无法识别的项目类型「%(v)s」，应为 重大招商、科创 或 人才") % {"v": word}
            )
        flags[_TAG_WORDS[word]] = True
    return flags


def yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = text(value).lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ParseError(_("应填「是」或「否」，而不是「%(v)s」") % {"v": value})
