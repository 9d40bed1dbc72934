"""The directories' indexes: one compact columnar JSON file per record kind (projects for the
catalogue, enterprises for the directory) that ``static/catalogue.js`` filters, counts and
exports in the browser.

Repeated values (province, class, institution …) are dictionary-encoded: each row holds a
small integer into that dimension's codes and labels. A dimension whose records hold a list
(an enterprise's fields, a project's cooperation modes) holds per row a bit mask of its codes
when there are at most ``BITS`` of them, else the list of their numbers. Column titles are the
schema's field titles, so an exported table is headed as the data files are.

The keyword box matches a record's name and id, and the labels of the dimensions the index
names under ``keyword`` (``keyword_dimensions``): of what the index holds, what the site's
search finds a record by, so that 四川, 已签约 or 对接中 find records here as they do there.
The page matches a word against each dimension's labels once, then rows by their codes: the
index grows by a list of keys, not by a column of text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from springrain.model.kinds import kind as record_kind
from springrain.model.schemas import fields, vocabulary
from springrain.model.statuses import order as status_order
from springrain.site.search_index import coded_fields, text_fields
from springrain.site.views import label

BITS = 30  # JavaScript's bit operators work on 32-bit integers
MISSING = "（未填）"


@dataclass(frozen=True)
class Dimension:
    key: str  # URL parameter
    field: str  # record field it is read from (or the derived value's name)
    vocab: str | None  # labels from this vocabulary; None: the values are their own labels
    short: str  # the filter's label on the page
    multi: bool = False  # the field holds a list
    facet: bool = True  # offered as a filter (else only a column and in exports)
    value: Callable[[dict[str, Any]], Any] | None = None  # derived instead of read


def _year(record: dict[str, Any]) -> str:
    return str(record.get("submitted", ""))[:4]


def _has_ip(record: dict[str, Any]) -> str:
    return "有" if record.get("intellectual_property") else "无"


def _high_tech(record: dict[str, Any]) -> str:
    value = record.get("high_tech")
    return "" if value is None else ("是" if value else "否")


PROJECT_DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("province", "province", "provinces", "省份"),
    Dimension("city", "city", None, "城市"),
    Dimension("class", "product_class", "classes", "产品分类"),
    Dimension("type", "project_type", "project_types", "项目类型"),
    Dimension("category", "category", "categories", "分类目录"),
    Dimension("stage", "stage", "stages", "所处阶段"),
    Dimension("status", "status", "statuses", "当前状态"),
    Dimension("mode", "cooperation_modes_sought", "cooperation_modes", "意向合作方式", multi=True),
    Dimension("ip", "intellectual_property", None, "知识产权", value=_has_ip),
    Dimension("programme", "programme", None, "行动方案"),
    Dimension("institution", "institution", None, "单位", facet=False),
    Dimension("year", "submitted", None, "申报年份", value=_year),
)

ENTERPRISE_DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("province", "province", "provinces", "省份"),
    Dimension("field", "fields", "categories", "所属领域", multi=True),
    Dimension("class", "device_classes", "device_classes", "产品类别", multi=True),
    Dimension("mode", "cooperation_modes", "cooperation_modes", "合作方式", multi=True),
    Dimension("region", "regions", "provinces", "业务覆盖地区", multi=True),
    Dimension("hightech", "high_tech", None, "高新技术企业", value=_high_tech),
    Dimension("specialised", "specialised", "specialised_levels", "专精特新"),
)

EPOCH = dt.date(2000, 1, 1)
ID_PARTS = re.compile(r"^(.*-)([0-9]+)$")


def _day(date: str) -> int:
    """Days since 2000-01-01 (0 when missing or malformed): short numbers compress well."""
    try:
        return (dt.date.fromisoformat(date) - EPOCH).days
    except ValueError:
        return 0


def _delta(values: list[int]) -> list[int]:
    """Differences from the previous value: ids and submission dates rise in id order, so
    the differences are small, repetitive and compress to almost nothing."""
    return [value - previous for previous, value in zip([0, *values], values, strict=False)]


def _ids(ids: list[str]) -> dict[str, Any]:
    """Ids as a dictionary-encoded prefix (GD-2025-) and a delta-coded number, when every id
    round-trips through that split; otherwise the ids as they are."""
    prefixes: dict[str, int] = {}
    prefix_col, numbers = [], []
    for value in ids:
        match = ID_PARTS.match(value)
        if not match or f"{int(match[2]):04d}" != match[2]:
            return {"ids": ids}
        prefix_col.append(prefixes.setdefault(match[1], len(prefixes)))
        numbers.append(int(match[2]))
    return {"id_prefixes": list(prefixes), "id_prefix": prefix_col, "id_number": _delta(numbers)}


def keyword_dimensions(kind: str, dimensions: tuple[Dimension, ...]) -> list[str]:
    """The dimensions whose labels the keyword box matches: those read from a field the
    site's search finds a record by, its words (institution, city) or its vocabulary's
    labels (search_index._labels: province, class, stage, status …). A derived value (有/无,
    a year) is no field's."""
    coded = set(coded_fields(kind))
    return [
        dim.key
        for dim in dimensions
        if dim.value is None and (dim.field in text_fields(kind) or (dim.field, dim.vocab) in coded)
    ]


