"""The bundled data and themes travel in the wheel: install it in a fresh venv and run from /tmp."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from testkit import REPO


@pytest.mark.slow
def test_installed_wheel_finds_bundled_data_from_any_directory(tmp_path: Path) -> None:
    uv = shutil.which("uv")
    if uv is None:  # the README's command is `uv run pytest`, so uv is on PATH there
        pytest.fail("uv is not on PATH; run the suite with `uv run pytest`")
    dist = tmp_path / "dist"
    subprocess.run([uv, "build", "--wheel", "--out-dir", str(dist), str(REPO)], check=True, capture_output=True)
    [wheel] = dist.glob("briefing-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True, capture_output=True)
    py = venv / "bin" / "python"
    subprocess.run([uv, "pip", "install", "--quiet", "--python", str(py), str(wheel)], check=True, capture_output=True)
    env = {k: v for k, v in os.environ.items() if k not in ("BRIEFING_DATA", "VIRTUAL_ENV", "PYTHONPATH")}
    env["BRIEFING_NO_CACHE"] = "1"
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    r = subprocess.run(
        [str(venv / "bin" / "briefing"), "validate"], cwd=workdir, env=env, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("ok: ")
    expected = subprocess.run(
        [sys.executable, "-m", "briefing", "validate"], env=env, capture_output=True, text=True
    ).stdout
    assert r.stdout == expected  # the same dataset as the checkout's data/
    themes = subprocess.run(
        [str(py), "-c", "from briefing.themes import available; print(sorted(available()))"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for name in ("briefing-dark", "briefing-light", "high-contrast", "mono"):
        assert name in themes
