"""The PDF readers share one layout model and do not import each other (issue 12.6)."""

from __future__ import annotations

import ast
from pathlib import Path

from kyotei_docs import readers

DIR = Path(readers.__file__).parent


def _imports(name: str) -> set[str]:
    tree = ast.parse((DIR / f"{name}.py").read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                out.add(node.module)
            else:
                out.update(alias.name for alias in node.names)
    return out


def test_acroform_and_ocr_use_the_layout_model_not_the_text_layer_reader():
    for name in ("acroform", "ocr"):
        deps = _imports(name)
        assert "layout" in deps and "pdf" not in deps, (name, deps)
    assert not _imports("layout") & {"pdf", "acroform", "ocr"}
