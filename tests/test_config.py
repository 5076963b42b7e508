"""The config loader on plain data: every bad input is one line naming file, line and key."""

from __future__ import annotations

import logging
import re
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import cfgv
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pre_commit import clientlib
from pre_commit.yaml import yaml_load

from pytest_hookrun.config import (
    LANGUAGES,
    STAGES,
    Config,
    ConfigError,
    load_config,
    parse_config,
)

ALL_STAGES = (
    "commit-msg",
    "post-checkout",
    "post-commit",
    "post-merge",
    "post-rewrite",
    "pre-commit",
    "pre-merge-commit",
    "pre-push",
    "pre-rebase",
    "prepare-commit-msg",
    "manual",
)
LOCAL_HOOK = "  - id: a\n    name: A\n    entry: a\n    language: system\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / ".pre-commit-config.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def load(tmp_path: Path, text: str) -> Config:
    return load_config(write(tmp_path, text))


def error(tmp_path: Path, text: str) -> tuple[str, int, str]:
    """Load a config that must be rejected: (message, its line, the text after `path:line: `)."""
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as excinfo:
        load_config(path)
    message = str(excinfo.value)
    assert "\n" not in message
    match = re.fullmatch(rf"{re.escape(str(path))}:(\d+): (.+)", message)
    assert match, message
    return message, int(match.group(1)), match.group(2)


def local(*hook_lines: str) -> str:
    return "repos:\n- repo: local\n  hooks:\n" + "".join(hook_lines)


# --------------------------------------------------------------------------- the baseline


def test_the_example_config_loads_with_lines_positions_and_no_warnings(tmp_path: Path) -> None:
    cfg = load(
        tmp_path,
        """\
        # a comment
        repos:
        - repo: https://github.com/pre-commit/pre-commit-hooks
          rev: v5.0.0
          hooks:
          - id: trailing-whitespace
          -   args: [--markdown-linebreak-ext=md]
              id: end-of-file-fixer
        - repo: local
          hooks:
          - {id: lint, name: Lint, entry: ./lint, language: script}
        - repo: meta
          hooks:
          - id: identity
        """,
    )
    assert [(h.id, h.repo, h.rev, h.line, h.position) for h in cfg.hooks] == [
        ("trailing-whitespace", "https://github.com/pre-commit/pre-commit-hooks", "v5.0.0", 6, 0),
        ("end-of-file-fixer", "https://github.com/pre-commit/pre-commit-hooks", "v5.0.0", 8, 1),
        ("lint", "local", None, 11, 2),
        ("identity", "meta", None, 14, 3),
    ]
    assert cfg.warnings == ()
    remote, second, lint, identity = cfg.hooks
    assert remote.is_remote and not remote.is_meta
    assert remote.name == "trailing-whitespace"  # the manifest fills it in at run time
    assert dict(remote.overrides) == {"id": "trailing-whitespace"}
    assert second.args == ("--markdown-linebreak-ext=md",)
    assert lint.language == "unsupported_script"
    assert (lint.name, lint.entry) == ("Lint", "./lint")
    assert identity.is_meta and identity.name == "identity" and identity.verbose is True
    assert identity.language == "unsupported"


# --------------------------------------------------------------------------- bad input

