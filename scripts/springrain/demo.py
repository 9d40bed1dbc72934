"""The fictional demo dataset: complete, valid, and unmistakably not real.

Every name carries 示例 and every record ``demo: true``. Dates are drawn before a fixed
anchor so a seed always gives the same files. Affinities are planted on purpose: most
cooperations join a project to an enterprise in its category, able to register its class,
accepting a mode it seeks and sharing its technology words, so matching can be measured.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stdnum.cn import uscc

from springrain.config import DATA_DIR
from springrain.model import tables as hand_kept
from springrain.model.kinds import schema_version
from springrain.model.records import write_record
from springrain.model.schemas import vocabulary, vocabulary_codes
from springrain.model.statuses import main_path

ANCHOR = dt.date(2026, 10, 31)
FIRST_SUBMISSION = dt.date(2025, 6, 13)
SCHEMA_VERSION = schema_version()
MARK = "示例"
DEMO_LOGINS = ("demo-clinician", "demo-tto", "demo-hospital", "demo-submitter")
DEMO_MAINTAINER = "demo-regulator"

# Pilot provinces weigh more, as in the real programme; every code can occur.
PROVINCE_WEIGHTS = {
    "GD": 20,
    "SH": 12,
    "FJ": 10,
    "BJ": 8,
    "JS": 8,
    "ZJ": 8,
    "SC": 6,
    "CQ": 4,
    "HB": 4,
    "SD": 4,
    "HN": 3,
    "AH": 3,
    "HK": 2,
    "MO": 1,
}
CITIES = {
    "GD": ["广州", "深圳", "佛山", "东莞", "珠海"],
    "SH": ["上海"],
    "FJ": ["福州", "厦门", "泉州"],
    "BJ": ["北京"],
    "JS": ["南京", "苏州", "无锡"],
    "ZJ": ["杭州", "宁波"],
    "SC": ["成都", "绵阳"],
    "CQ": ["重庆"],
    "HB": ["武汉", "宜昌"],
    "SD": ["济南", "青岛"],
    "HN": ["长沙"],
    "AH": ["合肥"],
    "HK": ["香港"],
    "MO": ["澳门"],
}
PROGRAMME_OF = {
    "GD": "GD-2026-2028",
    "SH": "SH-2026",
    "FJ": "FJ-2025",
    "HK": "GD-2026-2028",
    "MO": "GD-2026-2028",
}
NATIONAL = "NMPA-2026"

ORGANS = [
    "心脏",
    "冠状动脉",
    "脑血管",
    "肺部",
    "肝脏",
    "肾脏",
    "胃肠道",
    "膝关节",
    "脊柱",
    "眼底",
    "牙周",
    "皮肤创面",
    "气道",
    "膀胱",
    "乳腺",
    "甲状腺",
    "颈动脉",
    "盆底",
    "听觉",
    "外周血管",
]
TECHS = [
    "可降解镁合金",
    "柔性电子",
    "光声成像",
    "人工智能辅助",
    "射频消融",
    "低温等离子",
    "三维打印",
    "水凝胶",
    "超声弹性成像",
    "微流控",
    "磁导航",
    "近红外荧光",
    "形状记忆合金",
    "石墨烯传感",
    "脉冲电场",
    "光学相干断层",
    "负压引流",
    "纳米涂层",
    "可穿戴监测",
    "机器人辅助",
    "高频电刀",
    "数字减影",
    "分子诊断",
    "冷冻消融",
    "生物可吸收",
]
DEVICES = [
    "支架",
    "导管",
    "监护仪",
    "成像系统",
    "穿刺针",
    "吻合器",
    "敷料",
    "检测试剂盒",
    "康复训练仪",
    "植入电极",
    "内窥镜",
    "缝合线",
    "输注泵",
    "止血夹",
    "软件系统",
    "骨钉",
    "人工晶体",
    "种植体",
    "呼吸机管路",
    "透析器",
    "牵开器",
    "活检钳",
    "消融电极",
    "封堵器",
    "引流管",
    "固定板",
    "喉罩",
    "测温探头",
    "清创器",
    "护理床",
]
CATEGORIES_BY_TYPE = {
    "有源": ["01", "03", "05", "06", "07", "08", "09", "10", "12", "19", "21"],
    "无源": ["02", "03", "04", "13", "14", "16", "17", "18", "20"],
    "体外诊断试剂": ["6840", "22"],
}
CLASS_WEIGHTS = {"第一类": 10, "第二类": 55, "第三类": 28, "药械组合": 3, "待确定": 4}
MAIN_PATH = list(main_path())
# How far a project has come: weights over the index reached on MAIN_PATH.
REACH_WEIGHTS = [10, 14, 18, 16, 10, 10, 7, 5, 4, 3, 3]
STAGE_OF_STATUS = {
    "已提交": "概念",
    "初核通过": "设计验证",
    "入库": "样品",
    "对接中": "样品",
    "已签约": "样品",
    "培育中": "生产验证",
    "产品定型": "生产验证",
    "注册检验": "注册检验",
    "临床试验": "临床试验",
    "注册申报": "临床试验",
    "获批上市": "其他",
}
ENTERPRISE_WORDS = [
    "康",
    "医",
    "瑞",
    "华",
    "健",
    "博",
    "生",
    "安",
    "泰",
    "联",
    "创",
    "科",
    "明",
    "德",
    "远",
]


@dataclass
class Institution:
    name: str
    province: str
    city: str
    offset: int
    order: list[tuple[int, int]]
    used: int = 0


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def credit_code(rng: random.Random, region: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + region + "".join(rng.choice(alphabet) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def make_institutions(rng: random.Random, count: int) -> list[Institution]:
    institutions = []
    kinds = [
        "人民医院",
        "中心医院",
        "医科大学附属第一医院",
        "中医院",
        "妇幼保健院",
        "肿瘤医院",
        "口腔医院",
        "儿童医院",
    ]
    for index in range(count):
        province = _weighted(rng, PROVINCE_WEIGHTS)
        city = rng.choice(CITIES[province])
        name = f"{MARK}{city}第{index + 1}{rng.choice(kinds)}"
        order = [(a, b) for a in range(len(ORGANS)) for b in range(len(TECHS))]
        rng.shuffle(order)
        institutions.append(Institution(name, province, city, rng.randrange(len(DEVICES)), order))
    return institutions


def _title(institution: Institution) -> tuple[str, str, str, str]:
    # (organ, tech, device) with device fixed by organ+tech: any two titles of one
    # institution differ in at least two parts, so none looks like a duplicate of another.
    a, b = institution.order[institution.used]
    institution.used += 1
    device = DEVICES[(a + b + institution.offset) % len(DEVICES)]
    organ, tech = ORGANS[a], TECHS[b]
    return f"{MARK}：{organ}{tech}{device}", organ, tech, device


def _history(rng: random.Random, submitted: dt.date, product_class: str) -> list[dict[str, str]]:
    reach = rng.choices(range(len(MAIN_PATH)), weights=REACH_WEIGHTS)[0]
    events = [
        {
            "date": submitted.isoformat(),
            "status": "已提交",
            "note": f"{MARK}：项目提交",
            "source": "示例提交",
        }
    ]
    day = submitted
    for index in range(1, reach + 1):
        status = MAIN_PATH[index]
        # Class I and II projects often skip clinical trials (a legal skip).
        if status == "临床试验" and product_class in ("第一类", "第二类") and rng.random() < 0.7:
            continue
        day = day + dt.timedelta(days=rng.randint(7, 75))
        if day > ANCHOR:
            break
        events.append(
            {
                "date": day.isoformat(),
                "status": status,
                "note": f"{MARK}：进入“{status}”",
                "source": "示例评审会",
            }
        )
    last = events[-1]["status"]
    ending = rng.random()
    end_day = dt.date.fromisoformat(events[-1]["date"]) + dt.timedelta(days=rng.randint(20, 200))
    if last != "获批上市" and end_day <= ANCHOR:
        if ending < 0.04:
            events.append(
                {
                    "date": end_day.isoformat(),
                    "status": "撤回",
                    "note": f"{MARK}：申报方撤回",
                    "source": "示例申请",
                }
            )
        elif ending < 0.08 and MAIN_PATH.index(last) >= 2:
            events.append(
                {
                    "date": end_day.isoformat(),
                    "status": "清退",
                    "note": f"{MARK}：再评估后清退",
                    "source": "示例再评估会",
                }
            )
    return events


def make_project(
    rng: random.Random, institution: Institution, seq_of: dict[tuple[str, int], int]
) -> dict[str, Any]:
    title, organ, tech, device = _title(institution)
    project_type = rng.choices(list(CATEGORIES_BY_TYPE), weights=[45, 45, 10])[0]
    category = rng.choice(CATEGORIES_BY_TYPE[project_type])
    product_class = _weighted(rng, CLASS_WEIGHTS)
    submitted = _date_between(rng, FIRST_SUBMISSION, ANCHOR)
    history = _history(rng, submitted, product_class)
    status = history[-1]["status"]
    reached = status if status in MAIN_PATH else history[-2]["status"]
    key = (institution.province, submitted.year)
    seq_of[key] += 1
    province = institution.province
    record: dict[str, Any] = {
        "id": f"{province}-{submitted.year}-{seq_of[key]:04d}",
        "schema_version": SCHEMA_VERSION,
        "demo": True,
        "programme": PROGRAMME_OF.get(province, NATIONAL),
        "province": province,
        "project_name": title,
        "institution": institution.name,
        "city": institution.city,
        "department": f"{MARK}{rng.choice(['心内科', '骨科', '神经外科', '检验科', '眼科', '口腔科', '康复科', '呼吸科'])}",
        "project_lead": f"{MARK}医生{rng.randint(1, 999):03d}",
        "contact_route": f"{institution.name}成果转化办公室（{MARK}）",
        "project_type": project_type,
        "product_class": product_class,
        "category": category,
        "stage": STAGE_OF_STATUS[reached],
        "working_principle": f"{MARK}（虚构）：本产品采用{tech}技术，作用于{organ}，通过{device}实现精准治疗与监测。",
        "intended_use": f"{MARK}（虚构）：适用于{organ}相关疾病患者的{device}诊疗。",
        "innovation_points": f"{MARK}（虚构）：将{tech}与{device}结合，提高{organ}诊疗的安全性。",
        "clinical_need": f"{MARK}（虚构）：{organ}疾病诊疗中现有{device}存在操作复杂、并发症多等问题。",
        "research_team": f"{MARK}（虚构）：{institution.name}{organ}诊疗团队。",
        "commitment": True,
        "publish_consent": True,
        "submitted": submitted.isoformat(),
        "submitted_by": rng.choice(DEMO_LOGINS),
        "status": status,
        "history": history,
    }
    if record["stage"] == "其他":
        record["stage_note"] = f"{MARK}：已获批上市"
    if rng.random() < 0.5:
        record["intellectual_property"] = [
            {
                "kind": rng.choice(["发明专利", "实用新型"]),
                "number": f"{MARK}-ZL{submitted.year}{rng.randint(10**6, 10**7 - 1)}",
                "title": f"一种{tech}{device}（{MARK}）",
                "status": rng.choice(["申请中", "已授权"]),
                "owners": [institution.name],
            }
        ]
    if rng.random() < 0.2:
        record["programme_listings"] = [
            {
                "level": rng.choice(["国家", "省", "市"]),
                "name": f"{MARK}科技计划项目",
                "year": submitted.year,
            }
        ]
    modes = vocabulary_codes("cooperation_modes")
    record["cooperation_modes_sought"] = sorted(
        rng.sample(modes, rng.randint(1, 3)), key=modes.index
    )
    if rng.random() < 0.6:
        record["intended_partners"] = {"in_province": [f"{MARK}{institution.city}医疗器械有限公司"]}
    index = MAIN_PATH.index(reached)
    if product_class == "第三类" and index >= MAIN_PATH.index("产品定型") and rng.random() < 0.6:
        record["cmde_reported"] = _after(rng, history, "产品定型")
    if index >= MAIN_PATH.index("培育中") and rng.random() < 0.3:
        channel = (
            "审评前置"
            if product_class == "第三类"
            else rng.choice(["优先审批", "省级创新通道", "创新医疗器械特别审查"])
        )
        record["regulatory_channels"] = [
            {"channel": channel, "date": _after(rng, history, "培育中")}
        ]
    record["_affinity"] = (tech, device)
    return record


def _after(rng: random.Random, history: list[dict[str, str]], status: str) -> str:
    start = next(dt.date.fromisoformat(e["date"]) for e in history if e["status"] == status)
    return _date_between(rng, start, min(ANCHOR, start + dt.timedelta(days=60))).isoformat()


def make_enterprise(rng: random.Random, index: int, provinces: list[str]) -> dict[str, Any]:
    province = rng.choice(provinces)
    city = rng.choice(CITIES[province])
    gb = next(row["gb2260"] for row in vocabulary("provinces") if row["code"] == province)
    techs = rng.sample(TECHS, 3)
    devices = rng.sample(DEVICES, 3)
    fields = sorted(rng.sample(vocabulary_codes("categories"), rng.randint(1, 3)))
    classes = ["第一类", "第二类", "第三类"][: rng.choices([1, 2, 3], weights=[15, 50, 35])[0]]
    name_word = "".join(rng.sample(ENTERPRISE_WORDS, 2))
    record: dict[str, Any] = {
        "id": f"ENT-{index:04d}",
        "schema_version": SCHEMA_VERSION,
        "demo": True,
        "name": f"{MARK}{city}{name_word}医疗科技有限公司{index}",
        "province": province,
        "address": f"{MARK}：{city}市虚构路{rng.randint(1, 999)}号",
        "fields": fields,
        "legal_representative": f"{MARK}法人{index:04d}",
        "registered_capital": float(rng.choice([100, 500, 1000, 3000, 5000, 12000])),
        "registration_date": _date_between(
            rng, dt.date(2000, 1, 1), dt.date(2024, 12, 31)
        ).isoformat(),
        "high_tech": rng.random() < 0.6,
        "specialised": rng.choices(["国家级", "省级", "否"], weights=[10, 30, 60])[0],
        "profile": f"{MARK}（虚构）：专注{'、'.join(techs)}技术，产品包括{'、'.join(devices)}。",
        "device_classes": classes,
        "cooperation_modes": sorted(
            rng.sample(vocabulary_codes("cooperation_modes"), rng.randint(2, 5)),
            key=vocabulary_codes("cooperation_modes").index,
        ),
        "regions": sorted({province, *rng.sample(provinces, 2)}),
        "contact_route": f"{MARK}：企业商务拓展部",
        "submitted": _date_between(rng, FIRST_SUBMISSION, ANCHOR).isoformat(),
        "submitted_by": rng.choice(DEMO_LOGINS),
    }
    if province not in ("HK", "MO", "TW"):
        record["credit_code"] = credit_code(rng, gb)
    record["_affinity"] = (set(techs), set(devices))
    return record


def pick_partner(
    rng: random.Random,
    project: dict[str, Any],
    enterprises: list[dict[str, Any]],
    by_category: dict[str, list[int]],
) -> dict[str, Any]:
    """An enterprise with planted affinity most of the time, any enterprise otherwise.

    Affinity, strongest first: same category, able to register the project's class, serving
    its province, accepting a mode it seeks, and making its technology and its kind of device.
    """
    pool = by_category.get(project.get("category", ""), [])
    needed = "第三类" if project["product_class"] == "第三类" else None
    tech, device = project["_affinity"]
    sought = set(project.get("cooperation_modes_sought", ()))

    def able(i: int) -> bool:
        e = enterprises[i]
        return needed is None or needed in e["device_classes"]

    def makes(i: int) -> bool:
        return tech in enterprises[i]["_affinity"][0]

    def fits(i: int) -> bool:
        e = enterprises[i]
        return (
            device in e["_affinity"][1]
            and project["province"] in e["regions"]
            and bool(sought & set(e["cooperation_modes"]))
        )

    best = [i for i in pool if able(i) and makes(i) and fits(i)]
    good = [i for i in pool if able(i) and makes(i)]
    draw = rng.random()
    if best and draw < 0.7:
        return enterprises[rng.choice(best)]
    if good and draw < 0.85:
        return enterprises[rng.choice(good)]
    if pool and draw < 0.95:
        return enterprises[rng.choice(pool)]
    return rng.choice(enterprises)


def make_cooperation(
    rng: random.Random, index: int, project: dict[str, Any], enterprise: dict[str, Any]
) -> dict[str, Any]:
    signed = project["status"] in MAIN_PATH[MAIN_PATH.index("已签约") :]
    start = next(
        dt.date.fromisoformat(e["date"]) for e in project["history"] if e["status"] == "对接中"
    )
    history = [{"date": start.isoformat(), "status": "意向", "note": f"{MARK}：企业提交意向"}]
    if signed:
        sign_day = next(e["date"] for e in project["history"] if e["status"] == "已签约")
        history.append({"date": sign_day, "status": "已签约", "note": f"{MARK}：签订合作合同"})
    elif rng.random() < 0.5:
        talk = min(ANCHOR, start + dt.timedelta(days=rng.randint(5, 40)))
        history.append({"date": talk.isoformat(), "status": "洽谈中", "note": f"{MARK}：双方洽谈"})
    common = [
        m
        for m in project.get("cooperation_modes_sought", [])
        if m in enterprise["cooperation_modes"]
    ]
    modes = common or enterprise["cooperation_modes"][:1]
    return {
        "id": f"COOP-{index:04d}",
        "schema_version": SCHEMA_VERSION,
        "demo": True,
        "project": project["id"],
        "enterprise": enterprise["id"],
        "modes": modes,
        "progress": {
            "work_done": f"{MARK}（虚构）：完成技术评估与样机讨论。",
            "stage": f"{MARK}：{project['stage']}阶段",
        },
        "status": history[-1]["status"],
        "history": history,
        "submitted": start.isoformat(),
        "submitted_by": DEMO_MAINTAINER,
    }


def generate(
    projects: int, enterprises: int, cooperations: int, seed: int
) -> dict[str, list[dict[str, Any]]]:
    """The records of a demo dataset, in memory (the ``_affinity`` keys are stripped on write)."""
    rng = random.Random(seed)
    institutions = make_institutions(rng, max(3, projects // 250 + 1))
    seq_of: dict[tuple[str, int], int] = defaultdict(int)
    capacity = len(ORGANS) * len(TECHS)
    made_projects = []
    for _ in range(projects):
        institution = rng.choice(institutions)
        while institution.used >= capacity:
            institution = rng.choice(institutions)
        made_projects.append(make_project(rng, institution, seq_of))
    # Sequence numbers follow submission dates, as a real registry assigns them.
    renumber(made_projects)
    provinces = list(PROVINCE_WEIGHTS)
    made_enterprises = [make_enterprise(rng, i + 1, provinces) for i in range(enterprises)]
    by_category: dict[str, list[int]] = defaultdict(list)
    for index, enterprise in enumerate(made_enterprises):
        for code in enterprise["fields"]:
            by_category[code].append(index)
    open_projects = [p for p in made_projects if any(e["status"] == "对接中" for e in p["history"])]
    rng.shuffle(open_projects)
    made_cooperations: list[dict[str, Any]] = []
    pairs: set[tuple[str, str]] = set()
    if made_enterprises:
        for project in open_projects:
            if len(made_cooperations) >= cooperations:
                break
            enterprise = pick_partner(rng, project, made_enterprises, by_category)
            if (project["id"], enterprise["id"]) in pairs:
                continue
            pairs.add((project["id"], enterprise["id"]))
            made_cooperations.append(
                make_cooperation(rng, len(made_cooperations) + 1, project, enterprise)
            )
    return {
        "project": made_projects,
        "enterprise": made_enterprises,
        "cooperation": made_cooperations,
    }


def renumber(projects: list[dict[str, Any]]) -> None:
    projects.sort(key=lambda p: (p["province"], p["submitted"], p["project_name"]))
    counters: dict[tuple[str, str], int] = defaultdict(int)
    for project in projects:
        key = (project["province"], project["submitted"][:4])
        counters[key] += 1
        project["id"] = f"{key[0]}-{key[1]}-{counters[key]:04d}"


def write(dataset: dict[str, list[dict[str, Any]]], out: Path) -> dict[str, int]:
    """Write a dataset as record files plus copies of the real hand-kept tables into
    ``out``, emptied first (``springrain.safety`` refuses the data directory and the like)."""
    from springrain.safety import output_dir

    out = output_dir(out, [DATA_DIR])
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for kind, records in dataset.items():
        for record in records:
            clean = {k: v for k, v in record.items() if k != "_affinity"}
            write_record(out, kind, clean)
    for name in hand_kept.names():
        source = DATA_DIR / hand_kept.file_name(name)
        if source.is_file():
            shutil.copyfile(source, out / hand_kept.file_name(name))
    return {kind: len(records) for kind, records in dataset.items()}
