"""From the selected hooks to jobs, a plan and a scheduler: the files each hook gets.

This is where a run meets git (once): the file listing, the classifier, the
read-only decision and the timeout of each hook.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

from .changes import ContentCache
from .config import Config, Hook
from .environments import Prepared
from .files import (
    Classifier,
    GitError,
    changed_files,
    given_files,
    repo_root,
    staged_files,
    tracked_files,
)
from .history import History, p95
from .plan import (
    ALL_FILES,
    Plan,
    PlanError,
    PlanHook,
    build_plan,
    has_write_flag,
    is_read_only_id,
)
from .process import Waiting
from .results import ResultCache
from .runner import HookJob, RunContext
from .scheduler import HookCallback, Scheduler
from .settings import Settings
from .tagcache import TagCache
from .toolconfig import CONDITIONAL_READERS, config_writes

MESSAGE_STAGES = ("commit-msg", "prepare-commit-msg")


@dataclass(frozen=True)
class SelectedHook:
    """A hook item as selected: its node id, hook, and marker-given priority/depends_on."""

    key: str
    hook: Hook
    config: Config
    priority: int | None
    depends_on: tuple[str, ...]


def is_reader(hook: Hook, root: Path | None = None) -> bool:
    """True when the hook never writes: explicit, by language, meta, a known id, or a
    checker whose args and config files at ``root`` do not turn writing on."""
    if hook.read_only is not None:
        return hook.read_only
    if hook.language in ("pygrep", "fail") or hook.is_meta:
        return True
    if hook.id in CONDITIONAL_READERS and root is not None:
        return not has_write_flag(hook.args) and not config_writes(hook.id, hook.args, root)
    return is_read_only_id(hook.id, hook.args)


def skip_ids(environ: Mapping[str, str]) -> set[str]:
    """pre-commit's ``SKIP=id1,id2`` (ids or aliases)."""
    return {part.strip() for part in environ.get("SKIP", "").split(",") if part.strip()}


def hook_timeout(settings: Settings, hook: Hook, runs: Sequence[float]) -> float | None:
    """The hook's limit in seconds (None: none). ``auto`` (the hook's key or the
    default): the factor times the p95 of its past runs, within the floor and the
    ceiling; without history yet, the fixed default."""
    auto = hook.timeout_auto or (hook.timeout is None and settings.timeout_auto)
    if auto and runs:
        limit = settings.timeout_factor * p95(list(runs))
        return min(max(limit, settings.timeout_floor), settings.timeout_ceiling)
    if hook.timeout is not None:
        return hook.timeout or None
    return settings.timeout


def _file_names(settings: Settings, root: Path) -> list[str]:
    if settings.files is not None:
        return given_files(root, settings.files, Path.cwd())
    if settings.from_ref or settings.to_ref:
        # with --hooks-staged too (pre-push): unstaged work is set aside, the refs choose
        if not (settings.from_ref and settings.to_ref):
            raise GitError("--hooks-from-ref and --hooks-to-ref go together: give both")
        return changed_files(root, settings.from_ref, settings.to_ref)
    if settings.staged:
        return staged_files(root)
    return tracked_files(root)


def ref_variables(settings: Settings) -> dict[str, str]:
    """What pre-commit tells hooks of ``--from-ref``/``--to-ref`` (forbid-new-submodules
    diffs them instead of the index), under its newer and older names."""
    if not (settings.from_ref and settings.to_ref):
        return {}
    return {
        "PRE_COMMIT_FROM_REF": settings.from_ref,
        "PRE_COMMIT_TO_REF": settings.to_ref,
        "PRE_COMMIT_ORIGIN": settings.from_ref,
        "PRE_COMMIT_SOURCE": settings.to_ref,
    }


def _lists_everything(settings: Settings) -> bool:
    """The run lists every tracked file: the tag cache pays off (and stays bounded)."""
    return settings.files is None and not (settings.from_ref or settings.to_ref or settings.staged)