BAD: list[tuple[str, str, int, tuple[str, ...]]] = [
    # (id, config, line of the problem, fragments the message must contain)
    (
        "yaml-mapping-in-plain-scalar",
        local("  - id: a\n    name: a: b\n    entry: a\n    language: system\n"),
        5,
        ("invalid YAML", "mapping values are not allowed"),
    ),
    (
        "yaml-tab-indent",
        "repos:\n- repo: local\n  hooks:\n\t- id: a\n",
        4,
        ("invalid YAML", "'\\t'"),
    ),
    (
        "yaml-unclosed-flow",
        "repos: []\nfiles: x\nexclude: [a, b\n",
        4,
        ("invalid YAML", "flow sequence"),
    ),
    ("yaml-two-documents", "repos: []\n---\nrepos: []\n", 2, ("invalid YAML", "single document")),
    ("yaml-forbidden-char", "repos: []\nfiles: a\x07b\n", 2, ("invalid YAML", "#x0007")),
    ("yaml-python-tag", "repos: !!python/name:os.system\n", 1, ("invalid YAML",)),
    ("empty-file", "", 1, ("config must be a mapping", "nothing")),
    ("top-level-list", "- repo: local\n- hooks: []\n", 1, ("config must be a mapping", "a list")),
    ("top-level-string", "hello\n", 1, ("config must be a mapping", "a string")),
    ("missing-repos", "fail_fast: true\ndefault_stages: [manual]\n", 1, ("'repos'", "missing")),
    ("repos-mapping", "fail_fast: true\nrepos:\n  a: 1\n", 2, ("'repos'", "must be a list")),
    ("repos-null", "fail_fast: true\nrepos:\n", 2, ("'repos'", "must be a list", "null")),
    ("repo-entry-not-mapping", "repos:\n- local\n", 1, ("each entry of 'repos'", "a string")),
    ("repo-missing-repo", "repos:\n- hooks: []\n  rev: v1.0\n", 2, ("'repo'", "missing")),
    ("repo-url-int", "repos:\n- repo: 12\n  rev: v1\n  hooks: []\n", 2, ("'repo'", "string")),
    (
        "remote-missing-rev",
        "repos:\n- repo: local\n  hooks: []\n\n- repo: https://x.test/y\n  hooks:\n  - id: a\n",
        5,
        ("'https://x.test/y'", "'rev'", "missing"),
    ),
    (
        "remote-rev-float",
        "repos:\n- repo: https://x.test/y\n  rev: 1.10\n  hooks: []\n",
        3,
        ("'rev'", "must be a string", "float 1.1"),
    ),
    (
        "rev-on-local",
        "repos:\n- repo: local\n  rev: v1.0\n  hooks: []\n",
        3,
        ("'rev'", "not allowed"),
    ),
    (
        "rev-on-meta",
        "repos:\n- repo: meta\n\n  rev: v1.0\n  hooks: []\n",
        4,
        ("'rev'", "not allowed"),
    ),
    ("repo-missing-hooks", "repos:\n- repo: local\n", 2, ("'hooks'", "missing")),
    ("hooks-not-list", "repos:\n- repo: local\n  hooks: a\n", 3, ("'hooks'", "must be a list")),
    ("hook-not-mapping", "repos:\n- repo: local\n  hooks:\n  - a\n", 3, ("each hook", "a string")),
    ("hook-missing-id", local("  - name: a\n    entry: a\n"), 4, ("'id'", "missing")),
    ("hook-id-int", local("  - id: 3\n"), 4, ("'id'", "must be a string", "int 3")),
    (
        "local-missing-name",
        local("  - id: a\n    entry: a\n    language: system\n"),
        4,
        ("hook 'a'", "'name'", "missing"),
    ),
    (
        "local-missing-entry",
        local("  - language: system\n    name: a\n    id: a\n"),
        6,
        ("hook 'a'", "'entry'", "missing"),
    ),
    (
        "local-missing-language",
        local("  - id: a\n    name: a\n    entry: a\n"),
        4,
        ("hook 'a'", "'language'", "missing"),
    ),
    (
        "args-string",
        local(LOCAL_HOOK, "    args: --fix\n"),
        8,
        ("'args'", "must be a list of strings", "a string"),
    ),
    (
        "args-item-int",
        local(LOCAL_HOOK, "    args: [--n, 3]\n"),
        8,
        ("'args'", "item int 3"),
    ),
    (
        "additional-dependencies-mapping",
        local(LOCAL_HOOK, "    additional_dependencies: {a: 1}\n"),
        8,
        ("'additional_dependencies'", "a mapping"),
    ),
    (
        "always-run-int",
        local(LOCAL_HOOK, "    always_run: 1\n"),
        8,
        ("'always_run'", "true or false", "int 1"),
    ),
    (
        "pass-filenames-string",
        local(LOCAL_HOOK, "    pass_filenames: 'no'\n"),
        8,
        ("'pass_filenames'", "true or false", "a string"),
    ),
    ("name-list", local(LOCAL_HOOK, "    name: [a]\n"), 8, ("'name'", "must be a string")),
    (
        "hook-stages-string",
        local(LOCAL_HOOK, "    stages: pre-commit\n"),
        8,
        ("'stages'", "list of strings"),
    ),
    (
        "language-version-float",
        local(LOCAL_HOOK, "    language_version: 3.12\n"),
        8,
        ("'language_version'", "float 3.12"),
    ),
    ("root-fail-fast-string", "fail_fast: 'yes'\nrepos: []\n", 1, ("'fail_fast'", "true or false")),
    (
        "root-default-stages-string",
        "repos: []\ndefault_stages: pre-commit\n",
        2,
        ("'default_stages'", "list"),
    ),
    ("root-exclude-list", "repos: []\n\nexclude: [a]\n", 3, ("'exclude'", "must be a string")),
    ("root-ci-list", "repos: []\nci: [a]\n", 2, ("'ci'", "mapping")),
    (
        "root-default-install-hook-types",
        "repos: []\ndefault_install_hook_types: [pre-commit, manual]\n",
        2,
        ("'default_install_hook_types'", "'manual'"),
    ),
    (
        "root-default-language-version-unknown",
        "repos: []\ndefault_language_version:\n  python: python3\n  pyton: python3\n",
        4,
        ("default_language_version", "'pyton'"),
    ),
    (
        "root-default-language-version-float",
        "repos: []\ndefault_language_version:\n  python: 3.12\n",
        3,
        ("default_language_version", "'python'", "string"),
    ),
    (
        "unknown-language",
        local("  - id: a\n    name: a\n    entry: a\n    language: rust-nightly\n"),
        7,
        ("'language'", "'rust-nightly'"),
    ),
    (
        "unknown-language-override-on-remote",
        "repos:\n- repo: https://x.test/y\n  rev: v1.0\n  hooks:\n  - id: a\n    language: sytem\n",
        6,
        ("hook 'a'", "'language'", "'sytem'"),
    ),
    (
        "unknown-type-tag",
        local(LOCAL_HOOK, "    types: [file, pyhton]\n"),
        8,
        ("'types'", "'pyhton'"),
    ),
    (
        "unknown-types-or-tag",
        local(LOCAL_HOOK, "    types_or: [python, pyi, cython3]\n"),
        8,
        ("'types_or'", "'cython3'"),
    ),
    (
        "unknown-exclude-types-tag",
        local(LOCAL_HOOK, "    exclude_types: [binaryy]\n"),
        8,
        ("'exclude_types'", "'binaryy'"),
    ),
    (
        "unknown-stage",
        local(LOCAL_HOOK, "    stages: [pre-commit, pre-comit]\n"),
        8,
        ("'stages'", "'pre-comit'"),
    ),
    (
        "unknown-default-stage",
        "default_stages: [pre-commit, merge]\nrepos: []\n",
        1,
        ("'default_stages'", "'merge'"),
    ),
    (
        "invalid-regex-top-files",
        "repos: []\nfiles: ^(src|tests/\n",
        2,
        ("'files'", "regex", "^(src|tests/"),
    ),
    (
        "invalid-regex-top-exclude",
        "repos: []\nexclude: '*.lock'\n",
        2,
        ("'exclude'", "regex"),
    ),
    (
        "invalid-regex-hook-files",
        local(LOCAL_HOOK, "    files: '[a-'\n"),
        8,
        ("hook 'a'", "'files'", "regex"),
    ),
    (
        "invalid-regex-hook-exclude",
        local(LOCAL_HOOK, "    exclude: (?P<x)\n"),
        8,
        ("hook 'a'", "'exclude'", "regex"),
    ),
    (
        "meta-unknown-id",
        "repos:\n- repo: meta\n  hooks:\n  - id: check-useless-exclude\n",
        4,
        ("'check-useless-exclude'", "not a meta hook", "check-hooks-apply"),
    ),
    (
        "meta-entry-override",
        "repos:\n- repo: meta\n  hooks:\n  - id: identity\n    entry: echo hi\n",
        5,
        ("hook 'identity'", "'entry'", "cannot be overridden"),
    ),
    (
        "meta-language-system",
        "repos:\n- repo: meta\n  hooks:\n  - id: identity\n    language: system\n",
        5,
        ("hook 'identity'", "language"),
    ),
    (
        "depends-on-unknown",
        local(LOCAL_HOOK, "    depends_on: [a, lint]\n"),
        8,
        ("hook 'a'", "depends_on", "'lint'"),
    ),
    (
        "depends-on-string",
        local(LOCAL_HOOK, "    depends_on: a\n"),
        8,
        ("'depends_on'", "list of strings"),
    ),
    (
        "undeclared-priority-alias",
        "priorities: {fast: 0}\n" + local(LOCAL_HOOK, "    priority: slow\n"),
        9,
        ("hook 'a'", "priority", "'slow'", "priorities"),
    ),
    (
        "priority-float",
        local(LOCAL_HOOK, "    priority: 1.5\n"),
        8,
        ("'priority'", "whole number"),
    ),
    (
        "priority-bool",
        local(LOCAL_HOOK, "    priority: true\n"),
        8,
        ("'priority'", "whole number"),
    ),
    (
        "priorities-value-string",
        "priorities:\n  fast: 0\n  slow: later\nrepos: []\n",
        3,
        ("priorities", "'slow'", "whole number"),
    ),
    ("priorities-list", "priorities: [a]\nrepos: []\n", 1, ("'priorities'", "mapping")),
    (
        "negative-timeout",
        local(LOCAL_HOOK, "    timeout: -1\n"),
        8,
        ("hook 'a'", "'timeout'", "negative", "-1"),
    ),
    (
        "timeout-string",
        local(LOCAL_HOOK, "    timeout: 10s\n"),
        8,
        ("'timeout'", "number of seconds"),
    ),
    (
        "timeout-nan",
        local(LOCAL_HOOK, "    timeout: .nan\n"),
        8,
        ("'timeout'", "finite"),
    ),
    (
        "timeout-inf",
        local(LOCAL_HOOK, "    timeout: .inf\n"),
        8,
        ("'timeout'", "finite"),
    ),
    (
        "timeout-too-big-for-a-float",
        local(LOCAL_HOOK, "    timeout: 1" + "0" * 400 + "\n"),
        8,
        ("'timeout'", "finite"),
    ),
    ("weight-zero", local(LOCAL_HOOK, "    weight: 0\n"), 8, ("'weight'", "at least 1", "int 0")),
    ("weight-negative", local(LOCAL_HOOK, "    weight: -2\n"), 8, ("'weight'", "at least 1")),
    ("weight-float", local(LOCAL_HOOK, "    weight: 1.5\n"), 8, ("'weight'", "whole number")),
    ("weight-bool", local(LOCAL_HOOK, "    weight: true\n"), 8, ("'weight'", "whole number")),
    ("read-only-string", local(LOCAL_HOOK, "    read_only: yes please\n"), 8, ("'read_only'",)),
    (
        "minimum-version-too-new",
        "repos: []\nminimum_pre_commit_version: '99.0'\n",
        2,
        ("'minimum_pre_commit_version'", "99.0"),
    ),
    (
        "minimum-version-too-new-on-hook",
        local(LOCAL_HOOK, "    minimum_pre_commit_version: 4.7.1\n"),
        8,
        ("hook 'a'", "'minimum_pre_commit_version'", "4.7.1"),
    ),
    (
        "minimum-version-not-a-version",
        "minimum_pre_commit_version: 'four'\nrepos: []\n",
        1,
        ("'minimum_pre_commit_version'", "'four'"),
    ),
    (
        "minimum-version-float",
        "minimum_pre_commit_version: 3.2\nrepos: []\n",
        1,
        ("'minimum_pre_commit_version'", "string"),
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "fragments"), [pytest.param(*case[1:], id=case[0]) for case in BAD]
)
def test_bad_config_is_one_line_with_file_line_and_key(
    tmp_path: Path, text: str, line: int, fragments: tuple[str, ...]
) -> None:
    message, got_line, _ = error(tmp_path, text)
    assert got_line == line, message
    for fragment in fragments:
        assert fragment in message


