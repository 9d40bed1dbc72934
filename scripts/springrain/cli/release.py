"""``springrain release``: version, change list, ledger entry and tag for a new release."""

from __future__ import annotations

from pathlib import Path

import click

from springrain.config import REPO_ROOT
from springrain.errors import SpringrainError
from springrain.release.bumps import BUMPS


@click.command(
    "release",
    help="""发布新版本：与上一个发布标签比较，按数据包版本规则确定版本号，
写入 CHANGELOG.md、changes/<版本>.json 和发布记录 releases/ledger.json，提交并打标签。

Release a new version: compare with the last release tag, choose the version by the Data
Package rules (major: field removed, renamed, retyped or constraint tightened; minor: records
or fields added; patch: corrections), write CHANGELOG.md, changes/<version>.json and the
ledger, commit them and tag v<version>. Push with: git push origin main --tags

\b
例 / Example:
  springrain release
  springrain release --bump minor
""",
)
@click.option(
    "--bump",
    type=click.Choice(BUMPS),
    default="auto",
    show_default=True,
    help="版本号的哪一位加一（auto：按变化自动判断）/ which part to increase",
)
@click.option(
    "--repo",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=REPO_ROOT,
    show_default="仓库根目录 / repository root",
    help="仓库目录 / repository",
)
@click.option(
    "--data", "data_subdir", default="data", show_default=True, help="数据子目录 / data folder"
)
@click.option(
    "--verify",
    "verify_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=None,
    help="只核对：DIR 中重建的数据包与发布记录中该版本的校验和是否一致 / only check a rebuilt "
    "package in DIR against the ledger",
)
@click.option("--version", "version", default=None, help="与 --verify 一起用 / with --verify")
def command(
    bump: str, repo: Path, data_subdir: str, verify_dir: Path | None, version: str | None
) -> int:
    from springrain.release.changes import release, verify

    if verify_dir is not None:
        if not version:
            raise SpringrainError("--verify 需要 --version。", "--verify needs --version.")
        problems = verify(repo, verify_dir, version)
        for problem in problems:
            click.echo(problem)
        click.echo(
            f"{'不一致' if problems else '一致'}：{verify_dir} 与发布记录中的 {version}\n"
            f"{'Mismatch' if problems else 'Match'}: {verify_dir} against {version} in the ledger"
        )
        return 1 if problems else 0
    result = release(repo, data_subdir=data_subdir, bump=bump)
    records = result.change["records"]
    summary = ", ".join(
        f"{kind}: +{len(part['added'])} ~{len(part['updated'])} -{len(part['withdrawn'])}"
        for kind, part in records.items()
    )
    click.echo(
        f"已发布 {result.tag}（{result.change['bump']}）。请推送：git push origin HEAD {result.tag}\n"
        f"Released {result.tag} ({result.change['bump']}; {summary}). "
        f"Push with: git push origin HEAD {result.tag}"
    )
    return 0
