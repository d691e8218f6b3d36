"""Prompt and reply templates, kept as data (YAML + Jinja with StrictUndefined).

``render(name, **variables)`` is the only way code turns a template into text; a
missing variable is an error, never an empty string.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined, Template

_ENV = Environment(undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, autoescape=False)


@cache
def _templates(file: str) -> dict[str, dict[str, Any]]:
    data = yaml.safe_load((files("prompts") / f"{file}.yaml").read_text(encoding="utf-8"))
    return {name: spec for name, spec in data.items()}


@cache
def _compiled(file: str, name: str) -> Template:
    return _ENV.from_string(_templates(file)[name]["template"])


def template_names(file: str = "answers") -> list[str]:
    return list(_templates(file))


def declared_variables(name: str, file: str = "answers") -> list[str]:
    return list(_templates(file)[name].get("variables", []))


def render(name: str, file: str = "answers", **variables: Any) -> str:
    text = _compiled(file, name).render(**variables)
    return " ".join(text.split()) if _templates(file)[name].get("single_line", True) else text.strip()
