"""Place names → a location normalised to province / city / district / town.

A compact gazetteer of provinces and prefecture-level cities drives the matching;
districts, counties, parks and towns are recognised by their suffix. The upper levels of
a county-level unit come from the administrative-division table shipped by ``cpca``
(MIT; ``adcodes.csv``: 12-digit code and name of every province, prefecture and
county-level unit), updated by ``gazetteer``; a page also teaches us its own hierarchy
(``南通市通州区`` → 通州区 belongs to 南通市) and settles names that the table holds
more than once (鼓楼区, 通州区).
"""

from __future__ import annotations

import csv
import importlib.resources
import importlib.util
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from haotong.ingest.engine.gazetteer import COUNTY_UPDATES, NEW_AREA_CITY, PREFECTURE_RENAMED

_GAZETTEER = """
北京市:北京|天津市:天津|上海市:上海|重庆市:重庆
河北省:石家庄,唐山,秦皇岛,邯郸,邢台,保定,张家口,承德,沧州,廊坊,衡水,雄安
山西省:太原,大同,阳泉,长治,晋城,朔州,晋中,运城,忻州,临汾,吕梁
内蒙古自治区:呼和浩特,包头,乌海,赤峰,通辽,鄂尔多斯,呼伦贝尔,巴彦淖尔,乌兰察布
辽宁省:沈阳,大连,鞍山,抚顺,本溪,丹东,锦州,营口,阜新,辽阳,盘锦,铁岭,朝阳,葫芦岛
吉林省:长春,吉林,四平,辽源,通化,白山,松原,白城
黑龙江省:哈尔滨,齐齐哈尔,鸡西,鹤岗,双鸭山,大庆,伊春,佳木斯,七台河,牡丹江,黑河,绥化
江苏省:南京,无锡,徐州,常州,苏州,南通,连云港,淮安,盐城,扬州,镇江,泰州,宿迁
浙江省:杭州,宁波,温州,嘉兴,湖州,绍兴,金华,衢州,舟山,台州,丽水
安徽省:合肥,芜湖,蚌埠,淮南,马鞍山,淮北,铜陵,安庆,黄山,滁州,阜阳,宿州,六安,亳州,池州,宣城
福建省:福州,厦门,莆田,三明,泉州,漳州,南平,龙岩,宁德
江西省:南昌,景德镇,萍乡,九江,新余,鹰潭,赣州,吉安,宜春,抚州,上饶
山东省:济南,青岛,淄博,枣庄,东营,烟台,潍坊,济宁,泰安,威海,日照,临沂,德州,聊城,滨州,菏泽
河南省:郑州,开封,洛阳,平顶山,安阳,鹤壁,新乡,焦作,濮阳,许昌,漯河,三门峡,南阳,商丘,信阳,周口,驻马店
湖北省:武汉,黄石,十堰,宜昌,襄阳,鄂州,荆门,孝感,荆州,黄冈,咸宁,随州
湖南省:长沙,株洲,湘潭,衡阳,邵阳,岳阳,常德,张家界,益阳,郴州,永州,怀化,娄底
广东省:广州,韶关,深圳,珠海,汕头,佛山,江门,湛江,茂名,肇庆,惠州,梅州,汕尾,河源,阳江,清远,东莞,中山,潮州,揭阳,云浮
广西壮族自治区:南宁,柳州,桂林,梧州,北海,防城港,钦州,贵港,玉林,百色,贺州,河池,来宾,崇左
海南省:海口,三亚,三沙,儋州
四川省:成都,自贡,攀枝花,泸州,德阳,绵阳,广元,遂宁,内江,乐山,南充,眉山,宜宾,广安,达州,雅安,巴中,资阳
贵州省:贵阳,六盘水,遵义,安顺,毕节,铜仁
云南省:昆明,曲靖,玉溪,保山,昭通,丽江,普洱,临沧
西藏自治区:拉萨,日喀则,昌都,林芝,山南,那曲
陕西省:西安,铜川,宝鸡,咸阳,渭南,延安,汉中,榆林,安康,商洛
甘肃省:兰州,嘉峪关,金昌,白银,天水,武威,张掖,平凉,酒泉,庆阳,定西,陇南
青海省:西宁,海东
宁夏回族自治区:银川,石嘴山,吴忠,固原,中卫
新疆维吾尔自治区:乌鲁木齐,克拉玛依,吐鲁番,哈密
"""

