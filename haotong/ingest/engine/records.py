"""Projects listed as records: a numbered name line, then "键：值" field lines.

Government notices and 公示 lists give projects as records, not sentences::

    一、新开工项目
    1．年产10万吨α-烯烃项目
    建设地点：龙凤区　　建设单位：大庆龙华化工有限公司
    总投资：46亿元　　开工时间：2023年7月12日

Each field says one thing (place, company, amount, the date of a stage), so a record is
read field by field; the stage comes from a dated field (开工时间, 竣工投产时间 …) or,
failing one, from the section heading above the records ("二、竣工投产项目").
The reader works on lines of the analysis text (same length as the original), so every
span is an offset into the original.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from haotong.ingest.engine.amounts import AMOUNT_RE, find_money, parse_money
from haotong.ingest.engine.dates import Ref, find_dates
from haotong.ingest.engine.places import Gazette, Location, locate
from haotong.ingest.engine.reconstruct import iter_lines
from haotong.ingest.engine.stages import is_specific, stage_hits, strip_place

_ITEM = re.compile(
    r"(?:\d{1,2}\s*[.．、]|[（(][一二三四五六七八九十\d]{1,3}[）)])\s*"
    r"(?P<name>[^，。；：:\s]{2,40}?(?:项目|工程)(?:\([^()]{1,8}\))?)\s*$"
)
_KEYS = {
    "建设地点": "place", "项目地点": "place", "项目选址": "place", "所在地": "place",
    "建设单位": "company", "项目单位": "company", "业主单位": "company", "投资主体": "company",
    "实施主体": "company", "投资方": "company",
    "总投资": "money", "计划总投资": "planned_money", "投资额": "money", "协议投资": "money",
    "项目总投资": "money", "投资总额": "money",
    "建设内容": "content", "建设规模": "content",
    "签约时间": "signed", "开工时间": "started", "竣工时间": "completed",
    "投产时间": "production", "竣工投产时间": "production", "建成投产时间": "production",
    "达产时间": "capacity",
    "签约日期": "signed", "开工日期": "started", "竣工日期": "completed", "投产日期": "production",
    "竣工投产日期": "production",
    "项目名称": "name",
}  # fmt: skip
# any other "键：值" whose key says what it holds: "投资规模", "落户地", "实施单位", "计划开工时间"
_KEY_WORDS = r"名称|投资|单位|主体|业主|企业|承建|进展|进度|推进|阶段|地点|地址|选址|所在地|落户|位置|时间|日期|内容|规模|方|法人"
_FIELD = re.compile(
    r"(?:^|(?<=[\s\u3000；;，,。]))("
    + "|".join(sorted(_KEYS, key=len, reverse=True))
    + rf"|[\u4e00-\u9fff]{{0,6}}(?:{_KEY_WORDS})[\u4e00-\u9fff]{{0,4}}(?:[（(][^（()）]{{1,6}}[）)])?"
    + r")\s*[：:]\s*"
)
_KEY_STAGES = (
    ("竣工投产", "production"), ("建成投产", "production"), ("投产", "production"),
    ("达产", "capacity"), ("竣工", "completed"), ("建成", "completed"), ("开工", "started"),
    ("动工", "started"), ("签约", "signed"), ("签订", "signed"), ("落地", "signed"),
)  # fmt: skip
_NOT_TOTAL_KEY = re.compile(
    r"方|主体|人|单位|企业|强度|进度|完成|已|年度|累计|来源|方式|类别|性质|\d{4}年|\d+\s*[-—至]\s*\d+月|本年|今年"
)
_COMPANY_KEY = re.compile(r"单位|主体|业主|法人|投资方|投资人|签约方|承建|企业名称")
_PLACE_KEY = re.compile(r"地点|地址|选址|所在地|落户|位置|区域|属地|园区")
_PROGRESS_KEY = re.compile(r"进展|进度|推进|阶段|状态|现状|项目性质|项目类型|项目类别")
_COMPANY_VALUE = re.compile(r"(?:有限公司|有限责任公司|股份公司|集团|公司|研究院|合作社)$")


def key_kind(key: str) -> str | None:
    """What a field or column holds, from its key: the known keys first, then the words in it
    (``投资规模`` → money, ``落户地`` → place, ``计划开工时间`` → nothing: a plan is no event)."""
    plain = _UNIT.sub("", key).strip()
    if plain in _KEYS:
        return _KEYS[plain]
    if re.search(r"时间|日期", plain):
        if re.search(r"计划|预计|拟|约定", plain):
            return None
        return next((stage for word, stage in _KEY_STAGES if word in plain), None)
    if "投资" in plain and not _NOT_TOTAL_KEY.search(plain):
        return "planned_money" if re.search(r"计划|拟|意向", plain) else "money"
    if "名称" in plain and plain.startswith(("项目", "工程")):
        return "name"
    if _COMPANY_KEY.search(plain):
        return "company_named"  # a company only when the value names one ("合作方：一家…企业")
    if _PLACE_KEY.search(plain):
        return "place"
    if re.search(r"内容|规模", plain):
        return "content"
    if _PROGRESS_KEY.search(plain):
        return "progress"  # "进展情况：3月开工，主厂房已封顶" — stage words with their dates
    return None


_SECTION = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])\s*"
    r"(?<!未)(?:新)?((?:签约|开工|竣工投产|竣工|投产|在建|在谈|洽谈)(?:的)?(?:重点|重大|产业)?(?:\S{0,6})?项目)"
)
_SECTION_FIRST = set("一二三四五六七八九十（(")
_ITEM_ENDS = ("项目", "工程", ")", "）")
_CAPACITY = re.compile(
    r"年产[^，。；]{1,20}?\d+(?:\.\d+)?(?:万|亿)?(?:吨|辆|台|套|片|GWh|GW|件|只)"
)


@dataclass(slots=True)
class Record:
    name: str
    name_span: tuple[int, int]
    location: Location
    company: str | None
    investment: object  # Decimal | None
    qualifier: str
    capacity: str | None
    events: list[tuple[str, str | None, tuple[int, int]]]  # (stage, date, span)
    extent: tuple[int, int] = (0, 0)  # the record's lines: running text read there is dropped
    when: str | None = None  # a table's 节点时间 / 时间 column: the date of an undated stage


def _fields(line: str) -> list[tuple[str, str, int]]:
    """(kind, value, offset of the value in the line) of every "键：值" in ``line``."""
    found = list(_FIELD.finditer(line))
    out = []
    for i, m in enumerate(found):
        kind = key_kind(m.group(1))
        if kind is None:
            continue
        end = found[i + 1].start() if i + 1 < len(found) else len(line)
        out.append((kind, line[m.end() : end].strip(" \u3000；;，,"), m.end()))
    return out


def find_records(text: str, base: int, ref: Ref, gazette: Gazette) -> list[Record]:
    """Records in ``text`` (an analysis text), spans offset by ``base``."""
    if not _FIELD.search(text):
        return []
    out: list[Record] = []
    section: str | None = None
    current: Record | None = None
    lines = list(iter_lines(text, base))
    for k, (line, start) in enumerate(lines):
        banner = _BANNER.fullmatch(line) if ("—" in line or "【" in line) else None
        if banner and (hits := stage_hits(banner.group(1))):
            section, current = hits[-1][2], None  # "—— 同日竣工投产 ——" over the records below
            continue
        if current is None and "项目" not in line:
            continue  # neither a heading, an item nor a field of an open record
        heading = _SECTION.match(line) if line[:1] in _SECTION_FIRST else None
        if heading:
            hits = stage_hits(heading.group(1))
            section = hits[0][2] if hits else None
            current = None
            continue
        item = _ITEM.match(line) if line.endswith(_ITEM_ENDS) else None
        if not (item and is_specific(item.group("name"))):
            # "■ 农产品精深加工产业园项目" then "计划总投资12亿元": a name line over its fields
            item = _BARE_ITEM.fullmatch(line) if line.endswith(_ITEM_ENDS) else None
            if item and not (is_specific(item.group("name")) and _fields_follow(lines, k)):
                item = None
        if item:
            name = strip_place(item.group("name"))
            current = _new(name, start + item.end("name") - len(name))
            out.append(current)
            if section:
                current.events.append((section, None, current.name_span))
            continue
        fields = _fields(line) if ("：" in line or ":" in line) else _amount_line(line)
        if fields and fields[0][0] == "name":  # "项目名称：X项目" opens a record
            name = fields[0][1]
            if _NAME.fullmatch(name) and is_specific(name):
                name_start = start + fields[0][2]
                current = _new(strip_place(name), name_start + (len(name) - len(strip_place(name))))
                out.append(current)
                if section:
                    current.events.append((section, None, current.name_span))
            fields = fields[1:]
        if current is None:
            fields = []
        if not fields and current is not None and line.strip() and _SAYS_MORE.search(line):
            # "去年11月签约　总投资约20亿元" under the name: its stage and amount, keyless
            money = [m for m in find_money(line) if m.is_investment]
            fields = [("progress", line, 0)]
            if money and current.investment is None:
                fields.append(("money", line[money[0].start : money[0].end], money[0].start))
        if not fields:
            if line:
                current = None if not _FIELD.search(line) else current
            continue
        assert current is not None
        for kind, value, offset in fields:
            _apply(current, kind, value, start + offset, ref, gazette)
        current.extent = (current.extent[0], start + len(line))
    return [r for r in out if r.investment is not None or r.company or len(r.events) > 0]


_BARE_ITEM = re.compile(
    r"\s*(?:[■●◆▲★□·•]\s*)?(?:[^，。；：:\s]{2,12}[\s\u3000]+)?"
    r"(?P<name>[^，。；：:\s]{2,40}?(?:项目|工程)(?:\([^()]{1,8}\))?)\s*"
)
_BANNER = re.compile(r"\s*[—\-=【\[]+\s*([^—\-=【】\[\]]{1,12}?)\s*[—\-=】\]]+\s*")
_SAYS_MORE = re.compile(r"签约|开工|动工|竣工|投产|建成|达产|在建|洽谈|总投资|投资额")
_AMOUNT_LINE = re.compile(
    r"\s*(?P<key>计划总投资|总投资|投资总额|投资额|协议投资|计划投资)\s*(?:为|达)?"
)


def _amount_line(line: str) -> list[tuple[str, str, int]]:
    """``计划总投资12亿元`` on a line of its own under a name: the record's amount."""
    m = _AMOUNT_LINE.match(line)
    if m is None:
        return []
    kind = "planned_money" if m.group("key").startswith("计划") else "money"
    return [(kind, line[m.end() :].strip(), m.end())]


