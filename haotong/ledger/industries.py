"""国民经济行业分类 (GB/T 4754-2017): sections and divisions, plus the classes the
demo district uses. Pure data; a code is valid when its section and division are
known (a 3- or 4-digit class under a known division is accepted by format)."""

from __future__ import annotations

import re

SECTIONS: dict[str, str] = {
    "A": "农、林、牧、渔业",
    "B": "采矿业",
    "C": "制造业",
    "D": "电力、热力、燃气及水生产和供应业",
    "E": "建筑业",
    "F": "批发和零售业",
    "G": "交通运输、仓储和邮政业",
    "H": "住宿和餐饮业",
    "I": "信息传输、软件和信息技术服务业",
    "J": "金融业",
    "K": "房地产业",
    "L": "租赁和商务服务业",
    "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业",
    "O": "居民服务、修理和其他服务业",
    "P": "教育",
    "Q": "卫生和社会工作",
    "R": "文化、体育和娱乐业",
    "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}

DIVISIONS: dict[str, str] = {
    "C13": "农副食品加工业",
    "C14": "食品制造业",
    "C15": "酒、饮料和精制茶制造业",
    "C16": "烟草制品业",
    "C17": "纺织业",
    "C18": "纺织服装、服饰业",
    "C19": "皮革、毛皮、羽毛及其制品和制鞋业",
    "C20": "木材加工和木、竹、藤、棕、草制品业",
    "C21": "家具制造业",
    "C22": "造纸和纸制品业",
    "C23": "印刷和记录媒介复制业",
    "C24": "文教、工美、体育和娱乐用品制造业",
    "C25": "石油、煤炭及其他燃料加工业",
    "C26": "化学原料和化学制品制造业",
    "C27": "医药制造业",
    "C28": "化学纤维制造业",
    "C29": "橡胶和塑料制品业",
    "C30": "非金属矿物制品业",
    "C31": "黑色金属冶炼和压延加工业",
    "C32": "有色金属冶炼和压延加工业",
    "C33": "金属制品业",
    "C34": "通用设备制造业",
    "C35": "专用设备制造业",
    "C36": "汽车制造业",
    "C37": "铁路、船舶、航空航天和其他运输设备制造业",
    "C38": "电气机械和器材制造业",
    "C39": "计算机、通信和其他电子设备制造业",
    "C40": "仪器仪表制造业",
    "C41": "其他制造业",
    "C42": "废弃资源综合利用业",
    "C43": "金属制品、机械和设备修理业",
    "D44": "电力、热力生产和供应业",
    "E48": "土木工程建筑业",
    "F51": "批发业",
    "G58": "多式联运和运输代理业",
    "G59": "装卸搬运和仓储业",
    "I64": "互联网和相关服务",
    "I65": "软件和信息技术服务业",
    "K70": "房地产业",
    "L72": "商务服务业",
    "M73": "研究和试验发展",
    "M75": "科技推广和应用服务业",
    "R90": "娱乐业",
}

CLASSES: dict[str, str] = {
    "C2651": "初级形态塑料及合成树脂制造",
    "C2822": "涤纶纤维制造",
    "C3973": "集成电路制造",
    "C3981": "电阻电容电感元件制造",
    "C3982": "电子电路制造",
    "C3985": "电子专用材料制造",
    "C3989": "其他电子元件制造",
}

_CODE = re.compile(r"^[A-T](\d{2}(\d{1,2})?)?$")


def is_valid(code: str) -> bool:
    if not code:
        return True
    if not _CODE.match(code):
        return False
    return len(code) == 1 or code[:3] in DIVISIONS


def label(code: str) -> str:
    if not code:
        return "未分类"
    for key in (code, code[:3], code[:1]):
        if key in CLASSES:
            return CLASSES[key]
        if key in DIVISIONS:
            return DIVISIONS[key]
        if key in SECTIONS:
            return SECTIONS[key]
    return code


def division(code: str) -> str:
    return code[:3] if len(code) >= 3 else code
