"""``springrain serve``: view the built site on this machine."""

from __future__ import annotations

from pathlib import Path

import click

from springrain.config import SITE_OUT
from springrain.site.serve import PORTS


@click.command(
    "serve",
    help="""在本机预览已生成的网站：只监听 127.0.0.1，按网站发布时的路径提供页面，并打印地址。

Serve the built site on 127.0.0.1, under the path it has when published (from site_url),
and print its address; Ctrl+C stops it. Opening site/index.html from disk breaks the
catalogue and search, which read their data with the browser's fetch.

\b
例 / Example:
  springrain serve
  springrain serve --site site --port 8080
""",
)
@click.option(
    "--site",
    "site_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=SITE_OUT,
    show_default="site/",
    help="已生成的网站目录 / the built site",
)
@click.option(
    "--port",
    type=click.IntRange(*PORTS),
    default=8000,
    show_default=True,
    help="端口（被占用时往后找）/ port",
)
def command(site_dir: Path, port: int) -> int:
    from springrain.config import settings
    from springrain.site.serve import address, make_server

    prefix = settings().site_path
    server = make_server(site_dir, prefix, port)
    click.echo(
        f"网站已在本机启动：{address(server, prefix)}\n"
        f"Serving {site_dir} at {address(server, prefix)} (Ctrl+C 停止 / to stop)",
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("\n已停止。Stopped.")
    finally:
        server.server_close()
    return 0