def _fields_follow(lines: list[tuple[str, int]], k: int) -> bool:
    """The next non-blank line after line ``k`` is a field or an amount line."""
    for line, _ in lines[k + 1 : k + 3]:
        if line.strip():
            return bool(
                (("：" in line or ":" in line) and _fields(line))
                or _amount_line(line)
                or (_SAYS_MORE.search(line) and any(m.is_investment for m in find_money(line)))
            )
    return False


_ISO = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*(\d{1,2}))?")


def _iso(m: re.Match[str]) -> str | None:
    y, mo, d = int(m.group(1)), int(m.group(2)), m.group(3)
    if not 1 <= mo <= 12:
        return None
    return f"{y:04d}-{mo:02d}-{int(d):02d}" if d and 1 <= int(d) <= 31 else f"{y:04d}-{mo:02d}"


_PLANNED = re.compile(r"计划|拟")
_BARE_NUMBER = re.compile(r"(约|近|超|逾)?\s*(\d+(?:\.\d+)?)\s*([（(][^（()）]{1,6}[）)])?")
_INTENDED = re.compile(r"意向|计划|拟")
_NAME = re.compile(r"[^，。；：:\s]{2,40}?(?:项目|工程)(?:\([^()]{1,8}\))?")


def _new(name: str, start: int) -> Record:
    end = start + len(name)
    return Record(
        name=name,
        name_span=(start, start + len(name)),
        location=Location(),
        company=None,
        investment=None,
        qualifier="",
        capacity=None,
        events=[],
        extent=(start, end),
    )