@pytest.mark.parametrize(
    ("cycle", "expected"),
    [
        pytest.param({"a": ["b"], "b": ["a"]}, "a -> b -> a", id="two"),
        pytest.param({"a": ["a"]}, "a -> a", id="self"),
        pytest.param(
            {"x": [], "a": ["c"], "b": ["a"], "c": ["x", "b"]}, "a -> c -> b -> a", id="three"
        ),
    ],
)
def test_depends_on_cycle_names_the_cycle(
    tmp_path: Path, cycle: dict[str, list[str]], expected: str
) -> None:
    hooks = [
        {"id": hook_id, "name": hook_id, "entry": hook_id, "language": "system", "depends_on": deps}
        for hook_id, deps in cycle.items()
    ]
    text = yaml.safe_dump({"repos": [{"repo": "local", "hooks": hooks}]}, sort_keys=False)
    _, line, rest = error(tmp_path, text)
    assert rest == f"depends_on cycle: {expected}"
    # the line of the first hook of the cycle's depends_on key
    first = expected.split(" -> ")[0]
    lines = text.splitlines()
    id_line = lines.index(f"  - id: {first}")
    assert lines[line - 1].strip().startswith("depends_on:")
    assert line - 1 > id_line
    assert all(not ln.startswith("  - id:") for ln in lines[id_line + 1 : line - 1])


