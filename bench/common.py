"""Shared helpers for the benchmarks: cached demo datasets, a timer, and the peak memory of
a process tree."""

from __future__ import annotations

import hashlib
import os
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from springrain import demo
from springrain.config import BUILD_DIR
from springrain.demo import generate, write

BENCH_DIR = BUILD_DIR / "bench"
PROJECTS = int(os.environ.get("BENCH_PROJECTS", "20000"))
ENTERPRISES = int(os.environ.get("BENCH_ENTERPRISES", "5000"))
COOPERATIONS = int(os.environ.get("BENCH_COOPERATIONS", "3000"))


def demo_dataset(projects: int, enterprises: int, cooperations: int, seed: int = 7) -> Path:
    """A demo dataset of the given size, generated once and reused across runs.

    The directory name carries a hash of the generator's source, so a changed generator
    gets fresh data instead of a stale cache."""
    version = hashlib.sha256(Path(demo.__file__).read_bytes()).hexdigest()[:8]
    out = BENCH_DIR / f"demo-{projects}-{enterprises}-{cooperations}-{seed}-{version}"
    # The marker sits beside the data, not in it: a hidden file in data/ is an error.
    marker = out.parent / f".{out.name}.complete"
    if not marker.exists():
        write(generate(projects, enterprises, cooperations, seed), out)
        marker.touch()
    return out


def dataset() -> Path:
    """The benchmark's dataset: 20,000 projects, 5,000 enterprises, 3,000 cooperations."""
    return demo_dataset(PROJECTS, ENTERPRISES, COOPERATIONS)


def record_files(data: Path) -> list[str]:
    from springrain.model.discovery import discover

    return [record.path for record in discover(data).records]


def warm(files: list[str]) -> None:
    """Read ``files`` once so they are in the page cache, as after a checkout or pull."""
    for path in files:
        with open(path, "rb") as handle:
            handle.read()


def _tree_rss(root: int) -> int:
    """Resident memory of ``root`` and all its descendants now, in bytes."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, pending = 0, [root]
    page = os.sysconf("SC_PAGE_SIZE")
    while pending:
        pid = pending.pop()
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
                total += int(handle.read().split()[1]) * page
        except OSError:
            pass
        pending += children.get(pid, [])
    return total


@dataclass
class Run:
    seconds: float
    returncode: int
    stdout: str
    stderr: str
    peak_bytes: int  # the most the whole process tree held at once


def run(command: Sequence[str], **env: str) -> Run:
    """Run ``command``, timing it and sampling its process tree's memory every 50 ms."""
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(process.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    if os.path.isdir("/proc"):
        sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    return Run(seconds, process.returncode, out, err, peak)


def show(label: str, figure: str, anchor: str = "") -> None:
    print(f"   {label}: {figure}" + (f"   [{anchor}]" if anchor else ""), flush=True)
