"""The one git helper: every git command the pipeline runs goes through ``run``.

Git is optional for most commands: outside a repository, or without git installed, the
helpers that ask git a question return None (``try_run``) and their callers carry on
without the answer; ``run`` raises a ``SpringrainError`` for commands that need git.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from springrain.errors import SpringrainError

TIMEOUT = 120


def _git(repo: Path, args: tuple[str, ...], input_bytes: bytes | None):
    return subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        input=input_bytes,
        check=False,
        timeout=TIMEOUT,
    )


def run(repo: Path, *args: str, input_bytes: bytes | None = None) -> bytes:
    """Run ``git -C repo ARGS``; its standard output, or a ``SpringrainError``."""
    try:
        result = _git(repo, args, input_bytes)
    except (OSError, subprocess.SubprocessError) as error:
        raise SpringrainError(f"无法运行 git：{error}", f"Cannot run git: {error}") from error
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()[:300]
        raise SpringrainError(
            f"git {' '.join(args[:2])} 失败：{message}",
            f"git {' '.join(args[:2])} failed: {message}",
        )
    return result.stdout


def text(repo: Path, *args: str) -> str:
    return run(repo, *args).decode("utf-8", "replace")


def try_run(repo: Path, *args: str) -> str | None:
    """Git's output as text, or None when git is missing, fails, or ``repo`` is no repository."""
    try:
        result = _git(repo, args, None)
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.decode("utf-8", "replace")


def toplevel(path: Path) -> Path | None:
    """The work tree ``path`` lies in, or None."""
    folder = path if path.is_dir() else path.parent
    if not folder.is_dir():
        return None
    out = try_run(folder, "rev-parse", "--show-toplevel")
    return Path(out.strip()) if out and out.strip() else None


def show(repo: Path, rev: str, path: str) -> bytes | None:
    """A file's bytes at a revision, or None when it has none there."""
    try:
        result = _git(repo, ("show", f"{rev}:{path}"), None)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def verify(repo: Path, rev: str) -> None:
    if not try_run(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"):
        raise SpringrainError(
            f"找不到版本 {rev}。请确认已获取完整历史（fetch-depth: 0）。",
            f"Revision {rev} not found; fetch the full history.",
        )


@dataclass(frozen=True)
class Entry:
    """One entry of a tree or of the index: its mode (100644 file, 100755 executable,
    120000 symlink, 160000 submodule, 040000 folder) and its path."""

    mode: str
    path: str

    @property
    def is_regular_file(self) -> bool:
        return self.mode in ("100644", "100755")


def tree(repo: Path, rev: str, *paths: str) -> list[Entry]:
    """Every entry under ``paths`` at ``rev`` (recursively), with its mode."""
    out = run(repo, "ls-tree", "-r", "-z", rev, "--", *paths).decode("utf-8", "replace")
    entries = []
    for item in out.split("\0"):
        if not item:
            continue
        meta, _, path = item.partition("\t")
        entries.append(Entry(meta.split(" ", 1)[0], path))
    return entries


def index_entries(folder: Path) -> list[Entry] | None:
    """The index's entries under ``folder`` (paths relative to it), or None outside git."""
    out = try_run(folder, "ls-files", "--stage", "-z", "--", ".")
    if out is None:
        return None
    entries = []
    for item in out.split("\0"):
        if item:
            meta, _, path = item.partition("\t")
            entries.append(Entry(meta.split(" ", 1)[0], path))
    return entries


def tracked_under(folder: Path) -> bool:
    """Whether any file under ``folder`` is tracked by git (False outside a repository)."""
    if not folder.is_dir():
        return False
    out = try_run(folder, "ls-files", "-z", "--", ".")
    return bool(out)


def is_tracked(path: Path) -> bool:
    """Whether the file ``path`` is tracked by git (False outside a repository)."""
    if not path.parent.is_dir():
        return False
    return bool(try_run(path.parent, "ls-files", "-z", "--", f":(literal){path.name}"))


def deleted_paths(repo: Path, rev: str | None, *paths: str) -> list[str]:
    """Paths under ``paths`` deleted in any commit reachable from ``rev`` (all refs if None)."""
    where = [rev] if rev else ["--all"]
    # Without --no-renames a renumbered file is a rename, and its old name never shows as
    # deleted; without -m a merge commit shows no changes at all.
    out = try_run(
        repo,
        "log",
        *where,
        "--no-renames",
        "-m",
        "--diff-filter=D",
        "--name-only",
        "--pretty=format:",
        "--",
        *paths,
    )
    return sorted({line for line in (out or "").splitlines() if line})


def commit_time(repo: Path, rev: str) -> int | None:
    """Unix time at which ``rev`` was committed, or None."""
    out = try_run(repo, "log", "-1", "--format=%ct", rev, "--")
    return int(out.strip()) if out and out.strip().isdecimal() else None


def last_commit_time(path: Path) -> int | None:
    """Unix time of the last commit touching ``path``, or None."""
    out = try_run(path if path.is_dir() else path.parent, "log", "-1", "--format=%ct", "--", ".")
    return int(out.strip()) if out and out.strip().isdigit() else None


def last_release_tag(repo: Path) -> str | None:
    """The most recent release tag (v1.2.3) reachable from HEAD, if any."""
    out = try_run(repo, "describe", "--tags", "--abbrev=0", "--match", "v[0-9]*")
    return out.strip() or None if out else None
