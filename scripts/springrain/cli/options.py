"""Options several commands share, written once."""

from __future__ import annotations

from pathlib import Path

import click

from springrain.config import DATA_DIR, PACKAGE_OUT, SITE_OUT

data_option = click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=DATA_DIR,
    show_default="data/",
    help="数据目录 / data directory",
)

package_option = click.option(
    "--package",
    "package_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=PACKAGE_OUT,
    show_default="build/data/",
    help="数据包目录 / the data package directory",
)

site_option = click.option(
    "--site",
    "site_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=SITE_OUT,
    show_default="site/",
    help="网站输出目录（会被清空）/ site output directory (emptied first)",
)

demo_option = click.option(
    "--demo",
    is_flag=True,
    help="示例数据：接受演示记录，每页显示“示例数据，均为虚构”/ demo data: accept demo records, "
    "banner on every page",
)


def today_option(help_text: str):
    """``--today YYYY-MM-DD``: the date a command takes as today (tests and back-dating)."""
    return click.option(
        "--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help=help_text
    )


def stdout_or_file(help_text: str):
    """``--out``: a file to write, or ``-`` (the default) for standard output."""
    return click.option(
        "--out",
        "out_file",
        type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
        default="-",
        show_default="标准输出 / standard output",
        help=help_text,
    )


def checked_output(out_file: Path, package_dir: Path) -> Path | None:
    """Where ``--out`` writes (None: standard output), refused before any work is done when
    it would overwrite a tracked file, a record or the package read."""
    from springrain import safety

    if str(out_file) == "-":
        return None
    return safety.output_file(out_file, [DATA_DIR, package_dir])


def emit(content: bytes, out_file: Path | None) -> None:
    """``content`` to standard output or into ``out_file``, an unwritable place a message."""
    import sys

    from springrain.errors import SpringrainError

    if out_file is None:
        binary = getattr(sys.stdout, "buffer", None)  # not there when stdout is captured
        if binary is not None:
            sys.stdout.flush()
            binary.write(content)
            binary.flush()
        else:
            sys.stdout.write(content.decode("utf-8"))
        return
    try:
        out_file.write_bytes(content)
    except OSError as error:
        raise SpringrainError(
            f"无法写入 {out_file}：{error.strerror or error}。请检查目录是否存在、是否有写入权限。",
            f"Cannot write {out_file}: {error.strerror or error}.",
        ) from None