PROVINCE_OF_CITY: dict[str, str] = {}
PROVINCE_SHORT: dict[str, str] = {}
for _line in _GAZETTEER.strip().splitlines():
    for _part in _line.split("|"):
        _prov, _, _cities = _part.partition(":")
        PROVINCE_SHORT[re.sub("(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", _prov)] = (
            _prov
        )
        for _city in _cities.split(","):
            PROVINCE_OF_CITY[_city + "市"] = _prov

# --- the administrative-division table -------------------------------------------------
# (city or None when directly under the province, province) of a county-level unit
Owner = tuple[str | None, str]
_MUNICIPALITY_CODES = ("11", "12", "31", "50")


def _adcode_rows() -> Iterator[tuple[str, str]]:
    """(adcode, name) rows of ``cpca/resources/adcodes.csv``.

    ``cpca`` is located, not imported: its ``__init__`` imports pandas, which would cost
    more than the whole table. The module object is created from its spec without running
    it, only so that ``importlib.resources`` can open the package's data file.
    """
    spec = importlib.util.find_spec("cpca")
    if spec is None:
        raise ModuleNotFoundError("cpca is not installed: it ships the division table")
    package = importlib.util.module_from_spec(spec)  # not executed
    table = importlib.resources.files(package).joinpath("resources", "adcodes.csv")
    for row in csv.DictReader(table.read_text(encoding="utf-8").splitlines()):
        yield row["adcode"], row["name"]


def _division_table() -> tuple[dict[str, list[Owner]], dict[str, str]]:
    """County-level name → its possible owners, and prefecture (地区/自治州/盟…) → province."""
    provinces: dict[str, str] = {}
    prefectures: dict[str, str] = {}
    counties: list[tuple[str, str]] = []
    for code, name in _adcode_rows():
        if code[2:] == "0000000000":
            provinces[code[:2]] = name
        elif code[4:] == "00000000":
            prefectures[code[:4]] = PREFECTURE_RENAMED.get(name, name)
        elif code[6:] == "000000" and name not in ("市辖区", "县"):
            counties.append((code, name))
    owners: dict[str, list[Owner]] = {}
    for code, name in counties:
        province = provinces[code[:2]]
        if code[:2] in _MUNICIPALITY_CODES:
            city: str | None = province
        else:
            city = prefectures.get(code[:4])
            if city is None or city.endswith("行政区划"):  # 省直辖县级行政区划
                city = None
        owners.setdefault(name, []).append((city, province))
    for name, city, province in COUNTY_UPDATES:  # newer than the table: replaces its unit
        kept = [o for o in owners.get(name, []) if o[1] != province]
        owners[name] = [*kept, (city, province)]
    non_city = {
        name: provinces[code[:2]]
        for code, name in prefectures.items()
        if not name.endswith(("市", "行政区划")) and name not in ("市辖区", "县")
    }
    return owners, non_city


COUNTY_OWNERS, PREFECTURE = _division_table()
# a county's name without its suffix (繁昌 of 繁昌县): finds a county that has since become
# a district (繁昌区) or a county-level city, and names the county's parks (宝坻经济开发区)
_STEM_OWNERS: dict[str, list[Owner]] = {}
for _name, _owners in COUNTY_OWNERS.items():
    if _name[-1] in "区县市旗" and len(_name) >= 3:
        _known = _STEM_OWNERS.setdefault(_name[:-1], [])
        _known.extend(o for o in _owners if o not in _known)
# a stem that names one county only, with one owner (灵璧 → 灵璧县), and is no city's name
_stem_names: dict[str, list[str]] = {}
for _name in COUNTY_OWNERS:
    if _name[-1] in "区县市旗" and len(_name) in (3, 4):
        _stem_names.setdefault(_name[:-1], []).append(_name)
