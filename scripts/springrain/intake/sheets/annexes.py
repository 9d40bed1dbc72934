"""The official Fujian annexes, as printed: the one mapping table between them and the schemas.

Source: 闽药监器械〔2025〕18号《福建省推进医疗器械临床研究成果转化实施方案》, issued
2025-06-13 (seed document 003_7bddcf8c52ba6662.txt), its annex 1《医疗机构临床研究成果转化
项目需求表》 and annex 2《企业意向临床研究成果转化项目对接表》.

This module holds only what the annexes print and the schemas cannot say: where each field
sits on the form (rows of label and answer cells, in the annex's order), the annex's own
label where it differs from the field's title in ``schemas/``, the prompts it prints in an
answer cell, its tick boxes, the personal cells (phone, e-mail, contact person) that are
never read, and the texts printed around the table. Every other word of a form — field
titles, choices, formats — comes from the schemas and vocabularies through
``springrain.intake.forms`` (see ``springrain.intake.sheets.layout``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from springrain.model.schemas import the_code

DOCUMENT = "闽药监器械〔2025〕18号"

# The personal cells of the annexes: their labels are recognised, their answers never read.
PERSONAL = "personal"
# Annex 2 names the project of a cooperation by its name and its submitter, not by an id:
# these answers are looked up among the projects already in the catalogue.
PROJECT_NAME = "project:project_name"
PROJECT_INSTITUTION = "project:institution"


@dataclass(frozen=True)
class Slot:
    """A label cell and the answer cell to its right."""

    field: str  # a form element id of ``springrain.intake.forms`` (or PERSONAL, PROJECT_…)
    label: str = ""  # the annex's printed label, where it differs from the field's title
    also: tuple[str, ...] = ()  # other spellings of the label accepted on import
    hint: str = ""  # a prompt the annex prints in the answer cell (never part of an answer)
    boxes: bool = False  # the annex prints the choices as tick boxes (□有源 □无源 …)
    print_codes: bool = False  # the boxes show the vocabulary codes, not the labels
    unit: str = ""  # printed after the answer (注册资金 ____ 万元)


@dataclass(frozen=True)
class Group:
    """A label cell spanning several rows, each row a sub-label and its answer."""

    label: str
    slots: tuple[Slot, ...]
    hint: str = ""  # the prompt the annex prints where it has one answer cell for the group
    whole: str = ""  # the field one answer cell for the whole group fills ("" = none may)
    numbered: bool = False  # sub-labels are numbered 1., 2., … and one answer may be split so


Row = tuple[Slot, ...] | Group


@dataclass(frozen=True)
class Annex:
    name: str  # annex1, annex2: the name on the command line
    number: int
    title: str
    kinds: tuple[str, ...]  # the record kinds one filled form makes
    rows: tuple[Row, ...]
    # Annex 2 only: the part repeated for each project (企业技术意向合作情况).
    block_heading: str = ""
    block: tuple[Row, ...] = ()
    # Fields written inside another field's answer: stage_note in the brackets after the
    # 其他 box of 项目所处阶段 (□其他（　　）).
    embedded: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Fields of the block's kind answered once for the whole form (the enterprise of every
    # cooperation is the enterprise of the form).
    shared: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # printed under the table
    decorations: tuple[str, ...] = ()  # other printed words beside the cells

    @property
    def document(self) -> str:
        return f"{DOCUMENT} 附件{self.number}"


ANNEX1 = Annex(
    name="annex1",
    number=1,
    title="医疗机构临床研究成果转化项目需求表",
    kinds=("project",),
    rows=(
        (Slot("project_name"),),
        (Slot("institution"), Slot("city")),
        (Slot("project_lead"), Slot("department", also=("所在部门", "所在科室"))),
        (Slot(PERSONAL, label="联系电话"), Slot(PERSONAL, label="电子邮箱")),
        (Slot("project_type", boxes=True),),
        (Slot("product_class", label="产品分类（Ⅰ/Ⅱ/Ⅲ类医疗器械，药械组合，待确定）"),),
        (Slot("stage", boxes=True),),
        (Slot("structure"),),
        (Slot("working_principle"),),
        (Slot("intended_use"),),
        (Slot("clinical_prospects"),),
        Group(
            "行业及市场情况",
            (
                Slot(
                    "industry_market",
                    label="相关行业或细分领域的情况（行业背景、需求状况、现状瓶颈、发展趋势等）",
                ),
                Slot("comparable_products"),
            ),
            hint="相关行业或细分领域的情况（行业背景、需求状况、现状瓶颈、发展趋势等）；国内外同类已上市产品情况",
            whole="industry_market",
        ),
        (Slot("research_team", hint="项目负责人及团队主要技术成员介绍"),),
        (Slot("intellectual_property", hint="申请和授权情况、知识产权所有人"),),
        (Slot("programme_listings"),),
        (Slot("current_cooperation"),),
        Group(
            "意向合作企业",
            (
                Slot("intended_partners__in_province", label="（省内）", also=("省内",)),
                Slot("intended_partners__outside_province", label="（省外）", also=("省外",)),
            ),
        ),
        (Slot("other_notes"),),
        (Slot("commitment", boxes=True),),
        (
            Slot(
                "publish_consent",
                boxes=True,
                also=("是否愿意在福建省医疗器械临床研究成果转化平台发布",),
            ),
        ),
    ),
    embedded={"stage_note": ("stage", the_code("stages", "phase", "other"))},  # in 其他（　）
    notes=(
        "注：此表可另附纸，对相关内容进行详细说明。",
        "项目申请单位（公章）：　　　　　　　　项目负责人（签字）：",
    ),
)

ANNEX2 = Annex(
    name="annex2",
    number=2,
    title="企业意向临床研究成果转化项目对接表",
    kinds=("enterprise", "cooperation"),
    rows=(
        (Slot("name"),),
        (Slot("address"),),
        (Slot("credit_code"),),
        (Slot("fields"), Slot("legal_representative")),
        (Slot("registered_capital", label="注册资金", unit="万元"), Slot("registration_date")),
        (Slot("high_tech", boxes=True), Slot("specialised", boxes=True, print_codes=True)),
        (Slot(PERSONAL, label="联系人"), Slot(PERSONAL, label="联系电话")),
        (Slot("profile"),),
    ),
    block_heading="企业技术意向合作情况",
    block=(
        (Slot(PROJECT_NAME, label="项目名称"),),
        (Slot(PROJECT_INSTITUTION, label="项目申报机构/人", also=("项目申报机构", "项目申报人")),),
        Group(
            "合作进展情况",
            (
                Slot("progress__work_done"),
                Slot("progress__stage"),
                Slot("progress__investment"),
                Slot("progress__equipment"),
                Slot("progress__production_conditions"),
                Slot("progress__other"),
            ),
            hint="（1.已开展的工作；2.所处阶段；3.投入资金和人力；4.仪器和设备；5.生产条件；6.其他）",
            numbered=True,
        ),
        (Slot("modes", boxes=True),),
    ),
    shared=("enterprise",),
    notes=("注：此表可另附纸，对相关内容进行详细说明。",),
    decorations=("（加盖公章）", "万元"),
)

ANNEXES = {annex.name: annex for annex in (ANNEX1, ANNEX2)}

# How a checkbox field of the schema (a pledge, ``const: true``) is answered on the annex:
# the first choice gives it, the second declines it.
CHECKBOX_CHOICES = {"commitment": ("同意", "不同意"), "publish_consent": ("是", "否")}

# Tick boxes: how the annexes print them, and how people tick them in Excel or WPS.
UNTICKED = "□☐◻▢"
TICKED = "☑☒■▣✓✔√✅⊠"
BOX, TICK = "□", "☑"

# Annex 1 prints its product classes as "Ⅰ/Ⅱ/Ⅲ类医疗器械"; answers written that way name
# the classes of schemas/vocab/classes.csv (compared after NFKC, so Ⅲ reads as III).
CLASS_NUMERALS = {
    "第一类": ("I", "一", "1"),
    "第二类": ("II", "二", "2"),
    "第三类": ("III", "三", "3"),
}


def class_aliases() -> dict[str, str]:
    """Spelling of a class (NFKC, no spaces) → its code in classes.csv."""
    aliases: dict[str, str] = {}
    for code, numerals in CLASS_NUMERALS.items():
        for numeral in numerals:
            for form in ("{}类", "第{}类", "{}类医疗器械", "第{}类医疗器械", "{}类器械"):
                aliases[form.format(numeral)] = code
    return aliases


# Texts of springrain's own template (not the annexes'): the heading of the part holding
# the fields the catalogue needs and the annex does not ask, the instructions under the
# title, the list of choices, and the line an export puts under the title.
SUPPLEMENT_HEADING = "补充信息（官方附件未列，公开目录需要；请一并填写）"
INSTRUCTIONS = (
    "填写说明：在每个栏目右侧的空白格中填写。勾选：把 □ 改为 ☑（或 √、■），也可从下拉列表中选择；"
    "可多选的栏目可勾选多项。请勿填写任何手机号码、电子邮箱或身份证号码（「联系电话」「电子邮箱」"
    "「联系人」三栏不会导入）；不要输入公式。"
)
OPTIONS_SHEET = "可选项"
OPTIONS_NOTE = "本表列出第一张表下拉列表的可选项，导入时不读取。"
EXPORT_MARK = "导出自春雨行动开放数据目录"
DEMO_MARK = "示例数据，均为虚构"
