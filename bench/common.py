"""Shared helpers for the benchmarks: cached demo datasets, a timer, and the peak memory of
a process tree."""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
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
    # The hand-kept tables are copies of data/'s: refreshed on every run, as they change.
    from springrain.config import DATA_DIR
    from springrain.model import tables

    for name in tables.names():
        source = DATA_DIR / tables.file_name(name)
        if source.is_file():
            shutil.copyfile(source, out / tables.file_name(name))
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


def _tree(root: int) -> list[int]:
    """``root`` and all its descendants now."""
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
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending += children.get(pid, [])
    return found


def _tree_memory(root: int) -> tuple[int, int]:
    """(summed resident memory, summed proportional memory) of the tree, in bytes.

    Resident memory counts a page shared by forked workers once in each of them; the
    proportional set size (Pss, /proc/PID/smaps_rollup) splits it among them, so its sum is
    the memory the tree really holds. Both are printed; the target is read against Pss."""
    rss = pss = 0
    for pid in _tree(root):
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1]) * 1024
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
        except OSError:
            pass
    return rss, pss


@dataclass
class Run:
    seconds: float
    returncode: int
    stdout: str
    stderr: str
    # Only when the run was sampled (``sample_memory``), else 0:
    peak_bytes: int  # the most the whole process tree held at once (summed Pss)
    peak_rss_bytes: int  # the same, summing each process's resident memory
    cpu_seconds: float = 0.0  # user and system time of the command and all it waited for
    stolen_seconds: float = 0.0  # core-seconds the host took from this whole machine meanwhile


def stolen_ticks() -> int:
    """Clock ticks this virtual machine's cores were ready to run but the host ran someone
    else (the "steal" column of /proc/stat), since boot; 0 where there is no /proc."""
    try:
        with open("/proc/stat") as stat:
            columns = stat.readline().split()
    except OSError:
        return 0
    return int(columns[8]) if len(columns) > 8 else 0


# How often a sampled run's memory is read.
SAMPLE_EVERY = 0.05


def run(command: Sequence[str], *, sample_memory: bool = False) -> Run:
    """Run ``command`` and time it; with ``sample_memory``, also read its process tree's
    memory every ``SAMPLE_EVERY`` seconds.

    A timed figure never comes from a sampled run: reading /proc/PID/smaps_rollup walks the
    process's page tables in the kernel, 15-20 ms for each of the build's 700 MB processes,
    so sampling a 20,000-project build took some 20 CPU-seconds of this 2-core machine
    from it (bench/bench_1_build.py times the build, then measures its memory in a run of
    its own)."""
    stolen_before = stolen_ticks()
    used_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = peak_rss = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_rss
        while not stop.is_set():
            rss, pss = _tree_memory(process.pid)
            peak, peak_rss = max(peak, pss), max(peak_rss, rss)
            stop.wait(SAMPLE_EVERY)

    sampler = threading.Thread(target=sample, daemon=True)
    if sample_memory and os.path.isdir("/proc"):
        sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    stolen = (stolen_ticks() - stolen_before) / os.sysconf("SC_CLK_TCK")
    stop.set()
    if sampler.is_alive():
        sampler.join()
    cpu = (used.ru_utime - used_before.ru_utime) + (used.ru_stime - used_before.ru_stime)
    return Run(seconds, process.returncode, out, err, peak, peak_rss, cpu, stolen)


def show(label: str, figure: str, anchor: str = "") -> None:
    print(f"   {label}: {figure}" + (f"   [{anchor}]" if anchor else ""), flush=True)
