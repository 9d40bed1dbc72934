"""Every address the site gives into the repository: its home, its issue forms (prefilled
where GitHub allows), a record's file. All from the one configuration place
(``springrain.config.settings``) and the forms' own definitions (``springrain.intake.forms``).

GitHub fills an issue form's field from a URL query parameter named by the field's ``id``
(GitHub Docs, "Syntax for issue forms": "the id is the canonical identifier for the field
in URL query parameter prefills"), so the ids come from the form elements themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import quote, urlencode

from springrain.config import Settings
from springrain.intake import forms
from springrain.intake.forms import form_file
from springrain.model.kinds import kind as record_kind


@cache
def _field_id(form: str, path: tuple[str, ...]) -> str:
    """The id of the element of a record form that fills ``path`` of the record."""
    return next(el.id for el in forms.elements(form) if el.path == path)


def _query(pairs: dict[str, str]) -> str:
    return urlencode(pairs, quote_via=quote, safe="")


@dataclass(frozen=True)
class Links:
    repository: str  # https://github.com/<owner>/<name>, no trailing slash
    branch: str

    @classmethod
    def of(cls, settings: Settings) -> Links:
        return cls(settings.repository.rstrip("/"), settings.branch)

    @property
    def name(self) -> str:
        """owner/name, as shown to a reader."""
        return self.repository.removeprefix("https://github.com/")

    @property
    def choose(self) -> str:
        """GitHub's page listing every form of the repository."""
        return f"{self.repository}/issues/new/choose"

    @property
    def issues(self) -> str:
        return f"{self.repository}/issues"

    def form(self, form: str, **prefill: str) -> str:
        return f"{self.repository}/issues/new?" + _query({"template": form_file(form), **prefill})

    def footer_forms(self) -> list[dict[str, str]]:
        """Each form with its Chinese name and address, in the forms' order."""
        return [
            {"form": f, "name": forms.FORM_META[f]["name"], "url": self.form(f)}
            for f in forms.FORMS
        ]

    def cooperation(self, project_id: str) -> str:
        """The cooperation form with the project filled in. (The issue keeps the form's own
        title: the address is written on every project page, so it carries only the id.)"""
        return self.form("cooperation", **{_field_id("cooperation", ("project",)): project_id})

    def correction(self, record_id: str) -> str:
        """The correction form with the record's id filled in."""
        return self.form("correction", **{forms.CORRECTION_ID.id: record_id})

    def record_file(self, kind: str, record: dict[str, Any]) -> str:
        return self.repository_file("data/" + record_kind(kind).relative_path(record))

    def repository_file(self, path: str) -> str:
        """A file of the repository, as GitHub shows it on the default branch."""
        return f"{self.repository}/blob/{quote(self.branch)}/{quote(path)}"
