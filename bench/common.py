"""Shared helpers for the benchmarks: cached demo datasets and a timer."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from springrain import demo
from springrain.config import BUILD_DIR
from springrain.demo import generate, write

BENCH_DIR = BUILD_DIR / "bench"


def demo_dataset(projects: int, enterprises: int, cooperations: int, seed: int = 7) -> Path:
    """A demo dataset of the given size, generated once and reused across runs.

    The directory name carries a hash of the generator's source, so a changed generator
    gets fresh data instead of a stale cache."""
    version = hashlib.sha256(Path(demo.__file__).read_bytes()).hexdigest()[:8]
    out = BENCH_DIR / f"demo-{projects}-{enterprises}-{cooperations}-{seed}-{version}"
    marker = out / ".complete"
    if not marker.exists():
        write(generate(projects, enterprises, cooperations, seed), out)
        marker.touch()
    return out


@contextmanager
def timed(label: str) -> Iterator[dict[str, float]]:
    result: dict[str, float] = {}
    started = time.perf_counter()
    yield result
    result["seconds"] = time.perf_counter() - started
    print(f"   {label}: {result['seconds']:.2f} s", flush=True)


def record_files(data: Path) -> list[str]:
    from springrain.model.records import discover_files

    return [path for path, _ in discover_files(data)]


def warm(files: list[str]) -> None:
    """Read ``files`` once so they are in the page cache, as after a checkout or pull."""
    for path in files:
        with open(path, "rb") as handle:
            handle.read()


def evict(files: list[str]) -> None:
    """Drop ``files`` (only these) from the page cache."""
    for path in files:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(descriptor)
