"""codespell is a reader unless its args or its config files turn writing on; the files
a tool's config names are part of its cache key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_hookrun.toolconfig import config_writes, loads_local_plugins, named_files, runs_a_task

from .conftest import Repo
from .test_plugin import LOCAL, hook


@pytest.mark.parametrize(
    "name,text,writes",
    [
        (None, "", False),
        ("setup.cfg", "[codespell]\nskip = *.lock\nwrite-changes =\n", True),
        ("setup.cfg", "[codespell]\nwrite_changes = true\n", True),
        ("setup.cfg", "[codespell]\nwrite-changes\n", True),  # a key without a value
        (".codespellrc", "[codespell]\nw =\n", True),
        ("pyproject.toml", "[tool.codespell]\nwrite-changes = true\n", True),
        # what codespell does not read, or keys that are not write-changes
        ("setup.cfg", "[flake8]\nwrite-changes = 1\n[codespell]\nskip = x\n", False),
        ("setup.cfg", "[codespell]\nwords = foo\nignore-words-list = wirte\n", False),
        ("pyproject.toml", "[tool.other]\nwrite-changes = true\n", False),
        ("pyproject.toml", "[tool.codespell]\nskip = 'x'\n[tool.x]\nw = 1\n", False),
        ("tox.ini", "[codespell]\nwrite-changes =\n", False),  # not a codespell config
    ],
)
def test_config_files_decide(tmp_path: Path, name: str | None, text: str, writes: bool) -> None:
    if name:
        (tmp_path / name).write_text(text)
    assert config_writes("codespell", [], tmp_path) is writes


def test_another_config_file_in_the_args_counts_as_writing(tmp_path: Path) -> None:
    assert config_writes("codespell", ["--config", "ci/codespell.cfg"], tmp_path)
    assert config_writes("codespell", ["--toml=ci/codespell.toml"], tmp_path)
    assert not config_writes("codespell", ["--skip", "*.lock"], tmp_path)


def test_an_unreadable_config_counts_as_writing(tmp_path: Path) -> None:
    (tmp_path / ".codespellrc").write_bytes(b"[codespell]\n\xff\xfe\n")
    assert config_writes("codespell", [], tmp_path)


def _edges(pytester: pytest.Pytester) -> list[tuple[str, str]]:
    result = pytester.runpytest("--hooks", "--hooks-plan=json", "-p", "no:cacheprovider")
    text = result.stdout.str()
    plan = json.loads(text[text.index("{") : text.rindex("}") + 1])
    return [(e["before"].split("::")[-1], e["after"].split("::")[-1]) for e in plan["edges"]]


@pytest.mark.parametrize(
    "args,config,reader",
    [
        ([], None, True),
        (["-w"], None, False),
        ([], "[codespell]\nwrite-changes =\n", False),
    ],
)
def test_codespell_shares_files_with_readers_only_when_it_cannot_write(
    repo: Repo, pytester: pytest.Pytester, args: list[str], config: str | None, reader: bool
) -> None:
    repo.write("a.txt", "text\n")
    if config:
        repo.write("setup.cfg", config)
    repo.config(
        LOCAL
        + hook("codespell", "true", language="system", args=args, types=["text"])
        + hook("yamllint", "true", language="system", types=["text"])
    )
    repo.commit()
    assert (("codespell", "yamllint") not in _edges(pytester)) is reader


def test_named_files(tmp_path: Path) -> None:
    for name in ("words.txt", "ci/exclude.txt", "ci/base.yaml", "README.md", "other.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x\n")
    (tmp_path / "setup.cfg").write_text(
        "[metadata]\nlong_description = file: README.md\n"  # not codespell's section
        "[codespell]\nignore-words = words.txt\nexclude-file = ci/exclude.txt,missing.txt\n"
    )
    (tmp_path / "ci/codespell.toml").write_text('[tool.codespell]\ndictionary = ["other.txt"]\n')
    (tmp_path / "ci/.yamllint").write_text("extends: base.yaml\n")  # beside the config
    (tmp_path / ".yamllint").write_text("ignore-from-file:\n  - other.txt\n")

    def named(hook_id: str, *arg_files: str) -> list[str]:
        return [
            str(Path(p).relative_to(tmp_path)) for p in named_files(hook_id, arg_files, tmp_path)
        ]

    assert named("codespell") == ["ci/exclude.txt", "words.txt"]
    assert named("codespell", "ci/codespell.toml") == ["ci/exclude.txt", "other.txt", "words.txt"]
    assert named("yamllint") == ["other.txt"]
    assert named("yamllint", "ci/.yamllint") == ["ci/base.yaml", "other.txt"]
    assert named("black") == []  # its config names no file it reads
    (tmp_path / ".cmake-format.yaml").write_text("include:\n- ci/base.yaml\n")
    assert named("cmake-lint") == ["ci/base.yaml"]
    # pymarkdown's plugins: files, or directories of them (of the tree only); its section
    # of pyproject.toml
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins/rule_a.py").write_text("x\n")
    (tmp_path / ".pymarkdown").write_text(
        '{"plugins": {"additional_paths": ["plugins", "ci/base.yaml", "/", ".."]}}'
    )
    (tmp_path / "pyproject.toml").write_text(
        '[tool.black]\nx = "README.md"\n[tool.pymarkdown]\nplugins.additional_paths = "words.txt"\n'
    )
    assert named("pymarkdown") == ["ci/base.yaml", "plugins/rule_a.py", "words.txt"]


def test_flake8_local_plugins_at_the_root_above_it_or_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """flake8 looks for its config from the directory it runs in up to, not into, the
    home directory; a config its arguments name counts too."""
    home = tmp_path / "home"
    root = home / "work" / "repo"
    root.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    plugins = "[flake8:local-plugins]\npaths = ./plugins\n"
    assert not loads_local_plugins("flake8", [], root)
    (home / "work" / "tox.ini").write_text(plugins)  # above the repository
    assert loads_local_plugins("flake8", [], root)
    assert not loads_local_plugins("black", [], root)
    (home / "work" / "tox.ini").unlink()
    (home / "setup.cfg").write_text(plugins)  # the home directory: flake8 stops short of it
    assert not loads_local_plugins("flake8", [], root)
    (root / "ci.cfg").write_text(plugins)
    assert loads_local_plugins("flake8", ["ci.cfg"], root)
    (root / ".flake8").write_bytes(b"\xff\xfe")  # unreadable: counts as loading
    assert loads_local_plugins("flake8", [], root)


@pytest.mark.parametrize(
    ("entry", "name", "text", "runs"),
    [
        ("pixi run ruff check", "pixi.toml", '[tasks]\nruff = "ruff check ."\n', True),
        ("pixi run ruff", "pixi.toml", '[feature.lint.tasks]\n"ruff" = { cmd = "x" }\n', True),
        ("pixi run ruff", "pixi.toml", '[feature.x]\ntasks = { lint = "a", ruff = "b" }\n', True),
        ("pixi run ruff", "pixi.toml", 'tasks.ruff = "x"\n', True),
        ("pixi run ruff", "pixi.toml", 'tasks = { a = { cmd = "x" }, ruff = "y" }\n', True),
        ("pixi run ruff", "pixi.toml", 'tasks = { a = { cmd = "ruff" } }\n', False),
        ("pixi run ruff", "pyproject.toml", '[tool.pixi.tasks]\nruff = "x"\n', True),
        ("pdm run ruff", "pyproject.toml", '[tool.pdm.scripts.ruff]\ncmd = "x"\n', True),
        ("hatch run ruff", "hatch.toml", '[envs.default.scripts]\nruff = "x"\n', True),
        ("rye run ruff", "pyproject.toml", '[tool.rye.scripts]\nruff = "x"\n', True),
        # a dependency, another tool's table, another task: ruff itself
        (
            "pixi run ruff",
            "pixi.toml",
            '[dependencies]\nruff = "*"\n[tasks]\nlint = "ruff"\n',
            False,
        ),
        (
            "pixi run ruff",
            "pyproject.toml",
            "[tool.pixi.tasks]\nx = 1\n[tool.ruff]\nruff = 2\n",
            False,
        ),
        ("pixi run ruff", "pixi.toml", '[tasks]\nruffx = "x"\n', False),
        # the runner reads that file only; uv has no tasks
        ("pdm run ruff", "pixi.toml", '[tasks]\nruff = "x"\n', False),
        ("uv run ruff", "pyproject.toml", '[tool.pdm.scripts]\nruff = "x"\n', False),
    ],
)
def test_a_task_runner_may_run_a_task_of_the_tools_name(
    tmp_path: Path, entry: str, name: str, text: str, runs: bool
) -> None:
    (tmp_path / name).write_text(text)
    assert runs_a_task(entry, "ruff", tmp_path) is runs


def test_a_task_is_looked_for_above_the_tree_and_unreadable_counts(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    assert not runs_a_task("pixi run ruff", "ruff", root)
    (tmp_path / "pixi.toml").write_text('[tasks]\nruff = "x"\n')  # pixi looks upward
    assert runs_a_task("pixi run ruff", "ruff", root)
    (tmp_path / "pixi.toml").unlink()
    (root / "pixi.toml").mkdir()  # a directory cannot be read
    assert runs_a_task("pixi run ruff", "ruff", root)