_COUNTY_OF_STEM: dict[str, str] = {
    stem: names[0]
    for stem, names in _stem_names.items()
    if len(names) == 1
    and len(COUNTY_OWNERS[names[0]]) == 1
    and stem + "市" not in PROVINCE_OF_CITY
    and stem not in PROVINCE_SHORT  # 海南日报 is no paper of 海南区
    and stem not in ("光明", "解放")  # national papers: 光明日报, 解放日报
}
# county-level city (without 市) → its owner, for the names the table holds once
COUNTY_CITY: dict[str, Owner] = {
    name[:-1]: owners[0]
    for name, owners in COUNTY_OWNERS.items()
    if name.endswith("市") and len(owners) == 1 and name not in PROVINCE_OF_CITY
}

_NOT_CITY_TAIL = "时代|银行|啤酒|日报|晚报|港务|钢铁|电视台|大学"
_CITY_ALT = "|".join(sorted((c[:-1] for c in PROVINCE_OF_CITY), key=len, reverse=True))
_PROV_ALT = "|".join(sorted(PROVINCE_SHORT, key=len, reverse=True))
_NOT_DISTRICT = set(
    "园区 辖区 社区 景区 片区 地区 市区 山区 厂区 校区 全区 本区 该区 各区 老区 城区 新区 湾区 矿区 库区 "
    "小区 街区 专区 灾区 牧区 林区 郊区 城乡 功能区 示范区 试验区 集聚区 保税区 开发区 产业区 自贸区 "
    "我区 两区 三区 一区 二区 东区 西区 南区 北区 中区 县区 县城 该县 全县 本县 各县 郡县 城镇 乡镇 村镇 集镇 "
    "高新区 经开区 开发区 新片区 小镇 重镇 古镇 特色小镇 全镇 本镇 该镇 各镇 市县 区县 街道 每个区 强县".split()
)
PLACE_RE = re.compile(
    # the lookahead keeps finditer from yielding an empty match at every character
    rf"(?={_PROV_ALT}|{_CITY_ALT}|[\u4e00-\u9fff]{{2,4}}?族自治|[\u4e00-\u9fff]{{2}}(?:新|高新|经开|开发|区|县|旗|镇|乡|街道)|(?<=市)[\u4e00-\u9fff]{{3}}[区县])"
    rf"(?P<prov>(?:{_PROV_ALT})(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)?)?"
    rf"(?P<city>(?:{_CITY_ALT})市?(?!{_NOT_CITY_TAIL}))?"
    r"(?P<park>(?<=[\u4e00-\u9fff])(?:高新技术产业开发区|经济技术开发区|高新区|经开区|经济开发区|开发区|新区))?"
    r"(?P<district>[\u4e00-\u9fff]{2,4}?(?:族|各族)自治[县旗]|[\u4e00-\u9fff]{2}(?:新区|新片区|高新区|经开区|开发区|区|县|旗)(?![\u4e00-\u9fff]{0,2}[域块间别分])|(?<=市)[\u4e00-\u9fff]{2,5}?(?:区|县|旗))?"
    r"(?P<town>[\u4e00-\u9fff]{2}(?:镇|乡|街道))?"
)


@dataclass(slots=True)
class Location:
    province: str | None = None
    city: str | None = None
    district: str | None = None
    town: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "province": self.province,
            "city": self.city,
            "district": self.district,
            "town": self.town,
        }

    def empty(self) -> bool:
        return not (self.province or self.city or self.district or self.town)


def _ok(part: str | None) -> bool:
    return bool(part) and part not in _NOT_DISTRICT


def _full_city(name: str) -> str:
    return name if name.endswith("市") else name + "市"


def _full_province(name: str) -> str:
    return PROVINCE_SHORT.get(name, name)


_LEVEL_END = re.compile(r"[区县旗](?![域块间别分长委])")
_CITY_BEFORE = re.compile(rf"({_CITY_ALT})市?$")
_CITY_MENTION = re.compile(rf"({_CITY_ALT})市?(?!{_NOT_CITY_TAIL})")
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")


_PROVINCE_FULL = frozenset(PROVINCE_SHORT.values())  # 江苏省, 广西壮族自治区, 北京市
_CITY_SHORT = frozenset(c[:-1] for c in PROVINCE_OF_CITY)  # 南通
# the ends of what learn() looks back from: a media word (a masthead, a station or an
# official account names the page's own city or county: "南通日报", "灵璧新闻",
# "通州发布"), a province, a new area
_LEVEL_WORD = re.compile(r"新闻|日报|晚报|融媒|电视台|发布|省|自治区|新区|合作区|开发区")
_AREA_SIZES = sorted({len(a) for a in NEW_AREA_CITY})


