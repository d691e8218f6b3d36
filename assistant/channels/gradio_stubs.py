"""Gradio without its type-stub writing.

Every import of Gradio re-derives a ``.pyi`` type stub for each of its components from
that component's source (``gradio.component_meta.create_or_modify_pyi``, called as each
component class is defined) and writes the file when it differs: editor support for
Gradio's own developers, about 1.1 s of every start here (Gradio's import 2.2 s -> 1.1 s),
and a write into site-packages. ``skip()`` installs an import hook that replaces that
function with a no-op as soon as ``gradio.component_meta`` is loaded, before any component
is defined; nothing else of Gradio uses it. If Gradio is already imported, or the function
is renamed, the hook changes nothing and Gradio works as before.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from types import ModuleType

MODULE = "gradio.component_meta"


def _no_stub(*_args, **_kwargs) -> None:
    return None


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != MODULE:
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        run = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            if hasattr(module, "create_or_modify_pyi"):
                module.create_or_modify_pyi = _no_stub  # type: ignore[attr-defined]

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def skip() -> None:
    """Install the hook once, unless Gradio's module is already loaded."""
    if MODULE in sys.modules or any(isinstance(f, _Finder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _Finder())
