"""The site's full-text search: Pagefind indexes one small stub page per record.

The stubs (``search_stub``) are written first and Pagefind is started on them at once, in
its own process, while the rest of the site is built; each part's bundle is moved into the
site while the next part is indexed (``Chain``), and leaving ``indexing`` waits for the
last. Each record kind gets a bundle of its own (``pagefind/projects/``,
``pagefind/enterprises/``): the search page loads the first and merges the others, each
marked with its type by a synthetic filter, so telling projects from enterprises costs no
download (a filter over 25,000 pages was 55 KB a visitor).

The words are each run of Chinese characters cut into overlapping character pairs
(``search_terms``), on both sides: measured on 50 queries of 2–4 characters
(bench/bench_2_site.py), the pairs find every record that contains the query, where
Pagefind 1.5's own Chinese segmentation misses words a dictionary cuts otherwise (脑血管,
镁合金) and returns many records that do not contain them. The search page asks for a long
run only by the pairs that cover it (one index chunk a bundle less per pair left out), and
answers a query of several words bundle by bundle, each word alone, since Pagefind drops a
word that no page of a bundle holds.

Pagefind writes one file per record, from a hundred threads: on this project's 2-core
build machine, writing them to disk cost it 6-7 s more in the kernel than writing them to
memory, and copying them to disk afterwards, one by one, 1.5-12 s a part (the kernel's
work, slower the more the build has written), which is done while the next part is
indexed. So stubs and bundle are staged on a RAM-backed scratch directory when the system
has one. Pagefind's allocator is
asked for transparent huge pages: with 4 KB pages it spent a third of its time in the
kernel, faulting memory in.
"""

from __future__ import annotations

import operator
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import escape

from springrain import workers
from springrain.errors import SpringrainError
from springrain.model.kinds import kind as record_kind
from springrain.model.schemas import fields
from springrain.package.reader import Package
from springrain.site import kept
from springrain.site.views import label

BUNDLE = "pagefind"  # in the site: one folder per bundle (a record kind, or part of one)
# Measured at 20,000 projects: Pagefind peaked at 2.4 GB on them all, 1.3 GB on half (1.1 GB
# with JEMALLOC_CONF). Parts of at most this many records keep the build within 2 GB; each
# query word then costs one index chunk a part (some 14 KB) more.
RECORDS_PER_BUNDLE = 12_000
# Pagefind's own interfaces and its worker: the site has its own search page
# (static/search.js), run without a worker, so nothing loads these; nor any wasm but the
# index language's (INDEX_WASM).
UNUSED = (
    "pagefind-worker.js",  # the search page runs Pagefind without a worker
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)
# The language the index is written in, forced on Pagefind and set on the search page while
# it searches: the words are already cut (search_terms), so no language's rules may apply.
# Undetermined (BCP 47 "und") has no stemmer and no segmenter in Pagefind, and its search
# code is the language-less wasm, 4 KB smaller than English's, which stems Latin words.
INDEX_LANGUAGE = "und"
INDEX_WASM = "wasm.unknown.pagefind"
# Linux's shared-memory mount: RAM-backed where it exists (it does on GitHub's runners).
RAM_SCRATCH = Path("/dev/shm")


def scratch_root() -> str | None:
    """Where to stage the stubs and the bundle: RAM-backed if possible, else the default."""
    if RAM_SCRATCH.is_dir() and os.access(RAM_SCRATCH, os.W_OK | os.X_OK):
        return str(RAM_SCRATCH)
    return None


# jemalloc (Pagefind's allocator on Linux) reads this; huge pages cut its page faults from
# 1.3 million to a few thousand at 25,000 records, and it keeps what it freed for reuse.
# One arena, not four a core, and freed pages handed back after a second: on a part of
# 10,000 projects Pagefind peaked at 1.10 GB instead of 1.36 GB, in the same CPU time.
JEMALLOC_CONF = "thp:always,metadata_thp:always,narenas:1,dirty_decay_ms:1000,muzzy_decay_ms:0"


# A token of the text: a run of Chinese characters, a run of Latin letters and digits, or
# anything else (punctuation, spaces): what separates runs.
TOKEN = re.compile(
    r"([\u3400-\u9fff\uf900-\ufaff]+)|([A-Za-z0-9]+)|([^\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]+)"
)
GAP = "·"  # stands for white space between runs, so a run's end is always marked
# What a word is made of (TOKEN's first two groups): what folding is about.
WORD_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]")
# The planes that hold every character NFKC changes (a test proves the rest hold none).
FOLDED_PLANES = 3


