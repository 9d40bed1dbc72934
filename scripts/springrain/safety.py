"""Safe outputs: no command writes into, or empties, a folder it must not touch.

Every command that writes or empties an output folder resolves it against the current
directory (never against a configuration file's folder) and asks ``output_dir`` first. A
folder is refused, with exit code 2 and a message in Chinese and English, when it is or
contains a data directory, the repository root, the root of any git work tree, the home
folder or the file-system root; when it lies inside a data directory; or when it holds any
file tracked by git. Nothing is deleted before the check passes. An output file
(``output_file``) is refused when it is a folder, lies in a data directory or the package
read, is tracked by git or does not end as its format does. Nothing inside a ``.git``
folder is ever written.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from springrain import gitrepo
from springrain.config import REPO_ROOT
from springrain.errors import SpringrainError


def _refuse(path: Path, zh: str, en: str) -> SpringrainError:
    return SpringrainError(
        f"拒绝写入或清空 {path}：{zh}请另选一个专用的输出目录（例如 build/ 下的目录）。",
        f"Refusing to write into or empty {path}: {en} Choose a dedicated output folder "
        "(e.g. one under build/).",
        exit_code=2,
    )


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def output_dir(path: Path, data_dirs: Sequence[Path] = ()) -> Path:
    """``path`` made absolute against the current directory, once it is known safe to empty."""
    out = Path(os.path.abspath(path))
    resolved = out.resolve()
    for data in data_dirs:
        data_resolved = Path(os.path.abspath(data)).resolve()
        if _inside(data_resolved, resolved):
            raise _refuse(
                out,
                f"它就是或包含数据目录 {data}。",
                f"it is or contains the data directory {data}.",
            )
        if _inside(resolved, data_resolved):
            raise _refuse(
                out, f"它位于数据目录 {data} 之中。", f"it lies inside the data directory {data}."
            )
    if ".git" in resolved.parts:
        raise _refuse(out, "它位于 git 的内部目录 .git 之中。", "it lies inside a .git folder.")
    protected = {REPO_ROOT.resolve(), Path(resolved.anchor), Path.home().resolve()}
    for folder in protected:
        if _inside(folder, resolved):
            raise _refuse(
                out,
                f"它就是或包含 {folder}（仓库根目录、主目录或文件系统根目录）。",
                f"it is or contains {folder} (the repository root, the home folder or the root).",
            )
    if resolved.is_dir():
        top = gitrepo.toplevel(resolved)
        if top is not None and top.resolve() == resolved:
            raise _refuse(out, "它是一个 git 仓库的根目录。", "it is the root of a git work tree.")
        if gitrepo.tracked_under(resolved):
            raise _refuse(
                out,
                "其中有纳入 git 版本管理的文件，清空会删除它们。",
                "it holds files tracked by git, which emptying it would delete.",
            )
    elif resolved.exists():
        raise _refuse(out, "它是一个文件，不是目录。", "it is a file, not a folder.")
    return out


def output_file(path: Path, data_dirs: Sequence[Path] = (), suffix: str | None = None) -> Path:
    """``path`` made absolute against the current directory, once it is known safe to
    write (replacing what is there)."""
    out = Path(os.path.abspath(path))
    resolved = out.resolve()
    if str(path) in ("", ".") or resolved.is_dir():
        raise _refuse(out, "它是一个目录，不是文件。", "it is a folder, not a file.")
    for data in data_dirs:
        if _inside(resolved, Path(os.path.abspath(data)).resolve()):
            raise _refuse(
                out,
                f"它位于数据目录或数据包 {data} 之中。",
                f"it lies inside the data directory or package {data}.",
            )
    if ".git" in resolved.parts:
        raise _refuse(out, "它位于 git 的内部目录 .git 之中。", "it lies inside a .git folder.")
    if resolved.exists() and gitrepo.is_tracked(resolved):
        raise _refuse(
            out,
            "它是纳入 git 版本管理的文件，写入会覆盖它。",
            "it is a file tracked by git, which writing would overwrite.",
        )
    if suffix and out.suffix.lower() != suffix:
        raise _refuse(
            out,
            f"写出的是 {suffix} 文件，文件名应以 {suffix} 结尾。",
            f"the file written is {suffix}; name it so.",
        )
    return out
