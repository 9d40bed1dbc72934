"""The catalogue's index: one compact columnar JSON file the catalogue script filters in the
browser. Repeated values (province, class, institution …) are dictionary-encoded: each row
holds a small integer into that dimension's list of codes and labels."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import orjson

from springrain.model.statuses import order as status_order
from springrain.site.views import label

# URL parameter → (record field or derived value, vocabulary, Chinese label of the filter)
DIMENSIONS: dict[str, tuple[str, str | None, str]] = {
    "province": ("province", "provinces", "省份"),
    "programme": ("programme", None, "行动方案"),
    "class": ("product_class", "classes", "产品分类"),
    "type": ("project_type", "project_types", "项目类型"),
    "category": ("category", "categories", "分类目录"),
    "stage": ("stage", "stages", "所处阶段"),
    "status": ("status", "statuses", "当前状态"),
    "institution": ("institution", None, "单位"),
    "year": ("year", None, "申报年份"),
}


def _value(project: dict[str, Any], field: str) -> str:
    if field == "year":
        return str(project.get("submitted", ""))[:4]
    return str(project.get(field) or "")


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


def build_index(projects: list[dict[str, Any]], programmes: dict[str, str]) -> bytes:
    dims: dict[str, dict[str, list[str]]] = {}
    cols: dict[str, list[Any]] = {}
    order = status_order()
    for key, (field, vocab, title) in DIMENSIONS.items():
        codes = sorted({_value(p, field) for p in projects})
        if key == "status":
            codes.sort(key=lambda c: order.get(c, 999))
        elif key == "year":
            codes.reverse()
        position = {code: i for i, code in enumerate(codes)}
        if key == "programme":
            labels = [programmes.get(c, c) or "（未填）" for c in codes]
        elif vocab:
            labels = [label(vocab, c) if c else "（未填）" for c in codes]
        else:
            labels = [c or "（未填）" for c in codes]
        dims[key] = {"title": title, "codes": codes, "labels": labels}
        cols[key] = [position[_value(p, field)] for p in projects]
    cols["name"] = [p.get("project_name", "") for p in projects]
    cols["submitted"] = _delta([_day(str(p.get("submitted", ""))) for p in projects])
    cols["updated"] = [
        _day(str((p.get("history") or [{}])[-1].get("date", p.get("submitted", ""))))
        for p in projects
    ]
    return orjson.dumps(
        {
            "v": 2,
            "n": len(projects),
            "dims": dims,
            "ids": _ids([p["id"] for p in projects]),
            "delta": ["submitted"],
            "cols": cols,
        }
    )
