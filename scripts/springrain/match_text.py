"""Text similarity for matching: jieba segmentation with device terms, then TF-IDF vectors.

Segmentation is the slow part, so text is cut into clauses at punctuation and each distinct
clause is segmented once: forms repeat their boilerplate ("本产品采用…技术") across thousands
of records. Vectors are L2-normalised TF-IDF rows in scipy CSR matrices over one vocabulary
shared by projects and enterprises, so a sparse product gives every pair's cosine at once.
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

from .paths import PACKAGE_DIR

DEVICE_TERMS = PACKAGE_DIR / "data" / "device_terms.txt"

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


class TextSpace:
    """TF-IDF vectors of two document sets over one vocabulary."""

    def __init__(self, left: Sequence[str], right: Sequence[str]) -> None:
        left_terms = [terms(text) for text in left]
        right_terms = [terms(text) for text in right]
        vocabulary: dict[str, int] = {}
        for doc in (*left_terms, *right_terms):
            for word in doc:
                vocabulary.setdefault(word, len(vocabulary))
        # Deterministic column order: sorted words, so ties between terms break by word.
        self.words = sorted(vocabulary)
        column = {word: index for index, word in enumerate(self.words)}
        left_counts = _counts(left_terms, column)
        right_counts = _counts(right_terms, column)
        documents = left_counts.shape[0] + right_counts.shape[0]
        df = np.bincount(left_counts.indices, minlength=len(column)) + np.bincount(
            right_counts.indices, minlength=len(column)
        )
        self.idf = np.log((1 + documents) / (1 + df)) + 1.0
        self.left = _normalise(left_counts, self.idf)
        self.right = _normalise(right_counts, self.idf)

    def similarity(self, left_rows: slice | np.ndarray) -> sparse.csr_matrix:
        """Cosine similarity of the chosen left rows against every right row."""
        return (self.left[left_rows] @ self.right.T).tocsr()

    def pairs(
        self, left_rows: np.ndarray, right_rows: np.ndarray, limit: int = 3
    ) -> tuple[np.ndarray, list[list[str]]]:
        """Cosine of each pair ``(left_rows[i], right_rows[i])`` and the words weighing most in
        it, heaviest first (ties by word)."""
        contributions = self.left[left_rows].multiply(self.right[right_rows]).tocsr()
        contributions.eliminate_zeros()
        similarity = np.asarray(contributions.sum(axis=1)).ravel()
        counts = np.diff(contributions.indptr)
        row_of = np.repeat(np.arange(len(counts)), counts)
        order = np.lexsort((contributions.indices, -contributions.data, row_of))
        position = np.arange(len(order)) - contributions.indptr[row_of[order]]
        keep = order[position < limit]
        shared: list[list[str]] = [[] for _ in range(len(counts))]
        for row, column in zip(
            row_of[keep].tolist(), contributions.indices[keep].tolist(), strict=True
        ):
            shared[row].append(self.words[column])
        return similarity, shared


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


def _normalise(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    # Sublinear term frequency: a word said five times is not five times the evidence.
    data = ((1.0 + np.log(counts.data)) * idf[counts.indices]).astype(np.float32)
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=counts.shape[0]))
    norms[norms == 0] = 1.0
    data = (data / norms[rows]).astype(np.float32)
    return sparse.csr_matrix((data, counts.indices, counts.indptr), shape=counts.shape)