def test_missing_file_names_it(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError, match=re.escape(f"{path}: config file not found")):
        load_config(path)


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(b"repos: []\n\n# caf\xe9\n")
    with pytest.raises(ConfigError) as excinfo:
        load_config(path)
    assert str(excinfo.value).startswith(f"{path}:3: not UTF-8")


def test_line_breaks_in_keys_and_ids_do_not_break_the_one_line_message() -> None:
    text = (
        'repos:\n- repo: local\n  hooks:\n  - id: "a\\nb"\n    name: a\n    entry: a\n'
        '    language: system\n    depends_on: ["a\\nb"]\n    "x\\u2028y": 1\n'
    )
    with pytest.raises(ConfigError) as excinfo:
        parse_config(text, Path("x.yaml"))
    assert str(excinfo.value) == "x.yaml:8: depends_on cycle: a\\nb -> a\\nb"
    cfg = parse_config(text.replace('    depends_on: ["a\\nb"]\n', ""), Path("x.yaml"))
    assert cfg.warnings == ("x.yaml:8: hook 'a\\nb': unknown key 'x\\u2028y' (ignored)",)


@pytest.mark.parametrize("depth", [20, 600])
def test_deep_nesting_is_a_config_error_not_a_recursion_error(depth: int) -> None:
    text = "repos: []\nci:\n  x: " + "[" * depth + "]" * depth + "\n"
    if depth < 100:
        cfg = parse_config(text, Path("x.yaml"))
        assert cfg.hooks == ()
        return
    with pytest.raises(ConfigError, match=r"^x\.yaml:3: invalid YAML: nested too deeply$"):
        parse_config(text, Path("x.yaml"))


def test_recursive_alias_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"^x\.yaml:2: invalid YAML: .*recursive"):
        parse_config("repos: []\nci: &a {x: *a}\n", Path("x.yaml"))


# --------------------------------------------------------------------------- warnings


def test_unknown_keys_warn_with_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        repos:
        - repo: https://x.test/y
          rev: v1.0.0
          hooks:
          - id: a
            prioritty: 1
            args: [x]
            colour: red
          revv: main
        exclud: ^docs/
        minimum_version: '3'
        """,
    )
    cfg = load_config(path)
    assert cfg.warnings == (
        f"{path}:10: unexpected key(s) at root: exclud, minimum_version",
        f"{path}:9: unexpected key(s) on https://x.test/y: revv",
        f"{path}:6: hook 'a': unknown key 'prioritty' (ignored)",
        f"{path}:8: hook 'a': unknown key 'colour' (ignored)",
    )
    assert [h.id for h in cfg.hooks] == ["a"]
    assert cfg.hooks[0].args == ("x",)
    assert "prioritty" not in cfg.hooks[0].overrides


def test_extension_keys_do_not_warn(tmp_path: Path) -> None:
    cfg = load(
        tmp_path,
        """\
        priorities: {lint: 5}
        repos:
        - repo: local
          hooks:
          - id: a
            name: a
            entry: a
            language: system
            priority: lint
            timeout: 30
            read_only: true
            weight: 4
          - id: b
            name: b
            entry: b
            language: python
            depends_on: [a]
            timeout: 0
        """,
    )
    assert cfg.warnings == ()
    a, b = cfg.hooks
    assert (a.priority, a.timeout, a.read_only, a.weight, a.depends_on) == (5, 30.0, True, 4, ())
    assert isinstance(a.timeout, float)
    assert (b.priority, b.timeout, b.read_only, b.weight, b.depends_on) == (
        None,
        0.0,
        None,
        1,
        ("a",),
    )
    assert cfg.priorities == {"lint": 5}


def test_mutable_rev_warns(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        repos:
        - repo: https://x.test/y
          rev: main
          hooks: []
        - repo: https://x.test/z
          rev: 3e8a8703264a2f4a69428a0aa4dcb512790b2c8c
          hooks: []
        - repo: https://x.test/w
          rev: v1.2
          hooks: []
        """,
    )
    cfg = load_config(path)
    assert len(cfg.warnings) == 1
    assert cfg.warnings[0].startswith(f"{path}:3: repository 'https://x.test/y': 'rev' 'main'")
    assert "mutable" in cfg.warnings[0]