def _apply(record: Record, kind: str, value: str, at: int, ref: Ref, gazette: Gazette) -> None:
    if kind == "place":
        record.location = locate(value, gazette)
    elif kind == "company":
        record.company = value or None
    elif kind == "company_named":
        record.company = value if _COMPANY_VALUE.search(value) else record.company
    elif kind in ("money", "planned_money"):
        # "总投资18.5亿元", "协议投资35亿元", "约6.8亿元（其中固定资产投资5亿元）"
        amount = AMOUNT_RE.search(value.split("（")[0].split("(")[0])
        parsed = parse_money(amount.group(0)) if amount else None
        if amount is not None and parsed is not None:
            record.investment, record.qualifier = parsed
            planned = kind == "planned_money" or _PLANNED.search(value, 0, amount.start())
            if planned and parsed[0] is not None:
                record.qualifier = "planned"
    elif kind == "content":
        cap = _CAPACITY.search(value)
        record.capacity = cap.group(0) if cap else record.capacity
    elif kind == "progress":
        _progress(record, value, at, ref)
    elif kind == "when":
        iso = _ISO.search(value)
        dates = [d for d in find_dates(value, ref, None) if d[2]]
        record.when = dates[0][2] if dates else (_iso(iso) if iso else None)
        if record.when:
            record.events = [
                (stage, when or record.when, span) for stage, when, span in record.events
            ]
    else:
        dates = [d for d in find_dates(value, ref, None) if d[2]]
        iso = _ISO.match(value)
        when = dates[0][2] if dates else (_iso(iso) if iso else None)
        span = (at, at + len(value))
        # a dated field outranks the section heading's undated stage
        record.events = [e for e in record.events if e[1] is not None]
        record.events.append((kind, when, span))


