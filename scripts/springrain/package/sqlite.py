"""The package's SQLite file: the same tables, keys and indexes as the CSV resources.

Deterministic: a fresh file, tables created and filled in resource order, rows in CSV
order, each table's indexes built right after its rows, one transaction, no timestamps.
SQLite lays pages out by that sequence alone, so the same input gives the same bytes.
No VACUUM: nothing is ever deleted, so there are no free pages to reclaim; it would only
repack the primary-key indexes (about 1% of the file) at the cost of writing the whole
database twice, nearly doubling the time to write it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def create_sql(name: str, schema: dict[str, Any]) -> list[str]:
    """CREATE TABLE and CREATE INDEX statements for one Table Schema."""
    columns = []
    for spec in schema["fields"]:
        sql_type = SQL_TYPES.get(spec.get("type", "string"), "TEXT")
        not_null = " NOT NULL" if spec.get("constraints", {}).get("required") else ""
        columns.append(f"{quote(spec['name'])} {sql_type}{not_null}")
    if schema.get("primaryKey"):
        keys = ", ".join(quote(k) for k in _as_list(schema["primaryKey"]))
        columns.append(f"PRIMARY KEY ({keys})")
    indexes = []
    for number, foreign in enumerate(schema.get("foreignKeys", []), start=1):
        own = _as_list(foreign["fields"])
        ref = foreign["reference"]
        target = ref.get("resource") or name
        columns.append(
            f"FOREIGN KEY ({', '.join(quote(c) for c in own)}) REFERENCES {quote(target)} "
            f"({', '.join(quote(c) for c in _as_list(ref['fields']))})"
        )
        indexes.append(
            f"CREATE INDEX {quote(f'{name}_fk{number}')} ON {quote(name)} "
            f"({', '.join(quote(c) for c in own)})"
        )
    return [f"CREATE TABLE {quote(name)} ({', '.join(columns)})", *indexes]


def insert_sql(name: str, schema: dict[str, Any]) -> str:
    """INSERT for one table; an empty text value is stored as NULL, like a missing one.

    The package reads text cells straight from the CSV, where a missing value is "" (the
    Table Schema's missingValues); NULLIF does in SQLite what a Python call per cell did."""
    marks = []
    for spec in schema["fields"]:
        text = SQL_TYPES.get(spec.get("type", "string"), "TEXT") == "TEXT"
        marks.append("NULLIF(?, '')" if text else "?")
    return f"INSERT INTO {quote(name)} VALUES ({', '.join(marks)})"


def write_database(
    path: Path,
    tables: Sequence[tuple[str, dict[str, Any], Iterable[Sequence[Any]]]],
) -> None:
    """Write ``tables`` (name, Table Schema, typed rows) into a fresh SQLite file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    connection = sqlite3.connect(tmp, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("BEGIN")
        for name, schema, rows in tables:
            table, *indexes = create_sql(name, schema)
            connection.execute(table)
            connection.executemany(insert_sql(name, schema), rows)
            # Indexes built once from the filled table are cheaper than kept up row by row;
            # made before the next table, the schema lists everything in the same order.
            for statement in indexes:
                connection.execute(statement)
        connection.execute("COMMIT")
    finally:
        connection.close()
    tmp.replace(path)