def _title(kind: str, name: str, default: str) -> str:
    return next((f.title_zh for f in fields(kind) if f.name == name), default)


def _values(dim: Dimension, record: dict[str, Any]) -> list[str]:
    if dim.value is not None:
        return [str(dim.value(record))]
    value = record.get(dim.field)
    if dim.multi:
        return [str(v) for v in value] if isinstance(value, list) else []
    return [str(value or "")]


def _codes(dim: Dimension, records: list[dict[str, Any]]) -> list[str]:
    present = {code for record in records for code in _values(dim, record)}
    if dim.vocab:
        ordered = [row["code"] for row in vocabulary(dim.vocab)]
        if dim.key == "status":
            ranks = status_order()
            ordered.sort(key=lambda c: ranks.get(c, 999))
        known = [c for c in ordered if c in present]
        return known + sorted(present - set(known))
    codes = sorted(present)
    return sorted(codes, reverse=True) if dim.key == "year" else codes


def _labels(dim: Dimension, codes: list[str], programmes: dict[str, str]) -> list[str]:
    if dim.key == "programme":
        return [programmes.get(c, c) or MISSING for c in codes]
    if dim.vocab:
        return [label(dim.vocab, c) if c else MISSING for c in codes]
    return [c or MISSING for c in codes]


def build_index(
    kind: str, records: list[dict[str, Any]], programmes: dict[str, str] | None = None
) -> bytes:
    """The index of ``kind``'s records (``project`` or ``enterprise``)."""
    dimensions = PROJECT_DIMENSIONS if kind == "project" else ENTERPRISE_DIMENSIONS
    programmes = programmes or {}
    dims: dict[str, dict[str, Any]] = {}
    cols: dict[str, list[Any]] = {}
    for dim in dimensions:
        codes = _codes(dim, records)
        position = {code: i for i, code in enumerate(codes)}
        encoding = "one"
        if dim.multi:
            encoding = "bits" if len(codes) <= BITS else "list"
        dims[dim.key] = {
            # A derived value (the year of a date, 有/无) is not the field's: nor its title.
            "title": dim.short if dim.value else _title(kind, dim.field, dim.short),
            "short": dim.short,
            "codes": codes,
            "labels": _labels(dim, codes, programmes),
            "multi": encoding,
            "facet": dim.facet,
        }
        column: list[Any] = []
        for record in records:
            numbers = [position[v] for v in _values(dim, record)]
            if encoding == "one":
                column.append(numbers[0])
            elif encoding == "bits":
                column.append(sum(1 << n for n in set(numbers)))
            else:
                column.append(sorted(set(numbers)))
        cols[dim.key] = column
    name_field = "project_name" if kind == "project" else "name"
    cols["name"] = [r.get(name_field, "") for r in records]
    cols["submitted"] = _delta([_day(str(r.get("submitted", ""))) for r in records])
    if kind == "project":
        cols["updated"] = [
            _day(str((r.get("history") or [{}])[-1].get("date", r.get("submitted", ""))))
            for r in records
        ]
    return orjson.dumps(
        {
            "v": 4,
            "kind": kind,
            "folder": record_kind(kind).plural,
            "n": len(records),
            "titles": {
                "id": _title(kind, "id", "编号"),
                "name": _title(kind, name_field, "名称"),
                "submitted": _title(kind, "submitted", "提交日期"),
                "updated": "最近更新",
            },
            "dims": dims,
            "keyword": keyword_dimensions(kind, dimensions),
            "ids": _ids([r["id"] for r in records]),
            "delta": ["submitted"],
            "cols": cols,
        }
    )