def province_of(city: str | None) -> str | None:
    """The province of a prefecture-level unit (``大同市`` → 山西省; 天津市 → 天津市)."""
    if not city:
        return None
    return (
        PROVINCE_OF_CITY.get(city)
        or PREFECTURE.get(city)
        or (city if city in PROVINCE_SHORT.values() else None)
    )


@dataclass(slots=True)
class Gazette:
    """What one page says about its own places."""

    parent: dict[str, str] = field(default_factory=dict)  # district → city
    districts: Counter[str] = field(default_factory=Counter)
    cities: Counter[str] = field(default_factory=Counter)
    provinces: Counter[str] = field(default_factory=Counter)
    press: Counter[str] = field(default_factory=Counter)  # cities of mastheads and stations

    def learn(self, text: str) -> None:
        """Count districts and cities and learn district → city pairs (a cheap pass)."""
        text = _mask_investors(text)  # a company's seat is not the page's place
        for m in _LEVEL_END.finditer(text):
            end = m.end()
            start = end - 3
            if start < 0 or (
                not _free_start(text, start)
                and not _CITY_BEFORE.search(text, max(0, start - 5), start)
            ):
                continue
            district = text[start:end]
            if _ok(district) and all("\u4e00" <= ch <= "\u9fff" for ch in district):
                self.districts[district] += 1
                city = _CITY_BEFORE.search(text, max(0, start - 5), start)
                if city:
                    self.parent.setdefault(district, _full_city(city.group(1)))
        for m in _CITY_MENTION.finditer(text):
            self.cities[_full_city(m.group(1))] += 1
        for m in _LEVEL_WORD.finditer(text):
            word = m.group(0)
            if word[-1] not in "省区":  # a media word
                self._press(text, m.start())
            elif word in ("省", "自治区"):
                for size in (2, 3, 4, 5):  # 江苏 · 黑龙江 · 广西壮族 · 新疆维吾尔
                    name = text[max(0, m.start() - size) : m.end()]
                    if name in _PROVINCE_FULL:
                        self.provinces[name] += 1
                        break
            else:  # a new area ("两江新区")
                for size in _AREA_SIZES:
                    start = m.end() - size
                    # "青岛西海岸新区" is counted as a city's park below
                    if start >= 0 and text[start : m.end()] in NEW_AREA_CITY:
                        if _free_start(text, start):
                            self.districts[text[start : m.end()]] += 1
                        break
        for _, _, county in county_cities(text):
            self.districts[county] += 1
        if "新区" in text or "开发区" in text or "经开区" in text:  # every _CITY_PARK ending
            for park in _CITY_PARK.finditer(text):  # "兰州新区", "榆林经济技术开发区"
                name = park.group(0)
                self.districts[name] += 1
                self.parent.setdefault(name, _full_city(park.group(1)))

    def _press(self, text: str, end: int) -> None:
        """Count the city or county named right before a media word at ``end``."""
        head = text[max(0, end - 6) : end].removesuffix("广播").removesuffix("市")
        for size in (2, 3, 4):
            if head[-size:] in _CITY_SHORT and len(head) >= size:
                self.press[head[-size:] + "市"] += 1
                return
        for size in (2, 3):
            start = end - size
            county = _COUNTY_OF_STEM.get(text[start:end]) if start >= 0 else None
            if county and (_free_start(text, start) or text.endswith("收看", 0, start)):
                self.districts[county] += 1
                return

    def merge(self, other: Gazette) -> None:
        self.districts.update(other.districts)
        self.cities.update(other.cities)
        self.provinces.update(other.provinces)
        self.press.update(other.press)
        for district, city in other.parent.items():
            self.parent.setdefault(district, city)

    def settle(self, owners: list[Owner], loc: Location | None = None) -> Owner | None:
        """The one owner of a county-level name: the table's only one, else the one that the
        sentence (its city, its province) or else the page (the cities and provinces it
        names, its masthead) points to; None when nothing tells them apart."""
        if len(owners) <= 1:
            return owners[0] if owners else None
        if loc is not None:
            for picked in (
                [o for o in owners if loc.city and o[0] == loc.city],
                [o for o in owners if loc.province and o[1] == loc.province],
            ):
                if len(picked) == 1:
                    return picked[0]
        by_city = [self.cities[o[0]] + self.press[o[0]] if o[0] else 0 for o in owners]
        best = _only_best(owners, by_city)
        if best is None:
            named: Counter[str] = Counter()
            for city, n in (self.cities + self.press).items():
                named[province_of(city) or ""] += n
            best = _only_best(owners, [named[o[1]] + self.provinces[o[1]] for o in owners])
        return best

    def owner(self, district: str, loc: Location | None = None) -> Owner | None:
        """(city, province) of a county-level unit or park: the page's own pairing
        (``南通市通州区``) first, then the division table, by name or by stem (繁昌区 of
        繁昌县)."""
        city = self.parent.get(district)
        if city:
            return city, province_of(city) or ""
        owners = COUNTY_OWNERS.get(district)
        if owners is not None:
            return self.settle(owners, loc)
        if district[-1:] in "区县市旗":
            return self._by_stem(district[:-1], loc)
        return None

    def _by_stem(self, stem: str, loc: Location | None) -> Owner | None:
        """The owner of a county named by its stem (繁昌 of 繁昌县 for 繁昌区, 宝坻 of
        宝坻经济开发区): weaker than a full name, so its province must be one the page names,
        when the page names any."""
        owner = self.settle(_STEM_OWNERS.get(stem, []), loc)
        if owner is None:
            return None
        named = {province_of(c) for c in (*self.cities, *self.press)} | set(self.provinces)
        named.discard(None)
        return owner if not named or owner[1] in named else None

    def complete(self, loc: Location) -> Location:
        owner = self.owner(loc.district, loc) if loc.district else None
        if owner is not None:
            # the unit's own city and province, even when the sentence or the page names
            # another (宝坻区 is in 天津 on a page that mentions 北京)
            city, province = owner
            if city is not None:
                loc.city = city
            elif province_of(loc.city) != province:  # directly under its province (仙桃市)
                loc.city = None
            loc.province = province or loc.province
        elif loc.district and not loc.city:
            loc.city = NEW_AREA_CITY.get(loc.district)
            if not loc.city and _PARK.search(loc.district):
                loc.city, loc.province = self._park_owner(loc.district, loc)
        if loc.city:  # a prefecture's own province beats one named elsewhere in the sentence
            loc.province = province_of(loc.city) or loc.province
        if loc.province in _MUNICIPALITIES and not loc.city:
            loc.city = loc.province
        if loc.city in _MUNICIPALITIES:
            loc.province = loc.city
        return loc

    def _park_owner(self, park: str, loc: Location) -> tuple[str | None, str | None]:
        """``昆山开发区`` → 苏州市 (a county-level city's park), ``西安高新区`` → 西安市,
        ``宝坻经济开发区`` → 天津市 (a county's development zone)."""
        for size in (4, 3, 2):
            county = COUNTY_CITY.get(park[:size])
            if county:
                return county[0], loc.province or county[1]
        city = _CITY_MENTION.match(park)
        if city:
            return _full_city(city.group(1)), loc.province
        if _ZONE.search(park):  # a county's development zone; 龙潭产业园区 is a town's
            for size in (4, 3, 2):
                owner = self._by_stem(park[:size], loc)
                if owner:
                    return owner[0], owner[1]
        return None, loc.province

    def default(self) -> Location:
        """The page's main place: its most mentioned district (or city)."""
        loc = Location()
        if self.districts:
            loc.district = self.districts.most_common(1)[0][0]
        if self.cities:
            city = self.cities.most_common(1)[0][0]
            owner = self.parent.get(loc.district or "")
            if owner in (None, city):  # a district the page does not place: the page's city
                loc.city = city
        return self.complete(loc)


