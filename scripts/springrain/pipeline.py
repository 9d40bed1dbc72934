"""``springrain build``: the whole pipeline, its graph stated once, here.

::

    data/ ── validate ──▶ RecordSet ──▶ matching, statistics ──▶ package ──▶ site ──▶ gate
              (stops on     (records and    (derived tables,      (written     (reads     (no contact
               any error)    hand-kept       in memory)            once)        only the   data in any
                             tables)                                            package)   built file)

Each step is a function of the step before; the single-stage commands (``validate``,
``package``, ``match``, ``stats``, ``site``) call the same functions, so there is no
second route through the pipeline. Parallelism lives in ``springrain.workers``: validation
checks files in chunks over every core, statistics are computed beside matching, the
workbook is written beside the package's other files, the search stubs and the pages are
written by every core, Pagefind indexes the stubs in the background while the pages are
rendered, and the publish gate reads the pages and each finished part of the search index
while Pagefind works on the next, then the rest over every core once Pagefind is done.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from springrain.config import DATA_DIR
from springrain.derive import DerivedTable
from springrain.errors import SpringrainError
from springrain.model.recordset import RecordSet
from springrain.validate.engine import Report, validate

if TYPE_CHECKING:
    from springrain.site.build import BuildResult


class InvalidData(SpringrainError):
    """Validation found errors: nothing after it runs. Carries the report to print."""

    def __init__(self, report: Report) -> None:
        super().__init__(
            f"数据未通过校验（{len(report.errors)} 个错误），未生成数据包和网站。请先改正上面列出的问题。",
            f"The data failed validation ({len(report.errors)} errors); no package or site was "
            "built. Fix the problems listed above first.",
            exit_code=1,
        )
        self.report = report


@dataclass
class Timings:
    seconds: dict[str, float] = field(default_factory=dict)
    _clock: float = field(default_factory=time.perf_counter)

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self._clock
        self._clock = now

    def line(self) -> str:
        return "，".join(f"{name} {seconds:.1f}s" for name, seconds in self.seconds.items())


def allow_demo(data_dir: Path, demo: bool) -> bool:
    """Demo records are accepted only outside the repository's own data directory."""
    return demo and Path(data_dir).resolve() != DATA_DIR.resolve()


def validated(
    data_dir: Path, *, demo: bool = False, today: dt.date | None = None
) -> tuple[RecordSet, Report]:
    """The records of ``data_dir``, once they passed validation; else ``InvalidData``."""
    if not Path(data_dir).is_dir():
        raise SpringrainError(
            f"数据目录 {data_dir} 不存在。请用 --data 指定含有 projects/、enterprises/ 的目录。",
            f"Data directory {data_dir} does not exist; pass --data.",
        )
    report = validate(
        data_dir, today=today, allow_demo=allow_demo(data_dir, demo), keep_records=True
    )
    if report.errors:
        raise InvalidData(report)
    # The records validated, not the files read again: what is published is what passed,
    # even if a file changes during the build.
    assert report.discovered is not None and report.records is not None
    return RecordSet.from_records(data_dir, report.discovered, report.records), report


# The records the statistics worker reads: inherited through fork, never pickled.
_DERIVING: dict[str, RecordSet] = {}


def _statistics_job() -> tuple[dict[str, Any], list[DerivedTable]]:
    from springrain.derive.stats import tables as statistics

    return statistics.tables(_DERIVING["records"])


def derived_tables(records: RecordSet) -> tuple[list[DerivedTable], dict[str, bytes]]:
    """What matching and statistics add to the package: tables, and files (stats.json).
    Both only read the records, and matching uses one core: statistics are computed beside
    it, on the other."""
    from springrain import workers
    from springrain.derive.matching import table as matching
    from springrain.derive.stats import tables as statistics

    _DERIVING["records"] = records
    try:
        with workers.beside(_statistics_job) as pending:
            match_rows = matching.matches(records)
            stats, stats_tables = pending.result() if pending is not None else _statistics_job()
    finally:
        _DERIVING.clear()
    matches = DerivedTable(
        matching.NAME,
        matching.table_schema(),
        matching.TITLE[0],
        matching.TITLE[1],
        matching.DESCRIPTION,
        match_rows,
    )
    return [matches, *stats_tables], {statistics.STATS_JSON: statistics.stats_json(stats)}


