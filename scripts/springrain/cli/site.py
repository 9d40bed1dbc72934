"""``springrain site``: build the public website from the data package."""

from __future__ import annotations

from pathlib import Path

import click

from springrain.cli.options import package_option
from springrain.config import REPO_ROOT


@click.command(
    "site",
    help="""由数据包生成公开网站（项目目录、项目与企业页面、统计、数据下载、全文搜索）。

Build the public website from the data package: catalogue, project and enterprise pages,
statistics, downloads and the Chinese full-text search index. Reads only the package.

\b
例 / Example:
  springrain site
  springrain site --package build/demo-package --out site --demo
  springrain site --defer-downloads && springrain site --finish --search-bundle build/search
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
    "--defer-downloads",
    is_flag=True,
    help="先不放入数据下载与搜索索引（数据包的 Excel、SQLite 仍在生成时），随后用 --finish 放入 / "
    "leave out the downloads and the search index (while package --finish still writes the "
    "workbook and database); add them later with --finish",
)
@click.option(
    "--finish",
    is_flag=True,
    help="为 --defer-downloads 生成的网站加入数据下载、数据页与搜索索引 / "
    "add the downloads, the data page and the search index to a site built with "
    "--defer-downloads",
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
    defer_downloads: bool,
    finish: bool,
    jobs: int | None,
) -> int:
    from springrain.site.build import build_site, finish_site

    if finish and defer_downloads:
        raise click.UsageError("--defer-downloads 与 --finish 不能同时使用 / use one of them")
    if finish:
        result = finish_site(package_dir, out, search=not no_search, search_bundle=search_bundle)
        timings = "，".join(f"{k} {v:.1f}s" for k, v in result.seconds.items())
        click.echo(f"网站已补全数据下载与搜索索引：{out}（{timings}）")
        click.echo(f"Downloads and search index added to the site in {out}.")
        return 0
    result = build_site(
        package_dir,
        out,
        demo=demo,
        search=not no_search,
        search_bundle=search_bundle,
        jobs=jobs,
        defer_downloads=defer_downloads,
    )
    timings = "，".join(f"{k} {v:.1f}s" for k, v in result.seconds.items())
    click.echo(f"网站已生成：{out}（{result.pages} 个项目与企业页面；{timings}）")
    click.echo(f"Site built in {out} ({result.pages} record pages).")
    return 0
