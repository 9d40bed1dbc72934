"""The one configuration place: where the repository's parts live, and its public addresses.

Paths are found from this file, so any working directory works. The repository's address,
its default branch and the site's address are read from ``[tool.springrain]`` in
``pyproject.toml``; the environment variables ``SPRINGRAIN_REPOSITORY``,
``SPRINGRAIN_BRANCH`` and ``SPRINGRAIN_SITE_URL`` override them (a copy of the repository
sets them in its workflows). Everything that names the repository or the site reads
``settings()``: the package descriptor, the site's links and the issue-form links.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent.parent
SCHEMAS_DIR = REPO_ROOT / "schemas"
VOCAB_DIR = SCHEMAS_DIR / "vocab"
TABLES_DIR = SCHEMAS_DIR / "tables"
DATA_DIR = REPO_ROOT / "data"
BUILD_DIR = REPO_ROOT / "build"
PACKAGE_OUT = BUILD_DIR / "data"
SITE_OUT = REPO_ROOT / "site"
PYPROJECT = REPO_ROOT / "pyproject.toml"

KEYS = ("repository", "branch", "site_url")
ENVIRONMENT = {
    "repository": "SPRINGRAIN_REPOSITORY",
    "branch": "SPRINGRAIN_BRANCH",
    "site_url": "SPRINGRAIN_SITE_URL",
}


@dataclass(frozen=True)
class Settings:
    repository: str  # https://github.com/<owner>/<name>, no trailing slash
    branch: str
    site_url: str  # the site's address, ending in "/" (a project site has a sub-path)

    @property
    def site_path(self) -> str:
        """The path part of the site's address: ``/springrain/`` for a project site."""
        rest = self.site_url.split("://", 1)[-1]
        return "/" + rest.partition("/")[2] if "/" in rest else "/"

    def issue_form(self, template: str) -> str:
        return f"{self.repository}/issues/new?template={template}"


def _from_pyproject() -> dict[str, str]:
    try:
        with open(PYPROJECT, "rb") as handle:
            table = tomllib.load(handle).get("tool", {}).get("springrain", {})
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return {key: str(value) for key, value in table.items() if key in KEYS}


@cache
def settings() -> Settings:
    values = _from_pyproject()
    for key, variable in ENVIRONMENT.items():
        if os.environ.get(variable, "").strip():
            values[key] = os.environ[variable].strip()
    repository = values.get("repository", "").rstrip("/")
    if not repository.startswith("https://"):
        from springrain.errors import SpringrainError

        raise SpringrainError(
            "未配置仓库地址：请在 pyproject.toml 的 [tool.springrain] 中填写 repository，"
            "或设置环境变量 SPRINGRAIN_REPOSITORY（https://github.com/<账号>/<仓库>）。",
            "The repository's address is not configured: set repository in [tool.springrain] "
            "of pyproject.toml, or SPRINGRAIN_REPOSITORY (https://github.com/<owner>/<name>).",
        )
    site_url = values.get("site_url") or _pages_url(repository)
    return Settings(repository, values.get("branch") or "main", site_url.rstrip("/") + "/")


def _pages_url(repository: str) -> str:
    """GitHub Pages' address of a repository's project site."""
    owner, _, name = repository.removeprefix("https://github.com/").partition("/")
    if name.lower() == f"{owner.lower()}.github.io":
        return f"https://{name.lower()}/"
    return f"https://{owner.lower()}.github.io/{name}/"


# 2106-02-07T06:28:15Z: the last second a gzip header can hold (mkdocs gzips the sitemap
# with this time; a zip, such as the workbook, can date no later than 2107): the latest a
# build can be stamped with.
LAST_SECOND = 4_294_967_295


def source_date_epoch(environ: Mapping[str, str] | None = None) -> int | None:
    """``SOURCE_DATE_EPOCH`` (reproducible-builds.org), the time a build is of, in whole
    seconds since 1970; None when unset. The package's timestamp and the statistics' "as
    of" date both read it here. A value that is no such number is an error: taken for
    unset, it would have the build stamped with another time without a word."""
    environ = os.environ if environ is None else environ
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 12 or int(value) > LAST_SECOND:
        from springrain.errors import SpringrainError

        raise SpringrainError(
            f"环境变量 SOURCE_DATE_EPOCH 的值 {value[:40]!r} 不是整数秒数"
            "（自 1970-01-01 起的秒数，不晚于 2106 年 2 月 7 日，例如 1767225600）。请改正或删除这个变量。",
            f"SOURCE_DATE_EPOCH is {value[:40]!r}, not a whole number of seconds since "
            "1970-01-01 up to 2106-02-07 (e.g. 1767225600). Fix or unset it.",
        )
    return int(value)