@cache
def folds() -> dict[str, str]:
    """Each character NFKC changes that is or becomes part of a word, with its NFKC:
    full-width Ｓ → S, ３ → 3, ① → 1, ㎏ → kg, Ⅲ → III, compatibility ideographs → the
    unified ones (a few of which are beyond the first plane, and so no word: the query's
    are not either). Some 2,700 characters under Unicode 14; 50 ms to list."""
    found = {}
    for point in range(FOLDED_PLANES << 16):
        char = chr(point)
        if 0xD800 <= point < 0xE000:  # surrogates are no characters
            continue
        form = unicodedata.normalize("NFKC", char)
        if form != char and (WORD_CHAR.search(form) or WORD_CHAR.match(char)):
            found[char] = form
    return found


@cache
def _foldable() -> re.Pattern[str]:
    """A character ``folds()`` may change: its characters of the first plane, and any of
    the others (rare in this text; looked up one by one)."""
    ranges: list[list[int]] = []
    for point in sorted(ord(char) for char in folds() if ord(char) <= 0xFFFF):
        if ranges and point == ranges[-1][1] + 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    bmp = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    return re.compile(f"[{bmp}\U00010000-\U0010ffff]")


def fold(text: str) -> str:
    """The text as its words are read, on both sides of search: each character as its NFKC
    form, one by one, so that a word typed with a Chinese input method's full-width forms
    (Ｓｉｅｍｅｎｓ, ＳＨ－２０２６－００８７, ３Ｄ打印) is the word written in ASCII. The search
    page folds the query by this rule (static/search.js, ``fold``: String.normalize on each
    character), and a browser test holds its words to these, character for character.

    Only the characters that are or become part of a word are changed here: the others are
    no part of a word either way, and Chinese punctuation stays as written in the marks
    between runs, from which the search page rebuilds an excerpt (NFKC would make ，and （
    into , and (). One character at a time rather than the whole text, so that nothing is
    composed across characters (Ａ and a combining accent would be Á, no word)."""
    if text.isascii() or not _foldable().search(text):
        return text
    table = folds()
    return _foldable().sub(lambda match: table.get(match[0], match[0]), text)


# Starts the record's text in the indexed content (no word: Pagefind does not index it), so
# the search page can take its excerpt from the text rather than from the title or labels.
TEXT_MARK = "¶"


def search_terms(*texts: object) -> str:
    """The text as Pagefind indexes it: each run of Chinese characters as its overlapping
    character pairs, in order (脑血管 → 脑血 血管), Latin words and numbers as they are, and a
    mark between runs (the punctuation there, or ·); full-width letters and digits, and
    other compatibility forms, read as their NFKC (``fold``).

    Pagefind matches each query term as the prefix of an indexed word and does not segment
    Chinese itself here; cutting the query the same way (static/search.js) finds a record by
    any two or more characters of its text, whatever a dictionary would have made of them.
    The pairs stay in order so that the search page can put an excerpt back together into
    the text it came from (each pair's first character, and the last pair's second)."""
    strings = [str(text or "") for text in texts]
    # One scan for them all, rather than one a text: most records hold nothing to fold.
    if _foldable().search("\n".join(strings)):
        strings = list(map(fold, strings))
    out: list[str] = []
    for text in strings:
        if out and out[-1] != GAP:
            out.append(GAP)
        for cjk, latin, other in TOKEN.findall(text):
            if cjk:
                if len(cjk) == 1:
                    out.append(cjk)
                else:
                    # Each character joined to the next, in C.
                    out.extend(map(operator.add, cjk, cjk[1:]))
            elif latin:
                out.append(latin)
            else:
                mark = other.strip()[:1] or GAP
                if out and out[-1] in (GAP, mark):
                    continue
                out.append(mark)
    return " ".join(out)


