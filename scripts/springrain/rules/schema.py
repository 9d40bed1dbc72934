"""Schema errors, told per field in Chinese from the error's parts (not jsonschema's text).

A compiled fastjsonschema validator gives the quick yes; only a record it rejects is run
through jsonschema to list every error with its place.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from ..schemas import field_label, record_schema, vocabulary_codes
from .registry import Finding, rule
from .walk import escape_pointer_part

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


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def shorten(value: Any, limit: int = 40) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _inline(node: Any, defs: dict[str, Any], drop_pattern: str | None = None) -> Any:
    """References replaced by their targets: fastjsonschema's generated code is ~7x faster
    without a function call (and a formatted name) per referenced value. ``drop_pattern``
    is left out wherever it stands (see ``fast_validator``)."""
    if isinstance(node, dict):
        if "$ref" in node:
            target = defs[node["$ref"].rsplit("/", 1)[-1]]
            node = {
                **_inline(target, defs, drop_pattern),
                **{k: v for k, v in node.items() if k != "$ref"},
            }
        inlined = {k: _inline(v, defs, drop_pattern) for k, v in node.items() if k != "$defs"}
        if drop_pattern is not None and inlined.get("pattern") == drop_pattern:
            inlined.pop("pattern")
        if "x-vocab" in inlined and "enum" in inlined and inlined.get("type") == "string":
            # A long enum compiles to a chain of comparisons; a set lookup says the same.
            inlined.pop("enum")
            inlined["format"] = f"vocab-{inlined['x-vocab']}"
        if isinstance(inlined.get("const"), bool):
            # fastjsonschema cannot compile `const` without detailed exceptions; a typed
            # enum means the same for booleans (the type keeps 1 from passing as True).
            inlined["type"] = "boolean"
            inlined["enum"] = [inlined.pop("const")]
        return inlined
    if isinstance(node, list):
        return [_inline(item, defs, drop_pattern) for item in node]
    return node


@cache
def fast_validator(kind: str, single_lines_known: bool = False) -> Any:
    """A compiled yes/no check; fastjsonschema speaks draft 7, and the keywords our schemas
    use mean the same there (tests check both validators agree).

    ``single_lines_known``: the caller has proved no string holds a line break or tab (a
    canonical file without \\n, \\r or \\t escapes), so the single-line pattern, checked
    once per short text field and most of the compiled check's work, is left out."""
    schema = record_schema(kind)
    line_pattern = schema["$defs"]["line"]["pattern"] if single_lines_known else None
    fast = _inline(schema, schema["$defs"], line_pattern)
    fast["$schema"] = "http://json-schema.org/draft-07/schema#"
    formats = {
        f"vocab-{name}": frozenset(vocabulary_codes(name)).__contains__
        for name in _vocabularies(schema)
    }
    return fastjsonschema.compile(fast, formats=formats, detailed_exceptions=False)


def _vocabularies(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["x-vocab"]} if "x-vocab" in node else set()
        return found.union(*(_vocabularies(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_vocabularies(v) for v in node))
    return set()


@cache
def full_validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(record_schema(kind))


def is_valid(kind: str, record: Any, single_lines_known: bool = False) -> bool:
    try:
        fast_validator(kind, single_lines_known)(record)
    except fastjsonschema.JsonSchemaException:
        return False
    except Exception:
        return False
    return True


def pointer_of(path: Any) -> str:
    return "".join(f"/{escape_pointer_part(str(part))}" for part in path)


def check(file: str, kind: str, record: Any, single_lines_known: bool = False) -> list[Finding]:
    """Every schema error of one record as findings; empty when the record is valid."""
    if is_valid(kind, record, single_lines_known):
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
