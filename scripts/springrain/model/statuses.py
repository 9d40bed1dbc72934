"""Status roles, read from the columns of ``schemas/vocab/statuses.csv`` and
``schemas/vocab/cooperation_statuses.csv``; no status is named anywhere else in the code.

Roles (a ``true``/``false`` column each): ``initial`` (a new record's status),
``open_to_partners`` (matching suggests enterprises), ``shortlisted`` (入库: from here a
project that stops moving is stalled), ``signed``, ``finalised`` (产品定型),
``registration`` (entering registration), ``terminal`` (no further step), ``withdrawn``
(left the pipeline: withdrawn or removed). Projects also have ``order``, the position on
the main path (from 90 on: the exits).
"""

from __future__ import annotations

from functools import cache

from springrain.model.schemas import vocabulary

VOCABULARY = {"project": "statuses", "cooperation": "cooperation_statuses"}
# Kinds whose every status step must be one of the listed (from, to) pairs.
TRANSITIONS = {"project": "transitions"}
ROLES = (
    "initial",
    "open_to_partners",
    "shortlisted",
    "signed",
    "finalised",
    "registration",
    "terminal",
    "withdrawn",
)
# Orders from this value on are the exits (清退, 撤回), not steps of the pipeline.
EXIT_ORDER = 90


def has_statuses(kind: str) -> bool:
    return kind in VOCABULARY


@cache
def with_role(role: str, kind: str = "project") -> tuple[str, ...]:
    """Status codes of ``kind`` that have ``role``, in vocabulary order."""
    if role not in ROLES:
        raise KeyError(role)
    return tuple(
        row["code"] for row in vocabulary(VOCABULARY[kind]) if row.get(role, "false") == "true"
    )


def the(role: str, kind: str = "project") -> str:
    """The one status with ``role`` (initial, signed, finalised, registration)."""
    codes = with_role(role, kind)
    if len(codes) != 1:
        raise ValueError(f"{kind} has {len(codes)} statuses with role {role}")
    return codes[0]


def initial(kind: str) -> str | None:
    return the("initial", kind) if has_statuses(kind) else None


@cache
def order() -> dict[str, int]:
    return {row["code"]: int(row["order"]) for row in vocabulary("statuses")}


def main_path() -> dict[str, int]:
    """Pipeline statuses in order, 已提交 … 获批上市, each with its order."""
    ordered = sorted(order().items(), key=lambda item: item[1])
    return {code: rank for code, rank in ordered if rank < EXIT_ORDER}


def at_or_after(role: str) -> frozenset[str]:
    """Main-path statuses from the one with ``role`` on (for 'reached at least')."""
    start = order()[the(role)]
    return frozenset(code for code, rank in main_path().items() if rank >= start)


@cache
def transitions(kind: str = "project") -> frozenset[tuple[str, str]] | None:
    """Legal (from, to) status steps of ``kind``, or None when any step is allowed."""
    vocab = TRANSITIONS.get(kind)
    if vocab is None:
        return None
    return frozenset((row["from"], row["to"]) for row in vocabulary(vocab))
