"""How ``make test`` runs the suite on pytest-xdist: the cores and one worker more, files in conftest's order."""

from __future__ import annotations

import os

import pytest

import conftest


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def test_auto_starts_one_worker_more_than_the_cores(monkeypatch):
    monkeypatch.delenv("PYTEST_XDIST_AUTO_NUM_WORKERS", raising=False)
    assert conftest.pytest_xdist_auto_num_workers(pytest.Config.__new__(pytest.Config)) == _cores() + 1


@pytest.mark.parametrize(("value", "workers"), [("2", 2), ("7", 7), ("many", None), ("", None)])
def test_the_documented_variable_still_sets_the_number(monkeypatch, value, workers):
    monkeypatch.setenv("PYTEST_XDIST_AUTO_NUM_WORKERS", value)
    expected = workers if workers is not None else _cores() + 1
    assert conftest.pytest_xdist_auto_num_workers(pytest.Config.__new__(pytest.Config)) == expected


def test_files_are_handed_out_in_conftests_order_not_by_their_number_of_tests(pytestconfig):
    """xdist's default reordering (most tests first) put the long browser files of few tests last."""
    assert pytestconfig.option.loadscopereorder is False