_CLAUSE = re.compile(r"[^，,；;。]+")


def _progress(record: Record, value: str, at: int, ref: Ref) -> None:
    """``3月开工，主厂房已封顶``: each stage word an event, dated by its own clause (a plan,
    ``计划明年3月开工``, is none)."""
    found = []
    for clause in _CLAUSE.finditer(value):
        for h in stage_hits(clause.group(0)):
            dates = [d for d in find_dates(clause.group(0), ref, None) if d[2]]
            iso = _ISO.search(clause.group(0))
            when = dates[0][2] if dates else (_iso(iso) if iso else None)
            span = (at + clause.start() + h[0], at + clause.start() + h[1])
            found.append((h[2], when or record.when, span))
    if found:  # what the row says outranks the table's title
        record.events = [e for e in record.events if e[2] != record.name_span] + found


# ---- tables dumped as text: a header row naming the columns, one project per row ----

_HEADER_COLUMNS = {
    "项目名称": "name", "建设单位": "company", "项目单位": "company", "业主单位": "company",
    "实施主体": "company", "建设地点": "place", "项目地点": "place", "所在地": "place",
    "总投资": "money", "计划总投资": "planned_money", "项目总投资": "money",
    "主要建设内容及规模": "content", "建设内容": "content", "建设规模": "content",
    "开工时间": "started", "开工日期": "started", "签约时间": "signed", "竣工时间": "completed",
    "投产时间": "production", "竣工投产时间": "production",
}  # fmt: skip
_HEADER_LINE = re.compile(r"^[^\n]*项目名称[^\n]*$", re.M)
_CELL_SPLIT = re.compile(r"\t| {2,}|\u3000{2,}")
_UNIT = re.compile(r"[（(]\s*(万元|亿元|元)\s*[）)]")
_BAR = re.compile(r"[|│┃]")
_BOX_RULE = "├└┌╞╘╟┣┗┏"
_RULE_ROW = re.compile(r"\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*")
_TABLE_STAGE = re.compile(
    r"(集中开工|开工|签约|竣工投产|竣工|投产)[^，。]{0,6}(?:项目)?(?:表|清单|一览)"
)


