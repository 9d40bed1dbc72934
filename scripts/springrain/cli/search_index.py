"""``springrain search-index``: build the site's search index as a step of its own."""

from __future__ import annotations

from pathlib import Path

import click

from springrain.cli.options import package_option
from springrain.config import BUILD_DIR


@click.command(
    "search-index",
    help="""为网站的全文搜索建立索引（Pagefind），供 springrain site --search-bundle 使用。
只读取数据包中的项目与企业记录（package --records-only 之后即可运行），可与数据包其余部分、match、stats 同时运行。

Build the site's full-text search index (Pagefind) from the package's projects and
enterprises, for springrain site --search-bundle. It reads only the record files (it can
run once package --records-only is done), beside the rest of the package, match and stats.

\\b
例 / Example:
  springrain search-index --package build/data --out build/search
  springrain site --search-bundle build/search
""",
)
@package_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=BUILD_DIR / "search",
    show_default="build/search/",
    help="索引输出目录（会被清空）/ output directory (emptied first)",
)
def command(package_dir: Path, out: Path) -> int:
    from springrain.site.search_index import build_bundle

    count = build_bundle(package_dir, out)
    click.echo(f"搜索索引已生成：{out}（{count} 个项目与企业）")
    click.echo(f"Search index written to {out} ({count} projects and enterprises).")
    return 0
