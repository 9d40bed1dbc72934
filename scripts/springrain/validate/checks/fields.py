"""Rules between a record's fields that a JSON Schema cannot state."""

from __future__ import annotations

import re

from stdnum.cn import uscc

from springrain.model.schemas import fields, the_code
from springrain.validate.checks.registry import Check, Finding, RecordContext, register, rule

USCC = rule(
    "uscc.checksum",
    "error",
    "统一社会信用代码校验位错误",
    "「统一社会信用代码」{value} 的校验位不正确，可能抄错了一位。请对照营业执照核对。",
    "The unified social credit code {value} fails its check digit; compare it with the licence.",
)
CMDE_CLASS = rule(
    "cmde.class",
    "error",
    "非三类项目填写了上报器审中心日期",
    "只有第三类医疗器械项目上报国家局器审中心。本项目「产品分类」为“{product_class}”，"
    "请删除「上报国家局器审中心日期」或更正产品分类。",
    "Only class III projects are reported to CMDE; this one is {product_class}.",
)
STAGE_NOTE = rule(
    "stage.note",
    "error",
    "缺少阶段说明",
    "「项目所处阶段」选了“其他”，请在「其他阶段说明」中写明所处阶段。",
    "Stage 其他 needs a stage note.",
)
DEMO = rule(
    "demo.in_data",
    "error",
    "示例数据混入",
    "这是演示用的虚构记录（demo: true），不能放入真实数据目录。请删除该文件。",
    "This is a fictional demo record (demo: true); it may not enter the real data directory.",
)

# The shape the schema gives a credit code (its pattern, without the anchors: used whole).
USCC_SHAPE = re.compile(
    next(f for f in fields("enterprise") if f.name == "credit_code").schema["pattern"].strip("^$")
)
# The class whose projects are reported to CMDE (classes' ``reported_to_cmde``), and the
# stage that is written out in a note (stages' ``phase`` ``other``).
CLASS_III = the_code("classes", "reported_to_cmde")
OTHER_STAGE = the_code("stages", "phase", "other")


@register
class CreditCode(Check):
    inspects = "record"
    rules = (USCC,)
    kinds = ("enterprise",)

    def check(self, context: RecordContext) -> list[Finding]:
        code = context.record.get("credit_code")
        if isinstance(code, str) and USCC_SHAPE.fullmatch(code) and not uscc.is_valid(code):
            return [USCC.at(context.file, "/credit_code", value=code)]
        return []


@register
class CmdeReport(Check):
    """Only class III products are reported to CMDE (沪药监械注〔2026〕69号)."""

    inspects = "record"
    rules = (CMDE_CLASS,)
    kinds = ("project",)

    def check(self, context: RecordContext) -> list[Finding]:
        record = context.record
        if record.get("cmde_reported") is not None and record.get("product_class") != CLASS_III:
            return [
                CMDE_CLASS.at(
                    context.file, "/cmde_reported", product_class=record.get("product_class")
                )
            ]
        return []


@register
class StageNote(Check):
    inspects = "record"
    rules = (STAGE_NOTE,)
    kinds = ("project",)

    def check(self, context: RecordContext) -> list[Finding]:
        record = context.record
        if record.get("stage") == OTHER_STAGE and not record.get("stage_note"):
            return [STAGE_NOTE.at(context.file, "/stage_note")]
        return []


@register
class Demo(Check):
    """Demo records are accepted only where the caller says demo data is expected."""

    inspects = "record"
    rules = (DEMO,)

    def check(self, context: RecordContext) -> list[Finding]:
        if context.record.get("demo") is True and not context.allow_demo:
            return [DEMO.at(context.file, "/demo")]
        return []