_FUNCTION_CHARS = set("在于的是和与及到至赴从向对、，。；：“”（）() 　\n")


_PLACE_VERBS = ("落户", "位于", "入驻", "选址", "坐落", "地处")


def _only_best(owners: list[Owner], scores: list[int]) -> Owner | None:
    """The owner with the highest score when it is above zero and no other shares it."""
    top = max(scores)
    return owners[scores.index(top)] if top > 0 and scores.count(top) == 1 else None


def _free_start(text: str, start: int) -> bool:
    """A bare district or town must not be the tail of a longer word."""
    return (
        start == 0
        or text[start - 1] in _FUNCTION_CHARS
        or not "\u4e00" <= text[start - 1] <= "\u9fff"
        or text.endswith(_PLACE_VERBS, 0, start)
        or (
            text[start - 1] in "市县区旗"
            and _LEVEL_BEFORE.search(text, max(0, start - 8), start) is not None
        )
    )


# "昆山市周市镇": a town right after the county-level city or district it belongs to
_LEVEL_BEFORE = re.compile(r"(?:^|[在于的和与及到、，])[\u4e00-\u9fff]{2,4}[市县区旗]$")


def iter_places(text: str) -> list[Location]:
    out: list[Location] = []
    for m in PLACE_RE.finditer(text):
        if not m.group(0):
            continue
        prov, city, park, district, town = m.group("prov", "city", "park", "district", "town")
        if park and city:
            district = district or city.removesuffix("市") + park
        loc = Location(
            province=_full_province(prov) if prov else None,
            city=_full_city(city) if city else None,
            district=district if _ok(district) else None,
            town=town if _ok(town) else None,
        )
        lead_fn = bool(district) and not (prov or city) and district[0] in _FUNCTION_CHARS
        if lead_fn:  # "位于大厂回族自治县": the match began on the function word
            loc.district = district[1:]
        if not (prov or city) and not lead_fn and not _free_start(text, m.start()):
            continue
        if not loc.empty():
            out.append(loc)
    return out


