"""The one YAML loader reads every data file exactly as ``yaml.safe_load`` does."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from troly06.yamlfile import SafeLoader, load_yaml, read_yaml

ROOT = Path(__file__).resolve().parents[2]
DATA_DIRS = ["knowledge", "troly06", "stats", "handoff", "actions", "console", "nlu_data"]


def _data_files() -> list[Path]:
    return sorted(p for d in DATA_DIRS for p in (ROOT / d).rglob("*.y*ml")
                  if p.suffix in {".yaml", ".yml"})


def test_the_fast_loader_is_the_c_one_when_libyaml_is_there() -> None:
    if not yaml.__with_libyaml__:  # pragma: no cover - every supported install has it
        pytest.skip("PyYAML built without libyaml")
    assert SafeLoader is yaml.CSafeLoader


def test_every_data_file_loads_as_safe_load_reads_it() -> None:
    files = _data_files()
    assert len(files) > 20
    for path in files:
        assert read_yaml(path) == yaml.safe_load(path.read_text("utf-8")), path


def test_it_stays_safe_and_reports_bad_yaml() -> None:
    with pytest.raises(yaml.YAMLError):
        load_yaml("!!python/object/apply:os.system ['true']")
    with pytest.raises(yaml.YAMLError) as caught:
        load_yaml("a: [1, 2\nb: 3\n")
    assert getattr(caught.value, "problem_mark", None) is not None
