"""Record files as files: where they are, their encoding, JSON syntax and canonical form.

``Strays`` words every entry of the data directory that is not a record file
(``springrain.model.discovery``). ``RecordFile`` reads one record file's bytes into a
record, or says why it cannot: the engine has no parser of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import orjson

from springrain.model import discovery
from springrain.model.kinds import kind as record_kind
from springrain.model.records import (
    UTF8_BOM,
    DuplicateKey,
    decode,
    is_canonical,
    strict_parse,
    utf8_damage,
)
from springrain.validate.checks.registry import Check, Finding, register, rule
from springrain.validate.checks.schema import TYPE_ZH
from springrain.validate.checks.walk import json_type

# A record is a form's worth of text; a file far larger is a mistake or an attack, and is
# refused before it is parsed (the longest a schema allows is a few dozen 5,000-character
# fields). Documented in docs/reference/limits.md.
MAX_RECORD_BYTES = 256 * 1024
# Objects and lists nested deeper than any schema allows are refused before they are walked.
MAX_NESTING = 16

NOT_UTF8 = rule(
    "encoding.not_utf8",
    "error",
    "不是 UTF-8 编码",
    "文件不是 UTF-8 编码{guess}。请用 UTF-8 重新保存（记事本“另存为”选择 UTF-8；"
    "或运行 iconv -f {encoding} -t UTF-8 原文件 > 新文件）。",
    "The file is not UTF-8{guess_en}; convert it, e.g. iconv -f {encoding} -t UTF-8.",
)
DAMAGED_UTF8 = rule(
    "encoding.damaged_utf8",
    "error",
    "UTF-8 编码中有损坏的字节",
    "文件是 UTF-8 编码，但第 {line} 行有损坏的字节（文件的第 {byte} 个字节），可能是一个字被截断了。"
    "请在编辑器中找到该处，重新输入那几个字，再用 UTF-8 保存；不要转换整个文件的编码。",
    "The file is UTF-8 but has a damaged byte on line {line} (byte {byte}), perhaps a "
    "character cut short; retype the characters there and save as UTF-8. Do not convert "
    "the whole file.",
)
BOM = rule(
    "encoding.bom",
    "error",
    "带 BOM",
    "文件开头带有 BOM 标记（Windows 记事本常见）。请运行 springrain fmt {path} 去掉它。",
    "The file starts with a byte-order mark; run springrain fmt {path} to remove it.",
)
TOO_LARGE = rule(
    "file.too_large",
    "error",
    "文件过大",
    "文件有 {size} 字节，超过一条记录的上限 {limit} 字节，未作检查。请精简内容，详细材料可作为附件另行提供。",
    "The file is {size} bytes, over the {limit}-byte limit of a record; it was not checked.",
)
SYNTAX = rule(
    "json.syntax",
    "error",
    "JSON 格式错误",
    "JSON 格式错误，位于第 {line} 行第 {column} 列。常见原因：漏了逗号、多了末尾逗号、"
    '引号没有成对、使用了中文引号“”代替英文引号"。',
    "Invalid JSON at line {line}, column {column}: {reason}.",
)
TOO_DEEP = rule(
    "json.too_deep",
    "error",
    "嵌套过深",
    "文件中的对象或列表嵌套超过 {limit} 层，不是一条记录应有的结构，未作检查。",
    "Objects or lists are nested more than {limit} deep; the file was not checked.",
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
MORE = rule(
    "file.more_findings",
    "error",
    "问题过多",
    "这个文件还有 {count} 处问题没有逐一列出。请先改正上面列出的问题，再重新校验。",
    "The file has {count} more problems, not listed one by one; fix those above first.",
)
# The most findings listed for one file: a broken file is told about, not printed a
# million times.
MAX_FINDINGS_PER_FILE = 50
UNREADABLE = rule(
    "file.unreadable",
    "error",
    "无法读取",
    "无法读取该文件（{reason}）。请检查文件权限，或重新从仓库检出。",
    "The file cannot be read ({reason}).",
)

# One rule per kind of stray (see springrain.model.discovery).
STRAY_RULES = {
    discovery.HIDDEN: rule(
        "file.hidden",
        "error",
        "隐藏文件",
        "数据目录中不能有隐藏文件或文件夹（名称以“.”开头）：{path}。其中的内容不会被检查或发布，请删除或改名。",
        "Hidden files or folders may not sit in the data directory: {path}. Remove or rename it.",
    ),
    discovery.LINK: rule(
        "file.symlink",
        "error",
        "符号链接",
        "{path} 是一个链接（symlink），不是记录文件。记录必须是普通文件：请用原文件替换链接。",
        "{path} is a symbolic link, not a record file; replace it with the file itself.",
    ),
    discovery.MODULE: rule(
        "file.submodule",
        "error",
        "子模块",
        "{path} 是一个 git 子模块（submodule），数据目录中不能有子模块。请删除它，把记录作为普通文件提交。",
        "{path} is a git submodule; the data directory may hold only record files.",
    ),
    discovery.NOT_A_FILE: rule(
        "file.special",
        "error",
        "不是普通文件",
        "{path} 不是普通文件（可能是设备、管道或无法打开的文件夹）。请删除它。",
        "{path} is not a regular file (a device, a pipe, or a folder that cannot be opened).",
    ),
    discovery.FOLDER_FOR_FILE: rule(
        "file.folder",
        "error",
        "文件夹放错位置",
        "{path} 是一个文件夹，但这里只能放记录文件（{expected}）。请把其中的记录移到正确位置并删除该文件夹。",
        "{path} is a folder where only record files belong ({expected_en}).",
    ),
    discovery.EXTENSION: rule(
        "file.extension",
        "error",
        "扩展名不对",
        "{path} 不是 .json 文件。记录文件应命名为 <编号>.json（{expected}）；其他文件不能放在数据目录中。",
        "{path} is not a .json file; records are named <id>.json ({expected_en}).",
    ),
    discovery.MISPLACED: rule(
        "file.location",
        "error",
        "文件位置不对",
        "{path} 放错了位置：应放在 {expected}。请移动该文件。",
        "{path} is in the wrong place; it belongs at {expected_en}.",
    ),
    discovery.UNEXPECTED: rule(
        "file.unexpected",
        "error",
        "不属于数据目录",
        "{path} 不是记录文件，也不是手工维护的表格，不能放在数据目录中。记录放在 {expected}。",
        "{path} is neither a record file nor a hand-kept table; records belong at {expected_en}.",
    ),
}


def expected_place(kind: str | None, english: bool = False) -> str:
    """Where a record file of ``kind`` (of any kind when None) belongs."""
    from springrain.model.kinds import record_kinds
    from springrain.model.schemas import field_label

    kinds = [record_kind(kind)] if kind else list(record_kinds().values())
    places = []
    for k in kinds:
        middle = ""
        if k.filed_by:
            zh, en = field_label(k.name, "/" + k.filed_by)
            middle = f"<{en if english else zh}>/"
        places.append(f"data/{k.folder}/{middle}<{'id' if english else '编号'}>.json")
    return (", " if english else "、").join(places)


@register
class Strays(Check):
    """Every entry of the data directory that is not a record file or a hand-kept table."""

    inspects = "entry"
    rules = tuple(STRAY_RULES.values())

    def check(self, context: tuple[str, discovery.Stray]) -> list[Finding]:
        display, stray = context
        return [
            STRAY_RULES[stray.problem].at(
                display,
                "",
                path=display,
                expected=expected_place(stray.kind),
                expected_en=expected_place(stray.kind, english=True),
            )
        ]


def _depth_ok(value: Any, limit: int) -> bool:
    """Whether ``value`` nests objects and lists at most ``limit`` deep (iteratively)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return False
        if node.__class__ is dict:
            stack.extend(
                (child, depth + 1) for child in node.values() if child.__class__ in (dict, list)
            )
        elif node.__class__ is list:
            stack.extend((child, depth + 1) for child in node if child.__class__ in (dict, list))
    return True


