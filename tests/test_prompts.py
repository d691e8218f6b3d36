"""Every reply template renders with exactly its declared variables (StrictUndefined)."""

import pytest
from jinja2 import UndefinedError

from prompts import declared_variables, render, template_names

NAMES = template_names()


@pytest.mark.parametrize("name", NAMES)
def test_template_renders_with_declared_variables(name):
    values = {
        v: (
            ["x"]
            if v in ("products", "lines")
            else 3
            if v in ("count", "total", "index", "limit", "quantity")
            else True
            if v == "cite"
            else f"<{v}>"
        )
        for v in declared_variables(name)
    }
    text = render(name, **values)
    assert text.strip()
    for value in values.values():
        if isinstance(value, str):
            assert value in text or name == "search_results"


@pytest.mark.parametrize("name", [n for n in NAMES if declared_variables(n)])
def test_missing_variable_is_an_error(name):
    with pytest.raises(UndefinedError):
        render(name)