def _texts(value: Any) -> list[str]:
    """Every string in a value (lists and objects walked), in order."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for item in value for t in _texts(item)]
    if isinstance(value, dict):
        return [t for item in value.values() for t in _texts(item)]
    return []


@cache
def text_fields(kind: str) -> tuple[str, ...]:
    """The fields whose words a record is found by: every field a submitter writes in words
    (no vocabulary code, no date, no programme id), lists and objects of such words too."""
    names = []
    for f in fields(kind):
        schema = f.schema
        if f.set_by not in ("submitter", "submission") or f.vocab or f.name == "programme":
            continue
        if str(schema.get("x-format-zh", "")).startswith("日期"):
            continue
        if schema.get("type") in ("string", "array", "object"):
            names.append(f.name)
    return tuple(names)


@cache
def coded_fields(kind: str) -> tuple[tuple[str, str], ...]:
    """(field, vocabulary) of every field holding vocabulary codes."""
    return tuple((f.name, f.vocab) for f in fields(kind) if f.vocab)


def _labels(kind: str, record: dict[str, Any]) -> list[str]:
    """The labels a record is also found by: its province, status, class and such, so that
    a query for 对接中 or 广东 finds the records with that status or province."""
    shown = []
    for name, vocab in coded_fields(kind):
        value = record.get(name)
        values = value if isinstance(value, list) else [value]
        shown += [label(vocab, v) for v in values if v]
    return shown


def _meta(kind: str, record: dict[str, Any]) -> list[tuple[str, str]]:
    if kind == "project":
        return [
            ("id", record["id"]),
            ("province", label("provinces", record.get("province", ""))),
            ("city", str(record.get("city") or "")),
            ("institution", str(record.get("institution") or "")),
            ("class", label("classes", record.get("product_class", ""))),
            ("stage", label("stages", record["stage"]) if record.get("stage") else ""),
            ("status", label("statuses", record.get("status", ""))),
        ]
    return [
        ("id", record["id"]),
        ("province", label("provinces", record.get("province", ""))),
        ("fields", "、".join(label("categories", c) for c in record.get("fields", [])[:3])),
    ]


# The kinds search finds (cooperations have no page of their own), and their titles.
TITLE_FIELD = {"project": "project_name", "enterprise": "name"}


def search_stub(kind: str, record: dict[str, Any]) -> str:
    """A tiny page holding only what search needs: the title (weighted), the labels and the
    text cut into words, and what a result shows as metadata. Pagefind indexes these instead
    of the full pages, at the same URLs, so results link to the real pages."""
    title = str(record.get(TITLE_FIELD[kind]) or record["id"])
    words = [
        t
        for name in text_fields(kind)
        if name != TITLE_FIELD[kind]
        for t in _texts(record.get(name))
    ]
    meta = "".join(
        f'<span data-pagefind-meta="{key}">{escape(value)}</span>'
        for key, value in _meta(kind, record)
        if value
    )
    # Built here rather than from a template: Jinja's set-up per render was a third of the
    # cost of 25,000 stubs. Every value is escaped as the templates escape.
    return (
        f'<!doctype html>\n<html lang="{INDEX_LANGUAGE}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head>\n<body>"
        f'<h1 data-pagefind-meta="title">{escape(title)}</h1>{meta}'
        "\n<div data-pagefind-body>"
        f'<p data-pagefind-weight="5">{escape(search_terms(title))}</p>'
        f'<p data-pagefind-weight="2">{escape(search_terms(record["id"], *_labels(kind, record)))}</p>'
        f"<p>{TEXT_MARK} {escape(search_terms(*words))}</p></div></body></html>\n"
    )


@dataclass(frozen=True)
class Part:
    """One Pagefind bundle: the records of one kind, or one part of them."""

    kind: str
    folder: str  # where the records' pages are: projects/
    name: str  # the bundle's folder under pagefind/: projects, projects-2 …
    records: tuple[dict[str, Any], ...] = field(repr=False, compare=False)


def searched(package: Package) -> list[Part]:
    """The bundles, the first the primary: each kind with records, in parts of at most
    ``RECORDS_PER_BUNDLE`` (Pagefind holds a whole bundle's index in memory while it writes
    it, some 130 MB a thousand projects; the search page merges the parts of a kind)."""
    parts = []
    for kind in TITLE_FIELD:
        records = package.records.records.get(kind) or []
        folder = record_kind(kind).plural
        count = -(-len(records) // RECORDS_PER_BUNDLE)
        for number in range(count):
            size = -(-len(records) // count)  # parts of equal size
            chunk = tuple(records[number * size : (number + 1) * size])
            name = folder if number == 0 else f"{folder}-{number + 1}"
            parts.append(Part(kind, folder, name, chunk))
    return parts


def bundles(package: Package) -> list[dict[str, str]]:
    """The bundles the search page loads, the first the primary: path and type (the parts
    of one kind share its type)."""
    return [
        {"path": f"{BUNDLE}/{part.name}/", "type": record_kind(part.kind).noun_zh}
        for part in searched(package)
    ]


# Stubs written by one task: enough to make a worker's start worth it.
STUBS_PER_TASK = 1000
# The parts whose stubs are being written: inherited by the forked workers, never pickled.
_WRITING: list[tuple[Part, str]] = []


def _write_stub_range(task: tuple[int, int, int]) -> None:
    number, start, end = task
    part, directory = _WRITING[number]
    for record in part.records[start:end]:
        # With fewer layers than open(): 25,000 of them.
        kept.write(
            os.path.join(directory, f"{record['id']}.html"),
            search_stub(part.kind, record).encode("utf-8"),
        )


# Where a part's stubs are written before they are moved into its folder, by name.
STAGING = ".written"


def write_stubs(parts: list[Part], stubs: Path) -> None:
    """One stub per record, at the path its real page has in the site, under the part's
    own folder (Pagefind indexes each part's folder as a site of its own); on every core,
    since nothing else runs yet.

    Pagefind numbers pages in the order it lists them, which on a RAM disk is the order
    they were made, and the cores write in no set order: so each part's stubs are written
    beside its folder and moved in by name, one by one, and the index is the same, byte
    for byte, from one build of the same records to the next."""
    tasks = []
    for number, part in enumerate(parts):
        staging = stubs / STAGING / part.name
        staging.mkdir(parents=True, exist_ok=True)
        (stubs / part.name / part.folder).mkdir(parents=True, exist_ok=True)
        _WRITING.append((part, str(staging)))
        tasks += [
            (number, start, start + STUBS_PER_TASK)
            for start in range(0, len(part.records), STUBS_PER_TASK)
        ]
    folds()  # listed once, here, rather than in every worker
    try:
        workers.map_shared(_write_stub_range, tasks)
    finally:
        _WRITING.clear()
    for part in parts:
        staging = stubs / STAGING / part.name
        directory = stubs / part.name / part.folder
        for name in sorted(os.listdir(staging)):
            os.rename(staging / name, directory / name)
    shutil.rmtree(stubs / STAGING)


def pagefind_environment() -> dict[str, str]:
    environment = dict(os.environ)
    if sys.platform == "linux":
        environment.setdefault("_RJEM_MALLOC_CONF", JEMALLOC_CONF)
    return environment


def start(stubs: Path, part: Part, bundle: Path) -> subprocess.Popen[bytes]:
    """Pagefind on the stubs of one part, into ``bundle``."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(stubs / part.name),
        "--output-path",
        str(bundle),
        "--glob",
        f"{part.folder}/*.html",
        # The records' words are already cut (search_terms): a forced language keeps
        # Pagefind from segmenting them again, which is slow and could split pairs.
        "--force-language",
        INDEX_LANGUAGE,
        "--silent",
    ]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=pagefind_environment()
    )


