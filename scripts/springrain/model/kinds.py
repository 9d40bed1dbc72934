"""The record kinds, read from the ``x-record`` annotation of each record schema.

A kind's plural names its folder under ``data/``, its main table and its JSON file in the
package; its id pattern is the schema's; its id template says how a new id is made. Nothing
else in the code names a folder, a table or an id shape of a record kind.

``schemas/project.schema.json``::

    "x-record": {"plural": "projects", "order": 1,
                 "id-template": "{province}-{year}-{number:04d}", "filed-by": "province"}
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from springrain.config import SCHEMAS_DIR

RECORD_ANNOTATION = "x-record"
SCHEMA_SUFFIX = ".schema.json"


@dataclass(frozen=True)
class RecordKind:
    name: str  # "project"
    plural: str  # "projects": folder under data/, main table, package JSON file stem
    title_zh: str  # the schema's title: 临床研究成果转化项目
    noun_zh: str  # the kind in running text: 项目
    id_pattern: str  # the schema's pattern of the id (ECMA-262, anchored)
    id_template: str  # str.format template of a new id; fields: province, year, number
    filed_by: str | None  # a field whose value is a sub-folder (projects: the province)

    @property
    def folder(self) -> str:
        return self.plural

    @property
    def table(self) -> str:
        return self.plural

    @property
    def package_file(self) -> str:
        return f"{self.plural}.json"

    @property
    def id_regex(self) -> re.Pattern[str]:
        return _compiled(self.id_pattern)

    def id_is_valid(self, value: object) -> bool:
        return isinstance(value, str) and self.id_regex.fullmatch(value) is not None

    @property
    def id_prefix_fields(self) -> tuple[str, ...]:
        """The template's fields before the sequence number (projects: province, year)."""
        return _prefix_fields(self.id_template)

    def make_id(self, number: int, **fields: Any) -> str:
        return self.id_template.format(number=number, **fields)

    def id_number(self, record_id: str) -> tuple[tuple[str, ...], int] | None:
        """The id's prefix fields and sequence number, or None when it is not a valid id."""
        if not self.id_is_valid(record_id):
            return None
        match = _template_regex(self.id_template).fullmatch(record_id)
        if match is None:
            return None
        groups = match.groupdict()
        return tuple(groups[name] for name in self.id_prefix_fields), int(groups["number"])

    def relative_path(self, record: dict[str, Any]) -> str:
        """Where a record lives under the data directory, e.g. ``projects/GD/GD-2025-0001.json``."""
        parts = [self.folder]
        if self.filed_by:
            parts.append(str(record[self.filed_by]))
        parts.append(f"{record['id']}.json")
        return "/".join(parts)

    def path_of(self, data_dir: Path, record: dict[str, Any]) -> Path:
        return data_dir / self.relative_path(record)

    @property
    def depth(self) -> int:
        """Folders between the kind's folder and a record file (projects: 1, the province)."""
        return 1 if self.filed_by else 0


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    from springrain.model.schemas import python_pattern

    return re.compile(python_pattern(pattern))


@cache
def _prefix_fields(template: str) -> tuple[str, ...]:
    # Worked out once: validation asks for every record.
    names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    return tuple(name for name in names if name != "number")


@cache
def _template_regex(template: str) -> re.Pattern[str]:
    out = []
    for literal, name, _, _ in string.Formatter().parse(template):
        out.append(re.escape(literal))
        if name:
            out.append(f"(?P<{name}>[0-9]+)" if name in ("number", "year") else f"(?P<{name}>.+?)")
    return re.compile("".join(out))


def _id_pattern(schema: dict[str, Any], defs: dict[str, Any]) -> str:
    node = schema["properties"]["id"]
    ref = node.get("$ref", "")
    if ref:
        node = {**defs[ref.rsplit("/", 1)[-1]], **node}
    return node["pattern"]


@cache
def record_kinds() -> dict[str, RecordKind]:
    """Every record kind, in the order of their ``x-record.order``."""
    defs = json.loads((SCHEMAS_DIR / "defs.schema.json").read_text("utf-8"))["$defs"]
    found = []
    for path in sorted(SCHEMAS_DIR.glob(f"*{SCHEMA_SUFFIX}")):
        schema = json.loads(path.read_text("utf-8"))
        meta = schema.get(RECORD_ANNOTATION)
        if not isinstance(meta, dict):
            continue
        name = path.name[: -len(SCHEMA_SUFFIX)]
        kind = RecordKind(
            name=name,
            plural=meta["plural"],
            title_zh=schema.get("title", name),
            noun_zh=meta["noun-zh"],
            id_pattern=_id_pattern(schema, defs),
            id_template=meta["id-template"],
            filed_by=meta.get("filed-by"),
        )
        found.append((meta.get("order", 99), kind))
    return {kind.name: kind for _, kind in sorted(found, key=lambda item: item[0])}


def kind(name: str) -> RecordKind:
    return record_kinds()[name]


def kind_names() -> tuple[str, ...]:
    return tuple(record_kinds())


def kind_of_folder(folder: str) -> RecordKind | None:
    return next((k for k in record_kinds().values() if k.folder == folder), None)


def kind_of_id(record_id: str) -> RecordKind | None:
    """The kind whose id pattern ``record_id`` matches (the patterns do not overlap)."""
    return next((k for k in record_kinds().values() if k.id_is_valid(record_id)), None)


@cache
def schema_version() -> str:
    """The schema version new records are written with (``x-current`` of its definition)."""
    defs = json.loads((SCHEMAS_DIR / "defs.schema.json").read_text("utf-8"))["$defs"]
    return defs["schema_version"]["x-current"]


KINDS = kind_names()
