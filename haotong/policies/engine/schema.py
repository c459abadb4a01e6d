"""The enterprise attributes a rule may name: type, Chinese label and unit.

Every attribute is nullable; a missing value makes the conditions that need it
*unknown* (see LANGUAGE.md). Numbers are IEEE doubles in every engine, so the
reference interpreter and the vectorised engine compute the same bits.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

ValueType = Literal["number", "text", "bool"]

TYPE_LABELS: dict[str, str] = {"number": "数字", "text": "文本", "bool": "是/否"}


@dataclass(frozen=True, slots=True)
class Attribute:
    """One enterprise attribute as rules see it."""

    name: str
    type: ValueType
    label: str
    unit: str = ""
    #: allowed values for coded text attributes (shown to editors, not enforced)
    choices: tuple[str, ...] = ()


class Schema(Mapping[str, Attribute]):
    """An ordered, read-only set of attributes addressed by name."""

    def __init__(self, attributes: tuple[Attribute, ...]) -> None:
        self._by_name = {a.name: a for a in attributes}
        if len(self._by_name) != len(attributes):
            raise ValueError("duplicate attribute names")

    def __getitem__(self, name: str) -> Attribute:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    def of_type(self, value_type: ValueType) -> tuple[str, ...]:
        return tuple(a.name for a in self._by_name.values() if a.type == value_type)


SIZE_CLASSES = ("large", "medium", "small", "micro")

ENTERPRISE_SCHEMA = Schema(
    (
        Attribute("credit_code", "text", "统一社会信用代码"),
        Attribute("name", "text", "企业名称"),
        Attribute("industry_code", "text", "行业代码"),
        Attribute("town", "text", "所在镇街"),
        Attribute("size_class", "text", "企业规模", choices=SIZE_CLASSES),
        Attribute("age_years", "number", "成立年限", "年"),
        Attribute("employees", "number", "从业人数", "人"),
        Attribute("revenue_yuan", "number", "营业收入", "元"),
        Attribute("tax_yuan", "number", "纳税额", "元"),
        Attribute("rd_expense_yuan", "number", "研发费用", "元"),
        Attribute("rd_ratio", "number", "研发费用占比", "%"),
        Attribute("land_mu", "number", "用地面积", "亩"),
        Attribute("output_yuan", "number", "产值", "元"),
        Attribute("is_high_tech", "bool", "高新技术企业"),
        Attribute("is_specialized", "bool", "专精特新企业"),
        Attribute("is_startup", "bool", "初创企业"),
        Attribute("founder_is_returnee", "bool", "返乡创业"),
    )
)