# A bundle merged into the first loads neither a script nor the wasm of its own.
MERGED_UNUSED = ("pagefind.js", INDEX_WASM)


def finish(
    indexer: subprocess.Popen[bytes], bundle: Path, destination: Path, *, merged: bool = False
) -> None:
    """Wait for Pagefind, then put its bundle at ``destination`` (replacing any there)."""
    out, err = indexer.communicate()
    if indexer.returncode != 0:
        message = (err or out).decode("utf-8", "replace").strip()
        raise SpringrainError(
            f"Pagefind 建立搜索索引失败（退出码 {indexer.returncode}）：{message}",
            f"Pagefind failed to build the search index (exit {indexer.returncode}); "
            "see the message above.",
        )
    unused = UNUSED + (MERGED_UNUSED if merged else ())
    for path in bundle.iterdir():
        wasm = path.name.startswith("wasm.") and path.name != INDEX_WASM
        if path.is_file() and (wasm or path.name in unused):
            path.unlink()
    if not os.path.lexists(destination):
        try:
            os.rename(bundle, destination)
            return
        except OSError:  # another file system: copied below
            pass
    copy_tree(str(bundle), str(destination))


def copy_tree(source: str, destination: str) -> None:
    """The folder ``source`` copied over ``destination`` (made if missing), contents only (no
    times, modes or links kept), with a quarter of the system calls of shutil.copytree:
    25,000 files at a time. What ``destination`` holds of the previous build is written over
    in place, and what ``source`` lacks deleted (``site.kept``)."""
    os.makedirs(destination, exist_ok=True)
    with os.scandir(source) as scanned:
        entries = list(scanned)
    kept.prune(destination, {entry.name: entry.is_dir(follow_symlinks=False) for entry in entries})
    for entry in entries:
        target = os.path.join(destination, entry.name)
        if entry.is_dir(follow_symlinks=False):
            copy_tree(entry.path, target)
        else:
            _copy_file(entry.path, target)


