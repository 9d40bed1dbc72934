"""Rules across records: unique ids, references that resolve, likely duplicates."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import chain
from operator import add, itemgetter
from typing import NamedTuple

from springrain.validate.checks.registry import Finding, rule

ID_DUPLICATE = rule(
    "id.duplicate",
    "error",
    "编号重复",
    "编号 {id} 已被 {other} 使用。编号不能重复，也不能重用；请换用下一个空闲编号。",
    "Id {id} is already used by {other}; ids are unique and never reused.",
)
REF_PROGRAMME = rule(
    "ref.programme",
    "error",
    "行动方案不存在",
    "「所属行动方案」{value} 不在 data/programmes.csv 中。请从该表中选择，或先在表中补充该方案（附来源）。",
    "Programme {value} is not in data/programmes.csv.",
)
REF_PROGRAMME_PROVINCE = rule(
    "ref.programme_province",
    "warning",
    "方案与省份不一致",
    "项目所在省份是 {province}，但「所属行动方案」{value} 属于 {programme_province}。请确认是否填错。",
    "The project is in {province} but programme {value} belongs to {programme_province}.",
)
REF_PROJECT = rule(
    "ref.project",
    "error",
    "项目不存在",
    "「项目编号」{value} 找不到对应的项目记录。请核对编号。",
    "Project {value} does not exist.",
)
REF_ENTERPRISE = rule(
    "ref.enterprise",
    "error",
    "企业不存在",
    "「企业编号」{value} 找不到对应的企业记录。请先登记企业，或核对编号。",
    "Enterprise {value} does not exist.",
)
LIKELY_DUPLICATE = rule(
    "duplicate.likely",
    "warning",
    "疑似重复项目",
    "本项目与 {other}（同一单位“{institution}”）的名称几乎相同：“{title}” / “{other_title}”。"
    "如为同一项目，请合并为一条记录。",
    "Likely the same project as {other} (same institution, near-identical name).",
)

# Greater-China SARs may take part in Guangdong's programme (its plan supports HK and Macao).
PROGRAMME_GUESTS = {"GD": {"HK", "MO"}}
SIMILARITY = 0.85
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


class Summary(NamedTuple):
    """What cross-record rules need from one record (a tuple: one is made per record and
    sent back from the worker processes)."""

    file: str
    kind: str
    id: str | None
    province: str | None = None
    programme: str | None = None
    project: str | None = None
    enterprise: str | None = None
    institution: str | None = None
    title: str | None = None


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


def check(
    summaries: list[Summary], programmes: dict[str, str] | None, *, duplicates: bool = True
) -> list[Finding]:
    """Cross-record findings; ``programmes`` maps id → province ('' for national), or None
    when data/programmes.csv is absent (then programme references are not checked)."""
    findings: list[Finding] = []
    first_file: dict[tuple[str, str], str] = {}
    for s in summaries:
        if s.id is None:
            continue
        key = (s.kind, s.id)
        if key in first_file:
            findings.append(ID_DUPLICATE.at(s.file, "/id", id=s.id, other=first_file[key]))
        else:
            first_file[key] = s.file
    project_ids = {s.id for s in summaries if s.kind == "project"}
    enterprise_ids = {s.id for s in summaries if s.kind == "enterprise"}
    for s in summaries:
        if s.kind == "project" and s.programme is not None and programmes is not None:
            if s.programme not in programmes:
                findings.append(REF_PROGRAMME.at(s.file, "/programme", value=s.programme))
            else:
                home = programmes[s.programme]
                if home and home != s.province and s.province not in PROGRAMME_GUESTS.get(home, ()):
                    findings.append(
                        REF_PROGRAMME_PROVINCE.at(
                            s.file,
                            "/programme",
                            value=s.programme,
                            province=s.province,
                            programme_province=home,
                        )
                    )
        elif s.kind == "cooperation":
            if s.project is not None and s.project not in project_ids:
                findings.append(REF_PROJECT.at(s.file, "/project", value=s.project))
            if s.enterprise is not None and s.enterprise not in enterprise_ids:
                findings.append(REF_ENTERPRISE.at(s.file, "/enterprise", value=s.enterprise))
    if duplicates:
        findings += likely_duplicates([s for s in summaries if s.kind == "project"])
    return findings


def institution_keys(institutions: list[str]) -> list[str]:
    """``normalise_title`` of each institution; they repeat, so each distinct one once."""
    distinct = list(set(institutions))
    key_of = dict(zip(distinct, normalise_titles(distinct), strict=True))
    return [key_of[name] for name in institutions]


def partition_by_institution(projects: list[Summary], parts: int) -> list[list[Summary]]:
    """Projects split into ``parts`` lists of about equal size, each institution wholly in
    one of them (the duplicate search compares titles only within an institution)."""
    groups: dict[str, list[Summary]] = defaultdict(list)
    keys = institution_keys([s.institution or "" for s in projects])
    for key, s in zip(keys, projects, strict=True):
        groups[key].append(s)
    result: list[list[Summary]] = [[] for _ in range(parts)]
    for members in sorted(groups.values(), key=len, reverse=True):
        min(result, key=len).extend(members)
    return result


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
