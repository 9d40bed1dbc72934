"""File-level rules: encoding, BOM, JSON syntax, duplicate keys, canonical form, location."""

from __future__ import annotations

import json
from typing import Any

from springrain.validate.checks.registry import rule

NOT_UTF8 = rule(
    "encoding.not_utf8",
    "error",
    "不是 UTF-8 编码",
    "文件不是 UTF-8 编码{guess}。请用 UTF-8 重新保存（记事本“另存为”选择 UTF-8；"
    "或运行 iconv -f {encoding} -t UTF-8 原文件 > 新文件）。",
    "The file is not UTF-8{guess_en}; convert it, e.g. iconv -f {encoding} -t UTF-8.",
)
BOM = rule(
    "encoding.bom",
    "error",
    "带 BOM",
    "文件开头带有 BOM 标记（Windows 记事本常见）。请运行 springrain fmt {path} 去掉它。",
    "The file starts with a byte-order mark; run springrain fmt {path} to remove it.",
)
SYNTAX = rule(
    "json.syntax",
    "error",
    "JSON 格式错误",
    "JSON 格式错误，位于第 {line} 行第 {column} 列。常见原因：漏了逗号、多了末尾逗号、"
    '引号没有成对、使用了中文引号“”代替英文引号"。',
    "Invalid JSON at line {line}, column {column}: {reason}.",
)
DUPLICATE_KEY = rule(
    "json.duplicate_key",
    "error",
    "字段重复",
    "字段「{name}」在同一处出现了两次，无法判断以哪个为准。请删掉其中一个。",
    "Field '{name}' appears twice in the same object; keep one.",
)
NOT_OBJECT = rule(
    "json.not_object",
    "error",
    "不是一条记录",
    "文件内容应是一条记录（以 {{ 开头、}} 结尾的 JSON 对象），现在是{actual}。",
    "The file must hold one JSON object, not {actual_en}.",
)
NON_CANONICAL = rule(
    "format.non_canonical",
    "error",
    "格式不规范",
    "文件格式不规范（缩进、字段顺序或换行与标准写法不同）。请运行 springrain fmt {path} 自动整理，内容不会改变。",
    "The file is not in canonical form; run springrain fmt {path} (content is unchanged).",
)
LOCATION = rule(
    "file.location",
    "error",
    "文件位置不对",
    "文件应放在 {expected}，且以 .json 结尾。请移动或改名。",
    "The file belongs at {expected} with a .json extension; move or rename it.",
)

ENCODING_GUESSES = ("gb18030", "big5", "utf-16")


def decode(data: bytes) -> tuple[str | None, str | None]:
    """UTF-8 text, or None with the encoding the bytes look like."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, "UTF-16"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    for encoding in ENCODING_GUESSES:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None, encoding.upper()
    return None, None


class DuplicateKey(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(key)
        result[key] = value
    return result


def strict_parse(text: str) -> Any:
    """The standard library's parser, refusing duplicate keys and NaN/Infinity.

    Used when a file is not canonical, where orjson's last-key-wins would silently hide a
    value."""

    def refuse_constant(name: str) -> Any:
        raise ValueError(f"{name} is not valid JSON")

    return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=refuse_constant)