def test_legacy_stage_names_are_mapped_and_warned(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        default_stages: [commit, manual]
        repos:
        - repo: local
          hooks:
          - id: a
            name: a
            entry: a
            language: system
            stages: [push, merge-commit, pre-commit]
          - id: b
            name: b
            entry: b
            language: system
        - repo: https://x.test/y
          rev: v1.0
          hooks:
          - id: c
            stages: [commit]
        """,
    )
    cfg = load_config(path)
    a, b, c = cfg.hooks
    assert cfg.default_stages == ("pre-commit", "manual")
    assert a.stages == ("pre-push", "pre-merge-commit", "pre-commit")
    assert a.overrides["stages"] == ["push", "merge-commit", "pre-commit"]  # raw, as written
    assert b.stages == ("pre-commit", "manual")
    assert "stages" not in b.overrides
    assert c.stages == ("pre-commit",)
    assert cfg.warnings == (
        f"{path}:1: top-level `default_stages` uses deprecated stage names (commit); "
        "use pre-commit",
        f"{path}:9: hook id `a` uses deprecated stage names (push, merge-commit); "
        "use pre-push, pre-merge-commit",
        f"{path}:18: hook id `c` uses deprecated stage names (commit); use pre-commit",
    )


# --------------------------------------------------------------------------- defaults


def test_defaults_of_a_local_hook(tmp_path: Path) -> None:
    cfg = load(tmp_path, local(LOCAL_HOOK))
    (hook,) = cfg.hooks
    assert hook.stages == ALL_STAGES == STAGES
    assert (hook.files, hook.exclude, hook.types, hook.types_or, hook.exclude_types) == (
        "",
        "^$",
        ("file",),
        (),
        (),
    )
    assert (hook.args, hook.additional_dependencies) == ((), ())
    assert (hook.always_run, hook.pass_filenames, hook.require_serial) == (False, True, False)
    assert (hook.fail_fast, hook.verbose, hook.language_version) == (False, False, "default")
    assert (hook.priority, hook.depends_on, hook.timeout, hook.read_only, hook.weight) == (
        None,
        (),
        None,
        None,
        1,
    )
    assert hook.language == "unsupported"  # system is pre-commit's old name
    assert (cfg.files, cfg.exclude, cfg.fail_fast) == ("", "^$", False)
    assert cfg.default_stages == ALL_STAGES
    assert cfg.default_install_hook_types == ("pre-commit",)
    assert cfg.minimum_pre_commit_version == "0"


def test_default_stages_apply_to_hooks_without_stages(tmp_path: Path) -> None:
    cfg = load(
        tmp_path,
        """\
        default_stages: [pre-push, manual]
        repos:
        - repo: local
          hooks:
          - {id: a, name: a, entry: a, language: system}
          - {id: b, name: b, entry: b, language: system, stages: [commit-msg]}
          - {id: c, name: c, entry: c, language: system, stages: []}
        - repo: https://x.test/y
          rev: v1.0
          hooks:
          - id: d
        """,
    )
    assert [h.stages for h in cfg.hooks] == [
        ("pre-push", "manual"),
        ("commit-msg",),
        ("pre-push", "manual"),  # pre-commit: an empty list means the default
        ("pre-push", "manual"),
    ]


def test_empty_default_stages_means_no_stage(tmp_path: Path) -> None:
    # pre-commit applies `default_stages: []` as written: such hooks run in no stage
    cfg = load(tmp_path, "default_stages: []\n" + local(LOCAL_HOOK))
    assert cfg.hooks[0].stages == ()


@pytest.mark.parametrize(
    ("written", "loaded"),
    [
        ("system", "unsupported"),
        ("script", "unsupported_script"),
        ("unsupported", "unsupported"),
        ("python", "python"),
        ("pygrep", "pygrep"),
    ],
)
def test_language_aliases(tmp_path: Path, written: str, loaded: str) -> None:
    cfg = load(
        tmp_path,
        f"""\
        repos:
        - repo: local
          hooks:
          - {{id: a, name: a, entry: a, language: {written}}}
        - repo: https://x.test/y
          rev: v1.0
          hooks:
          - {{id: b, language: {written}}}
          - id: c
        """,
    )
    a, b, c = cfg.hooks
    assert a.language == b.language == loaded
    assert b.overrides["language"] == written
    assert c.language == ""  # the manifest says, at run time


def test_language_list_matches_pre_commit() -> None:
    from pre_commit.all_languages import language_names

    assert sorted(LANGUAGES) == sorted(language_names)
    assert tuple(clientlib.STAGES) == STAGES


def test_priority_aliases_are_resolved(tmp_path: Path) -> None:
    cfg = load(
        tmp_path,
        """\
        priorities:
          format: 0
          lint: 10
          slow: -5
        repos:
        - repo: local
          hooks:
          - {id: a, name: a, entry: a, language: system, priority: lint}
          - {id: b, name: b, entry: b, language: system, priority: format}
          - {id: c, name: c, entry: c, language: system, priority: 3}
          - {id: d, name: d, entry: d, language: system}
          - {id: e, name: e, entry: e, language: system, priority: slow}
        """,
    )
    assert [(h.id, h.priority) for h in cfg.hooks] == [
        ("a", 10),
        ("b", 0),
        ("c", 3),
        ("d", None),
        ("e", -5),
    ]
    assert cfg.hooks[0].overrides["priority"] == "lint"


def test_meta_hook_defaults(tmp_path: Path) -> None:
    cfg = load(
        tmp_path,
        """\
        repos:
        - repo: meta
          hooks:
          - id: check-hooks-apply
          - id: check-useless-excludes
            name: Useless excludes
          - id: identity
            language: unsupported
        """,
    )
    apply_, useless, identity = cfg.hooks
    assert apply_.name == "Check hooks apply to the repository"
    assert apply_.files == r"^\.pre\-commit\-config\.yaml$"
    assert re.search(apply_.files, ".pre-commit-config.yaml")
    assert useless.name == "Useless excludes"
    assert identity.verbose is True
    assert {h.language for h in cfg.hooks} == {"unsupported"}


def test_root_values(tmp_path: Path) -> None:
    cfg = load(
        tmp_path,
        """\
        minimum_pre_commit_version: '3.2.0'
        default_install_hook_types: [pre-commit, pre-push]
        default_language_version:
          python: python3.12
        files: ^src/
        exclude: ^src/vendor/
        fail_fast: true
        ci:
          autofix_prs: false
        repos: []
        """,
    )
    assert cfg.hooks == ()
    assert cfg.minimum_pre_commit_version == "3.2.0"
    assert cfg.default_install_hook_types == ("pre-commit", "pre-push")
    assert dict(cfg.default_language_version) == {"python": "python3.12"}
    assert (cfg.files, cfg.exclude, cfg.fail_fast) == ("^src/", "^src/vendor/", True)
    assert cfg.warnings == ()


def test_minimum_version_equal_to_supported_is_fine(tmp_path: Path) -> None:
    import pre_commit.constants

    cfg = load(
        tmp_path,
        f"minimum_pre_commit_version: '{pre_commit.constants.VERSION}'\nrepos: []\n",
    )
    assert cfg.minimum_pre_commit_version == pre_commit.constants.VERSION


def test_duplicate_ids_are_kept_in_order(tmp_path: Path) -> None:
    cfg = load(
        tmp_path,
        """\
        repos:
        - repo: https://x.test/y
          rev: v1.0
          hooks:
          - id: mypy
          - id: mypy
            args: [--strict]
        - repo: local
          hooks:
          - {id: mypy, name: m, entry: m, language: system, depends_on: [x]}
          - {id: x, name: x, entry: x, language: system}
        """,
    )
    assert [(h.id, h.position, h.line) for h in cfg.hooks] == [
        ("mypy", 0, 5),
        ("mypy", 1, 6),
        ("mypy", 2, 10),
        ("x", 3, 11),
    ]


# --------------------------------------------------------------------------- property tests

TAGS = ("file", "text", "python", "yaml", "shell", "executable", "pyi", "markdown")
IDS = st.text(
    st.characters(blacklist_categories=("Cs",)),  # no lone surrogates: YAML can't hold them
    min_size=1,
    max_size=12,
)
SAFE_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=10)
REGEX = st.builds(re.escape, SAFE_TEXT)
LANGUAGE_NAMES = (*LANGUAGES, "system", "script")

OPTIONAL_HOOK_KEYS: dict[str, st.SearchStrategy[Any]] = {
    "args": st.lists(SAFE_TEXT, max_size=3),
    "files": REGEX,
    "exclude": REGEX,
    "types": st.lists(st.sampled_from(TAGS), max_size=2),
    "types_or": st.lists(st.sampled_from(TAGS), max_size=2),
    "stages": st.lists(st.sampled_from(STAGES), max_size=3),
    "always_run": st.booleans(),
    "pass_filenames": st.booleans(),
    "require_serial": st.booleans(),
    "verbose": st.booleans(),
    "description": SAFE_TEXT,
    "timeout": st.one_of(
        st.integers(0, 10**6), st.floats(0, 1e6, allow_nan=False, allow_infinity=False)
    ),
    "weight": st.integers(1, 64),
    "read_only": st.booleans(),
}


@st.composite
def valid_configs(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A config pre-commit accepts (plus extension keys) and, per hook, what must load."""
    ids = draw(st.lists(IDS, min_size=1, max_size=8, unique=True))
    aliases = draw(st.dictionaries(IDS, st.integers(-(2**40), 2**40), max_size=3))
    expected = []
    hooks = []
    for index, hook_id in enumerate(ids):
        remote = draw(st.booleans())
        hook: dict[str, Any] = {"id": hook_id}
        if not remote:
            hook.update(name=draw(SAFE_TEXT), entry=draw(SAFE_TEXT))
            hook["language"] = draw(st.sampled_from(LANGUAGE_NAMES))
        for key in draw(st.lists(st.sampled_from(sorted(OPTIONAL_HOOK_KEYS)), unique=True)):
            hook[key] = draw(OPTIONAL_HOOK_KEYS[key])
        priority = None
        choice = draw(st.sampled_from(["none", "int", "alias"] if aliases else ["none", "int"]))
        if choice == "int":
            priority = hook["priority"] = draw(st.integers(-1000, 1000))
        elif choice == "alias":
            alias = draw(st.sampled_from(sorted(aliases)))
            hook["priority"], priority = alias, aliases[alias]
        # depends_on only on earlier hooks: a DAG
        if index and draw(st.booleans()):
            hook["depends_on"] = draw(st.lists(st.sampled_from(ids[:index]), max_size=3))
        order = draw(st.permutations(list(hook)))
        hooks.append(({key: hook[key] for key in order}, remote))
        expected.append({**hook, "priority": priority})
    repos: list[dict[str, Any]] = []
    for hook, remote in hooks:
        url = "https://x.test/r" if remote else "local"
        if not repos or repos[-1]["repo"] != url or draw(st.booleans()):
            repos.append({"repo": url, **({"rev": "v1.0"} if remote else {}), "hooks": []})
        repos[-1]["hooks"].append(hook)
    root: dict[str, Any] = {"repos": repos}
    if aliases:
        root["priorities"] = aliases
    if draw(st.booleans()):
        root["default_stages"] = draw(st.lists(st.sampled_from(STAGES), max_size=3))
    if draw(st.booleans()):
        root["fail_fast"] = draw(st.booleans())
    order = draw(st.permutations(list(root)))
    return {key: root[key] for key in order}, expected


DUMP_STYLES = st.fixed_dictionaries(
    {
        "default_flow_style": st.sampled_from([False, None, True]),
        "width": st.sampled_from([20, 80, 10**6]),
        "indent": st.sampled_from([2, 4]),
        "allow_unicode": st.booleans(),
    }
)


def id_lines(text: str) -> list[int]:
    """The line of each hook's `id` key, from YAML's own node tree."""
    root = yaml.compose(text)
    lines = []
    repos = next(v for k, v in root.value if k.value == "repos")
    for repo in repos.value:
        hooks = next(v for k, v in repo.value if k.value == "hooks")
        for hook in hooks.value:
            lines.extend(k.start_mark.line + 1 for k, _ in hook.value if k.value == "id")
    return lines


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_configs(), DUMP_STYLES)
def test_valid_configs_round_trip(
    generated: tuple[dict[str, Any], list[dict[str, Any]]], style: dict[str, Any]
) -> None:
    data, expected = generated
    text = yaml.safe_dump(data, sort_keys=False, **style)
    assume(yaml.safe_load(text) == data)  # PyYAML's emitter mangles some line breaks (U+0085)
    cfg = parse_config(text, Path("x.yaml"))
    assert cfg.warnings == ()
    assert [h.id for h in cfg.hooks] == [e["id"] for e in expected]
    assert [h.position for h in cfg.hooks] == list(range(len(expected)))
    assert [h.line for h in cfg.hooks] == id_lines(text)
    default_stages = tuple(data.get("default_stages") or ()) if "default_stages" in data else STAGES
    for hook, want in zip(cfg.hooks, expected, strict=True):
        assert hook.priority == want["priority"]
        assert hook.depends_on == tuple(want.get("depends_on", ()))
        assert hook.repo == ("local" if "name" in want else "https://x.test/r")
        assert hook.rev == (None if "name" in want else "v1.0")
        raw_stages = want.get("stages")
        assert hook.overrides.get("stages") == raw_stages
        assert hook.stages == (tuple(raw_stages) if raw_stages else default_stages)
        if "language" in want:
            language = {"system": "unsupported", "script": "unsupported_script"}.get(
                want["language"], want["language"]
            )
            assert hook.language == language
        assert hook.args == tuple(want.get("args", ()))
        assert hook.files == want.get("files", "")
        assert hook.exclude == want.get("exclude", "^$")
        assert hook.types == tuple(want.get("types", ("file",)))
        assert hook.always_run is want.get("always_run", False)
        assert hook.weight == want.get("weight", 1)
        assert hook.read_only is want.get("read_only")
        if "timeout" in want:
            assert hook.timeout == float(want["timeout"])
        else:
            assert hook.timeout is None