def county_cities(text: str) -> list[tuple[int, int, str]]:
    """County-level cities (``昆山市``, ``龙口市``) as (start, end, name with 市)."""
    out: list[tuple[int, int, str]] = []
    if "市" not in text:
        return out
    for m in _SHI.finditer(text):
        end = m.start()
        for size in (2, 3, 4):
            start = end - size
            if start < 0 or text[start:end] not in COUNTY_CITY:
                continue
            before = text[max(0, start - 5) : start]
            if _free_start(text, start) or _CITY_BEFORE.search(before) or before.endswith("省"):
                out.append((start, end + 1, text[start : end + 1]))
                break
    return out


_SHI = re.compile(r"市(?![场民值面容况])")
_PARK = re.compile(
    r"(?:高新技术产业开发区|经济技术开发区|经济开发区|高新区|经开区|开发区|特别合作区|合作区|"
    r"工业园区|产业园区|起步区)"
)
_PARK_CUT = re.compile(
    r".*(?:落户|位于|入驻|选址|签约|举行|开工|建设|投资|在|于|到|赴|的|和|与|及|至)"
)
_PARK_LEAD = re.compile(rf"^(?:(?:{_PROV_ALT})(?:省|市|自治区)?)?(?:(?:{_CITY_ALT})市?)?")
_PARK_HINT = re.compile(r"开发区|高新区|经开区|合作区|园区|起步区")
_NOT_PARK = re.compile(r"^(?:国家|省级|市级|区级|县级|各|该|本|全|两|这|其|一|综合|重点|产业|工业)")


_CITY_PARK = re.compile(
    rf"({_CITY_ALT})(?:市)?(?:高新技术产业开发区|经济技术开发区|经济开发区|高新区|经开区|西海岸新区|新区|湾新区)"
)
_GENERIC_PARK = re.compile(
    r"汽车|化工|石化|石油化工|临空|空港|临港|航空港|出口加工|综合保税|国际|科技|软件|光电|电子信息"
)
# a company name does not run across 与, 在 or 由: "两江新区与重庆启明光电科技有限公司",
# "位于…的…项目由吉林珲海食品有限公司投资"
_COMPANY_NAME = re.compile(
    r"[\u4e00-\u4e0d\u4e0f-\u5727\u5729-\u7530\u7532-\u9fff()（）]{2,30}?"
    r"(?:股份有限公司|有限责任公司|有限公司)"
)
# where an investor comes from, not where its project is: "深圳一家科创板上市企业",
# "一家上海企业", "北京某集团"
_ORIGIN_WORD = re.compile(r"一家|某家?")
_BUSINESS = re.compile(r"的?[\u4e00-\u9fff]{0,10}?(?:企业|公司|集团|客商)")


