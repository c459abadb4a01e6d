"""What the administrative-division table (``cpca``'s ``adcodes.csv``, read by ``places``)
lacks or has out of date, and the areas that are no administrative division at all.

Data only (no matching here). The table is a 2016 snapshot: county-level units created or
renamed since then are listed here, each with its parent; ``places`` adds them to the
table, replacing a unit of the same name in the same province (``公主岭市`` moved from
四平 to 长春). Names of county-level cities are written without ``市``; a parent without a
suffix is a prefecture-level city (``苏州`` → ``苏州市``), ``-`` means directly under the
province.
"""

from __future__ import annotations

# county-level cities created, or moved to another prefecture, since the table's snapshot
_COUNTY_CITIES = """
河北省|石家庄:辛集;唐山:滦州;承德:平泉;保定:定州
山西省|朔州:怀仁
吉林省|长春:公主岭
黑龙江省|黑河:嫩江;大兴安岭地区:漠河
江苏省|南通:海安
浙江省|温州:龙港;台州:玉环
安徽省|芜湖:无为;安庆:潜山;宣城:广德
江西省|赣州:龙南
山东省|滨州:邹平
河南省|新乡:长垣
湖北省|荆门:京山;荆州:监利
湖南省|长沙:宁乡;邵阳:邵东
广西壮族自治区|南宁:横州;桂林:荔浦;百色:平果
四川省|遂宁:射洪;内江:隆昌
贵州省|六盘水:盘州;毕节:黔西;黔西南布依族苗族自治州:兴仁
云南省|玉溪:澄江;昭通:水富
陕西省|咸阳:彬州;延安:子长;榆林:神木;安康:旬阳
甘肃省|平凉:华亭
青海省|海西蒙古族藏族自治州:茫崖
新疆维吾尔自治区|阿克苏地区:库车;塔城地区:沙湾
"""

# districts created under a new name since the snapshot (a county that only changed its
# suffix, 繁昌县 → 繁昌区, is found by its stem and needs no line here)
_DISTRICTS = """
山西省|大同:平城区,云冈区,云州区;长治:潞州区,上党区
浙江省|杭州:临平区,钱塘区
山东省|济南:莱芜区
安徽省|芜湖:湾沚区
河南省|许昌:建安区
广东省|深圳:龙华区,坪山区,光明区
海南省|三沙:西沙区,南沙区
重庆市|重庆:梁平区,武隆区
四川省|成都:郫都区;宜宾:叙州区
西藏自治区|那曲:色尼区
陕西省|西安:鄠邑区
"""

# prefectures renamed or merged since the snapshot: their counties now belong to the new one
PREFECTURE_RENAMED: dict[str, str] = {"那曲地区": "那曲市", "莱芜市": "济南市"}

# Host city of each national-level new area (国家级新区) and of a few large zones.
NEW_AREA_CITY: dict[str, str] = {
    "浦东新区": "上海市", "滨海新区": "天津市", "两江新区": "重庆市", "舟山群岛新区": "舟山市",
    "兰州新区": "兰州市", "南沙新区": "广州市", "西咸新区": "西安市", "贵安新区": "贵阳市",
    "西海岸新区": "青岛市", "金普新区": "大连市", "天府新区": "成都市", "湘江新区": "长沙市",
    "江北新区": "南京市", "福州新区": "福州市", "滇中新区": "昆明市", "哈尔滨新区": "哈尔滨市",
    "长春新区": "长春市", "赣江新区": "南昌市", "深汕特别合作区": "深圳市",
    "三江新区": "宜宾市", "洋浦经济开发区": "儋州市",
}  # fmt: skip


def _parse(table: str, suffix: str) -> list[tuple[str, str | None, str]]:
    """(name, parent or None, province) of each name in a ``province|parent:names;…`` table."""
    out: list[tuple[str, str | None, str]] = []
    for line in table.strip().splitlines():
        province, _, groups = line.partition("|")
        for group in groups.split(";"):
            parent, _, names = group.partition(":")
            if parent == "-":
                full: str | None = None
            elif parent.endswith(("地区", "自治州", "盟")):
                full = parent
            else:
                full = parent + "市"
            out.extend((name + suffix, full, province) for name in names.split(","))
    return out


# county-level units the snapshot lacks (or places elsewhere): (name, parent, province)
COUNTY_UPDATES: list[tuple[str, str | None, str]] = _parse(_COUNTY_CITIES, "市") + _parse(
    _DISTRICTS, ""
)
