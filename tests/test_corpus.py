"""Real-world configs: we load what pre-commit loads, the same hooks in the same order.

The corpus lives beside the clone (``../shared/corpus/precommit-configs``), with
``EXPECTED.json`` recording what pre-commit itself made of each file.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from pytest_hookrun.config import ConfigError, load_config

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus" / "precommit-configs"
MISSING = (
    f"pre-commit config corpus not found at {CORPUS} (CI checks ../shared out beside the clone)"
)
LEGACY_STAGES = {"commit": "pre-commit", "merge-commit": "pre-merge-commit", "push": "pre-push"}


def corpus_files() -> list[Any]:
    if not CORPUS.is_dir():
        return [pytest.param("", marks=pytest.mark.skip(reason=MISSING), id="no-corpus")]
    return sorted(path.name for path in CORPUS.glob("*.yaml"))


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    if not CORPUS.is_dir():
        pytest.skip(MISSING)
    data: dict[str, Any] = json.loads((CORPUS / "EXPECTED.json").read_text())
    return data


def test_every_corpus_file_has_an_expectation(expected: dict[str, Any]) -> None:
    assert sorted(expected) == corpus_files()
    assert len(expected) > 100
    assert any(not entry["valid"] for entry in expected.values())


@pytest.mark.parametrize("name", corpus_files())
def test_corpus_config(name: str, expected: dict[str, Any]) -> None:
    want = expected[name]
    path = CORPUS / name
    if not want["valid"]:
        with pytest.raises(ConfigError) as excinfo:
            load_config(path)
        message = str(excinfo.value)
        assert len(message.splitlines()) == 1, message
        match = re.match(rf"{re.escape(str(path))}:(\d+): \S", message)
        assert match, message
        assert 1 <= int(match.group(1)) <= len(path.read_text().splitlines())
        missing = re.search(r"Missing required key: (\w+)", want.get("error_detail") or "")
        if missing:
            assert f"'{missing.group(1)}'" in message
        return

    cfg = load_config(path)
    got = [
        {
            "repo": hook.repo,
            "rev": hook.rev,
            "id": hook.id,
            "stages": hook.overrides.get("stages"),
            "priority": hook.priority,
        }
        for hook in cfg.hooks
    ]
    assert got == want["hooks"]
    assert [hook.position for hook in cfg.hooks] == list(range(len(got)))

    # every hook's line is the line of its `id:` key
    lines = path.read_text().splitlines()
    for hook in cfg.hooks:
        assert re.search(rf"\bid:\s*['\"]?{re.escape(hook.id)}", lines[hook.line - 1])

    # pre-commit's warnings (deprecated stage names) are ours too, at a line of the file
    ours = [w for w in cfg.warnings if "unknown key" not in w]  # pre-commit warns at run time
    assert len(ours) == len(want["warnings"])
    for warning in want["warnings"]:
        core = warning.removeprefix("[WARNING] ").split(" which will be removed")[0]
        assert any(core in w for w in ours), (core, ours)
    for warning in cfg.warnings:
        assert re.match(rf"{re.escape(str(path))}:\d+: ", warning)


# --------------------------------------------------------------------------- through pytest

PLUGIN_SAMPLES = [
    "astral-sh__ruff.yaml",  # priorities, a repeated id, a manual hook
    "keras-team__keras.yaml",  # explicit stages: pre-commit and manual copies of ruff
    "bokeh__bokeh.yaml",  # default_stages: [push] (legacy); only ruff sets its own stages
    "iterative__dvc.yaml",  # one local hook per git stage
]


def pre_commit_node_ids(name: str, expected: dict[str, Any]) -> list[str]:
    """What pytest must collect for the pre-commit stage, worked out without our loader."""
    raw = yaml.safe_load((CORPUS / name).read_text())
    default = raw.get("default_stages")
    seen: dict[str, int] = {}
    ids = []
    for hook in expected[name]["hooks"]:
        stages = hook["stages"] or default
        if hook["stages"] is None and hook["repo"] not in ("local", "meta"):
            # its stages come from its repo's manifest (config, else manifest, else
            # default_stages): known only at run start, so it is collected in every stage
            stages = None
        if stages is not None and "pre-commit" not in [LEGACY_STAGES.get(s, s) for s in stages]:
            continue
        seen[hook["id"]] = seen.get(hook["id"], 0) + 1
        count = seen[hook["id"]]
        ids.append(f".pre-commit-config.yaml::{hook['id']}" + (f"#{count}" if count > 1 else ""))
    return ids


def test_sample_expectations_are_interesting(expected: dict[str, Any]) -> None:
    if not all((CORPUS / name).exists() for name in PLUGIN_SAMPLES):
        pytest.skip("a sample config is gone from the corpus")
    ids = {name: pre_commit_node_ids(name, expected) for name in PLUGIN_SAMPLES}
    assert ".pre-commit-config.yaml::ruff-format#2" in ids["astral-sh__ruff.yaml"]
    # default_stages: [push], but only ruff sets stages itself: the rest await their manifests
    assert ids["bokeh__bokeh.yaml"][0] == ".pre-commit-config.yaml::ruff"
    assert len(ids["bokeh__bokeh.yaml"]) > 1
    assert len(ids["iterative__dvc.yaml"]) < len(expected["iterative__dvc.yaml"]["hooks"])
    assert len(ids["keras-team__keras.yaml"]) < len(expected["keras-team__keras.yaml"]["hooks"])


@pytest.mark.parametrize("name", PLUGIN_SAMPLES)
def test_plugin_collects_corpus_config_without_cloning(
    name: str,
    expected: dict[str, Any],
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not (CORPUS / name).exists():
        pytest.skip(f"{name} is gone from the corpus")
    for var in ("PYTEST_ADDOPTS", "HOOKRUN_JOBS", "HOOKRUN_TIMEOUT"):
        monkeypatch.delenv(var, raising=False)
    subprocess.run(["git", "init", "-q"], cwd=pytester.path, check=True)
    shutil.copy(CORPUS / name, pytester.path / ".pre-commit-config.yaml")

    commands: list[list[str]] = []
    original_init = subprocess.Popen.__init__

    def recording_init(self: subprocess.Popen[Any], args: Any, *a: Any, **kw: Any) -> None:
        commands.append([str(x) for x in args] if isinstance(args, list | tuple) else [str(args)])
        original_init(self, args, *a, **kw)

    monkeypatch.setattr(subprocess.Popen, "__init__", recording_init)
    start = time.perf_counter()
    result = pytester.runpytest("--hooks", "--collect-only", "-q", "-p", "no:cacheprovider")
    elapsed = time.perf_counter() - start

    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    collected = [line for line in result.stdout.lines if "::" in line]
    assert collected == pre_commit_node_ids(name, expected)
    assert not [c for c in commands if {"clone", "fetch", "ls-remote"} & set(c)], commands
    assert elapsed < 30, f"collecting {name} took {elapsed:.1f}s"
