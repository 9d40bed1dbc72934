"""Validation throughput at 100,000 demo projects (target: the whole run in 10 s or less).

Timed twice: with the files in the page cache, as after a checkout or `git pull` (the
validator's own speed, which the target is about), and with the same files evicted from
the cache first (then this machine's disk, not the validator, sets most of the time)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from common import demo_dataset, evict, record_files, warm

PROJECTS = int(os.environ.get("BENCH_VALIDATE_PROJECTS", "100000"))

data = demo_dataset(PROJECTS, 0, 0)
files = record_files(data)
command = [sys.executable, "-m", "springrain", "validate", "--data", str(data), "--demo"]


def timed_run(label: str) -> None:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    print(
        f"   validate {PROJECTS} project records, {label}: {seconds:.2f} s wall, whole CLI run "
        f"({PROJECTS / seconds:,.0f} records/s); exit {result.returncode}",
        flush=True,
    )
    print("   " + result.stdout.strip().splitlines()[-1])


warm(files)
timed_run("files in the page cache (target ≤ 10 s)")
timed_run("files in the page cache, again")
evict(files)
timed_run("files evicted from the page cache first (disk-bound; no target)")