YAML_CHARS = ":-[]{}&*!|>'\"%@`#,? \t\n\\&*~0123456789abc.\x00\x85\u2028\ufeff"
EDITS = st.lists(
    st.tuples(
        st.sampled_from(["insert", "delete", "replace", "dup-line", "indent"]),
        st.floats(0, 1),
        st.integers(0, 8),
        st.text(YAML_CHARS, max_size=6),
    ),
    min_size=1,
    max_size=4,
)


def mutate(text: str, edits: list[tuple[str, float, int, str]]) -> str:
    for kind, where, size, chunk in edits:
        at = int(where * len(text))
        if kind == "insert":
            text = text[:at] + chunk + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + size :]
        elif kind == "replace":
            text = text[:at] + chunk + text[at + len(chunk) :]
        else:
            lines = text.split("\n")
            line = min(int(where * len(lines)), len(lines) - 1)
            if kind == "dup-line":
                lines.insert(line, lines[line])
            else:
                lines[line] = " " * size + lines[line]
            text = "\n".join(lines)
    return text


def assert_clean(text: str) -> None:
    """Either loads, or fails with one ConfigError line naming x.yaml and a line of the text."""
    last_line = len(text.splitlines()) + 1
    try:
        cfg = parse_config(text, Path("x.yaml"))
    except ConfigError as exc:
        message = str(exc)
        match = re.match(r"x\.yaml:(\d+): \S", message)
        assert match, message
        assert 1 <= int(match.group(1)) <= last_line, message
        assert len(message.splitlines()) == 1, message
        return
    for warning in cfg.warnings:
        match = re.match(r"x\.yaml:(\d+): \S", warning)
        assert match, warning
        assert 1 <= int(match.group(1)) <= last_line, warning
        assert len(warning.splitlines()) == 1, warning


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_configs(), DUMP_STYLES, EDITS)
def test_mutated_yaml_only_ever_raises_config_error(
    generated: tuple[dict[str, Any], list[dict[str, Any]]],
    style: dict[str, Any],
    edits: list[tuple[str, float, int, str]],
) -> None:
    assert_clean(mutate(yaml.safe_dump(generated[0], sort_keys=False, **style), edits))


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(), st.text(YAML_CHARS + "repos:hooksidlocal")))
def test_garbage_only_ever_raises_config_error(text: str) -> None:
    assert_clean(text)