def _cells(line: str) -> list[tuple[str, int]]:
    """(cell text, offset in the line) of a tab-, wide-space- or pipe-separated line."""
    out, pos = [], 0
    if line.lstrip().startswith(("|", "│")):  # Markdown "| 1 | X项目 |", box "│1 │X项目 │"
        inner = line.rstrip().rstrip("|│")
        first = line.index(line.lstrip()[0]) + 1
        for part in _BAR.split(inner[first:]):
            out.append((part.strip(), first + (len(part) - len(part.lstrip()))))
            first += len(part) + 1
        return out
    for part in _CELL_SPLIT.split(line):
        at = line.find(part, pos) if part else pos
        out.append((part.strip(), at))
        pos = at + len(part)
    return out


def find_table_rows(text: str, base: int, ref: Ref, gazette: Gazette) -> list[Record]:
    """Rows of a project table pasted as text (``序号\\t项目名称\\t建设单位\\t…``)."""
    out: list[Record] = []
    for found in _HEADER_LINE.finditer(text):
        line = found.group(0)
        comma = "," in line and "\t" not in line and "|" not in line  # a CSV export
        box = line.lstrip().startswith("│")  # a table drawn in box characters
        if "\t" not in line and "  " not in line and "|" not in line and not (comma or box):
            continue
        # the lines around this one only: a page of running text costs one regex scan
        window_start = max(0, text.rfind("\n", 0, max(0, found.start() - 600)) + 1)
        window_end = text.find("\n\n", found.end())
        window_end = len(text) if window_end < 0 else window_end
        lines = list(_lines_raw(text[window_start:window_end], base + window_start))
        i = next(k for k, (_, at) in enumerate(lines) if at == base + found.start())
        if box:
            header, rows_of_box = _box_rows(lines, i)
        else:
            header = next(csv.reader([line])) if comma else [cell for cell, _ in _cells(line)]
        columns = {j: _column(h) for j, h in enumerate(header)}
        if "name" not in columns.values():
            continue
        above = "\n".join(t for t, _ in lines[max(0, i - 12) : i])
        stage_m = _TABLE_STAGE.search(above)
        stage = (
            stage_hits(stage_m.group(1))[0][2] if stage_m and stage_hits(stage_m.group(1)) else None
        )
        day = next((d[2] for d in find_dates(above, ref, None) if d[2] and len(d[2]) == 10), None)
        units = {j: _UNIT.search(h) for j, h in enumerate(header)}
        rows: list[tuple[dict[int, str], dict[int, int]]] = []
        if comma:
            rows = _csv_rows(text, found.end() + 1, window_end, base)
        elif box:
            rows = rows_of_box
        for row_line, row_start in [] if (comma or box) else lines[i + 1 :]:
            if not row_line.strip() or (
                "\t" not in row_line and "  " not in row_line and "|" not in row_line
            ):
                break
            if _RULE_ROW.fullmatch(row_line.strip()):
                continue  # "|:---:|---|": a Markdown table's rule
            cells = _cells(row_line)
            filled = [(j, c, at) for j, (c, at) in enumerate(cells) if c]
            if rows and filled and (not cells[0][0]) and len(filled) <= 2:  # a wrapped cell
                for j, c, _ in filled:
                    rows[-1][0][j] = rows[-1][0].get(j, "") + c
                rows[-1][1][-1] = row_start + len(row_line)
                continue
            if cells and cells[0][0].startswith(("合计", "总计", "小计")):
                break
            offsets = {j: row_start + at for j, _, at in filled}
            offsets[-2], offsets[-1] = row_start, row_start + len(row_line)  # the row's extent
            rows.append(({j: c for j, c, _ in filled}, offsets))
        for values, offsets in rows:
            name_col = next(j for j, k in columns.items() if k == "name")
            name = values.get(name_col, "")
            if not _NAME.fullmatch(name) or not is_specific(name):
                continue
            clean = strip_place(name)
            record = _new(clean, offsets[name_col] + len(name) - len(clean))
            record.extent = (offsets[-2], offsets[-1])
            if stage:
                record.events.append((stage, day, record.name_span))
            for j, kind in columns.items():
                value = values.get(j)
                if not value or kind in (None, "name"):
                    continue
                if kind in ("money", "planned_money") and units.get(j):
                    value = _scaled(value, units[j].group(1))  # type: ignore[union-attr]
                _apply(record, kind, value, offsets[j], ref, gazette)
            out.append(record)
    return out


