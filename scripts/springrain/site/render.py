"""The Jinja2 environment: templates from this package, autoescape always on."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from springrain.model.kinds import record_kinds

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=False,
        keep_trailing_newline=True,
        # The templates ship with the code and never change during a build; without this
        # every get_template (twice per record page: the page and _macros.html) stats a file.
        auto_reload=False,
    )
    # Each record kind's folder (projects/, enterprises/), from the model: no template names one.
    env.globals["folder"] = {name: kind.plural for name, kind in record_kinds().items()}
    return env


def render(name: str, **context: object) -> str:
    return environment().get_template(name).render(**context)
