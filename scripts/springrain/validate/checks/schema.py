"""Schema errors, told per field in Chinese from the error's parts (not jsonschema's text).

Both validators are compiled from the same record schema: jsonschema-rs gives the quick
yes; only a record it rejects is run through jsonschema to list every error with its place
(the tests check that both agree).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from springrain.model.kinds import record_kinds
from springrain.model.schemas import field_label, python_pattern, record_schema
from springrain.validate.checks.registry import Check, Finding, RecordContext, register, rule
from springrain.validate.checks.walk import escape_pointer_part, json_type

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

REQUIRED = rule(
    "schema.required",
    "error",
    "缺少必填项",
    "缺少必填项「{field}」。请补充该字段。{hint}",
    "Required field {field_en} is missing; add it.",
)
UNKNOWN = rule(
    "schema.unknown_field",
    "error",
    "未知字段",
    "不认识的字段「{name}」。请检查拼写或删除它；可用的字段见网站“数据下载”页的数据字典。",
    "Unknown field '{name}'; check its spelling or remove it (see the data dictionary).",
)
TYPE = rule(
    "schema.type",
    "error",
    "类型不符",
    "「{field}」应为{expected}，现在是{actual}。",
    "{field_en} must be {expected_en}, not {actual_en}.",
)
ENUM = rule(
    "schema.enum",
    "error",
    "不在可选范围",
    "「{field}」的值“{value}”不在可选范围内。可选：{choices}。",
    "{field_en}: '{value}' is not one of the allowed values ({choices}).",
)
CONST = rule(
    "schema.const",
    "error",
    "取值不符",
    "{message}",
    "{message_en}",
)
LENGTH = rule(
    "schema.length",
    "error",
    "长度不符",
    "「{field}」{problem}",
    "{field_en}: {problem_en}",
)
PATTERN = rule(
    "schema.pattern",
    "error",
    "格式不符",
    "「{field}」格式不正确，应为：{format}。",
    "{field_en} is not in the right form: {format_en}.",
)
ITEMS = rule(
    "schema.items",
    "error",
    "列表项数不符",
    "「{field}」{problem}",
    "{field_en}: {problem_en}",
)
RANGE = rule(
    "schema.range",
    "error",
    "数值超出范围",
    "「{field}」的值 {value} 超出范围（{bound}）。",
    "{field_en}: {value} is out of range ({bound_en}).",
)
OTHER = rule(
    "schema.other",
    "error",
    "不符合数据结构",
    "「{field}」不符合数据结构要求（{keyword}）。请对照数据字典修改。",
    "{field_en} does not satisfy the schema ({keyword}): {detail}",
)

TYPE_ZH = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "true 或 false（是/否）",
    "array": "列表",
    "object": "对象（一组字段）",
    "null": "空值 null",
}


def shorten(value: Any, limit: int = 40) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(python_pattern(pattern))


def _ecma_pattern_keyword(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _explaining_validator() -> Any:
    """jsonschema with the pattern keyword read as ECMA-262; imported only when a record
    is to be explained (jsonschema takes a tenth of a second to import, a fortieth of a
    whole validation run that finds nothing wrong)."""
    from jsonschema import Draft202012Validator, validators

    return validators.extend(Draft202012Validator, {"pattern": _ecma_pattern_keyword})


@cache
def fast_validator(kind: str) -> Any:
    """The yes/no check every record passes through: jsonschema-rs compiles the schema as
    written (draft 2020-12, ECMA-262 patterns) and checks a record in about a third of the
    time the previous compiled check took; only a record it rejects is explained."""
    return jsonschema_rs.validator_for(record_schema(kind))


@cache
def full_validator(kind: str) -> Any:
    """The validator that lists every error with its place, for the records the fast check
    rejects; the tests check that both agree."""
    return _explaining_validator()(record_schema(kind))


def is_valid(kind: str, record: Any) -> bool:
    try:
        return bool(fast_validator(kind).is_valid(record))
    except Exception:
        # Whatever jsonschema-rs refuses to read (a key that is not a string, say) is left
        # to the explaining validator: hostile input must never end in a traceback.
        return False


def pointer_of(path: Any) -> str:
    return "".join(f"/{escape_pointer_part(str(part))}" for part in path)


def check(file: str, kind: str, record: Any) -> list[Finding]:
    """Every schema error of one record as findings; empty when the record is valid."""
    if is_valid(kind, record):
        return []
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    errors = sorted(
        full_validator(kind).iter_errors(record), key=lambda e: list(map(str, e.absolute_path))
    )
    for error in errors:
        for finding in describe(file, kind, error):
            key = (finding.pointer, finding.message_zh)
            if key not in seen:
                seen.add(key)
                findings.append(finding)
    return findings


def describe(file: str, kind: str, error: ValidationError) -> list[Finding]:
    pointer = pointer_of(error.absolute_path)
    zh, en = field_label(kind, pointer)
    keyword = error.validator
    value = error.validator_value
    instance = error.instance
    subschema = error.schema if isinstance(error.schema, dict) else {}

    if keyword == "required" and isinstance(instance, dict):
        found = []
        for name in value:
            if name not in instance:
                child = f"{pointer}/{escape_pointer_part(name)}"
                czh, cen = field_label(kind, child)
                hint = ""
                if name == "credit_code":
                    hint = "内地企业须填写统一社会信用代码。"
                found.append(REQUIRED.at(file, child, field=czh, field_en=cen, hint=hint))
        return found
    if keyword == "additionalProperties" and isinstance(instance, dict):
        known = set(subschema.get("properties", {}))
        return [
            UNKNOWN.at(file, f"{pointer}/{escape_pointer_part(str(name))}", name=shorten(str(name)))
            for name in instance
            if name not in known
        ]
    if keyword == "type":
        actual = json_type(instance)
        expected = value if isinstance(value, str) else value[0]
        return [
            TYPE.at(
                file,
                pointer,
                field=zh,
                field_en=en,
                expected=TYPE_ZH.get(expected, expected),
                expected_en=expected,
                actual=TYPE_ZH.get(actual, actual),
                actual_en=actual,
            )
        ]
    if keyword == "enum":
        choices = "、".join(map(str, value))
        return [
            ENUM.at(file, pointer, field=zh, field_en=en, value=shorten(instance), choices=choices)
        ]
    if keyword == "const":
        message = subschema.get("x-message-zh") or f"「{zh}」的值必须是 {value!r}。"
        message_en = subschema.get("x-message-en") or f"{en} must be {value!r}."
        return [CONST.at(file, pointer, message=message, message_en=message_en)]
    if keyword in ("minLength", "maxLength"):
        if keyword == "minLength":
            problem, problem_en = (
                "不能为空。如无内容，请删除该字段。",
                "must not be empty; remove the field instead.",
            )
        else:
            problem = f"过长：现有 {len(instance)} 字，上限 {value} 字。请精简，详细材料可作为附件另行提供。"
            problem_en = f"is {len(instance)} characters long; the limit is {value}."
        return [
            LENGTH.at(file, pointer, field=zh, field_en=en, problem=problem, problem_en=problem_en)
        ]
    if keyword == "pattern":
        fmt = subschema.get("x-format-zh", f"符合 {value}")
        fmt_en = subschema.get("x-format-en", f"matching {value}")
        return [PATTERN.at(file, pointer, field=zh, field_en=en, format=fmt, format_en=fmt_en)]
    if keyword in ("minItems", "maxItems", "uniqueItems", "minProperties"):
        if keyword == "minProperties":
            problem = "不能为空。如无内容，请删除该字段。"
            problem_en = "must not be empty; leave the field out instead."
        elif keyword == "minItems":
            problem, problem_en = f"至少需要 {value} 项。", f"needs at least {value} item(s)."
        elif keyword == "maxItems":
            problem, problem_en = (
                f"最多 {value} 项，现有 {len(instance)} 项。",
                f"allows at most {value} items.",
            )
        else:
            problem, problem_en = "有重复的项，请删去重复。", "has duplicate items."
        return [
            ITEMS.at(file, pointer, field=zh, field_en=en, problem=problem, problem_en=problem_en)
        ]
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        bound = {"minimum": f"不小于 {value}", "maximum": f"不大于 {value}"}.get(
            keyword, f"{keyword} {value}"
        )
        return [
            RANGE.at(
                file,
                pointer,
                field=zh,
                field_en=en,
                value=shorten(instance),
                bound=bound,
                bound_en=f"{keyword} {value}",
            )
        ]
    detail = re.sub(r"\s+", " ", error.message)[:200]
    return [OTHER.at(file, pointer, field=zh, field_en=en, keyword=keyword, detail=detail)]


@register
class Schema(Check):
    """The record against its kind's JSON Schema."""

    inspects = "record"
    rules = (REQUIRED, UNKNOWN, TYPE, ENUM, CONST, LENGTH, PATTERN, ITEMS, RANGE, OTHER)

    def prepare(self) -> None:
        for kind in record_kinds():
            fast_validator(kind)

    def check(self, context: RecordContext) -> list[Finding]:
        return check(context.file, context.kind, context.record)
