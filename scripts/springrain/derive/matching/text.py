"""Text similarity for matching: jieba segmentation with device terms, then BM25.

The project's words are the query and each enterprise's text a document. A word counts by its
BM25 weight in the enterprise's text: rarer among enterprises (idf computed over the enterprise
side only, so which projects are being matched never changes a score), said more often (with
diminishing returns), in a text of ordinary length. A pair's raw score is the sum over the
project's distinct words; it is then divided by the project's best raw score against any
enterprise, so the enterprise whose text fits the project best gets the full text weight and
others a share of it, whatever the length or wording of the project's form.

Segmentation is the slow part, so each distinct text is segmented once, and within texts each
distinct clause (text between punctuation) once: forms repeat their boilerplate ("本产品采用…
技术") across thousands of records.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import numpy as np
from scipy import sparse

DEVICE_TERMS = Path(__file__).resolve().parent / "device_terms.txt"

# Words every form repeats, the demo marker, and function words: they say nothing about fit.
STOPWORDS = frozenset(
    [
        "示例",
        "虚构",
        "本",
        "产品",
        "采用",
        "技术",
        "通过",
        "实现",
        "适用",
        "适用于",
        "相关",
        "疾病",
        "患者",
        "诊疗",
        "提高",
        "结合",
        "安全性",
        "专注",
        "包括",
        "作用",
        "用于",
        "进行",
        "一种",
        "具有",
        "可以",
        "能够",
        "以及",
        "及其",
        "等",
        "的",
        "与",
        "和",
        "及",
        "或",
        "在",
        "对",
        "为",
        "了",
        "将",
        "于",
        "是",
        "有",
        "该",
        "其",
        "中",
        "上",
        "下",
        "新型",
        "基于",
        "方法",
        "系统",
        "装置",
        "设备",
        "医疗",
        "医疗器械",
        "器械",
        "企业",
        "公司",
        "有限公司",
        "医疗科技",
        "科技",
        "研发",
        "生产",
        "销售",
        "主要",
        "领域",
        "治疗",
        "精准",
        "监测",
        "现有",
        "问题",
    ]
)
CLAUSE_BREAK = re.compile(r"[，。；：、！？,.;:!?（）()《》“”\"'\s\[\]【】/|]+")
MIN_TERM_LENGTH = 2


@cache
def tokenizer():  # type: ignore[no-untyped-def]
    """A jieba tokenizer with the device dictionary; its cache lives in a temp dir."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    cache_dir = Path(tempfile.gettempdir()) / "springrain-jieba"
    cache_dir.mkdir(parents=True, exist_ok=True)
    tok.tmp_dir = str(cache_dir)
    tok.load_userdict(str(DEVICE_TERMS))
    return tok


@cache
def _clause_terms(clause: str) -> tuple[str, ...]:
    return tuple(
        word
        for word in tokenizer().lcut(clause, HMM=False)
        if len(word) >= MIN_TERM_LENGTH and word not in STOPWORDS and not word.isdigit()
    )


def terms(text: str) -> list[str]:
    """The content words of ``text``, in order, repeats kept."""
    result: list[str] = []
    for clause in CLAUSE_BREAK.split(text):
        if clause:
            result.extend(_clause_terms(clause))
    return result


# Okapi BM25's usual constants: tf saturation and how much document length counts.
BM25_K1 = 1.2
BM25_B = 0.75
BEST_BLOCK_ROWS = 4096


def segment_all(texts: Sequence[str]) -> list[list[str]]:
    """``terms`` of each text, segmenting each distinct text once."""
    done: dict[str, list[str]] = {}
    return [done[text] if text in done else done.setdefault(text, terms(text)) for text in texts]


