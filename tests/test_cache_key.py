"""The pure parts of the result cache's key: which files an argument names, and which tool
configs outside the tree are looked at. (tests/test_cache.py runs the cache itself.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_hookrun.config import Hook
from pytest_hookrun.results import CONFIG_NAMES, is_file_local, option_paths, outside_configs


@pytest.mark.parametrize(
    "arg,paths",
    [
        ("words.txt", []),  # the argument itself is the caller's to look at
        ("--ignore-words=ci/words.txt", ["ci/words.txt"]),
        ("-I", []),
        ("--dictionary=a.txt,./b.txt,", ["a.txt,./b.txt,", "a.txt", "b.txt"]),
        ("a.txt,b.txt", ["a.txt", "b.txt"]),
        ("@ci/args", ["ci/args"]),
        # outside the tree: an option's output (a log) more often than an input
        ("--log=/tmp/x.log", []),
        ("--config=../x.toml", []),
        ("--x=", []),
        ("not-an-option=x.txt", []),
    ],
)
def test_option_paths(arg: str, paths: list[str]) -> None:
    assert option_paths(arg) == paths


# Where each per-file tool looks for its config (read in each tool's source): the names
# must be in every key wherever they are in the tree, and those a tool looks for above the
# directory it runs in too, up to the filesystem's root.
CONFIGS = {
    "black": ["pyproject.toml"],
    "docstrfmt": ["pyproject.toml"],
    "codespell": ["setup.cfg", ".codespellrc", "pyproject.toml"],
    "autopep8": ["setup.cfg", "tox.ini", ".pep8", ".pycodestyle", ".flake8"],
    "docformatter": ["pyproject.toml", "setup.cfg", "tox.ini"],
    "toml-sort": ["pyproject.toml"],
    "hadolint": [".hadolint.yaml", ".hadolint.yml"],
    "prettier": [".prettierrc", ".prettierrc.json", ".prettierrc.yaml", ".prettierrc.toml",
                 ".prettierrc.js", "prettier.config.js", "prettier.config.mjs", ".editorconfig",
                 "package.json", ".prettierignore"],
}  # fmt: skip
CLIMBING = {
    "ruff": ["ruff.toml", ".ruff.toml", "pyproject.toml"],
    "isort": [".isort.cfg", "pyproject.toml", "setup.cfg", "tox.ini", ".editorconfig"],
    "yamllint": [".yamllint", ".yamllint.yaml", ".yamllint.yml"],
    "prettier": [".prettierrc", ".prettierrc.json", "prettier.config.js", "package.json"],
    "mdformat": [".mdformat.toml"],
    "typos": ["typos.toml", "_typos.toml", ".typos.toml", "pyproject.toml", "Cargo.toml"],
    "clang-format": [".clang-format", "_clang-format", ".clang-format-ignore"],
    "pyproject-fmt": ["pyproject-fmt.toml"],
    "pydocstyle": ["setup.cfg", "tox.ini", ".pydocstyle", ".pydocstyle.ini", ".pydocstylerc",
                   ".pydocstylerc.ini", "pyproject.toml", ".pep257"],
    "cmake-format": [".cmake-format", ".cmake-format.py", ".cmake-format.json",
                     ".cmake-format.yaml", "cmake-format.py", "cmake-format.json",
                     "cmake-format.yaml"],
    "shfmt": [".editorconfig"],
}  # fmt: skip


@pytest.mark.parametrize("id", sorted({*CONFIGS, *CLIMBING}))
def test_a_per_file_tools_configs_are_in_the_key(id: str, tmp_path: Path) -> None:
    hook = Hook(
        id=id, name=id, entry=id, language="system", repo="local", rev=None, line=1, position=0
    )
    assert is_file_local(hook)
    assert set(CONFIGS.get(id, [])) | set(CLIMBING.get(id, [])) <= CONFIG_NAMES
    root = tmp_path / "above" / "repo"
    root.mkdir(parents=True)
    for name in CLIMBING.get(id, []):
        (tmp_path / name).write_text("x = 1\n")  # two levels above
    found = {Path(path).name for path, _, _ in outside_configs(root)}
    assert found >= set(CLIMBING.get(id, []))


def test_outside_configs_see_an_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("YAMLLINT_CONFIG_FILE", str(tmp_path / "lint.yaml"))
    root = tmp_path / "repo"
    root.mkdir()
    before = outside_configs(root)
    for path in ("config/black", "home/.aws/credentials", "lint.yaml", ".editorconfig"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x\n")
        now = outside_configs(root)
        assert now != before, path
        before = now
    (tmp_path / "lint.yaml").write_text("a longer text\n")  # another size
    assert outside_configs(root) != before
