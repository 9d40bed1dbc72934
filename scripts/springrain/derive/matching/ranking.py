"""Top k both ways over all pairs, without a Python loop over the pairs.

Pairs are scored a block of projects at a time against all enterprises (``Scorer.block``);
each project's top k is cut with ``np.partition`` on an integer key that breaks ties by id,
and each enterprise's top k is kept running across blocks (``_ColumnTop``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

TOP_K = 10
BLOCK_ROWS = 1024
SCALE = 10_000  # points per unit of score: scores are published with four decimals


class Scorer(Protocol):
    """Points (integers, at most ``SCALE``) of every pair, a block of projects at a time."""

    @property
    def shape(self) -> tuple[int, int]:
        """(projects, enterprises)."""
        ...

    def block(self, rows: slice) -> np.ndarray:
        """Points of the (contiguous) projects ``rows`` against every enterprise."""
        ...


@dataclass
class Ranking:
    """Top-k both ways, as index arrays into the sorted projects and enterprises (-1: none),
    with the points each pair was ranked by."""

    project_top: np.ndarray  # (projects, k) enterprise indices, best first
    enterprise_top: np.ndarray  # (enterprises, k) project indices, best first
    project_points: np.ndarray  # (projects, k) points of those pairs
    enterprise_points: np.ndarray  # (enterprises, k)


def _row_top(key: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The k largest keys of each row that are >= 0, as (rows, columns, keys) sorted by row
    and, within a row, by key, largest first. Keys of one row never tie (but -1)."""
    size = key.shape[1]
    if size > k:
        # np.partition finds each row's k-th largest without moving indices around, which
        # is several times faster than argpartition on wide rows.
        kth = np.partition(key, size - k, axis=1)[:, size - k]
        rows, cols = np.nonzero((key >= kth[:, None]) & (key >= 0))
    else:
        rows, cols = np.nonzero(key >= 0)
    keys = key[rows, cols]
    order = np.lexsort((-keys.astype(np.int64), rows))
    return rows[order], cols[order], keys[order]


def _positions(rows: np.ndarray) -> np.ndarray:
    """Position of each entry within its run of equal ``rows`` (``rows`` sorted)."""
    starts = np.searchsorted(rows, rows)
    return np.arange(len(rows)) - starts


def _key_dtype(n: int, m: int) -> type[np.signedinteger[Any]]:
    """int32 keys when ``points * count + index`` fits, halving the memory traffic."""
    return np.int32 if (SCALE + 1) * max(n, m, 1) < np.iinfo(np.int32).max else np.int64


class _ColumnTop:
    """A running top k per column (enterprise) over blocks of rows (projects).

    A block's pair can only enter a column's top k if its key beats the column's current
    k-th best, so after the first blocks few pairs pass that test and the merge is small.
    When many pass (the first block), the block is first cut to its own top k per column."""

    def __init__(self, columns: int, k: int, dtype: type[np.signedinteger[Any]]) -> None:
        self.k = k
        self.columns = columns
        self.threshold = np.full(columns, -1, dtype=dtype)
        self.keys = np.empty(0, dtype=dtype)
        self.rows = np.empty(0, dtype=np.int64)
        self.cols = np.empty(0, dtype=np.int64)

    def add(self, key: np.ndarray, first_row: int) -> None:
        passing = key > self.threshold[None, :]
        if np.count_nonzero(passing) > 2 * self.k * self.columns:
            cols, rows, keys = _row_top(np.ascontiguousarray(key.T), self.k)
        else:
            rows, cols = np.nonzero(passing)
            keys = key[rows, cols]
        keys = np.concatenate([self.keys, keys])
        rows = np.concatenate([self.rows, rows + first_row])
        cols = np.concatenate([self.cols, cols])
        order = np.lexsort((-keys.astype(np.int64), cols))
        keep = order[_positions(cols[order]) < self.k]
        self.keys, self.rows, self.cols = keys[keep], rows[keep], cols[keep]
        counts = np.bincount(self.cols, minlength=self.columns)
        last = np.searchsorted(self.cols, np.arange(self.columns)) + counts - 1
        full = counts >= self.k
        self.threshold[full] = self.keys[last[full]]

    def result(self, count: int) -> tuple[np.ndarray, np.ndarray]:
        """(columns, k) row indices best first (-1: none), and the points of those pairs."""
        top = np.full((self.columns, self.k), -1, dtype=np.intp)
        points = np.zeros((self.columns, self.k), dtype=np.int64)
        position = _positions(self.cols)
        top[self.cols, position] = self.rows
        points[self.cols, position] = self.keys.astype(np.int64) // max(count, 1)
        return top, points


def rank(
    scorer: Scorer,
    excluded: dict[int, list[int]],
    k: int = TOP_K,
    block_rows: int = BLOCK_ROWS,
) -> Ranking:
    """Score every pair block by block and keep the top ``k`` each way.

    ``excluded`` maps a project index to enterprise indices that are never suggested (pairs
    already in a cooperation). Pairs scoring zero are never suggested either. Keys are
    ``points * count + (count - 1 - index)``: equal scores rank the smaller id (index) first,
    and keys never tie."""
    n, m = scorer.shape
    dtype = _key_dtype(n, m)
    project_top = np.full((n, k), -1, dtype=np.intp)
    project_points = np.zeros((n, k), dtype=np.int64)
    enterprise_side = _ColumnTop(m, k, dtype)
    if not n or not m:  # nothing to pair
        return _ranking(project_top, project_points, enterprise_side, n)
    e_tiebreak = (m - 1 - np.arange(m)).astype(dtype)
    for start in range(0, n, block_rows):
        stop = min(n, start + block_rows)
        p = np.arange(start, stop)
        score = scorer.block(slice(start, stop)).astype(dtype)
        for row in range(start, stop):
            if row in excluded:
                score[row - start, excluded[row]] = 0
        invalid = score <= 0
        key = score * dtype(m)
        key += e_tiebreak
        key[invalid] = -1
        rows, cols, keys = _row_top(key, k)
        position = _positions(rows)
        project_top[start + rows, position] = cols
        project_points[start + rows, position] = keys.astype(np.int64) // m
        # The enterprises' side: the same points, ties broken by project index.
        key = score  # reused in place: score is not needed any more
        key *= dtype(n)
        key += (n - 1 - p).astype(dtype)[:, None]
        key[invalid] = -1
        enterprise_side.add(key, start)
    return _ranking(project_top, project_points, enterprise_side, n)


def _ranking(
    project_top: np.ndarray, project_points: np.ndarray, enterprise_side: _ColumnTop, n: int
) -> Ranking:
    enterprise_top, enterprise_points = enterprise_side.result(n)
    return Ranking(project_top, enterprise_top, project_points, enterprise_points)