class TextSpace:
    """BM25 of project texts (left, queries) against enterprise texts (right, documents).

    ``queries`` rows hold each project's distinct words (weight 1) and ``right`` rows the BM25
    weight of each word in the enterprise's text, so one sparse product gives every pair's raw
    score; dividing by the project's best raw score gives the text part in [0, 1]."""

    def __init__(self, left: Sequence[str], right: Sequence[str]) -> None:
        left_terms = segment_all(left)
        right_terms = segment_all(right)
        # Only words some enterprise uses can score; sorted, so ties between words break by word.
        self.words = sorted({word for doc in right_terms for word in doc})
        column = {word: index for index, word in enumerate(self.words)}
        self.right = _bm25(_counts(right_terms, column))
        self.queries = _counts(([w for w in doc if w in column] for doc in left_terms), column)
        self.queries.data[:] = 1.0  # each distinct project word once
        self._right_t = self.right.T.tocsr()  # the product's right operand, converted once
        # 1 / each project's best raw score (0 when it shares no word with any enterprise),
        # NaN until known: ranking learns it block by block from the products it makes anyway.
        self._scale = np.full(self.queries.shape[0], np.nan, dtype=np.float32)

    def similarity(self, left_rows: slice) -> np.ndarray:
        """Text part of the chosen (contiguous) left rows against every right row, dense."""
        raw = (self.queries[left_rows] @ self._right_t).toarray()
        best = raw.max(axis=1) if raw.shape[1] else np.zeros(raw.shape[0], dtype=np.float32)
        scale = _inverse(best)
        self._scale[left_rows] = scale
        raw *= scale[:, None]
        return raw

    def scale(self, left_rows: np.ndarray) -> np.ndarray:
        """1 / best raw score of each of ``left_rows``, computing those not yet known."""
        missing = np.unique(left_rows[np.isnan(self._scale[left_rows])])
        for start in range(0, len(missing), BEST_BLOCK_ROWS):
            rows = missing[start : start + BEST_BLOCK_ROWS]
            raw = (self.queries[rows] @ self._right_t).tocsr()
            best = np.zeros(len(rows), dtype=np.float32)
            if raw.nnz:
                best = raw.max(axis=1).toarray().ravel().astype(np.float32)
            self._scale[rows] = _inverse(best)
        return self._scale[left_rows]

    def pairs(
        self, left_rows: np.ndarray, right_rows: np.ndarray, limit: int = 3
    ) -> tuple[np.ndarray, list[str]]:
        """Text part of each pair ``(left_rows[i], right_rows[i])`` and the words weighing most
        in it, heaviest first (ties by word), joined by '、'."""
        contributions = self.queries[left_rows].multiply(self.right[right_rows]).tocsr()
        contributions.eliminate_zeros()
        contributions.sort_indices()
        raw = np.asarray(contributions.sum(axis=1), dtype=np.float32).ravel()
        similarity = raw * self.scale(np.asarray(left_rows))
        counts = np.diff(contributions.indptr)
        row_of = np.repeat(np.arange(len(counts)), counts)
        order = np.lexsort((contributions.indices, -contributions.data, row_of))
        position = np.arange(len(order)) - contributions.indptr[row_of[order]]
        words = np.array([*self.words, ""], dtype=object)  # index -1: no word
        shared = np.full(len(counts), "", dtype=object)
        for rank in range(limit):
            chosen = np.full(len(counts), -1, dtype=np.int64)
            at = order[position == rank]
            chosen[row_of[at]] = contributions.indices[at]
            # words come heaviest first, so a row's n-th word exists only if its first does
            separator = np.where((chosen >= 0) & (rank > 0), "、", "").astype(object)
            shared += separator + words[chosen]
        return similarity, shared.tolist()


def _inverse(best: np.ndarray) -> np.ndarray:
    safe = np.where(best > 0, best, 1.0)
    return np.where(best > 0, 1.0 / safe, 0.0).astype(np.float32)


def _counts(docs: Iterable[list[str]], column: dict[str, int]) -> sparse.csr_matrix:
    indptr = [0]
    indices: list[int] = []
    for doc in docs:
        indices.extend(column[word] for word in doc)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    matrix = sparse.csr_matrix(
        (data, np.array(indices, dtype=np.int32), np.array(indptr, dtype=np.int64)),
        shape=(len(indptr) - 1, len(column)),
    )
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix


def _bm25(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """BM25 weight of each word in each document: idf × saturated, length-normalised tf."""
    documents = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log(1.0 + (documents - df + 0.5) / (df + 0.5))
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    average = lengths.mean() if documents and lengths.mean() > 0 else 1.0
    rows = np.repeat(np.arange(documents), np.diff(counts.indptr))
    tf = counts.data.astype(np.float64)
    norm = BM25_K1 * (1.0 - BM25_B + BM25_B * lengths[rows] / average)
    data = (idf[counts.indices] * tf * (BM25_K1 + 1.0) / (tf + norm)).astype(np.float32)
    return sparse.csr_matrix((data, counts.indices, counts.indptr), shape=counts.shape)
