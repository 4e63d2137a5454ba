"""Parallel ingest reads ahead of the writer by a bounded number of files (web/batch.py)."""
from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

import pytest

import web.batch as batch
from tests.conftest import SAMPLES


class _Pool:
    """Stands in for ProcessPoolExecutor: runs each parse at submit, records how many were submitted."""

    submitted = 0

    def __init__(self, max_workers: int) -> None:
        self.max_workers = max_workers

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def submit(self, fn, *args):
        type(self).submitted += 1
        future: Future = Future()
        future.set_result(fn(*args))
        return future


@pytest.mark.parametrize("jobs, window, files", [(2, 4, 6), (2, 1, 5), (3, 3, 6), (2, 64, 6)])
def test_read_ahead_is_bounded(monkeypatch, jobs, window, files):
    monkeypatch.setattr(batch, "ProcessPoolExecutor", _Pool)
    _Pool.submitted = 0
    paths = sorted(p for p in SAMPLES.iterdir() if p.is_file())[:files]
    assert len(paths) == files
    taken = []
    for path_str, built, result in batch._parsed(paths, jobs, window=window):
        taken.append(path_str)
        # what was parsed but not yet written never exceeds the window (at least one per worker)
        assert _Pool.submitted - len(taken) <= max(window, 2 * jobs) - 1
    assert taken == [str(p) for p in paths]            # in order, each once
    assert _Pool.submitted == files


def test_parallel_ingest_parses_every_file_in_order():
    paths = sorted(p for p in SAMPLES.iterdir() if p.is_file())
    out = [(Path(p).name, r.status) for p, _b, r in batch._parsed(paths, 2, window=2)]
    assert [name for name, _ in out] == [p.name for p in paths]
    assert all(status == "added" for _, status in out)
