"""Manifests (``.pre-commit-hooks.yaml``) and their merge with the config, pre-commit as oracle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pre_commit import clientlib
from pre_commit.repository import _hook

from pytest_hookrun.config import (
    ConfigError,
    language_version,
    merge_manifest,
    parse_config,
    parse_manifest,
)

MANIFEST_PATH = Path("/store/repo/.pre-commit-hooks.yaml")

# keys a manifest hook and a config hook may both set, with values for each
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "name": st.sampled_from(["Name A", "Name B"]),
    "entry": st.sampled_from(["tool", "tool --fix", "other"]),
    "language": st.sampled_from(["system", "script", "python", "unsupported"]),
    "alias": st.sampled_from(["", "al"]),
    "files": st.sampled_from(["", r"\.py$", "^src/"]),
    "exclude": st.sampled_from(["^$", "^vendor/"]),
    "types": st.sampled_from([["file"], ["python"], ["text", "yaml"]]),
    "types_or": st.sampled_from([[], ["python", "pyi"]]),
    "exclude_types": st.sampled_from([[], ["markdown"]]),
    "args": st.sampled_from([[], ["--fix"], ["-a", "b"]]),
    "always_run": st.booleans(),
    "pass_filenames": st.booleans(),
    "require_serial": st.booleans(),
    "verbose": st.booleans(),
    "fail_fast": st.booleans(),
    "log_file": st.sampled_from(["", "out.log"]),
    "description": st.sampled_from(["", "desc"]),
    "stages": st.sampled_from([[], ["pre-commit"], ["pre-push", "manual"], ["commit"]]),
    "language_version": st.sampled_from(["default", "python3.11"]),
}
MERGED_FIELDS = [k for k in VALUES if k not in ("stages", "language_version")]


def _dicts(required: bool) -> st.SearchStrategy[dict[str, Any]]:
    keys = st.sets(st.sampled_from(sorted(VALUES)))
    return keys.flatmap(
        lambda chosen: st.fixed_dictionaries(
            {k: VALUES[k] for k in chosen | ({"name", "entry", "language"} if required else set())}
        )
    )


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    manifest_hook=_dicts(required=True),
    overrides=_dicts(required=False),
    default_stages=st.sampled_from([None, ["pre-push"], ["manual", "pre-commit"]]),
    default_python=st.sampled_from([None, "python3.12"]),
)
def test_merge_matches_pre_commit(
    tmp_path: Path,
    manifest_hook: dict[str, Any],
    overrides: dict[str, Any],
    default_stages: list[str] | None,
    default_python: str | None,
) -> None:
    # pre-commit does not let a hook without an environment set language_version
    for dct in (manifest_hook, overrides):
        if dct.get("language") not in (None, "python"):
            dct.pop("language_version", None)
    language = overrides.get("language", manifest_hook["language"])
    if language != "python":
        manifest_hook.pop("language_version", None)
        overrides.pop("language_version", None)
    manifest = [{"id": "the-hook", **manifest_hook}]
    root: dict[str, Any] = {
        "repos": [
            {
                "repo": "https://example.com/hooks",
                "rev": "v1.0.0",
                "hooks": [{"id": "the-hook", **overrides}],
            }
        ]
    }
    if default_stages is not None:
        root["default_stages"] = default_stages
    if default_python is not None:
        root["default_language_version"] = {"python": default_python}
    manifest_file = tmp_path / ".pre-commit-hooks.yaml"
    manifest_file.write_text(yaml.safe_dump(manifest))
    config_file = tmp_path / ".pre-commit-config.yaml"
    config_file.write_text(yaml.safe_dump(root))

    # pre-commit's own merge
    theirs_manifest = {h["id"]: h for h in clientlib.load_manifest(str(manifest_file))}
    theirs_config = clientlib.load_config(str(config_file))
    theirs = _hook(
        theirs_manifest["the-hook"],
        theirs_config["repos"][0]["hooks"][0],
        root_config=theirs_config,
    )

    config = parse_config(config_file.read_text(), config_file)
    ours = merge_manifest(
        config.hooks[0],
        parse_manifest(manifest_file.read_text(), manifest_file)["the-hook"],
        config,
    )
    for key in MERGED_FIELDS:
        expected = theirs[key]
        if key == "language":
            expected = {"system": "unsupported", "script": "unsupported_script"}.get(
                expected, expected
            )
        got = getattr(ours, key)
        assert (list(got) if isinstance(got, tuple) else got) == expected, key
    legacy = {"commit": "pre-commit", "push": "pre-push", "merge-commit": "pre-merge-commit"}
    assert list(ours.stages) == [legacy.get(s, s) for s in theirs["stages"]]
    if theirs["language_version"] != "default" and language == "python":
        # pre-commit goes on to pick a default interpreter; the configured value must agree
        ours_version = language_version(ours, config)
        assert ours_version in (theirs["language_version"], "default")
        if ours_version != "default":
            assert ours_version == theirs["language_version"]


def test_last_definition_of_an_id_wins_as_in_pre_commit() -> None:
    text = (
        "- {id: h, name: first, entry: a, language: system}\n"
        "- {id: h, name: second, entry: b, language: system}\n"
    )
    assert parse_manifest(text, MANIFEST_PATH)["h"]["entry"] == "b"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: h\n", ":1: the manifest must be a list of hooks, got a mapping"),
        ("- {id: h, name: n, entry: e}\n", ":1: a hook is missing required key 'language'"),
        (
            "- id: h\n  name: n\n  entry: e\n  language: cobol\n",
            ":4: hook 'h': key 'language' is not a language",
        ),
        (
            "- id: h\n  name: n\n  entry: e\n  language: system\n  files: '('\n",
            ":5: hook 'h': key 'files'",
        ),
        (
            "- id: h\n  name: n\n  entry: e\n  language: system\n  args: 3\n",
            ":5: hook 'h': key 'args' must be a list",
        ),
        ("- [\n", ":2: invalid YAML"),
    ],
)
def test_bad_manifests_are_one_line_errors_naming_file_and_line(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_manifest(text, MANIFEST_PATH)
    assert str(info.value).startswith(str(MANIFEST_PATH))
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_a_manifest_hook_asking_for_a_newer_pre_commit_is_an_error() -> None:
    path = Path("/p/.pre-commit-config.yaml")
    config = parse_config(
        "repos:\n- repo: https://example.com/h\n  rev: v1.0.0\n  hooks:\n  - id: h\n", path
    )
    defined = parse_manifest("- {id: h, name: n, entry: e, language: system}\n", MANIFEST_PATH)["h"]
    defined["minimum_pre_commit_version"] = "99.0.0"
    with pytest.raises(ConfigError, match="hook 'h': the manifest's minimum_pre_commit_version"):
        merge_manifest(config.hooks[0], defined, config)