def _mask_investors(text: str) -> str:
    """Blank out company names and investors' home cities: they are not the project's place."""
    if "公司" in text:
        text = _COMPANY_NAME.sub(lambda m: "　" * len(m.group(0)), text)
    if "一家" not in text and "某" not in text:
        return text
    spans = []
    for m in _ORIGIN_WORD.finditer(text):
        start, end = m.span()
        before = start - 1 if text.endswith("市", 0, start) else start
        for size in (2, 3, 4):  # the city before: "深圳一家…企业", "北京市某公司"
            city = text[max(0, before - size) : before]
            if city in _CITY_SHORT and len(city) == size and _BUSINESS.match(text, end):
                spans.append((before - size, start))
                break
        for size in (2, 3, 4):  # the city after: "一家上海企业"
            city = text[end : end + size]
            if city in _CITY_SHORT and _BUSINESS.match(text, end + size):
                spans.append((end, end + size))
                break
    for start, end in spans:
        text = text[:start] + "　" * (end - start) + text[end:]
    return text


def parks(text: str) -> list[Location]:
    """Parks named without a city in front (``浦口经济开发区``); with one, ``西安高新区``."""
    out: list[Location] = []
    if not _PARK_HINT.search(text):
        return out
    for m in _PARK.finditer(text):
        start = m.start()
        while start > 0 and m.start() - start < 10 and "\u4e00" <= text[start - 1] <= "\u9fff":
            start -= 1
        run = text[start : m.start()]
        cut = _PARK_CUT.match(run)
        run = run[cut.end() :] if cut else run
        lead = _PARK_LEAD.match(run)
        rest = run[lead.end() :] if lead else run
        if county_cities(rest) or re.match(r"^[\u4e00-\u9fff]{2,5}[区县旗]", rest):
            continue  # a county or district first: the regex places it
        # "长春汽车经济技术开发区" keeps its city ("汽车" is no place); "浦口经济开发区",
        # "长兴岛经济技术开发区" are named after a place below the city and stand alone
        generic = _GENERIC_PARK.fullmatch(rest) if rest else None
        name = (run if generic and lead and lead.group(0) else rest or run) + m.group(0)
        if len(rest or run) >= 2 and not _NOT_PARK.match(rest or run):
            city = _CITY_MENTION.match(run)
            out.append(Location(city=_full_city(city.group(1)) if city else None, district=name))
    return out


def locate(text: str, gazette: Gazette) -> Location:
    """Merge the places mentioned in ``text`` (a sentence) into one location.

    Places inside company names (``北京星衡航天科技有限公司``) say where the investor is
    registered, not where the project is: they are masked first.
    """
    return gazette.complete(Location(*_places_in(text)))


@lru_cache(maxsize=4096)
def _places_in(text: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(province, city, district, town) said in ``text``; one sentence is often located
    for each of its projects, so the answer is kept."""
    text = _mask_investors(text)
    merged = Location()
    extra = [Location(district=c) for _, _, c in county_cities(text)]
    found = iter_places(text) + extra + parks(text)
    for loc in found:
        for level in ("province", "city", "district", "town"):
            if getattr(merged, level) is None and getattr(loc, level):
                setattr(merged, level, getattr(loc, level))
    county = merged.district
    if county and county[-1] in "区县市旗" and len(county) >= 3:
        # "长兴县与…签约，落户长兴经济技术开发区": the county's development zone is the place
        for loc in found:
            zone = loc.district
            if zone and zone.startswith(county[:-1]) and _ZONE.search(zone, len(county) - 1):
                merged.district = zone
                break
    return merged.province, merged.city, merged.district, merged.town


_ZONE = re.compile(r"(?:经济技术开发区|经济开发区|高新技术产业开发区|高新区|经开区)$")