# --------------------------------------------------------------------------- against pre-commit

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, width=16),
    st.sampled_from(
        [
            *("", "x", "[", "^a$", "a/*", "nope", "0", "1.x", "4.7", "4.7.1", "99.0"),
            *("v1.0", "abc123", "main", "local", "meta", "identity", "check-hooks-apply"),
            *("system", "script", "python", "unsupported", "fail", "pygrep"),
            *("manual", "commit", "push", "merge-commit", "pre-commit", "pre-push"),
            *("file", "text", "python3"),
        ]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "python", "system", "id"]), inner, max_size=2)
    ),
    max_leaves=4,
)
KEYS = {
    "root": [
        *next(
            i for i in clientlib.CONFIG_SCHEMA.items if isinstance(i, cfgv.WarnAdditionalKeys)
        ).keys,
        "bogus",
    ],
    "repo": ["repo", "rev", "hooks", "bogus"],
    "hook": [item.key for item in clientlib.MANIFEST_HOOK_DICT.items] + ["bogus"],
}
BASE_HOOKS = {
    "local": st.fixed_dictionaries(
        {
            "id": st.sampled_from(["a", "b"]),
            "name": st.just("n"),
            "entry": st.just("e"),
            "language": st.sampled_from(["system", "python", "script", "pygrep"]),
        }
    ),
    "meta": st.fixed_dictionaries({"id": st.sampled_from(["identity", "check-hooks-apply"])}),
    "https://x.test/y": st.fixed_dictionaries({"id": st.sampled_from(["a", "b"])}),
}


