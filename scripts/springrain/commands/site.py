"""``springrain site``: build the public website from the data package."""

from __future__ import annotations

from pathlib import Path

import click

from ..paths import REPO_ROOT
from .options import package_option


@click.command(
    "site",
    help="""由数据包生成公开网站（项目目录、项目与企业页面、统计、数据下载、全文搜索）。

Build the public website from the data package: catalogue, project and enterprise pages,
statistics, downloads and the Chinese full-text search index. Reads only the package.

\b
例 / Example:
  springrain site
  springrain site --package build/demo-package --out site --demo
""",
)
@package_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=REPO_ROOT / "site",
    show_default="site/",
    help="网站输出目录（会被清空）/ output directory (emptied first)",
)
@click.option(
    "--demo",
    is_flag=True,
    help="示例数据：每页显示“示例数据，均为虚构”/ demo data: banner on every page",
)
@click.option("--no-search", is_flag=True, help="不建立搜索索引 / skip the search index")
@click.option(
    "--search-bundle",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="使用 springrain search-index 已生成的搜索索引 / use the index made by search-index",
)
@click.option(
    "--jobs", type=click.IntRange(1, 64), default=None, help="并行进程数 / worker processes"
)
def command(
    package_dir: Path,
    out: Path,
    demo: bool,
    no_search: bool,
    search_bundle: Path | None,
    jobs: int | None,
) -> int:
    from ..site.build import build_site

    result = build_site(
        package_dir, out, demo=demo, search=not no_search, search_bundle=search_bundle, jobs=jobs
    )
    timings = "，".join(f"{k} {v:.1f}s" for k, v in result.seconds.items())
    click.echo(f"网站已生成：{out}（{result.pages} 个项目与企业页面；{timings}）")
    click.echo(f"Site built in {out} ({result.pages} record pages).")
    return 0
