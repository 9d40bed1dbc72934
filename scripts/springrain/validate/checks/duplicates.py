"""Likely duplicate projects: near-identical names from one institution."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import chain
from operator import add, itemgetter

from springrain.validate.checks.registry import (
    Check,
    DatasetContext,
    Finding,
    Summary,
    register,
    rule,
)

LIKELY_DUPLICATE = rule(
    "duplicate.likely",
    "warning",
    "疑似重复项目",
    "本项目与 {other}（同一单位“{institution}”）的名称几乎相同：“{title}” / “{other_title}”。"
    "如为同一项目，请合并为一条记录。",
    "Likely the same project as {other} (same institution, near-identical name).",
)

SIMILARITY = 0.85
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise_title(text: str) -> str:
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).lower())


# What normalise_title removes, but for underscores and the line feed of normalise_titles.
_NOT_WORD_NOR_LINE = re.compile(r"[^\w\n]+", re.UNICODE)
# Full-width forms, the usual reason Chinese text is not already NFKC, each with its NFKC.
_FULL_WIDTH = {
    char: unicodedata.normalize("NFKC", char) for char in map(chr, [*range(0xFF01, 0xFF5F), 0x3000])
}


def normalise_titles(texts: list[str]) -> list[str]:
    """``normalise_title`` of each text, in one pass over them all joined by line feeds:
    NFKC costs microseconds a call however short the text, and more than 200 ns a
    character once one needs changing (a full-width colon, say).

    Full-width forms map one to one to ASCII, which NFKC then leaves alone, so they are
    replaced first; NFKC runs only if something else needs it. No mapping of NFKC or
    lower() makes or removes a line feed or reaches across one (a starter, neither cased
    nor case-ignorable), so the parts are the per-text results; a text that holds a line
    feed itself is told apart by the count."""
    joined = "\n".join(texts)
    for wide, narrow in _FULL_WIDTH.items():
        joined = joined.replace(wide, narrow)
    if not unicodedata.is_normalized("NFKC", joined):
        joined = unicodedata.normalize("NFKC", joined)
    parts = _NOT_WORD_NOR_LINE.sub("", joined.lower().replace("_", "")).split("\n")
    if len(parts) != len(texts):
        return [normalise_title(text) for text in texts]
    return parts


def bigrams(text: str) -> frozenset[str]:
    if len(text) < 2:
        return frozenset({text})
    return frozenset(map(add, text, text[1:]))


def similar_pairs(titles: list[str]) -> Iterable[tuple[int, int]]:
    """Index pairs whose bigram Jaccard similarity reaches SIMILARITY.

    Prefix filtering: with tokens in one global order, rarest first, two sets this similar
    must share a token among each one's first ``|x| - ceil(t·|x|) + 1``; only those
    prefixes are indexed, so dissimilar titles are never compared. Tokens are numbered by
    that order (ties in first-seen order: any fixed order is correct, rarest first keeps
    the lists short), so each prefix is a sort of small integers.
    """
    sets = [bigrams(t) for t in titles]
    frequency = Counter(chain.from_iterable(sets))
    rank = {token: i for i, (token, _) in enumerate(sorted(frequency.items(), key=itemgetter(1)))}
    index: dict[int, list[int]] = defaultdict(list)
    for i, tokens in enumerate(sets):
        size = len(tokens)
        ordered = sorted(map(rank.__getitem__, tokens))
        candidates: set[int] = set()
        for token in ordered[: size - math.ceil(SIMILARITY * size) + 1]:
            posting = index[token]
            if posting:
                candidates.update(posting)
            posting.append(i)
        for j in candidates:
            other = sets[j]
            shared = len(tokens & other)
            if shared / (size + len(other) - shared) >= SIMILARITY:
                yield j, i


def institution_keys(institutions: list[str]) -> list[str]:
    """``normalise_title`` of each institution; they repeat, so each distinct one once."""
    distinct = list(set(institutions))
    key_of = dict(zip(distinct, normalise_titles(distinct), strict=True))
    return [key_of[name] for name in institutions]


def duplicate_texts(projects: list[Summary]) -> list[tuple[str, str]]:
    """What the duplicate search needs of each project: plain strings, cheap to send."""
    return [(s.institution or "", s.title or "") for s in projects]


def duplicate_pairs(texts: list[tuple[str, str]]) -> list[tuple[int, int]]:
    """Index pairs ``(earlier, later)`` of near-identical titles of one institution, from
    ``(institution, title)`` pairs."""
    institutions = institution_keys([institution for institution, _ in texts])
    titles = normalise_titles([title for _, title in texts])
    groups: dict[str, list[int]] = defaultdict(list)
    for index, (institution_key, title_key) in enumerate(zip(institutions, titles, strict=True)):
        if institution_key and title_key:
            groups[institution_key].append(index)
    pairs = []
    for members in groups.values():
        if len(members) < 2:
            continue
        for i, j in similar_pairs([titles[m] for m in members]):
            pairs.append((members[i], members[j]))
    return pairs


def duplicate_findings(projects: list[Summary], pairs: list[tuple[int, int]]) -> list[Finding]:
    findings = []
    for i, j in pairs:
        first, later = sorted((projects[i], projects[j]), key=lambda m: m.file)
        findings.append(
            LIKELY_DUPLICATE.at(
                later.file,
                "/project_name",
                other=first.id,
                institution=later.institution,
                title=later.title,
                other_title=first.title,
            )
        )
    return findings


def likely_duplicates(projects: list[Summary]) -> list[Finding]:
    return duplicate_findings(projects, duplicate_pairs(duplicate_texts(projects)))


@register
class LikelyDuplicates(Check):
    inspects = "dataset"
    rules = (LIKELY_DUPLICATE,)

    def check(self, context: DatasetContext) -> list[Finding]:
        return likely_duplicates([s for s in context.summaries if s.kind == "project"])
