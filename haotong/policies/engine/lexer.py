"""Tokens of the rule language. Positions are 0-based code-point offsets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

TokenKind = Literal["num", "str", "ident", "op", "kw", "end"]

KEYWORDS = {
    "and": "and",
    "or": "or",
    "not": "not",
    "in": "in",
    "between": "between",
    "startswith": "startswith",
    "is": "is",
    "null": "null",
    "true": "true",
    "false": "false",
    # Chinese spellings of the logical words
    "且": "and",
    "并且": "and",
    "或": "or",
    "或者": "or",
    "非": "not",
}
CJK_KEYWORDS = sorted((k for k in KEYWORDS if not k.isascii()), key=len, reverse=True)

# longest first, and full-width / math spellings mapped to the canonical one
OPERATORS = {
    ">=": ">=",
    "<=": "<=",
    "!=": "!=",
    "==": "=",
    "<>": "!=",
    "≥": ">=",
    "≤": "<=",
    "≠": "!=",
    "＞": ">",
    "＜": "<",
    "＝": "=",
    ">": ">",
    "<": "<",
    "=": "=",
    "+": "+",
    "-": "-",
    "*": "*",
    "×": "*",
    "/": "/",
    "÷": "/",
    "(": "(",
    ")": ")",
    "（": "(",
    "）": ")",
    "[": "[",
    "]": "]",
    ",": ",",
    "，": ",",
    "、": ",",
}
QUOTES = {"'": "'", '"': '"', "“": "”", "‘": "’", "「": "」"}
NUMBER_SUFFIXES = {"万": 1e4, "亿": 1e8}


class RuleError(ValueError):
    """A rule that cannot be accepted; ``str(err)`` is the Chinese message."""

    def __init__(self, offset: int, fragment: str, problem: str) -> None:
        self.position = offset + 1  # 1-based, as people count characters
        self.fragment = fragment
        self.problem = problem
        super().__init__(f"第{self.position}个字符：{problem}")


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str  # canonical text (keyword / operator) or the raw identifier
    start: int
    end: int
    value: float | str | None = None


def _is_ident_start(ch: str) -> bool:
    return ch.isascii() and (ch.isalpha() or ch == "_")


def _is_ident_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch.isspace():
            i += 1
            continue
        if ch.isdigit() or (ch == "." and i + 1 < n and source[i + 1].isdigit()):
            j = i
            while j < n and (source[j].isdigit() or source[j] in "._"):
                j += 1
            raw = source[i:j].replace("_", "")
            try:
                value = float(raw)
            except ValueError:
                raise RuleError(i, source[i:j], f"数字「{source[i:j]}」写法不对") from None
            if j < n and source[j] in NUMBER_SUFFIXES:
                value *= NUMBER_SUFFIXES[source[j]]
                j += 1
            if j < n and _is_ident_char(source[j]):
                raise RuleError(j, source[j], f"数字后面不能紧跟「{source[j]}」")
            tokens.append(Token("num", source[i:j], i, j, value))
            i = j
            continue
        if ch in QUOTES:
            close = QUOTES[ch]
            j = source.find(close, i + 1)
            if j < 0:
                raise RuleError(i, source[i:], f"文本「{source[i:]}」缺少结尾的引号 {close}")
            tokens.append(Token("str", source[i : j + 1], i, j + 1, source[i + 1 : j]))
            i = j + 1
            continue
        if _is_ident_start(ch):
            j = i
            while j < n and _is_ident_char(source[j]):
                j += 1
            word = source[i:j]
            low = word.lower()
            if low in KEYWORDS:
                tokens.append(Token("kw", KEYWORDS[low], i, j))
            else:
                tokens.append(Token("ident", word, i, j))
            i = j
            continue
        cjk = next((k for k in CJK_KEYWORDS if source.startswith(k, i)), None)
        if cjk is not None:
            tokens.append(Token("kw", KEYWORDS[cjk], i, i + len(cjk)))
            i += len(cjk)
            continue
        if _is_cjk(ch):
            # a Chinese attribute label such as 研发费用占比, up to the next keyword
            j = i + 1
            while (
                j < n
                and _is_cjk(source[j])
                and not any(source.startswith(k, j) for k in CJK_KEYWORDS)
            ):
                j += 1
            tokens.append(Token("ident", source[i:j], i, j))
            i = j
            continue
        op = next((o for o in OPERATORS if source.startswith(o, i)), None)
        if op is not None:
            tokens.append(Token("op", OPERATORS[op], i, i + len(op)))
            i += len(op)
            continue
        raise RuleError(i, ch, f"无法识别的字符「{ch}」")
    tokens.append(Token("end", "", n, n))
    return tokens
