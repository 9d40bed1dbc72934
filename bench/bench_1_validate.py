"""Validation throughput at 100,000 demo projects (target: the whole run in 10 s or less)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from common import demo_dataset

PROJECTS = int(os.environ.get("BENCH_VALIDATE_PROJECTS", "100000"))

data = demo_dataset(PROJECTS, 0, 0)
command = [sys.executable, "-m", "springrain", "validate", "--data", str(data), "--demo"]
started = time.perf_counter()
result = subprocess.run(command, capture_output=True, text=True, check=False)
seconds = time.perf_counter() - started
print(
    f"   validate {PROJECTS} project records: {seconds:.2f} s wall, whole CLI run "
    f"({PROJECTS / seconds:,.0f} records/s); exit {result.returncode}; target ≤ 10 s"
)
print("   " + result.stdout.strip().splitlines()[-1])
