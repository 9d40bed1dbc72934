"""Table Schemas of the record tables, generated from the JSON Schemas and vocabularies.

Every record kind becomes one main table (one row per record) plus one link table per
list-valued field, found by walking ``springrain.schemas.fields``:

- scalar fields become columns; objects of scalars are flattened (``progress_work_done``);
- a list of scalars becomes a link table ``(parent key, seq, value)``;
- a list of objects becomes a link table ``(parent key, seq, item fields...)``, and a list
  nested inside such an item a further table keyed by both sequences;
- an object whose properties are all lists of one kind (``intended_partners``) becomes one
  link table with a ``scope`` column naming the property.

Types, enums (from ``x-vocab``), patterns, lengths, Chinese titles and descriptions are
copied from the schemas; nothing here restates a field. Only table names and the column
name of scalar-list values are chosen here (``NAMES``), so the tables read well; a new list
field gets a table without any edit. ``seq`` columns keep list order (1-based).

A note on round trips: an empty list and an absent list both give no rows, and an empty
``intended_partners`` object gives none either; the nested JSON files keep the exact shape.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from springrain.model import tables as hand_kept
from springrain.model.kinds import kind as record_kind
from springrain.model.kinds import kind_names
from springrain.model.schemas import Field, deref, fields, raw_schema, record_schema

# Names of the link tables by schema path (the main table is the kind's plural).
NAMES: dict[tuple[str, ...], tuple[str, str]] = {
    # (kind, *path): (table name, value column for lists of scalars)
    ("project", "intellectual_property"): ("project_ip", ""),
    ("project", "intellectual_property", "owners"): ("project_ip_owners", "owner"),
    ("project", "programme_listings"): ("project_listings", ""),
    ("project", "intended_partners"): ("project_partners", "enterprise_name"),
    ("project", "cooperation_modes_sought"): ("project_modes", "mode"),
    ("project", "history"): ("project_history", ""),
    ("project", "regulatory_channels"): ("project_channels", ""),
    ("enterprise", "fields"): ("enterprise_fields", "category"),
    ("enterprise", "device_classes"): ("enterprise_classes", "device_class"),
    ("enterprise", "cooperation_modes"): ("enterprise_modes", "mode"),
    ("enterprise", "regions"): ("enterprise_regions", "province"),
    ("cooperation", "modes"): ("cooperation_modes", "mode"),
    ("cooperation", "history"): ("cooperation_history", ""),
}


def references(kind: str) -> dict[str, str]:
    """Fields of ``kind`` that hold the id of another table's row → that table.

    Read from the schema: a field defined by ``<name>_id`` in defs.schema.json holds the id
    of a record of kind ``<name>`` (its main table), or of a row of the hand-kept table
    ``<name>s`` (``programme_id`` → programmes)."""
    found = {}
    for name, prop in raw_schema(kind).get("properties", {}).items():
        ref = prop.get("$ref", "")
        target = ref.rsplit("/", 1)[-1]
        if name == "id" or not target.endswith("_id"):
            continue
        other = target[: -len("_id")]
        if other in kind_names():
            found[name] = record_kind(other).table
        elif f"{other}s" in hand_kept.names():
            found[name] = f"{other}s"
    return found


SEQ_TITLE = ("序号", "Position in the list, from 1")
SCOPE_TITLE = ("范围", "Scope")


@dataclass(frozen=True)
class Column:
    """One column: where its value sits in a record item and how it is typed."""

    name: str
    role: str  # "key" (parent id / seq), "seq", "scope", "value" (scalar list item), "field"
    path: tuple[str, ...] = ()  # for "field": keys from the item (or record) to the value
    spec: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Table:
    """A record table: its name, the record kind and list path it flattens, its columns."""

    name: str
    kind: str
    path: tuple[str, ...]  # () for the main table, else the list field (or scoped object)
    parent: str | None  # parent table name
    columns: tuple[Column, ...]
    title_zh: str
    title_en: str
    description: str
    scoped: tuple[str, ...] = ()  # property names of a scoped object of lists

    @property
    def depth(self) -> int:
        """How many lists lie between the record and a row (0 for the main table)."""
        return sum(1 for c in self.columns if c.role == "seq")


def _date_like(schema: dict[str, Any]) -> bool:
    return schema.get("pattern") == "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def field_spec(name: str, f: Field, *, required: bool) -> dict[str, Any]:
    """A Table Schema field descriptor from a JSON Schema property."""
    schema = f.schema
    if "items" in schema and schema.get("type") == "array":
        schema = schema["items"]
    json_type = schema.get("type")
    if "const" in schema and isinstance(schema["const"], bool):
        json_type = "boolean"
    constraints: dict[str, Any] = {}
    if _date_like(schema):
        ts_type = "date"
    elif json_type in ("integer", "number", "boolean"):
        ts_type = json_type
    else:
        ts_type = "string"
    if required:
        constraints["required"] = True
    if "enum" in schema:
        constraints["enum"] = list(schema["enum"])
    if ts_type == "string":
        if "pattern" in schema:
            constraints["pattern"] = schema["pattern"]
        for key in ("minLength", "maxLength"):
            if key in schema:
                constraints[key] = schema[key]
    if ts_type in ("integer", "number"):
        for key in ("minimum", "maximum"):
            if key in schema:
                constraints[key] = schema[key]
    spec: dict[str, Any] = {
        "name": name,
        "type": ts_type,
        "title": f.title_zh,
        "description": f.description,
        "x-title-en": f.title_en,
    }
    if constraints:
        spec["constraints"] = constraints
    return spec


def _structural(name: str, ts_type: str, title: tuple[str, str], **constraints: Any) -> Column:
    spec: dict[str, Any] = {
        "name": name,
        "type": ts_type,
        "title": title[0],
        "description": title[1],
        "x-title-en": title[1],
        "constraints": {"required": True, **constraints},
    }
    return Column(name, "seq" if name.endswith("seq") else "scope", (), spec)


def _is_scalar(f: Field) -> bool:
    return f.schema.get("type") not in ("array", "object") and "properties" not in f.schema


def _item_fields(kind: str, f: Field) -> list[Field] | None:
    """The properties of a list's object items, or None for a list of scalars."""
    items = f.schema.get("items")
    if isinstance(items, dict):
        items = deref(kind, items)
        if items.get("type") == "object" or "properties" in items:
            return fields(kind, items)
    return None