def make_jobs(
    settings: Settings,
    selected: Sequence[SelectedHook],
    history: History,
    environ: Mapping[str, str] = os.environ,
    prepared: Mapping[str, Prepared] | None = None,
    tags: TagCache | None = None,
    root: Path | None = None,
) -> MadeJobs:
    """Jobs in reference order, their plan, the repo root, and a run-wide error if any.

    ``prepared`` holds remote hooks merged with their manifests and the environments
    built for them (none before the run starts: ``--hooks-plan`` clones nothing).
    ``tags``: identify's answers from earlier runs (pytest's cache), updated here;
    used only when the run lists every tracked file. ``root``: the repository's top,
    when already known.
    """
    error = None
    names: list[str] = []
    try:
        root = root or repo_root(settings.config_path.parent)
        names = _file_names(settings, root)
    except GitError as exc:
        error = str(exc)
    classifiers: dict[Path, Classifier] = {}
    stats: dict[str, os.stat_result] = {}
    tags = tags if _lists_everything(settings) else None
    skips = skip_ids(environ)
    jobs: list[HookJob] = []
    plan_hooks: list[PlanHook] = []
    for sel in selected:
        ready = prepared.get(sel.key) if prepared else None
        hook = ready.hook if ready else sel.hook
        files: tuple[str, ...] = ()
        if root is not None:
            classifier = classifiers.get(sel.config.path)
            if classifier is None:
                classifier = Classifier(root, names, sel.config, tags=tags)
                classifiers[sel.config.path] = classifier
                stats.update(classifier.stats)
            files = tuple(classifier.for_hook(hook))
        touches_all = not hook.pass_filenames or hook.always_run
        skip = None
        if hook.id in skips or (hook.alias and hook.alias in skips):
            skip = "skipped by SKIP environment variable"
        elif settings.stage not in hook.stages:
            # a remote hook's stages come from its manifest, known only now
            skip = f"not a {settings.stage} hook (its stages: {', '.join(hook.stages)})"
        runs = history.runs(sel.key, hook)
        timeout = hook_timeout(settings, hook, runs)
        jobs.append(
            HookJob(
                key=sel.key,
                hook=hook,
                files=files,
                touches_all=touches_all,
                timeout=timeout,
                depends_on=sel.depends_on,
                reader=is_reader(hook, root),
                # editing the message file is what these hooks are for, as in pre-commit
                watch_files=settings.stage not in MESSAGE_STAGES,
                skip_reason=skip,
                error_reason=error or (ready.error if ready else None),
                environment=ready.environment if ready else None,
            )
        )
        plan_hooks.append(
            PlanHook(
                key=sel.key,
                hook_id=hook.id,
                position=hook.position,
                priority=sel.priority,
                depends_on=sel.depends_on,
                files=ALL_FILES if touches_all else frozenset(files),
                read_only=jobs[-1].reader,
                weight=hook.weight,
                duration=sum(runs) / len(runs) if runs else None,
            )
        )
    try:
        plan = build_plan(plan_hooks, serial=settings.serial)
    except PlanError as exc:
        # e.g. depends_on against explicit priorities: every hook reports it, none runs
        error = f"{settings.config_path}: {exc}"
        for job in jobs:
            job.error_reason = error
        plan = build_plan(
            [replace(h, depends_on=(), priority=None) for h in plan_hooks], serial=True
        )
    tracked = names if root is not None and _lists_everything(settings) else None
    return MadeJobs(jobs, plan, root, error, tracked, stats)


class MadeJobs(NamedTuple):
    jobs: list[HookJob]
    plan: Plan
    root: Path | None
    error: str | None
    tracked: list[str] | None  # every tracked file, when the run listed them all
    stats: dict[str, os.stat_result]  # the lstat the classification took of each file


def make_scheduler(
    settings: Settings,
    selected: Sequence[SelectedHook],
    history: History,
    on_start: HookCallback | None = None,
    on_finish: HookCallback | None = None,
    prepared: Mapping[str, Prepared] | None = None,
    results: ResultCache | None = None,
    tags: TagCache | None = None,
    root: Path | None = None,
    helper: Waiting | None = None,
) -> Scheduler:
    """The run's scheduler. ``helper``: a helper process started early (see
    helper.py); the run ends it if no hook took it (without one, a hook that would use
    one starts it: ``runner._share_with_helper``)."""
    made = make_jobs(settings, selected, history, prepared=prepared, tags=tags, root=root)
    jobs, plan, root = made.jobs, made.plan, made.root
    base = root or settings.config_path.parent
    cache = ContentCache(base, known=tags)
    cache.seed(made.stats)  # taken before any hook ran
    listing: list[str] = list(made.tracked or ())  # listed once: no second git ls-files
    lock = threading.Lock()

    def all_files() -> Sequence[str]:
        with lock:
            if not listing:
                listing.extend(tracked_files(base))
            return listing

    ctx = RunContext(
        root=base,
        config_path=settings.config_path,
        cache=cache,
        all_files=all_files,
        jobs=settings.jobs,
        env={**os.environ, "PRE_COMMIT": "1", **ref_variables(settings)},
        kill_grace=settings.kill_grace,
        results=results,
        fast_paths=settings.fast_paths,
    )
    ctx.helper = helper
    fail_fast = settings.fail_fast or any(s.config.fail_fast for s in selected)
    return Scheduler(
        jobs,
        plan,
        ctx,
        tokens=settings.jobs,
        fail_fast=fail_fast,
        on_start=on_start,
        on_finish=on_finish,
        order=settings.order,
    )
