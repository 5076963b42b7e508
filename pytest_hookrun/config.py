"""Load and validate a ``.pre-commit-config.yaml`` (pure: no pytest, no subprocess).

The schema is pre-commit's (its ``clientlib``), plus the extension keys of
DESIGN.md. Every error is one line naming the file, the line and the key, so a
user never sees a traceback. Remote hooks are kept as their config overrides
only: collection must not clone anything, and the hook ids are in the config.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from identify.identify import ALL_TAGS

from .yamlfile import LineDict as _LineDict
from .yamlfile import YamlCache, YamlSyntaxError, load_yaml
from .yamlfile import one_line as _one_line

# pre-commit's config format version we follow: `minimum_pre_commit_version`
# above it is rejected, exactly as pre-commit of this version would.
PRE_COMMIT_COMPAT_VERSION = "4.7.0"

LOCAL = "local"
META = "meta"

HOOK_TYPES = (
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
)
STAGES = (*HOOK_TYPES, "manual")
_LEGACY_STAGES = {"commit": "pre-commit", "merge-commit": "pre-merge-commit", "push": "pre-push"}

LANGUAGES = (
    "conda",
    "coursier",
    "dart",
    "docker",
    "docker_image",
    "dotnet",
    "fail",
    "golang",
    "haskell",
    "julia",
    "lua",
    "node",
    "perl",
    "pygrep",
    "python",
    "r",
    "ruby",
    "rust",
    "swift",
    "unsupported",
    "unsupported_script",
)
_LANGUAGE_ALIASES = {"system": "unsupported", "script": "unsupported_script"}

META_HOOKS: dict[str, dict[str, Any]] = {
    "check-hooks-apply": {
        "name": "Check hooks apply to the repository",
        "files": r"^\.pre\-commit\-config\.yaml$",
    },
    "check-useless-excludes": {
        "name": "Check for useless excludes",
        "files": r"^\.pre\-commit\-config\.yaml$",
    },
    "identity": {"name": "identity", "verbose": True},
}

ROOT_KEYS = (
    "repos",
    "default_install_hook_types",
    "default_language_version",
    "default_stages",
    "files",
    "exclude",
    "fail_fast",
    "minimum_pre_commit_version",
    "ci",
)
EXTENSION_ROOT_KEYS = ("priorities",)
REPO_KEYS = ("repo", "rev", "hooks")
EXTENSION_HOOK_KEYS = ("priority", "depends_on", "timeout", "read_only", "weight")


class ConfigError(Exception):
    """A config the user must fix; ``str()`` is one line naming file, line and key."""


@dataclass(frozen=True)
class Hook:
    """One hook as the config declares it, defaults applied (pre-commit's merge rules)."""

    id: str
    name: str
    entry: str
    language: str
    repo: str
    rev: str | None
    line: int  # 1-based line of the hook's `- id:` entry
    position: int  # index among all hooks of the config, in file order
    alias: str = ""
    files: str = ""
    exclude: str = "^$"
    types: tuple[str, ...] = ("file",)
    types_or: tuple[str, ...] = ()
    exclude_types: tuple[str, ...] = ()
    additional_dependencies: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    always_run: bool = False
    fail_fast: bool = False
    pass_filenames: bool = True
    description: str = ""
    language_version: str = "default"
    log_file: str = ""
    require_serial: bool = False
    stages: tuple[str, ...] = STAGES
    verbose: bool = False
    minimum_pre_commit_version: str = "0"
    # extension keys
    priority: int | None = None
    depends_on: tuple[str, ...] = ()
    timeout: float | None = None
    timeout_auto: bool = False  # `timeout: auto`: learned from the hook's past runs
    read_only: bool | None = None
    weight: int = 1
    # the keys the config itself set (for remote hooks, what overrides the manifest)
    overrides: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    key_lines: Mapping[str, int] = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_remote(self) -> bool:
        return self.repo not in (LOCAL, META)

    @property
    def is_meta(self) -> bool:
        return self.repo == META


@dataclass(frozen=True)
class Config:
    path: Path
    hooks: tuple[Hook, ...]
    files: str = ""
    exclude: str = "^$"
    fail_fast: bool = False
    default_stages: tuple[str, ...] = STAGES
    default_language_version: Mapping[str, str] = field(default_factory=dict)
    default_install_hook_types: tuple[str, ...] = ("pre-commit",)
    minimum_pre_commit_version: str = "0"
    priorities: Mapping[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


# --------------------------------------------------------------------------- checks


class _Checker:
    """Validates values and collects warnings, naming file and line in every message."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.warnings: list[str] = []

    def fail(self, line: int, message: str) -> ConfigError:
        return ConfigError(_one_line(f"{self.path}:{line}: {message}"))

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(_one_line(f"{self.path}:{line}: {message}"))

    def mapping(self, value: Any, line: int, what: str) -> _LineDict:
        if not isinstance(value, _LineDict):
            raise self.fail(line, f"{what} must be a mapping, got {_type_name(value)}")
        return value

    def get(
        self,
        dct: _LineDict,
        key: str,
        check: Callable[[Any], str | None],
        what: str,
    ) -> Any:
        value = dct[key]
        problem = check(value)
        if problem:
            raise self.fail(self.line_of(dct, key), f"{what}: key {key!r} {problem}")
        return value

    @staticmethod
    def line_of(dct: _LineDict, key: str) -> int:
        return dct.key_lines.get(key, dct.line)


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    names: dict[type, str] = {
        dict: "a mapping",
        _LineDict: "a mapping",
        list: "a list",
        str: "a string",
    }
    return names.get(type(value), f"{type(value).__name__} {value!r}")


def _is_str(value: Any) -> str | None:
    return None if isinstance(value, str) else f"must be a string, got {_type_name(value)}"


def _is_bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"must be true or false, got {_type_name(value)}"


def _is_str_list(value: Any) -> str | None:
    if not isinstance(value, list):
        return f"must be a list of strings, got {_type_name(value)}"
    for item in value:
        if not isinstance(item, str):
            return f"must be a list of strings, got an item {_type_name(item)}"
    return None


def _is_regex(value: Any) -> str | None:
    problem = _is_str(value)
    if problem:
        return problem
    try:
        re.compile(value)
    except re.error as exc:
        return f"is not a valid regex ({exc}): {value!r}"
    return None


def _is_tags(value: Any) -> str | None:
    problem = _is_str_list(value)
    if problem:
        return problem
    for tag in value:
        if tag not in ALL_TAGS:
            return f"has an unknown type tag {tag!r} (identify knows no such tag)"
    return None


def _is_language(value: Any) -> str | None:
    problem = _is_str(value)
    if problem:
        return problem
    if _LANGUAGE_ALIASES.get(value, value) not in LANGUAGES:
        return f"is not a language pre-commit knows: {value!r}"
    return None


def _is_stages(value: Any) -> str | None:
    problem = _is_str_list(value)
    if problem:
        return problem
    for stage in value:
        if _LEGACY_STAGES.get(stage, stage) not in STAGES:
            return f"has an unknown stage {stage!r} (one of: {', '.join(STAGES)})"
    return None


def _is_version(value: Any) -> str | None:
    problem = _is_str(value)
    if problem:
        return problem
    try:
        wanted = _parse_version(value)
    except ValueError:
        return f"is not a version: {value!r}"
    if wanted > _parse_version(PRE_COMMIT_COMPAT_VERSION):
        return (
            f"asks for pre-commit {value}, newer than the {PRE_COMMIT_COMPAT_VERSION} "
            "whose config format this version supports"
        )
    return None


def _parse_version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _is_timeout(value: Any) -> str | None:
    if value == "auto":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"must be a number of seconds or 'auto', got {_type_name(value)}"
    if value < 0:
        return f"must not be negative, got {value}"
    try:
        finite = math.isfinite(value)
    except OverflowError:
        finite = False
    if not finite:
        return f"must be a finite number of seconds, got {value}"
    return None


def _is_weight(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return f"must be a whole number of at least 1, got {_type_name(value)}"
    return None


def _is_int(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"must be a whole number, got {_type_name(value)}"
    return None


def _is_priority(value: Any) -> str | None:
    if isinstance(value, str):
        return None  # an alias: resolved against `priorities` later
    return _is_int(value)


_MANIFEST_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "minimum_pre_commit_version": _is_version,
    "id": _is_str,
    "name": _is_str,
    "entry": _is_str,
    "language": _is_language,
    "alias": _is_str,
    "files": _is_regex,
    "exclude": _is_regex,
    "types": _is_tags,
    "types_or": _is_tags,
    "exclude_types": _is_tags,
    "additional_dependencies": _is_str_list,
    "args": _is_str_list,
    "always_run": _is_bool,
    "fail_fast": _is_bool,
    "pass_filenames": _is_bool,
    "description": _is_str,
    "language_version": _is_str,
    "log_file": _is_str,
    "require_serial": _is_bool,
    "stages": _is_stages,
    "verbose": _is_bool,
}
_EXTENSION_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "priority": _is_priority,
    "depends_on": _is_str_list,
    "timeout": _is_timeout,
    "read_only": _is_bool,
    "weight": _is_weight,
}
HOOK_KEYS = (*_MANIFEST_CHECKS, *EXTENSION_HOOK_KEYS)
_TUPLE_KEYS = {
    "types",
    "types_or",
    "exclude_types",
    "additional_dependencies",
    "args",
    "stages",
    "depends_on",
}


# --------------------------------------------------------------------------- loading


def load_config(path: str | Path, cache: YamlCache | None = None) -> Config:
    """Read and validate a config file; raise :class:`ConfigError` on anything wrong.

    ``cache``: documents parsed before (an unchanged config is not parsed again)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(_one_line(f"{path}: config file not found")) from None
    except OSError as exc:
        raise ConfigError(_one_line(f"{path}: cannot read config: {exc}")) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ConfigError(_one_line(f"{path}:{line}: not UTF-8: {exc.reason}")) from None
    return parse_config(text, path, cache)


def _load_yaml(text: str, path: Path, cache: YamlCache | None) -> Any:
    """The YAML document in ``text``; every failure is a one-line ConfigError."""
    try:
        return load_yaml(text, path, cache)
    except YamlSyntaxError as exc:
        raise ConfigError(str(exc)) from None


def parse_config(text: str, path: Path, cache: YamlCache | None = None) -> Config:
    """``text`` as the config at ``path``; ``cache``: documents parsed before."""
    data = _load_yaml(text, path, cache)
    check = _Checker(path)
    root = check.mapping(data, 1, "the config")
    if "minimum_pre_commit_version" in root:
        check.get(root, "minimum_pre_commit_version", _is_version, "config")
    if "repos" not in root:
        raise check.fail(1, "config: missing required key 'repos'")
    unknown = [k for k in root if k not in ROOT_KEYS and k not in EXTENSION_ROOT_KEYS]
    if unknown:
        check.warn(
            check.line_of(root, unknown[0]),
            f"unexpected key(s) at root: {', '.join(map(str, unknown))}",
        )

    files = check.get(root, "files", _is_regex, "config") if "files" in root else ""
    exclude = check.get(root, "exclude", _is_regex, "config") if "exclude" in root else "^$"
    fail_fast = check.get(root, "fail_fast", _is_bool, "config") if "fail_fast" in root else False
    default_stages = STAGES
    if "default_stages" in root:
        raw = check.get(root, "default_stages", _is_stages, "config")
        _warn_legacy_stages(check, root, "default_stages", raw, "top-level `default_stages`")
        default_stages = tuple(_LEGACY_STAGES.get(s, s) for s in raw)
    install_types: tuple[str, ...] = ("pre-commit",)
    if "default_install_hook_types" in root:
        raw = check.get(root, "default_install_hook_types", _is_str_list, "config")
        for item in raw:
            if item not in HOOK_TYPES:
                raise check.fail(
                    check.line_of(root, "default_install_hook_types"),
                    f"config: key 'default_install_hook_types' has an unknown hook type {item!r}",
                )
        install_types = tuple(raw)
    language_versions = _default_language_version(check, root)
    if "ci" in root and not isinstance(root["ci"], dict):
        raise check.fail(check.line_of(root, "ci"), "config: key 'ci' must be a mapping")
    priorities = _priorities(check, root)

    repos = root["repos"]
    if not isinstance(repos, list):
        raise check.fail(
            check.line_of(root, "repos"),
            f"config: key 'repos' must be a list, got {_type_name(repos)}",
        )
    hooks: list[Hook] = []
    for repo in repos:
        hooks.extend(_load_repo(check, root, repo, len(hooks), default_stages, priorities))
    _check_depends_on(check, hooks)
    return Config(
        path=path,
        hooks=tuple(hooks),
        files=files,
        exclude=exclude,
        fail_fast=fail_fast,
        default_stages=default_stages,
        default_language_version=language_versions,
        default_install_hook_types=install_types,
        minimum_pre_commit_version=root.get("minimum_pre_commit_version", "0"),
        priorities=priorities,
        warnings=tuple(check.warnings),
    )


def _default_language_version(check: _Checker, root: _LineDict) -> dict[str, str]:
    if "default_language_version" not in root:
        return {}
    value = check.mapping(
        root["default_language_version"],
        check.line_of(root, "default_language_version"),
        "config: key 'default_language_version'",
    )
    for language, version in value.items():
        line = check.line_of(value, language)
        if language not in LANGUAGES:
            raise check.fail(line, f"default_language_version: unknown language {language!r}")
        if not isinstance(version, str):
            raise check.fail(
                line, f"default_language_version: {language!r} must be a string version"
            )
    return dict(value)


def _priorities(check: _Checker, root: _LineDict) -> dict[str, int]:
    if "priorities" not in root:
        return {}
    value = check.mapping(
        root["priorities"], check.line_of(root, "priorities"), "config: key 'priorities'"
    )
    for alias in value:
        check.get(value, alias, _is_int, "priorities")
    return {str(k): int(v) for k, v in value.items()}


def _load_repo(
    check: _Checker,
    root: _LineDict,
    raw: Any,
    first_position: int,
    default_stages: tuple[str, ...],
    priorities: Mapping[str, int],
) -> list[Hook]:
    repo = check.mapping(raw, check.line_of(root, "repos"), "each entry of 'repos'")
    if "repo" not in repo:
        raise check.fail(repo.line, "repository: missing required key 'repo'")
    url = check.get(repo, "repo", _is_str, "repository")
    what = f"repository {url!r}"
    if url in (LOCAL, META):
        if "rev" in repo:
            raise check.fail(check.line_of(repo, "rev"), f"{what}: key 'rev' is not allowed")
        rev = None
    else:
        if "rev" not in repo:
            raise check.fail(repo.line, f"{what}: missing required key 'rev'")
        rev = check.get(repo, "rev", _is_str, what)
        if "." not in rev and not re.match(r"^[a-fA-F0-9]+$", rev):
            check.warn(
                check.line_of(repo, "rev"),
                f"{what}: 'rev' {rev!r} looks like a mutable reference (moving tag or branch)",
            )
    unknown = [k for k in repo if k not in REPO_KEYS]
    if unknown:
        check.warn(
            check.line_of(repo, unknown[0]),
            f"unexpected key(s) on {url}: {', '.join(map(str, unknown))}",
        )
    if "hooks" not in repo:
        raise check.fail(repo.line, f"{what}: missing required key 'hooks'")
    raw_hooks = repo["hooks"]
    if not isinstance(raw_hooks, list):
        raise check.fail(
            check.line_of(repo, "hooks"),
            f"{what}: key 'hooks' must be a list, got {_type_name(raw_hooks)}",
        )
    hooks = []
    for index, raw_hook in enumerate(raw_hooks):
        dct = check.mapping(raw_hook, check.line_of(repo, "hooks"), f"{what}: each hook")
        hooks.append(
            _load_hook(
                check, dct, url, rev, first_position + index, default_stages, priorities, root
            )
        )
    return hooks


def _load_hook(
    check: _Checker,
    dct: _LineDict,
    url: str,
    rev: str | None,
    position: int,
    default_stages: tuple[str, ...],
    priorities: Mapping[str, int],
    root: _LineDict,
) -> Hook:
    if "id" not in dct:
        raise check.fail(dct.line, f"repository {url!r}: a hook is missing required key 'id'")
    hook_id = check.get(dct, "id", _is_str, f"repository {url!r}: hook")
    what = f"hook {hook_id!r}"
    line = check.line_of(dct, "id")
    # pre-commit checks minimum_pre_commit_version first, in case it uses a newer feature
    if "minimum_pre_commit_version" in dct:
        check.get(dct, "minimum_pre_commit_version", _is_version, what)
    for key in dct:
        if key in _MANIFEST_CHECKS:
            check.get(dct, key, _MANIFEST_CHECKS[key], what)
        elif key in _EXTENSION_CHECKS:
            check.get(dct, key, _EXTENSION_CHECKS[key], what)
        else:
            check.warn(check.line_of(dct, key), f"{what}: unknown key {key!r} (ignored)")
    if "stages" in dct:
        _warn_legacy_stages(check, dct, "stages", dct["stages"], f"hook id `{hook_id}`")

    values: dict[str, Any] = {}
    if url == LOCAL:
        for key in ("name", "entry", "language"):
            if key not in dct:
                raise check.fail(line, f"{what}: missing required key {key!r} (repo: local)")
    elif url == META:
        if hook_id not in META_HOOKS:
            raise check.fail(
                line,
                f"{what}: not a meta hook (one of: {', '.join(META_HOOKS)})",
            )
        if "entry" in dct:
            raise check.fail(check.line_of(dct, "entry"), f"{what}: 'entry' cannot be overridden")
        if dct.get("language", "unsupported") != "unsupported":
            raise check.fail(
                check.line_of(dct, "language"), f"{what}: a meta hook's language is 'unsupported'"
            )
        values.update(META_HOOKS[hook_id], entry="", language="unsupported")
    else:
        # remote: the manifest is read when the run starts; the config's keys override it
        values.update(name=hook_id, entry="", language="")
    overrides = {str(k): v for k, v in dct.items() if k in HOOK_KEYS}
    values.update(overrides)
    if values.get("language"):
        values["language"] = _LANGUAGE_ALIASES.get(values["language"], values["language"])

    priority = values.pop("priority", None)
    if isinstance(priority, str):
        if priority not in priorities:
            raise check.fail(
                check.line_of(dct, "priority"),
                f"{what}: priority {priority!r} is not declared under top-level 'priorities'",
            )
        priority = priorities[priority]
    stages = values.pop("stages", None)
    return _make_hook(
        values,
        repo=url,
        rev=rev,
        line=line,
        position=position,
        priority=priority,
        stages=tuple(_LEGACY_STAGES.get(s, s) for s in stages) if stages else default_stages,
        overrides=overrides,
        key_lines={str(k): v for k, v in dct.key_lines.items()},
    )


def _make_hook(values: Mapping[str, Any], **fixed: Any) -> Hook:
    kwargs: dict[str, Any] = {k: (tuple(v) if k in _TUPLE_KEYS else v) for k, v in values.items()}
    if kwargs.get("timeout") == "auto":
        kwargs["timeout"], kwargs["timeout_auto"] = None, True
    elif "timeout" in kwargs:
        kwargs["timeout"] = float(kwargs["timeout"])
    kwargs.update(fixed)
    return Hook(**kwargs)


def _warn_legacy_stages(
    check: _Checker, dct: _LineDict, key: str, value: Iterable[str], where: str
) -> None:
    legacy = [s for s in value if s in _LEGACY_STAGES]
    if legacy:
        check.warn(
            check.line_of(dct, key),
            f"{where} uses deprecated stage names ({', '.join(legacy)}); "
            f"use {', '.join(_LEGACY_STAGES[s] for s in legacy)}",
        )


def _check_depends_on(check: _Checker, hooks: Sequence[Hook]) -> None:
    """Unknown ids and cycles are config errors: both are visible in the file alone."""
    ids = {hook.id for hook in hooks}
    by_id: dict[str, list[Hook]] = {}
    for hook in hooks:
        by_id.setdefault(hook.id, []).append(hook)
        for dep in hook.depends_on:
            if dep not in ids:
                raise check.fail(
                    _override_line(hook, "depends_on"),
                    f"hook {hook.id!r}: depends_on names unknown hook id {dep!r}",
                )
    cycle = find_cycle({h.id: [d for x in by_id[h.id] for d in x.depends_on] for h in hooks})
    if cycle:
        first = by_id[cycle[0]][0]
        raise check.fail(
            _override_line(first, "depends_on"),
            f"depends_on cycle: {' -> '.join(cycle)}",
        )


def _override_line(hook: Hook, key: str) -> int:
    return hook.key_lines.get(key, hook.line)


def find_cycle(graph: Mapping[str, Sequence[str]]) -> list[str] | None:
    """Return one cycle as ``[a, b, ..., a]``, or None; iterative DFS, in key order."""
    state: dict[str, int] = {}  # 1: on stack, 2: done
    for start in graph:
        if state.get(start):
            continue
        stack: list[tuple[str, Iterable[str]]] = [(start, iter(graph.get(start, ())))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            for child in children:
                if state.get(child) == 1:
                    return [*path[path.index(child) :], child]
                if not state.get(child):
                    state[child] = 1
                    path.append(child)
                    stack.append((child, iter(graph.get(child, ()))))
                    break
            else:
                state[node] = 2
                stack.pop()
                path.pop()
    return None


# --------------------------------------------------------------------------- manifests

MANIFEST = ".pre-commit-hooks.yaml"
_MANIFEST_REQUIRED = ("id", "name", "entry", "language")


def parse_manifest(
    text: str, path: Path, cache: YamlCache | None = None
) -> dict[str, dict[str, Any]]:
    """A repo's ``.pre-commit-hooks.yaml``: each hook's validated keys, by id.

    The last definition of an id wins, as in pre-commit.
    """
    data = _load_yaml(text, path, cache)
    check = _Checker(path)
    if not isinstance(data, list):
        raise check.fail(1, f"the manifest must be a list of hooks, got {_type_name(data)}")
    hooks: dict[str, dict[str, Any]] = {}
    for raw in data:
        dct = check.mapping(raw, 1, "each hook of the manifest")
        for key in _MANIFEST_REQUIRED:
            if key not in dct:
                raise check.fail(dct.line, f"a hook is missing required key {key!r}")
        hook_id = check.get(dct, "id", _is_str, "hook")
        values = {
            str(k): check.get(dct, k, _MANIFEST_CHECKS[k], f"hook {hook_id!r}")
            for k in dct
            if k in _MANIFEST_CHECKS
        }
        hooks[hook_id] = values
    return hooks


def merge_manifest(hook: Hook, defined: Mapping[str, Any], config: Config) -> Hook:
    """The remote ``hook`` with its manifest definition under the config's own keys.

    pre-commit's rules: the config's keys win; ``stages`` comes from the config, else
    the manifest, else ``default_stages``. Raises :class:`ConfigError` for a manifest
    hook asking for a newer pre-commit.
    """
    version = defined.get("minimum_pre_commit_version", "0")
    problem = _is_version(version)
    if problem:
        raise ConfigError(
            _one_line(f"hook {hook.id!r}: the manifest's minimum_pre_commit_version {problem}")
        )
    values = {
        k: v for k, v in defined.items() if k not in hook.overrides and k not in ("id", "stages")
    }
    if values.get("language"):
        values["language"] = _LANGUAGE_ALIASES.get(values["language"], values["language"])
    if "stages" not in hook.overrides:
        manifest_stages = defined.get("stages") or ()
        values["stages"] = (
            tuple(_LEGACY_STAGES.get(s, s) for s in manifest_stages)
            if manifest_stages
            else config.default_stages
        )
    kwargs: dict[str, Any] = {k: (tuple(v) if k in _TUPLE_KEYS else v) for k, v in values.items()}
    kwargs.pop("minimum_pre_commit_version", None)
    return replace(hook, **kwargs)


def language_version(hook: Hook, config: Config) -> str:
    """The hook's ``language_version``, else the config's default for its language."""
    if hook.language_version != "default":
        return hook.language_version
    return config.default_language_version.get(hook.language, "default")