def _box_rows(
    lines: list[tuple[str, int]], i: int
) -> tuple[list[str], list[tuple[dict[int, str], dict[int, int]]]]:
    """A table drawn in box characters from its header line ``i``: each cell may wrap onto
    the lines below it, down to the next rule line (├──┼──┤); cells are joined per column."""

    def merged(group: list[tuple[str, int]]) -> tuple[dict[int, str], dict[int, int]]:
        values: dict[int, str] = {}
        offsets: dict[int, int] = {}
        for line, start in group:
            for j, (cell, at) in enumerate(_cells(line)):
                if cell:
                    values[j] = values.get(j, "") + cell
                    offsets.setdefault(j, start + at)
        offsets[-2], offsets[-1] = group[0][1], group[-1][1] + len(group[-1][0])
        return values, offsets

    k, head = i, []
    while k < len(lines) and lines[k][0].lstrip().startswith("│"):
        head.append(lines[k])
        k += 1
    values, _ = merged(head)
    header = [values.get(j, "") for j in range(max(values, default=-1) + 1)]
    rows: list[tuple[dict[int, str], dict[int, int]]] = []
    group: list[tuple[str, int]] = []
    for line, start in lines[k:]:
        first = line.lstrip()[:1]
        if first == "│":
            group.append((line, start))
            continue
        if group:
            row = merged(group)
            if row[0].get(0, "").startswith(("合计", "总计", "小计")):
                break
            rows.append(row)
            group = []
        if not first or first not in _BOX_RULE:
            break
    return header, rows


def _csv_rows(
    text: str, start: int, end: int, base: int
) -> list[tuple[dict[int, str], dict[int, int]]]:
    """The rows of a CSV export after its header (quoted cells may hold commas and line
    breaks), each cell with its offset in the original; stops at a 合计 row or a blank line."""
    rows: list[tuple[dict[int, str], dict[int, int]]] = []
    pos = start
    for row in csv.reader(io.StringIO(text[start:end], newline="")):
        if not any(cell.strip() for cell in row) or row[0].startswith(
            ("合计", "总计", "小计", "注")
        ):
            break
        row_start, values, offsets = pos, {}, {}
        for j, cell in enumerate(row):
            raw = cell.replace('"', '""')
            at = text.find(raw, pos, end) if cell else -1
            if at < 0:
                continue
            pos = at + len(raw)
            if cell.strip():
                values[j], offsets[j] = cell.strip(), base + at + (len(cell) - len(cell.lstrip()))
        line_end = text.find("\n", pos, end)
        pos = end if line_end < 0 else line_end + 1
        offsets[-2], offsets[-1] = base + row_start, base + (pos - 1 if line_end >= 0 else end)
        rows.append((values, offsets))
    return rows


def _column(header: str) -> str | None:
    plain = _UNIT.sub("", header).strip()
    kind = _HEADER_COLUMNS.get(plain) or key_kind(plain)
    if kind is None and re.search(r"时间|日期|节点", plain) and not re.search(r"计划|预计", plain):
        return "when"  # "节点时间": the date of the row's stage
    return kind


def _scaled(value: str, unit: str) -> str:
    """``85000`` in a 万元 column → ``85000万元``."""
    number = value.replace(",", "").strip()
    m = _BARE_NUMBER.fullmatch(number)  # also "约15", "150000（意向）"
    if m is None:
        return value
    qualifier = m.group(1) or ("计划" if m.group(3) and _INTENDED.search(m.group(3)) else "")
    return f"{qualifier}{m.group(2)}{unit}"


def _lines_raw(text: str, base: int) -> Iterator[tuple[str, int]]:
    """Lines with their tabs kept (cells are tab-separated), start offsets plus ``base``."""
    pos = 0
    for raw in text.split("\n"):
        yield raw.rstrip("\r"), base + pos
        pos += len(raw) + 1
