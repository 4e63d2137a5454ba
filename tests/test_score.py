"""The shared scorer, run exactly as a user runs it, on the real reports and on the samples."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import GOLD, ROOT, SAMPLE_GOLD, SAMPLES, SHARED, shared_or_skip

SCORER = SHARED / "tools" / "score.py"


def _score(corpus, gold) -> tuple[float, str]:
    env = dict(os.environ, RECTIGRAPH=f"{sys.executable} -m web.cli", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, str(SCORER), "--corpus", str(corpus), "--gold", str(gold), "-v"],
                          capture_output=True, text=True, timeout=900, env=env, cwd=ROOT)
    last = proc.stdout.strip().splitlines()[-1]
    assert last.startswith("score: "), proc.stdout + proc.stderr
    return float(last.split()[1]), proc.stdout


def test_shared_corpus_scores_full_marks():
    corpus = shared_or_skip()
    score, output = _score(corpus, GOLD)
    assert score == 1.0, output


def test_bundled_samples_score_full_marks():
    if not SCORER.is_file():
        pytest.skip(f"{SCORER} 不存在:评分脚本在 ../shared 中")
    score, output = _score(SAMPLES, SAMPLE_GOLD)
    assert score == 1.0, output
