"""benchmarks/calibration.py runs on the shared data sets (a smoke test: a few names each)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "calibration.py"


def test_the_calibration_script_prints_a_table_per_data_set(
    shared: Path, default_home: Path, ua_home: Path, capsys: pytest.CaptureFixture[str],
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    spec = importlib.util.spec_from_file_location("calibration", _SCRIPT)
    assert spec is not None and spec.loader is not None
    calibration = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "calibration", calibration)  # its dataclasses look it up
    spec.loader.exec_module(calibration)
    calibration.SHARED = shared
    answers = tmp_path / "answers.jsonl"
    calibration.main(["--home", str(default_home), "--ua-home", str(ua_home), "--limit", "3",
                      "--answers", str(answers)])  # fmt: skip
    out = capsys.readouterr().out
    for label in ("GWN.xml:", "lgl.xml:", "UA spellings, oblast hint:"):
        assert label in out
    assert out.count("score 0.9-1.0") == 3
    assert out.count("resolved") >= 3
    assert len(answers.read_text("utf-8").splitlines()) >= 3
