"""`springrain serve`: the built site on 127.0.0.1 under the path it has when published."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from springrain.errors import SpringrainError
from springrain.site.serve import HOST, address, make_server


def _get(url: str) -> tuple[int, bytes, str]:
    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(Stay)
    try:
        with opener.open(url) as response:
            return response.status, response.read(), response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("Location", "")


def test_serves_the_site_under_its_path(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("首页", encoding="utf-8")
    (tmp_path / "404.html").write_text("找不到该页面", encoding="utf-8")
    server = make_server(tmp_path, "/repo/", 18_400)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = address(server, "/repo/")
        assert base.startswith(f"http://{HOST}:") and base.endswith("/repo/")
        root = base.removesuffix("repo/")
        status, _, location = _get(root)
        assert status == 302 and location == "/repo/"
        assert _get(base + "index.html")[:2] == (200, "首页".encode())
        status, body, _ = _get(base + "missing.html")
        assert status == 404 and "找不到该页面" in body.decode()
        assert _get(root + "index.html")[0] == 404  # outside the site's path
        # A NUL names no file: a 404, and the server goes on serving.
        assert _get(base + "index.html%00.txt")[0] == 404
        assert _get(base + "%00")[0] == 404
        assert _get(base + "index.html")[0] == 200
    finally:
        server.shutdown()
        server.server_close()


def test_refuses_a_folder_without_a_built_site(tmp_path: Path) -> None:
    with pytest.raises(SpringrainError) as error:
        make_server(tmp_path, "/", 18_400)
    assert "make build" in error.value.message_zh


@pytest.mark.parametrize("port", ["70000", "-1", "0", "http"])
def test_a_port_outside_the_range_is_a_usage_error(run_cli, tmp_path: Path, port: str) -> None:
    (tmp_path / "index.html").write_text("首页", encoding="utf-8")
    code, output = run_cli("serve", "--site", str(tmp_path), "--port", port)
    assert code == 2 and "--port" in output and "Traceback" not in output


def test_ports_tried_stop_at_the_last_port(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("首页", encoding="utf-8")
    server = make_server(tmp_path, "/", 65_535)
    try:
        assert server.server_address[1] == 65_535
        with pytest.raises(SpringrainError) as error:
            make_server(tmp_path, "/", 65_535)
        assert "65535 都被占用" in error.value.message_zh
    finally:
        server.server_close()
