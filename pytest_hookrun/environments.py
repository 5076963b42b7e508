"""Before the first hook runs: clone remote repos, merge their manifests, build environments.

Different repos clone, and different environments install, in parallel. A
failure becomes an error on the hooks that needed that clone or environment
only; every other hook still runs. Nothing here runs at collection.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .config import (
    MANIFEST,
    Config,
    ConfigError,
    Hook,
    language_version,
    merge_manifest,
    parse_manifest,
)
from .languages import WITH_ENVIRONMENT, Environment
from .store import InstallError, Store, digest
from .yamlfile import YamlCache


@dataclass(frozen=True)
class Prepared:
    """A hook ready to run: merged with its manifest, with its environment, or an error."""

    hook: Hook
    environment: Environment | None = None
    error: str | None = None


@dataclass(frozen=True)
class Install:
    """One clone or environment install, for the terminal and the event hooks."""

    repo: str
    rev: str | None
    language: str  # "git" for a clone

    def failure(self, exc: InstallError) -> str:
        """The error its hooks report."""
        if self.language == "git":
            return f"cannot clone {self.repo} at {self.rev}: {exc}"
        where = "local hooks" if self.repo == "local" else f"{self.repo} at {self.rev}"
        return f"cannot install the {self.language} environment of {where}: {exc}"

    def describe(self) -> str:
        where = "local hooks" if self.repo == "local" else f"{self.repo} at {self.rev}"
        if self.language == "git":
            return f"cloning {self.repo} at {self.rev}"
        return f"{self.language} environment for {where}"


# called (from installer threads) when an install starts, and when it ends (seconds, error)
OnStart = Callable[[Install], None]
OnFinish = Callable[[Install, float, str | None], None]


@dataclass(frozen=True)
class _EnvSpec:
    repo: str
    rev: str | None
    language: str
    version: str
    dependencies: tuple[str, ...]
    source: Path | None


def prepare(
    hooks: Sequence[tuple[str, Hook, Config]],
    store: Store,
    *,
    stage: str,
    workers: int,
    on_start: OnStart,
    on_finish: OnFinish,
    yaml_cache: YamlCache | None = None,
) -> dict[str, Prepared]:
    """Each key's hook made ready; local hooks that need nothing come back as they are.

    Environments are built only for hooks of ``stage`` (a remote hook's stages are
    known once its manifest is read; ``yaml_cache``: manifests parsed before).
    """

    def tracked(what: Install, work: Callable[[Callable[[], None]], Path]) -> Path:
        """Run ``work(on_build)``; report start and end only when it really builds."""
        started: list[float] = []

        def on_build() -> None:
            started.append(time.monotonic())
            on_start(what)

        try:
            result = work(on_build)
        except InstallError as exc:
            if started:
                on_finish(what, time.monotonic() - started[0], what.failure(exc))
            raise
        if started:
            on_finish(what, time.monotonic() - started[0], None)
        return result

    with ThreadPoolExecutor(max(2, workers), thread_name_prefix="hookrun-install") as pool:
        try:
            return _prepare(hooks, store, pool, tracked, stage, yaml_cache)
        except BaseException:
            store.run.cancel.set()  # Ctrl-C: installs in progress are killed, not awaited
            raise


Tracked = Callable[[Install, Callable[[Callable[[], None]], Path]], Path]


def _prepare(
    hooks: Sequence[tuple[str, Hook, Config]],
    store: Store,
    pool: ThreadPoolExecutor,
    tracked: Tracked,
    stage: str,
    yaml_cache: YamlCache | None = None,
) -> dict[str, Prepared]:
    # 1. one clone per (repo, rev), in parallel
    clones: dict[tuple[str, str], Future[Path]] = {}
    for _, hook, _ in hooks:
        if hook.is_remote and hook.rev is not None and (hook.repo, hook.rev) not in clones:
            url, rev = hook.repo, hook.rev
            clones[(url, rev)] = pool.submit(
                tracked, Install(url, rev, "git"), functools.partial(store.repo, url, rev)
            )

    # 2. each remote hook merged with its repo's manifest
    prepared: dict[str, Prepared] = {}
    configs: dict[str, Config] = {}
    manifests: dict[Path, dict[str, dict[str, Any]] | str] = {}
    for key, hook, config in hooks:
        configs[key] = config
        source = None
        if hook.is_remote and hook.rev is not None:
            try:
                source = clones[(hook.repo, hook.rev)].result()
            except InstallError as exc:
                prepared[key] = Prepared(
                    hook, error=Install(hook.repo, hook.rev, "git").failure(exc)
                )
                continue
            if source not in manifests:
                manifests[source] = _read_manifest(source, hook, yaml_cache)
            merged = _merged(hook, manifests[source], config)
            if isinstance(merged, str):
                prepared[key] = Prepared(hook, error=merged)
                continue
            hook = merged
        prepared[key] = Prepared(hook, Environment(source=source, language=hook.language))

    # 3. one environment per (repo, rev, language, version, dependencies), in parallel
    wanted: dict[str, tuple[str, _EnvSpec]] = {}
    builds: dict[str, Future[Path]] = {}
    for key, ready in prepared.items():
        hook = ready.hook
        if (
            ready.error
            or ready.environment is None
            or hook.language not in WITH_ENVIRONMENT
            or stage not in hook.stages
        ):
            continue
        spec = _EnvSpec(
            repo=hook.repo,
            rev=hook.rev,
            language=hook.language,
            version=language_version(hook, configs[key]),
            dependencies=hook.additional_dependencies,
            source=ready.environment.source,
        )
        try:
            name = _env_name(spec, store)
        except InstallError as exc:
            prepared[key] = replace(ready, error=_install_error(spec, exc))
            continue
        wanted[key] = (name, spec)
        if name not in builds:
            build = functools.partial(_install, spec, store=store)
            builds[name] = pool.submit(
                tracked,
                Install(spec.repo, spec.rev, spec.language),
                functools.partial(store.environment, name, build),
            )
    for key, (name, spec) in wanted.items():
        ready = prepared[key]
        assert ready.environment is not None
        try:
            prefix = builds[name].result()
        except InstallError as exc:
            prepared[key] = replace(ready, error=_install_error(spec, exc))
            continue
        environment = replace(ready.environment, prefix=prefix, version=spec.version)
        prepared[key] = replace(ready, environment=environment)
    return prepared


def _read_manifest(
    source: Path, hook: Hook, cache: YamlCache | None = None
) -> dict[str, dict[str, Any]] | str:
    path = source / MANIFEST
    try:
        return parse_manifest(path.read_text(encoding="utf-8"), path, cache)
    except FileNotFoundError:
        return f"{hook.repo} at {hook.rev} has no {MANIFEST}: it is not a hook repository"
    except (OSError, UnicodeDecodeError) as exc:
        return f"{hook.repo} at {hook.rev}: cannot read {MANIFEST}: {exc}"
    except ConfigError as exc:
        return f"{hook.repo} at {hook.rev}: {exc}"


def _merged(hook: Hook, manifest: dict[str, dict[str, Any]] | str, config: Config) -> Hook | str:
    if isinstance(manifest, str):
        return manifest
    if hook.id not in manifest:
        return (
            f"{hook.id!r} is not a hook of {hook.repo} at {hook.rev} "
            f"(its {MANIFEST} has: {', '.join(manifest) or 'no hooks'})"
        )
    try:
        return merge_manifest(hook, manifest[hook.id], config)
    except ConfigError as exc:
        return f"{hook.repo} at {hook.rev}: {exc}"


def _module(language: str) -> Any:
    if language == "python":
        from .languages import python

        return python
    from .languages import node

    return node


def _env_name(spec: _EnvSpec, store: Store) -> str:
    identity = _module(spec.language).identity(spec.version, store.run.env)
    key = digest(spec.repo, spec.rev, spec.language, spec.version, spec.dependencies, identity)
    return f"{spec.language}-{key}"


def _install(spec: _EnvSpec, prefix: Path, *, store: Store) -> None:
    _module(spec.language).install(prefix, spec.source, spec.dependencies, spec.version, store.run)


def _install_error(spec: _EnvSpec, exc: InstallError) -> str:
    return Install(spec.repo, spec.rev, spec.language).failure(exc)
