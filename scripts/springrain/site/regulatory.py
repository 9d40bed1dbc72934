"""The regulatory path of a project: its own programme's document and wording, by product class.

Each provincial route below is transcribed from that province's plan (the seed document named
by ``source_file``), in its own words; a project whose programme belongs to a province with a
route here gets that route. Any other project (a national programme, or a province whose plan
is not in the data) gets the national route: classification as the law sets it, and the CMDE
channels (审评前置, 创新医疗器械特别审查) the provincial plans implementing the national
documents name; its citation is built from the national rows of the programmes table.

Wording sources (verbatim in the seeds):

- Guangdong (000): 属于第一类医疗器械的，由各地级以上市市场监督管理局加强备案指导；属于第二类
  医疗器械的，省药品监督管理局按照“专人辅导、全程跟踪”原则，提供从研发设计到注册的全流程服务；
  属于第三类医疗器械的，按照央地联合服务机制开展前置服务，省药品监督管理局积极推荐符合条件的
  产品进入国家前置审评服务通道。
- Shanghai (002): 对属于第一类、第二类医疗器械的，由市药品监管局定期跟踪项目进展，给予检验、
  注册或备案指导；对属于第三类医疗器械的，经过培育辅导且产品基本定型后，初步审查认为符合审评
  前置条件的，由市药品监管局向国家药监局器审中心报送产品清单。
- Fujian (003): 对进入培育阶段的临床转化项目，由福建创新服务站进行项目评估……符合条件的项目优先
  推荐进入审评前置程序或申报创新医疗器械特别审查（the plan does not distinguish classes）。
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Classes no plan speaks of separately: the same general note on every route.
GENERAL: dict[str, tuple[str, tuple[str, ...]]] = {
    "药械组合": (
        "方案没有单独规定药械组合产品。一般先向药品监督管理部门申请属性界定，"
        "以医疗器械作用为主的按医疗器械注册。",
        ("属性界定", "按界定的类别注册"),
    ),
    "待确定": (
        "产品类别尚未确定：可先申请分类界定，确定类别后按相应类别的路径办理。",
        ("分类界定", "按确定的类别备案或注册"),
    ),
}


@dataclass(frozen=True)
class Route:
    province: str  # the province whose plan this is; "" for the national route
    source_file: str  # the seed document the wording is transcribed from
    by_class: dict[str, tuple[str, tuple[str, ...]]]  # class code → (sentence, steps)
    all_classes: tuple[str, tuple[str, ...]] | None = None  # when the plan names no class
    note: str = ""  # said of the route as a whole

    def path(self, product_class: str) -> tuple[str, tuple[str, ...]]:
        if product_class in self.by_class:
            return self.by_class[product_class]
        if product_class in GENERAL:
            return GENERAL[product_class]
        if self.all_classes is not None:
            return self.all_classes
        return GENERAL["待确定"]


ROUTES: tuple[Route, ...] = (
    Route(
        "GD",
        "000_3921d3070a912acd.txt",
        {
            "第一类": (
                "属于第一类医疗器械的，由各地级以上市市场监督管理局加强备案指导。",
                ("研发与产品定型", "地级以上市市场监督管理局备案指导", "备案", "上市"),
            ),
            "第二类": (
                "属于第二类医疗器械的，省药品监督管理局按照“专人辅导、全程跟踪”原则，"
                "提供从研发设计到注册的全流程服务。",
                ("研发设计（专人辅导、全程跟踪）", "注册检验", "省药品监督管理局注册", "上市"),
            ),
            "第三类": (
                "属于第三类医疗器械的，按照央地联合服务机制开展前置服务，"
                "省药品监督管理局积极推荐符合条件的产品进入国家前置审评服务通道。",
                (
                    "研发设计",
                    "央地联合前置服务",
                    "省药品监督管理局推荐进入国家前置审评服务通道",
                    "国家药品监督管理局注册",
                    "上市",
                ),
            ),
        },
    ),
    Route(
        "SH",
        "002_42d6bff99a03a16a.txt",
        {
            "第一类": (
                "对属于第一类医疗器械的入围项目，由市药品监管局定期跟踪项目进展，给予检验、备案指导。",
                (
                    "评审入围（每年5月、11月）",
                    "对接匹配",
                    "市药品监管局跟踪、检验与备案指导",
                    "备案",
                ),
            ),
            "第二类": (
                "对属于第二类医疗器械的入围项目，由市药品监管局定期跟踪项目进展，给予检验、注册指导。",
                (
                    "评审入围（每年5月、11月）",
                    "对接匹配",
                    "市药品监管局跟踪、检验与注册指导",
                    "注册",
                ),
            ),
            "第三类": (
                "对属于第三类医疗器械的，经过培育辅导且产品基本定型后，初步审查认为符合审评前置条件的，"
                "由市药品监管局向国家药监局器审中心报送产品清单。",
                (
                    "评审入围（每年5月、11月）",
                    "对接匹配",
                    "培育辅导，产品基本定型",
                    "市药品监管局初步审查，向器审中心报送（审评前置）",
                    "国家药品监督管理局注册",
                ),
            ),
        },
        note="入围后无正当理由停滞超过6个月的项目，评审会将再评估，不再具备转化条件的予以清退。",
    ),
    Route(
        "FJ",
        "003_7bddcf8c52ba6662.txt",
        {},
        all_classes=(
            "进入培育阶段的项目由福建创新服务站评估，按“提前介入、一企一策、全程指导、研审联动”培育帮扶；"
            "符合条件的项目优先推荐进入审评前置程序或申报创新医疗器械特别审查，省药检院提供检验检测支撑。",
            (
                "平台申报，初核后展示",
                "双向选择、签约",
                "福建创新服务站评估与培育",
                "优先推荐审评前置或创新医疗器械特别审查",
                "检验检测与注册申报",
            ),
        ),
    ),
)

NATIONAL = Route(
    "",
    "",
    {
        "第一类": (
            "第一类医疗器械实行备案管理，向所在地设区的市级负责药品监督管理的部门备案。",
            ("研发与产品定型", "备案", "上市"),
        ),
        "第二类": (
            "第二类医疗器械向所在省份的药品监督管理部门申请注册。",
            ("研发设计", "注册检验", "省级药品监督管理部门注册", "上市"),
        ),
        "第三类": (
            "第三类医疗器械向国家药品监督管理局申请注册，由国家药监局医疗器械技术审评中心（器审中心）"
            "技术审评；符合条件的可进入器审中心的审评前置服务，或申报创新医疗器械特别审查。",
            (
                "研发设计",
                "审评前置服务或创新医疗器械特别审查（符合条件的）",
                "注册检验与临床评价",
                "器审中心技术审评、国家药品监督管理局注册",
                "上市",
            ),
        ),
    },
    note="所在省份的实施方案尚未收录本库，以下为全国通行的路径。",
)


def route_for(project: dict[str, Any], programmes: dict[str, dict[str, str]]) -> Route:
    """The route of the project's own programme's province, when that province's plan is a
    programme in the data; the national route otherwise."""
    row = programmes.get(str(project.get("programme") or ""))
    province = (row or {}).get("province") or ""
    if row is not None and province:
        for route in ROUTES:
            if route.province == province:
                return route
    return NATIONAL


def citation(route: Route, programmes: dict[str, dict[str, str]]) -> str:
    """The documents a route is taken from, as the programmes table names them: the
    province's plan (the row of that province transcribed from the route's source), or for
    the national route the national programmes, and the law behind the classification."""
    if route.province:
        rows = [
            r
            for r in programmes.values()
            if r.get("province") == route.province and r.get("source_file") == route.source_file
        ]
        # A plan (with issuers) before a launch event without a document.
        rows.sort(key=lambda r: (not r.get("issuers"), r.get("id", "")))
        return "；".join(_document(r) for r in rows[:1])
    national = [r for r in programmes.values() if r.get("level") == "国家"]
    documents = "；".join(_document(r) for r in national)
    law = "分类管理依据《医疗器械监督管理条例》"
    return f"{documents}；{law}" if documents else law


def _document(row: dict[str, str]) -> str:
    number = row.get("document_number") or ""
    return f"《{row.get('name_zh', '')}》" + (f"（{number}）" if number else "")
