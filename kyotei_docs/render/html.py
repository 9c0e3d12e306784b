"""Form 3 as an HTML fragment the city's CMS can take.

The same safety rules as for .docx: HTML autoescaping, ``StrictUndefined``, a
sandboxed environment, cleaned values; a company called 「A&B <株>」 comes out as
``A&amp;B &lt;株&gt;``.  The template's fixed commas follow the configuration.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from .docx import CompilingOnceEnvironment, apply_comma
from .messages import TemplateProblem
from .values import safe_context

__all__ = ["html_env", "render_html"]


@lru_cache(maxsize=1)
def html_env() -> SandboxedEnvironment:
    return CompilingOnceEnvironment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)


def render_html(template: Path, context: dict[str, Any], *, comma: str = "，") -> str:
    """The filled-in fragment (UTF-8 text)."""
    try:
        source = apply_comma(template.read_text("utf-8-sig"), comma)
        return html_env().from_string(source).render(safe_context(context))
    except UnicodeDecodeError as exc:
        raise TemplateProblem("template_render", name=template.name, detail=str(exc)) from exc
    except UndefinedError as exc:
        raise TemplateProblem("template_undefined", name=template.name, detail=str(exc)) from exc
    except TemplateError as exc:
        raise TemplateProblem("template_render", name=template.name, detail=str(exc)) from exc
