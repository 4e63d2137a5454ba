"""Reports in layouts the bundled samples do not use, scored by the shared scorer as users run it.

tests/data/unseen holds short fictional reports (state-owned groups, a township, a county office's
annual report, a Traditional-character copy, a portal page with an issue table, PDF line breaks …)
with hand-made gold in the scorer's schema.  They were written to harden the parser for the genre:
a layout that fails here is fixed with a table row, never with a rule keyed to one file.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SHARED

SCORER = SHARED / "tools" / "score.py"
UNSEEN = ROOT / "tests" / "data" / "unseen"


def test_unseen_layouts_score_full_marks():
    if not SCORER.is_file():
        pytest.skip(f"{SCORER} 不存在:评分脚本在 ../shared 中")
    env = dict(os.environ, RECTIGRAPH=f"{sys.executable} -m web.cli", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, str(SCORER), "--corpus", str(UNSEEN / "reports"),
                           "--gold", str(UNSEEN / "gold"), "-v"],
                          capture_output=True, text=True, timeout=900, env=env, cwd=ROOT)
    last = proc.stdout.strip().splitlines()[-1]
    assert last.startswith("score: "), proc.stdout + proc.stderr
    assert float(last.split()[1]) == 1.0, proc.stdout