@cache
def record_tables(kind: str) -> tuple[Table, ...]:
    """All tables of one record kind, the main table first, parents before children."""
    main = record_kind(kind).table
    schema = record_schema(kind)
    tables: list[Table] = []
    id_field = next(f for f in fields(kind) if f.name == "id")
    key_spec = field_spec(kind, id_field, required=True)

    def walk(
        table_name: str,
        path: tuple[str, ...],
        props: list[Field],
        keys: list[Column],
        parent: str | None,
        meta: tuple[str, str, str],
    ) -> None:
        columns = list(keys)
        later: list[tuple[Field, tuple[str, ...]]] = []
        for f in props:
            if _is_scalar(f):
                spec = field_spec(f.name, f, required=f.required)
                columns.append(Column(f.name, "field", (f.name,), spec))
            elif f.schema.get("type") == "object" and "properties" in f.schema:
                children = fields(kind, f.schema)
                if children and all(c.is_list and _item_fields(kind, c) is None for c in children):
                    later.append((f, (*path, f.name)))
                    continue
                for child in children:
                    if _is_scalar(child):
                        name = f"{f.name}_{child.name}"
                        columns.append(
                            Column(
                                name,
                                "field",
                                (f.name, child.name),
                                field_spec(name, child, required=False),
                            )
                        )
                    else:
                        later.append((child, (*path, f.name, child.name)))
            elif f.is_list:
                later.append((f, (*path, f.name)))
        tables.append(
            Table(
                name=table_name,
                kind=kind,
                path=path,
                parent=parent,
                columns=tuple(columns),
                title_zh=meta[0],
                title_en=meta[1],
                description=meta[2],
                scoped=tables_scoped.get(table_name, ()),
            )
        )
        for f, sub_path in later:
            default_name = "_".join((kind, *sub_path))
            name, value_column = NAMES.get((kind, *sub_path), (default_name, "value"))
            value_column = value_column or "value"
            child_keys = [
                Column(
                    c.name if c.role == "key" else f"{_short(table_name, kind)}_{c.name}",
                    "key",
                    (),
                    {
                        **c.spec,
                        "name": c.name
                        if c.role == "key"
                        else f"{_short(table_name, kind)}_{c.name}",
                    },
                )
                for c in columns
                if c.role in ("key", "seq")
            ]
            if not child_keys:  # main table: the record id
                child_keys = [Column(kind, "key", (), key_spec)]
            meta_child = (f.title_zh, f.title_en, f.description)
            if f.schema.get("type") == "object":  # scoped object of lists
                children = fields(kind, f.schema)
                tables_scoped[name] = tuple(c.name for c in children)
                scope = _structural("scope", "string", SCOPE_TITLE, enum=[c.name for c in children])
                seq = _structural("seq", "integer", SEQ_TITLE, minimum=1)
                value = Column(
                    value_column, "value", (), field_spec(value_column, children[0], required=True)
                )
                value.spec["title"] = f.title_zh
                value.spec["x-title-en"] = f.title_en
                value.spec["description"] = f.description
                scope.spec["description"] = "; ".join(f"{c.name}: {c.title_zh}" for c in children)
                tables.append(
                    Table(
                        name,
                        kind,
                        sub_path,
                        table_name,
                        (*child_keys, scope, seq, value),
                        *meta_child,
                        tables_scoped[name],
                    )
                )
                continue
            seq = _structural("seq", "integer", SEQ_TITLE, minimum=1)
            item_props = _item_fields(kind, f)
            if item_props is None:
                value = Column(
                    value_column, "value", (), field_spec(value_column, f, required=True)
                )
                tables.append(
                    Table(name, kind, sub_path, table_name, (*child_keys, seq, value), *meta_child)
                )
            else:
                walk(name, sub_path, item_props, [*child_keys, seq], table_name, meta_child)

    tables_scoped: dict[str, tuple[str, ...]] = {}
    walk(
        main,
        (),
        fields(kind),
        [],
        None,
        (schema.get("title", main), schema.get("x-en", main), schema.get("description", "")),
    )
    return tuple(tables)


