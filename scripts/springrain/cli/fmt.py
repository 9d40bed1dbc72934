"""``springrain fmt``: rewrite record files in canonical form without changing content."""

from __future__ import annotations

from pathlib import Path

import click

from springrain.cli.options import data_option


@click.command(
    "fmt",
    help="""把记录整理为标准格式（UTF-8、两格缩进、字段按数据结构顺序、去掉 BOM），内容不变。

Rewrite records canonically (UTF-8, 2-space indent, schema key order, no BOM).
Files that do not parse are left untouched and reported.

\b
例 / Example:
  springrain fmt data/projects/GD/GD-2025-0001.json
  springrain fmt --check
""",
)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=True))
@data_option
@click.option("--check", is_flag=True, help="只检查不改写 / report only, change nothing")
def command(paths: tuple[Path, ...], data_dir: Path, check: bool) -> int:
    from springrain.model.discovery import discover
    from springrain.model.reformat import reformat

    targets: list[Path] = []
    for path in paths or (data_dir,):
        if path.is_dir() and not path.is_symlink():
            # Every .json file under the folder: record files, and the strays fmt refuses.
            found = discover(path)
            targets += [Path(r.path) for r in found.records]
            targets += [Path(s.path) for s in found.strays if s.path.endswith(".json")]
        else:
            targets.append(path)
    changed, failed = reformat(targets, data_dir, check=check)
    for path, reason_zh, reason_en in failed:
        click.echo(f"{path}\n  ✗ 无法整理：{reason_zh}\n    Cannot format: {reason_en}", err=True)
    verb = ("需要整理", "would be reformatted") if check else ("已整理", "reformatted")
    click.echo(
        f"{verb[0]} {len(changed)} 个文件，共 {len(targets)} 个。\n{len(changed)} of {len(targets)} files {verb[1]}."
    )
    for path in changed:
        click.echo(f"  {path}")
    return 1 if failed or (check and changed) else 0
