"""Cases: one proposal from one organisation, from its first file to the signed agreement and after.

The service layer between the interfaces (``commands/``, ``web/``, ``inbox/``)
and the core (readers, rules, renderers, ``registry/`` storage).  A case is
an agreement row of the registry together with every file received for it
(each with its role), staff corrections, the negotiated items, the signing,
results and its history.

* :mod:`.model` — :class:`Case`, :class:`CaseFile`, :class:`Correction`,
  :class:`Item`, :class:`Intake`, :class:`Signed`, :class:`ResultAdded`;
* :mod:`.service` — one function per thing a person does: :func:`intake`,
  :func:`get`, :func:`list_cases`, :func:`consult`, :func:`sign`, :func:`end`,
  :func:`set_items`, :func:`set_details`, :func:`correct`, :func:`confirm`, :func:`add_result`,
  :func:`remove_result`, :func:`merge`, :func:`split`, :func:`render`;
* :mod:`.verdict` — the verdict (受付可 / 要確認 / 要修正) and review items, derived when a case is read;
* :mod:`.messages` — the catalogue and :class:`CaseError` (a refused request, exit code 1).

Matching a new file to a case lives in :mod:`kyotei_docs.registry.matching`
(storage decides it under the write lock, so two processes agree).
"""

from __future__ import annotations

from .messages import CaseError
from .model import (
                      ENDING,
                      Case,
                      CaseFile,
                      Correction,
                      Intake,
                      Item,
                      ResultAdded,
                      Signed,
                      effective_status,
)
from .service import (
                      add_result,
                      case_for_file,
                      confirm,
                      consult,
                      correct,
                      end,
                      get,
                      intake,
                      list_cases,
                      merge,
                      open_registry,
                      remove_result,
                      render,
                      resolve,
                      set_details,
                      set_items,
                      sign,
                      split,
)

__all__ = [
    "ENDING", "Case", "CaseError", "CaseFile", "Correction", "Intake", "Item", "ResultAdded", "Signed",
    "add_result", "case_for_file", "confirm", "consult", "correct", "effective_status", "end", "get", "intake",
    "list_cases", "merge", "open_registry", "remove_result", "render", "resolve", "set_details", "set_items",
    "sign", "split",
]