@st.composite
def near_valid_configs(draw: st.DrawFn) -> dict[str, Any]:
    """A valid config with one or two keys set to a random value or removed."""
    repos = []
    for url in draw(st.lists(st.sampled_from(sorted(BASE_HOOKS)), min_size=1, max_size=3)):
        repo: dict[str, Any] = {"repo": url}
        if url.startswith("https:"):
            repo["rev"] = draw(st.sampled_from(["v1.0", "abc", "main"]))
        repo["hooks"] = draw(st.lists(BASE_HOOKS[url], max_size=2))
        repos.append(repo)
    cfg: dict[str, Any] = {"repos": repos}
    for _ in range(draw(st.integers(1, 2))):
        level = draw(st.sampled_from(sorted(KEYS)))
        target = cfg
        if level != "root" and isinstance(cfg.get("repos"), list) and cfg["repos"]:
            target = draw(st.sampled_from(cfg["repos"]))
            hooks = target.get("hooks") if isinstance(target, dict) else None
            if level == "hook" and isinstance(hooks, list) and hooks:
                target = draw(st.sampled_from(hooks))
            else:
                level = "repo"
        else:
            level = "root"
        if not isinstance(target, dict):
            continue
        key = draw(st.sampled_from(KEYS[level]))
        if draw(st.integers(0, 4)) == 0:
            target.pop(key, None)
        else:
            target[key] = draw(VALUES)
    return cfg


def pre_commit_accepts(text: str) -> bool | None:
    """pre-commit's own verdict (None: its validation itself crashed on this input)."""
    logger = logging.getLogger("pre_commit")
    level = logger.level
    logger.setLevel(logging.ERROR)  # its warnings are not ours to show
    try:
        cfgv.validate(yaml_load(text), clientlib.CONFIG_SCHEMA)
    except cfgv.ValidationError:
        return False
    except (TypeError, ValueError):  # e.g. an unhashable stage, a non-numeric version
        return None
    finally:
        logger.setLevel(level)
    return True


def test_root_keys_of_pre_commit_are_the_ones_used_here() -> None:
    from pytest_hookrun.config import ROOT_KEYS

    assert set(KEYS["root"]) - {"bogus"} == set(ROOT_KEYS)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(near_valid_configs())
def test_accepts_exactly_what_pre_commit_accepts(data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, sort_keys=False)
    verdict = pre_commit_accepts(text)
    assume(verdict is not None)
    try:
        parse_config(text, Path("x.yaml"))
    except ConfigError as exc:
        assert verdict is False, f"pre-commit accepts, we reject: {exc}\n{text}"
    else:
        assert verdict is True, f"pre-commit rejects, we accept:\n{text}"


# --------------------------------------------------------------------------- through pytest


def git_init(path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=path, check=True)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            local("  - id: a\n    name: a\n    entry: a\n    language: nope\n"), id="schema"
        ),
        pytest.param("repos:\n- repo: local\n  hooks: [\n", id="yaml"),
        pytest.param(
            local(
                LOCAL_HOOK,
                "    depends_on: [b]\n",
                "  - {id: c, name: c, entry: c, language: fail}\n",
            ),
            id="depends-on",
        ),
    ],
)
def test_plugin_reports_a_broken_config_as_one_line(pytester: pytest.Pytester, text: str) -> None:
    git_init(pytester.path)
    path = pytester.path / ".pre-commit-config.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as excinfo:
        load_config(path)
    expected = str(excinfo.value)
    result = pytester.runpytest("--hooks", "--collect-only", "-q")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    output = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in output
    assert 'File "' not in output
    assert "ConfigCollectError" not in output
    assert "config.py" not in output
    lines = result.stdout.lines
    assert expected in lines  # the message, alone on its line
    index = lines.index(expected)
    assert "ERROR collecting .pre-commit-config.yaml" in lines[index - 1]
    assert lines[index + 1].startswith("====")  # nothing else: no traceback, no source


def test_plugin_shows_config_warnings_in_the_warnings_summary(pytester: pytest.Pytester) -> None:
    git_init(pytester.path)
    path = pytester.path / ".pre-commit-config.yaml"
    path.write_text("colour: red\n" + local(LOCAL_HOOK, "    stages: [commit]\n    typo_key: 1\n"))
    warnings = load_config(path).warnings
    assert len(warnings) == 3
    result = pytester.runpytest("--hooks", "--collect-only", "-q")
    assert result.ret == pytest.ExitCode.OK
    output = result.stdout.str()
    summary = output[output.index("warnings summary") :]
    for warning in warnings:
        assert warning in summary
    assert "HookrunConfigWarning" in summary
    assert ".pre-commit-config.yaml::a" in output


@pytest.mark.parametrize("escape", ["\\UFFFFFFFF", "\\U0011FFFF", "\\UFFFFFFFFFFFFFFFF"])
def test_out_of_range_unicode_escape_is_a_config_error(tmp_path: Path, escape: str) -> None:
    """PyYAML raises ValueError/OverflowError for these (found by hypothesis)."""
    path = tmp_path / ".pre-commit-config.yaml"
    path.write_text(f'repos:\n- repo: local\n  hooks:\n  - id: "{escape}"\n')
    with pytest.raises(ConfigError, match=r":4: invalid YAML"):
        load_config(path)
