"""The pure parts of the result cache's key: which files an argument names, which tool
configs outside the tree are looked at, which program an entry runs, and what a hook
reads from its environment. (tests/test_cache.py runs the cache itself.)"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pytest_hookrun.config import Hook
from pytest_hookrun.results import (
    CONFIG_NAMES,
    entry_program,
    environment_inputs,
    is_file_local,
    option_paths,
    outside_configs,
)


def local(id: str, entry: str, language: str = "system", **keys: object) -> Hook:
    return Hook(
        id=id, name=id, entry=entry, language=language, repo="local", rev=None, line=1,
        position=0, **keys,  # type: ignore[arg-type]
    )  # fmt: skip


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
    "pymarkdown": [".pymarkdown", ".pymarkdown.yaml", ".pymarkdown.yml", "pyproject.toml"],
    # .github/zizmor.yml, ...; and .github/workflows/actions.lock
    "zizmor": ["zizmor.yml", "zizmor.yaml", "zizmor.toml", "actions.lock"],
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
    "flake8": ["setup.cfg", "tox.ini", ".flake8"],  # up to the home directory
    "taplo-format": ["taplo.toml", ".taplo.toml"],
    # without a .git above it (GIT_CEILING_DIRECTORIES)
    "zizmor": ["zizmor.yml", "zizmor.yaml", "zizmor.toml"],
}  # fmt: skip


@pytest.mark.parametrize("id", sorted({*CONFIGS, *CLIMBING}))
def test_a_per_file_tools_configs_are_in_the_key(id: str, tmp_path: Path) -> None:
    assert is_file_local(local(id, id, "python"))
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


# the entries of local hooks with a per-file id in ../shared/corpus/precommit-configs/
@pytest.mark.parametrize(
    "id,entry,language,program,per_file",
    [
        ("ruff-check", "uv run ruff check --force-exclude --fix", "system", "ruff", True),
        ("ruff-format", "pixi run ruff format --force-exclude", "system", "ruff", True),
        ("clang-format", "pixi run clang-format -i", "system", "clang-format", True),
        ("typos", "pixi run typos --force-exclude", "system", "typos", True),
        ("black", "black --check --diff --color --quiet", "system", "black", True),
        ("mdformat", "mdformat --wrap 120", "python", "mdformat", True),
        ("shfmt", "--net none mvdan/shfmt:v3.5.1", "docker_image", "shfmt", True),
        ("hadolint", "hadolint/hadolint:v2.8.0-alpine hadolint", "docker_image", "hadolint", True),
        ("prettier", "env PRETTIER_LEGACY_CLI=1 prettier", "node", "prettier", True),
        ("prettier", "prettier --write --ignore-unknown", "node", "prettier", True),
        # a script of the project's own, whatever it runs: cached whole
        ("prettier", "npm run prettier:files", "node", "npm", False),
        ("prettier", "jlpm", "system", "jlpm", False),
        (
            "prettier",
            "./scripts/run_in_subdirectory.py frontend/ yarn prettier --write",
            "node",
            "run_in_subdirectory",
            False,
        ),
        # others
        ("black", "python3.11 -m black", "system", "black", True),
        ("black", "python -u tools/black.py", "system", "black", True),
        ("black-jupyter", "black", "system", "black", True),
        (
            "trailing-whitespace",
            "trailing-whitespace-fixer",
            "system",
            "trailing-whitespace-fixer",
            True,
        ),
        ("debug-statements", "debug-statement-hook", "python", "debug-statement-hook", True),
        ("forbid-crlf", "forbid_crlf", "python", "forbid_crlf", True),
        ("codespell", "tools/lint.py", "script", "lint", False),
        ("codespell", "sh -c 'codespell \"$@\"' --", "system", "sh", False),
        ("isort", "'unbalanced", "system", None, False),
        ("isort", "X=1", "system", None, False),
    ],
)
def test_a_local_hook_is_cached_per_file_only_when_it_runs_the_tool_its_id_names(
    id: str, entry: str, language: str, program: str | None, per_file: bool
) -> None:
    assert entry_program(entry, language) == program
    assert is_file_local(local(id, entry, language)) is per_file


def test_a_remote_hook_is_taken_at_its_id_unless_the_config_gives_its_entry() -> None:
    manifest = {"id": "trailing-whitespace", "name": "x", "line": 1, "position": 0, "rev": "v1"}
    repo = "https://github.com/pre-commit/pre-commit-hooks"
    remote = Hook(entry="trailing-whitespace-fixer", language="python", repo=repo, **manifest)  # type: ignore[arg-type]
    assert is_file_local(remote)
    overridden = Hook(
        entry="tools/fix.py",
        language="python",
        repo=repo,
        overrides={"entry": "tools/fix.py"},
        **manifest,  # type: ignore[arg-type]
    )
    assert not is_file_local(overridden)


def test_environment_inputs_are_the_variables_named_after_the_program() -> None:
    environ = {
        "RUFF_OUTPUT_FORMAT": "full",
        "MYPYPATH": "stubs",
        "SH_OPT": "1",
        "SHLVL": "3",  # a short name only as a whole word
        "AWS_SECRET_ACCESS_KEY": "k",
        "PYTEST_ADDOPTS": "-x",
        "PYTEST_XDIST_WORKER": "gw1",  # this run's own
        "PATH": "/bin",
    }

    def inputs(id: str, program: str, more: dict[str, str] | None = None) -> list[tuple[str, str]]:
        return environment_inputs(local(id, program), program, {**environ, **(more or {})})

    assert inputs("ruff-check", "ruff") == [("RUFF_OUTPUT_FORMAT", "full")]
    assert inputs("mypy", "mypy") == [("MYPYPATH", "stubs")]
    assert inputs("x", "sh") == [("SH_OPT", "1")]
    assert inputs("tests", "pytest") == [("PYTEST_ADDOPTS", "-x")]
    assert inputs("detect-aws-credentials", "detect-aws-credentials") == [
        ("AWS_SECRET_ACCESS_KEY", "k")
    ]
    assert inputs("black", "black") == []
    assert inputs("flake8", "flake8", {"PYFLAKES_BUILTINS": "_"}) == [("PYFLAKES_BUILTINS", "_")]
    assert inputs("zizmor", "zizmor", {"GH_TOKEN": "t"}) == [("GH_TOKEN", "t")]
    # what pre-commit tells every hook (a push's refs)
    refs = {"PRE_COMMIT_FROM_REF": "a1", "PRE_COMMIT_TO_REF": "b2"}
    assert inputs("black", "black", refs) == sorted(refs.items())


def test_a_hook_told_to_use_the_current_year_holds_it_in_its_key() -> None:
    year = time.strftime("%Y")
    dated = local("insert-license", "insert-license", args=("--use-current-year",))
    assert ("(year)", year) in environment_inputs(dated, "insert-license", {})
    undated = local("insert-license", "insert-license", args=("--license-filepath=L.txt",))
    assert ("(year)", year) not in environment_inputs(undated, "insert-license", {})


def test_flake8_is_per_file_only_in_its_own_environment_without_plugins() -> None:
    repo = "https://github.com/pycqa/flake8"
    keys = {"id": "flake8", "name": "flake8", "entry": "flake8", "rev": "7.3.0", "line": 1}
    assert is_file_local(Hook(language="python", repo=repo, position=0, **keys))  # type: ignore[arg-type]
    plugins = ("flake8-bugbear",)
    assert not is_file_local(
        Hook(language="python", repo=repo, position=0, additional_dependencies=plugins, **keys)  # type: ignore[arg-type]
    )
    # the user's own flake8, with whatever plugins are installed beside it
    assert not is_file_local(local("flake8", "flake8", "system"))
