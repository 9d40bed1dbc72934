"""``springrain demo``: write a fictional dataset for tests, benchmarks and the demo site."""

from __future__ import annotations

from pathlib import Path

import click


@click.command(
    "demo",
    help="""生成虚构的示例数据（名称均带“示例”，记录标记 demo: true），用于测试、基准和演示网站。

Write a complete, valid, obviously fictional dataset (every name marked 示例,
every record demo: true). The same seed always gives the same files.

\b
例 / Example:
  springrain demo --projects 1000 --enterprises 200 --cooperations 150 --seed 1 --out build/demo-data
""",
)
@click.option(
    "--projects",
    type=click.IntRange(0, 1_000_000),
    default=200,
    show_default=True,
    help="项目数 / projects",
)
@click.option(
    "--enterprises",
    type=click.IntRange(0, 1_000_000),
    default=50,
    show_default=True,
    help="企业数 / enterprises",
)
@click.option(
    "--cooperations",
    type=click.IntRange(0, 1_000_000),
    default=30,
    show_default=True,
    help="合作数（上限取决于可对接的项目）/ cooperations (at most one per open project)",
)
@click.option("--seed", type=int, default=1, show_default=True, help="随机种子 / random seed")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="输出目录 / output directory",
)
def command(projects: int, enterprises: int, cooperations: int, seed: int, out: Path) -> int:
    from springrain.demo import generate, write

    counts = write(generate(projects, enterprises, cooperations, seed), out)
    click.echo(
        f"已在 {out} 写入示例数据：{counts['project']} 个项目，{counts['enterprise']} 家企业，{counts['cooperation']} 条合作。\n"
        f"Wrote demo data to {out}: {counts['project']} projects, {counts['enterprise']} enterprises, "
        f"{counts['cooperation']} cooperations."
    )
    return 0