def write_validated_package(
    data_dir: Path,
    records: RecordSet,
    package_dir: Path,
    *,
    version: str | None = None,
    timings: Timings | None = None,
) -> dict[str, Any]:
    """Matching, statistics, and the package written once with all of them; ``records``
    as ``validated`` returned them (the package is then trusted when read back unchanged)."""
    from springrain.package.provenance import provenance
    from springrain.package.reader import written_from_valid
    from springrain.package.writer import write_package as write

    timings = timings or Timings()
    tables, files = derived_tables(records)
    timings.lap("match+stats")
    descriptor = write(package_dir, records, tables, files, provenance(data_dir, records, version))
    # Only ``validated`` records reach here: read back unchanged, they are not checked again.
    written_from_valid(package_dir)
    timings.lap("package")
    return descriptor


def publish_gate(*folders: Path, timings: Timings | None = None) -> None:
    """The last check: no contact data in anything built (``springrain.validate.gate``)."""
    from springrain.validate import gate

    gate.check(*folders)
    if timings is not None:
        timings.lap("gate")


@dataclass
class Built:
    counts: dict[str, int]  # records of each kind (the records themselves are let go)
    report: Report
    descriptor: dict[str, Any]
    pages: int = 0
    timings: Timings = field(default_factory=Timings)


def package(
    data_dir: Path,
    package_dir: Path,
    *,
    demo: bool = False,
    version: str | None = None,
    check: bool = True,
) -> Built:
    """validate → records → matching, statistics → package (→ the publish gate on it, unless
    the site is built next and the gate reads both)."""
    timings = Timings()
    records, report = validated(data_dir, demo=demo)
    timings.lap("validate")
    descriptor = write_validated_package(
        data_dir, records, package_dir, version=version, timings=timings
    )
    if check:
        publish_gate(package_dir, timings=timings)
    return Built(records.counts(), report, descriptor, timings=timings)


def site(package_dir: Path, site_dir: Path, *, demo: bool = False) -> int:
    """The site from a built package, then the publish gate on it; returns the number of
    record pages."""
    return _site_and_gate(package_dir, site_dir, demo=demo).pages


def build(data_dir: Path, package_dir: Path, site_dir: Path, *, demo: bool = False) -> Built:
    """The whole pipeline: validate → records → matching, statistics → package → site."""
    built = package(data_dir, package_dir, demo=demo, check=False)
    _site_and_gate(package_dir, site_dir, demo=demo, also=package_dir, built=built)
    return built


def _site_and_gate(
    package_dir: Path,
    site_dir: Path,
    *,
    demo: bool,
    also: Path | None = None,
    built: Built | None = None,
) -> BuildResult:
    """The site, then the publish gate on it (and on ``also``). Pagefind, the last to
    finish, leaves a core mostly idle: the gate reads the pages already written meanwhile,
    and each part of the search index as soon as it is in the site; once Pagefind is done,
    the large files over every core while its last part is moved in, and that part last."""
    from springrain.site.build import building
    from springrain.site.search_index import BUNDLE
    from springrain.validate import gate

    with building(package_dir, site_dir, demo=demo) as result:
        # The search index is still being moved in, part by part: read once each is whole.
        scan = gate.Scan(*([also] if also else []), site_dir, leaving_out=site_dir / BUNDLE)
        scan.run_while(result.indexing, result.arrived)
        scan.finish()
    if built is not None:
        built.pages = result.pages
        built.timings.lap("site")
        for name, seconds in result.seconds.items():
            built.timings.seconds[f"site:{name}"] = seconds
    scan.include(site_dir / BUNDLE)  # the parts not read yet: the last
    gate.refuse(scan.finish())
    if built is not None:
        built.timings.lap("gate")
    return result