def _copy_file(source: str, destination: str) -> None:
    reader = os.open(source, os.O_RDONLY)
    try:
        writer = os.open(destination, kept.OVER, 0o644)
        try:
            size = left = os.fstat(reader).st_size
            while left > 0:
                sent = os.sendfile(writer, reader, None, left)
                if sent == 0:
                    raise OSError(f"{source} ended early")
                left -= sent
            os.ftruncate(writer, size)  # written over, not emptied first (kept.write)
        except OSError:
            # sendfile to a file is Linux's; elsewhere the standard library's way.
            os.close(writer)
            writer = -1
            shutil.copyfile(source, destination)
        finally:
            if writer >= 0:
                os.close(writer)
    finally:
        os.close(reader)


class Chain:
    """Pagefind run on each part's stubs, one after the other, in a background thread: two at
    once would hold both indexes in memory. Each part's bundle is moved into the site as
    soon as it is made (copied, from a RAM-backed scratch: 10,000 files take seconds), while
    the next part is indexed, once the site may receive it (``deliver``: mkdocs empties the
    site's folder when it starts)."""

    def __init__(self, stubs: Path, bundle: Path, parts: list[Part], destination: Path) -> None:
        self.stubs, self.bundle, self.parts = stubs, bundle, parts
        self.destination = destination
        self.running: subprocess.Popen[bytes] | None = None
        self.placed: list[Path] = []  # the parts in the site, whole
        self.indexed = threading.Event()  # every Pagefind has exited (or none will start)
        self.stopped = False
        self.error: Exception | None = None
        self.receiving = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self._index_and_place()
        except Exception as error:  # a part never made is an error, never a missing bundle
            self.error = error
        finally:
            self.indexed.set()

    def _index_and_place(self) -> None:
        made: tuple[subprocess.Popen[bytes], int] | None = None
        for number, part in enumerate(self.parts):
            if self.stopped:
                return
            indexer = start(self.stubs, part, self.bundle / part.name)
            self.running = indexer
            if made is not None and not self._place(*made):  # while this part is indexed
                return
            indexer.wait()
            # Indexed: its stubs are done with. Removed now, beside the next part, rather
            # than all at the end while the build waits (50,000 files in RAM at 25,000).
            shutil.rmtree(self.stubs / part.name, ignore_errors=True)
            made = (indexer, number)
        self.indexed.set()  # the last part is only to be moved in
        if made is not None:
            self._place(*made)

    def _place(self, indexer: subprocess.Popen[bytes], number: int) -> bool:
        """Part ``number``'s bundle moved into the site once it may receive it; False when
        stopped or failed (the error kept for ``finish``)."""
        self.receiving.wait()
        if self.stopped:
            return False
        name = self.parts[number].name
        try:
            self.destination.mkdir(parents=True, exist_ok=True)
            if number == 0:  # the previous build's parts are written over, or deleted
                kept.prune(self.destination, {part.name: True for part in self.parts})
            finish(indexer, self.bundle / name, self.destination / name, merged=number > 0)
            shutil.rmtree(self.bundle / name, ignore_errors=True)  # copied in, if not moved
            self.placed.append(self.destination / name)
        except Exception as error:  # given to the main thread by finish()
            self.error = error
            if self.running is not None and self.running.poll() is None:
                self.running.kill()
            return False
        return True

    def deliver(self) -> None:
        """The site may receive the bundles from now on."""
        self.receiving.set()

    def indexing(self) -> bool:
        """Whether a Pagefind is still running, or about to start the next part (the last
        part may still be being moved in when it is not)."""
        return not self.indexed.is_set()

    def arrived(self) -> list[Path]:
        """The parts already in the site, each whole and final."""
        return list(self.placed)

    def stop(self) -> None:
        self.stopped = True
        if self.running is not None and self.running.poll() is None:
            self.running.kill()
        self.receiving.set()
        self.thread.join()

    def finish(self) -> None:
        """Wait for every part to be indexed and moved into the site."""
        self.receiving.set()
        self.thread.join()
        if self.error is not None:
            raise self.error


@contextmanager
def indexing(package: Package, destination: Path) -> Iterator[Chain]:
    """Start indexing ``package`` in the background, a Pagefind per part in turn (yielded:
    ``indexing()`` says whether Pagefind still runs, ``arrived()`` which parts are in
    ``destination``, ``deliver()`` lets it move them there); on leaving the block without an
    error, wait for the rest. On an error, stop Pagefind."""
    with tempfile.TemporaryDirectory(prefix="springrain-search-", dir=scratch_root()) as work:
        stubs, bundle = Path(work) / "stubs", Path(work) / "pagefind"
        parts = searched(package)
        write_stubs(parts, stubs)
        chain = Chain(stubs, bundle, parts, destination)
        try:
            yield chain
        except BaseException:
            chain.stop()
            raise
        chain.finish()