def _short(table_name: str, kind: str) -> str:
    """Prefix of a nested sequence column: project_ip → ip."""
    prefix = kind + "_"
    return table_name[len(prefix) :] if table_name.startswith(prefix) else table_name


def _walk(node: Any, parts: tuple[str, ...], seqs: tuple[int, ...]) -> Iterator[tuple]:
    """(sequence numbers, value) for every item a table path reaches in a record."""
    if not parts:
        yield seqs, node
        return
    value = node.get(parts[0]) if isinstance(node, dict) else None
    if value is None:
        return
    rest = parts[1:]
    if isinstance(value, list):
        for number, item in enumerate(value, start=1):
            yield from _walk(item, rest, (*seqs, number))
    else:
        yield from _walk(value, rest, seqs)


def _get(node: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def table_rows(table: Table, records: Sequence[dict[str, Any]]) -> Iterator[list[Any]]:
    """Rows of one record table, in record order then list order."""
    fields_ = [c for c in table.columns if c.role == "field"]
    has_value = any(c.role == "value" for c in table.columns)
    if table.parent is None:
        for record in records:
            yield [_get(record, c.path) for c in fields_]
        return
    for record in records:
        owner = record.get("id")
        for seqs, item in _walk(record, table.path, ()):
            if table.scoped:
                if not isinstance(item, dict):
                    continue
                for scope in table.scoped:
                    for number, value in enumerate(item.get(scope) or [], start=1):
                        yield [owner, *seqs, scope, number, value]
            elif has_value:
                yield [owner, *seqs, item]
            else:
                yield [owner, *seqs, *(_get(item, c.path) for c in fields_)]


def all_record_tables() -> list[Table]:
    return [table for kind in kind_names() for table in record_tables(kind)]


def table_schema(table: Table) -> dict[str, Any]:
    """The Table Schema of one record table, keys and foreign keys included."""
    key_names = [c.name for c in table.columns if c.role in ("key", "seq", "scope")]
    schema: dict[str, Any] = {
        "fields": [dict(c.spec) for c in table.columns],
        "missingValues": [""],
    }
    if table.parent is None:
        schema["primaryKey"] = ["id"]
        for spec in schema["fields"]:
            if spec["name"] == "id":
                spec["constraints"] = {**spec.get("constraints", {}), "unique": True}
    else:
        schema["primaryKey"] = key_names
    foreign: list[dict[str, Any]] = []
    if table.parent is not None:
        parent = next(t for t in record_tables(table.kind) if t.name == table.parent)
        parent_keys = [c for c in parent.columns if c.role in ("key", "seq")] or [
            c for c in parent.columns if c.name == "id"
        ]
        own_keys = [c for c in table.columns if c.role == "key"]
        foreign.append(
            {
                "fields": [c.name for c in own_keys],
                "reference": {"resource": table.parent, "fields": [c.name for c in parent_keys]},
            }
        )
    else:
        for name, resource in references(table.kind).items():
            foreign.append(
                {"fields": [name], "reference": {"resource": resource, "fields": ["id"]}}
            )
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


def iter_table_schemas() -> Iterator[tuple[Table, dict[str, Any]]]:
    for table in all_record_tables():
        yield table, table_schema(table)
