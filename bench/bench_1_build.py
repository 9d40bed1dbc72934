"""`springrain build` at 20,000 projects, 5,000 enterprises and 3,000 cooperations, with its
anchors timed in the same run:

- the whole build (validate → package → site and search index), from nothing as on a fresh
  clone and again over its own outputs as a contributor's next build: target ≤ 60 s; then
  each again with its memory sampled (a sampled run is not timed: ``common.run``): peak
  memory of the whole process tree ≤ 2 GB;
- `springrain validate` against `frictionless validate` of the package the build published
  (the same records): target ≥ 5× faster;
- the build's record pages per second against a plain mkdocs-material build of pages made
  from the same records: target ≥ 5×.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml
from common import BENCH_DIR, Run, dataset, record_files, run, show, warm

from springrain import workers
from springrain.config import REPO_ROOT
from springrain.model.recordset import RecordSet
from springrain.validate import contacts

springrain = [sys.executable, "-m", "springrain"]
data = dataset()
package, site = BENCH_DIR / "package", BENCH_DIR / "site"
warm(record_files(data))  # the record files in the page cache, as after a checkout

# ---------------------------------------------------------------- the build
build_command = [
    *springrain,
    "build",
    "--data",
    str(data),
    "--package",
    str(package),
    "--site",
    str(site),
    "--demo",
]


def from_nothing() -> None:
    """No outputs, as on a fresh clone: the previous run's are moved aside (and deleted at the
    end, not counted). Deleting them just before would time something no clone meets: on
    ext4 without a journal (this machine's) the inodes of 50,000 files deleted a minute ago
    are passed over one by one for every file the build then creates (site/kept.py)."""
    aside = Path(tempfile.mkdtemp(prefix=".previous-", dir=BENCH_DIR))
    for folder in (package, site):
        if folder.exists():
            folder.rename(aside / folder.name)


def built(*, sample_memory: bool = False) -> Run:
    build = run(build_command, sample_memory=sample_memory)
    if build.returncode != 0:
        print(build.stdout[-2000:], build.stderr[-2000:])
        raise SystemExit(f"springrain build failed (exit {build.returncode})")
    return build


def timed_build(label: str) -> dict[str, float]:
    """`springrain build`, timed, its figures shown under ``label``; its steps' timings."""
    build = built()
    last = build.stdout.splitlines()[-1]
    timings = {name: float(seconds) for name, seconds in re.findall(r"([\w:+]+) ([0-9.]+)s", last)}
    show(label, f"{build.seconds:.1f} s", "target ≤ 60 s")
    show("  its steps", last.split(":", 1)[1].strip())
    show(
        "  CPU it used (every process, Pagefind included)",
        f"{build.cpu_seconds:.1f} CPU-s on {workers.cores()} cores",
        f"{build.stolen_seconds:.1f} core-s taken by the virtual machine's host meanwhile",
    )
    return timings


def measured_build(label: str) -> None:
    """`springrain build` again, the same way, its memory sampled (so not timed: ``run``)."""
    build = built(sample_memory=True)
    show(
        f"  peak memory of the build's process tree (summed Pss), {label}",
        f"{build.peak_bytes / 2**30:.2f} GB",
        "target ≤ 2 GB",
    )
    show(
        "    the same summing each process's resident memory",
        f"{build.peak_rss_bytes / 2**30:.2f} GB",
        "(counts pages shared by forked workers once per worker)",
    )


from_nothing()
timings = timed_build(
    "springrain build from nothing, as on a fresh clone (validate → package → site, "
    "search index included)"
)
timed_build("springrain build again over its own outputs, as a contributor's next build")
measured_build("again over its own outputs, in a run of its own")
from_nothing()
measured_build("from nothing, in a run of its own")
for previous in BENCH_DIR.glob(".previous-*"):  # this run's, and any a stopped run left
    shutil.rmtree(previous)
records = RecordSet.from_data_dir(data)
pages = len(records.projects) + len(records.enterprises)

# ---------------------------------------------------------------- validation
# Run in turn, twice each: the machine's speed drifts by a fifth within minutes, and one run
# of each could catch the two tools at different speeds. Each tool's best run is compared.
validations: list[Run] = []
frictions: list[Run] = []
for _ in range(2):
    validations.append(run([*springrain, "validate", "--data", str(data), "--demo"]))
    frictions.append(
        run(
            [
                str(Path(sys.executable).with_name("frictionless")),
                "validate",
                str(package / "datapackage.json"),
            ]
        )
    )
validate = min(validations, key=lambda timed: timed.seconds)
friction = min(frictions, key=lambda timed: timed.seconds)
ratio = friction.seconds / validate.seconds
show(
    f"springrain validate ({sum(records.counts().values()):,} records), best of 2",
    f"{validate.seconds:.2f} s (exit {validate.returncode}; runs "
    + ", ".join(f"{timed.seconds:.2f}" for timed in validations)
    + " s)",
)
show(
    "  frictionless validate of the package published from them, best of 2",
    f"{friction.seconds:.2f} s (exit {friction.returncode}; runs "
    + ", ".join(f"{timed.seconds:.2f}" for timed in frictions)
    + " s)",
)
show("  ratio", f"{ratio:.1f}× faster", "target ≥ 5×")

# What the contact-data detection costs: the same validation, in one process each, with and
# without the ContactData check (taken out of the registry here, in the benchmark only).
WITHOUT_DETECTION = """
import sys, time
from pathlib import Path
from springrain.validate.checks import registry
from springrain.validate.checks.pii import ContactData
if sys.argv[2] == "without":
    registry.CHECKS[:] = [c for c in registry.CHECKS if not isinstance(c, ContactData)]
from springrain.validate.engine import validate
started = time.perf_counter()
validate(Path(sys.argv[1]), allow_demo=True)
print(time.perf_counter() - started)
"""
seconds: dict[str, list[float]] = {"with": [], "without": []}
for _ in range(3):
    for mode in ("with", "without"):
        timed = run([sys.executable, "-c", WITHOUT_DETECTION, str(data), mode])
        seconds[mode].append(float(timed.stdout.strip().splitlines()[-1]))
with_detection, without_detection = min(seconds["with"]), min(seconds["without"])
share = (with_detection - without_detection) / with_detection
show(
    "  validation with / without the contact-data detection (best of 3, in process)",
    f"{with_detection:.2f} s / {without_detection:.2f} s: detection {share:.0%} of the time",
    "target ≤ 30 %",
)

# The detector on a megabyte of hostile text in each of the shapes that once made it slow.
HOSTILE = {
    "digits": "1" * 1_000_000,
    "single digits": "1 " * 500_000,
    "pairs": "12 " * 333_333,
    "@": "@" * 1_000_000,
    "at": " at " * 250_000,
    "numerals": "一" * 1_000_000,
    "soft hyphens": "139\u00ad" * 250_000,
    "addresses": ("x" * 60 + "@") * 16_000,
    # Each group boundary an 18-digit candidate whose birth date is no date.
    "ID-shaped groups": "123456 " * 142_857,
    # Each an ID number's shape and date, its check digit wrong: read to the end.
    "ID numbers, wrong check digit": "110105194912310021 " * 52_631,
}
scan_seconds = {}
for name, text in HOSTILE.items():
    started = time.perf_counter()
    contacts.find(text)
    scan_seconds[name] = time.perf_counter() - started
slowest = max(scan_seconds, key=scan_seconds.__getitem__)
show(
    f"  contact-data scan of 1 MB of hostile text, slowest of {len(HOSTILE)} shapes",
    f"{scan_seconds[slowest]:.2f} s ({slowest})",
    "target well under 1 s",
)

# ---------------------------------------------------------------- page rendering
SAMPLE = 1000


def markdown(record: dict) -> str:
    """A record as a plain Markdown page: its title, then every field as a list item."""
    title = record.get("project_name") or record.get("name") or record["id"]
    lines = [f"# {title}", ""]
    for key, value in record.items():
        if isinstance(value, list):
            value = "、".join(str(v) for v in value)
        lines.append(f"- **{key}**: {value}")
    return "\n".join(lines) + "\n"


with tempfile.TemporaryDirectory(prefix="bench-mkdocs-") as work:
    root = Path(work)
    config = yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(
        docs_dir=str(root / "docs"),
        site_dir=str(root / "site"),
        # As in our site: the record pages are outside the navigation (a navigation listing
        # 1,000 pages would make every page list them all, and mkdocs very slow).
        nav=[{"首页": "index.md"}],
        not_in_nav="/*-*.md",
        theme={**config["theme"], "custom_dir": str(REPO_ROOT / "overrides")},
        extra_css=[],
    )
    config = {k: v for k, v in config.items() if v is not None}
    sample = (records.projects + records.enterprises)[:: max(1, pages // SAMPLE)][:SAMPLE]
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# 首页\n", encoding="utf-8")
    for record in sample:
        (root / "docs" / f"{record['id']}.md").write_text(markdown(record), encoding="utf-8")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    mkdocs = run(
        [
            str(Path(sys.executable).with_name("mkdocs")),
            "build",
            "-q",
            "-f",
            str(root / "mkdocs.yml"),
        ]
    )
    if mkdocs.returncode != 0:
        print(mkdocs.stderr[-1500:])
ours = pages / timings["site:records"]
theirs = len(sample) / mkdocs.seconds
show(
    "record pages rendered by the build",
    f"{pages} in {timings['site:records']:.1f} s = {ours:,.0f} pages/s",
)
show(
    f"  plain mkdocs-material, {len(sample)} pages from the same records",
    f"{mkdocs.seconds:.1f} s = {theirs:,.0f} pages/s",
)
show("  ratio", f"{ours / theirs:.1f}× the pages per second", "target ≥ 5×")

# ---------------------------------------------------------------- what was built
size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file() and not p.is_symlink())
files = sum(1 for p in site.rglob("*") if p.is_file())
show("site size", f"{size / 2**20:.0f} MB in {files} files")