@dataclass
class Read:
    """What reading one record file gave: its findings, and the record if it is one."""

    findings: list[Finding]
    record: dict[str, Any] | None
    canonical: bool


@register
class RecordFile(Check):
    """Reads a record file: size, BOM, UTF-8, JSON syntax, duplicate keys, nesting, one
    object, canonical form. Canonical files (nearly all) are parsed once by orjson; any
    other is parsed again strictly, so duplicate keys and NaN are never hidden."""

    inspects = "file"
    rules = (
        UNREADABLE,
        TOO_LARGE,
        BOM,
        NOT_UTF8,
        DAMAGED_UTF8,
        SYNTAX,
        DUPLICATE_KEY,
        TOO_DEEP,
        NOT_OBJECT,
        NON_CANONICAL,
    )
    MAX_BYTES: ClassVar[int] = MAX_RECORD_BYTES

    def read(self, data: bytes, display: str, kind: str) -> Read:
        if len(data) > self.MAX_BYTES:
            return Read(
                [TOO_LARGE.at(display, "", size=len(data), limit=self.MAX_BYTES)], None, False
            )
        try:
            record: Any = orjson.loads(data)
        except orjson.JSONDecodeError:
            record = None
        else:
            if record.__class__ is dict and is_canonical(kind, record, data):
                # Canonical JSON nests no deeper than orjson reads (1024); nothing after this
                # recurses into a record beyond its schema's depth, so the nesting limit is
                # checked only on the way to an explanation (below).
                return Read([], record, True)
        return self._explain(data, display, kind)

    def _explain(self, data: bytes, display: str, kind: str) -> Read:
        findings: list[Finding] = []
        has_bom = data.startswith(UTF8_BOM)
        if has_bom:
            findings.append(BOM.at(display, "", path=display))
            data = data[len(UTF8_BOM) :]
        content, guess = decode(data)
        damaged = None if content is not None else utf8_damage(data)
        if damaged is not None:
            line = data.count(b"\n", 0, damaged) + 1
            byte = damaged + 1 + (len(UTF8_BOM) if has_bom else 0)
            findings.append(DAMAGED_UTF8.at(display, "", line=line, byte=byte))
            return Read(findings, None, False)
        if content is None:
            findings.append(
                NOT_UTF8.at(
                    display,
                    "",
                    encoding=guess or "GB18030",
                    guess=f"（看起来是 {guess}）" if guess else "",
                    guess_en=f" (it looks like {guess})" if guess else "",
                )
            )
            return Read(findings, None, False)
        try:
            orjson.loads(data)
        except orjson.JSONDecodeError as error:
            findings.append(
                SYNTAX.at(display, "", line=error.lineno, column=error.colno, reason=error.msg)
            )
            return Read(findings, None, False)
        try:
            record = strict_parse(content)
        except DuplicateKey as error:
            name = error.name if len(error.name) <= 40 else error.name[:40] + "…"
            findings.append(DUPLICATE_KEY.at(display, "", name=name))
            return Read(findings, None, False)
        except (ValueError, RecursionError) as error:
            findings.append(SYNTAX.at(display, "", line=0, column=0, reason=str(error)[:200]))
            return Read(findings, None, False)
        if not _depth_ok(record, MAX_NESTING):
            findings.append(TOO_DEEP.at(display, "", limit=MAX_NESTING))
            return Read(findings, None, False)
        if not isinstance(record, dict):
            actual = json_type(record)
            findings.append(
                NOT_OBJECT.at(display, "", actual=TYPE_ZH.get(actual, actual), actual_en=actual)
            )
            return Read(findings, None, False)
        canonical = not has_bom and is_canonical(kind, record, data)
        if not canonical:
            findings.append(NON_CANONICAL.at(display, "", path=display))
        return Read(findings, record, canonical)

    def check(self, context: tuple[bytes, str, str]) -> list[Finding]:
        data, display, kind = context
        return self.read(data, display, kind).findings
