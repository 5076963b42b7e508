"""The pytest adapter: options, collection of hook items, running them, reports.

Without ``--hooks`` this module only registers its options and markers: it
reads no config, calls no git, and imports nothing heavy.

PYTEST_DONT_REWRITE: pytest would rewrite the asserts of a plugin module at every start
where it cannot cache the result (read-only site-packages, PYTHONDONTWRITEBYTECODE);
ours are internal invariants, with nothing to gain from it.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import itertools
import json
import os
import sys
import threading
import warnings
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .parsewarnings import refuse as refuse_parse_warnings
from .settings import RUN_GC_THRESHOLD, Settings, SettingsError, resolve

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr

    from .config import Config, Hook
    from .environments import Prepared
    from .history import History
    from .jobs import SelectedHook
    from .outcome import HookOutcome
    from .process import Waiting
    from .results import ResultCache
    from .runner import HookJob
    from .scheduler import Scheduler
    from .tagcache import TagCache
    from .yamlfile import YamlCache

settings_key = pytest.StashKey[Settings]()
run_key = pytest.StashKey["HookRun"]()
notes_key = pytest.StashKey[list[str]]()  # messages for the end of the run (restores, ...)
diff_key = pytest.StashKey[str]()  # --hooks-show-diff
root_key = pytest.StashKey[Path]()  # the repository's top, once known
helper_key = pytest.StashKey["Waiting"]()  # the run's helper process, started early
# the hookrun summary sections: "warnings" and "lines" (lists of str), "verbose" ([title, text])
Summary = dict[str, list[Any]]
summary_key = pytest.StashKey[Summary]()  # received from the xdist worker that ran the hooks

PLAN_FORMATS = ("text", "json", "mermaid")

# Sessions configured in this process: a later one runs inside the first (pytester's
# in-process runs), which must not keep its heap frozen (see _rare_collections).
_sessions = itertools.count()
first_session_key = pytest.StashKey[bool]()


class HookrunConfigWarning(UserWarning):
    """Something in the hook config that works but deserves a look (unknown keys, ...)."""


# --------------------------------------------------------------------------- options


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("hookrun", "run pre-commit hooks as test items (pytest-hookrun)")
    group.addoption("--hooks", action="store_true", help="collect and run the hooks of the config")
    group.addoption(
        "--hooks-config",
        metavar="PATH",
        help="hook config (default: .pre-commit-config.yaml at the rootdir; ini hookrun_config)",
    )
    group.addoption("--hooks-files", nargs="+", metavar="PATH", help="run hooks on these files")
    group.addoption("--hooks-from-ref", metavar="REF", help="files changed since REF ...")
    group.addoption("--hooks-to-ref", metavar="REF", help="... up to REF (with --hooks-from-ref)")
    group.addoption(
        "--hooks-stage", metavar="STAGE", help="run the hooks of this stage (default: pre-commit)"
    )
    group.addoption(
        "--hooks-jobs", metavar="N", help="job tokens (default: CPU count; env HOOKRUN_JOBS)"
    )
    group.addoption(
        "--hooks-timeout",
        metavar="SECONDS",
        help="default per-hook timeout, 0 for none, 'auto' to learn it from past runs "
        "(env HOOKRUN_TIMEOUT; else --timeout; else 600)",
    )
    group.addoption(
        "--hooks-kill-grace",
        metavar="SECONDS",
        help="after SIGTERM, wait this long before SIGKILL (default 2)",
    )
    group.addoption(
        "--hooks-serial", action="store_true", help="one hook at a time, as pre-commit runs them"
    )
    group.addoption(
        "--hooks-fail-fast", action="store_true", help="after a failing hook, start no new hook"
    )
    group.addoption(
        "--hooks-no-cache",
        action="store_true",
        help="run every hook, even one that passed on the same inputs before "
        "(env HOOKRUN_NO_CACHE)",
    )
    group.addoption(
        "--hooks-no-fast-path",
        action="store_true",
        help="run pre-commit-hooks' hooks as their own processes, never in-process",
    )
    group.addoption(
        "--hooks-order",
        metavar="ORDER",
        help="which ready hook starts first: critical-path (default: the shortest run), "
        "fast-first (the quickest failure feedback) or config (reference order); "
        "env HOOKRUN_ORDER, ini hookrun_order",
    )
    group.addoption(
        "--hooks-staged",
        action="store_true",
        help="run on the staged files, with unstaged changes saved aside and restored after",
    )
    group.addoption(
        "--hooks-show-diff",
        action="store_true",
        help="print the full diff of the hooks' changes at the end (when a hook modified files)",
    )
    group.addoption(
        "--hooks-trace",
        metavar="FILE",
        help="write the run's timeline: FILE.html a page to open in a browser, any other "
        "name Chrome trace events (open in ui.perfetto.dev)",
    )
    group.addoption(
        "--hooks-plan",
        nargs="?",
        const="text",
        choices=PLAN_FORMATS,
        metavar="FORMAT",
        help="print the hook plan (text, json, mermaid) and run nothing",
    )
    parser.addini("hookrun_config", "hook config path, relative to the rootdir")
    parser.addini("hookrun_jobs", "job tokens for hooks (default: CPU count)")
    parser.addini("hookrun_timeout", "default per-hook timeout in seconds (0: none)")
    parser.addini("hookrun_kill_grace", "seconds between SIGTERM and SIGKILL on timeout")
    parser.addini("hookrun_slow_threshold", "list hooks slower than this many seconds")
    parser.addini("hookrun_order", "critical-path, fast-first or config (see --hooks-order)")
    parser.addini("hookrun_timeout_factor", "timeout auto: this times the p95 of past runs (3)")
    parser.addini("hookrun_timeout_floor", "timeout auto: at least this many seconds (10)")
    parser.addini("hookrun_timeout_ceiling", "timeout auto: at most this many seconds (600)")


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    from . import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


class HookrunEventWarning(UserWarning):
    """An implementation of a pytest-hookrun event hook raised; the run went on."""


def pytest_configure(config: pytest.Config) -> None:
    config.stash[first_session_key] = next(_sessions) == 0
    config.addinivalue_line("markers", "hook: a hook from the pre-commit config (pytest-hookrun)")
    config.addinivalue_line(
        "markers", "hook_priority(n): the hook's priority; lower runs first (pytest-hookrun)"
    )
    config.addinivalue_line(
        "markers", "hook_depends_on(*ids): start after these hooks; skip if one fails"
    )
    enabled = bool(config.getoption("hooks"))
    if not enabled:
        return
    timeout_opt = config.getoption("timeout", None)
    try:
        pytest_timeout = float(timeout_opt) if timeout_opt else None
    except (TypeError, ValueError):
        pytest_timeout = None
    try:
        settings = resolve(
            enabled=True,
            rootdir=Path(config.rootpath),
            option=lambda name: config.getoption(name),
            ini=lambda name: config.getini(name),
            pytest_timeout=pytest_timeout,
        )
    except SettingsError as exc:
        raise pytest.UsageError(str(exc)) from None
    config.stash[settings_key] = settings
    _ensure_config_collected(config, settings.config_path)
    if _has_xdist(config):
        XdistHooks.keep_hooks_together(config)
        config.pluginmanager.register(XdistHooks(config), "hookrun-xdist")
    if config.pluginmanager.hasplugin("timeout"):
        config.pluginmanager.register(TimeoutHooks(), "hookrun-timeout")
    config.pluginmanager.register(FailureCategories(), "hookrun-failure-categories")
    helper = _early_helper(config, settings)
    if helper is not None:
        config.stash[helper_key] = helper


def _early_helper(config: pytest.Config, settings: Settings) -> Waiting | None:
    """The run's helper process (helper.py), started while pytest starts up, when one
    of the hooks whose long fast path it shares may run on every file and no earlier
    run's passes may spare it: its start-up then costs a core that is idle. (Otherwise
    the hook starts one when its files make it worth the wait; one started here that
    the run does not need is ended with the run, or when pytest exits.)"""
    if (
        not settings.fast_paths
        or settings.jobs < 2
        or settings.staged
        or settings.files is not None
        or settings.from_ref is not None
        or settings.plan_format is not None
        or config.option.collectonly
        # an xdist controller runs no hook (its workers start their own)
        or (getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"))
    ):
        return None
    results = None if settings.no_cache else _cache_file(config, "results")
    if results is not None and results.exists():
        return None  # a rerun: the hooks that passed before do not run again
    from .helper import HOOK_IDS, start

    try:
        text = settings.config_path.read_bytes()
    except OSError:
        return None  # the collection says what is wrong
    if not any(hook_id.encode() in text for hook_id in HOOK_IDS):
        return None
    return start(settings.config_path.parent, os.environ)


def _has_xdist(config: pytest.Config) -> bool:
    """pytest-xdist is loaded (under whatever name: its options are there)."""
    return hasattr(config.option, "dist") and hasattr(config.option, "numprocesses")


def _ensure_config_collected(config: pytest.Config, path: Path) -> None:
    """Collect the config even when testpaths or the given paths don't reach it."""
    if not path.exists():
        raise pytest.UsageError(f"{path}: hook config not found (--hooks-config to choose one)")
    invocation = Path(config.invocation_params.dir)
    for arg in config.args:
        target = (invocation / arg.split("::")[0]).resolve()
        if target == path.resolve() or target in path.resolve().parents:
            return
    config.args.append(str(path))


def _settings(config: pytest.Config) -> Settings | None:
    return config.stash.get(settings_key, None)


# --------------------------------------------------------------------------- collection


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    settings = _settings(parent.config)
    if settings is None or file_path.name != settings.config_path.name:
        return None  # the cheap test first: pytest calls this for every file it walks
    if file_path.resolve() != settings.config_path.resolve():
        return None
    return HookConfigFile.from_parent(parent, path=file_path)


def _may_run_in(hook: Hook, stage: str) -> bool:
    """A remote hook without `stages` of its own takes its manifest's, read when the run
    starts: it is collected in every stage, and skipped then if not in this one."""
    return stage in hook.stages or (hook.is_remote and "stages" not in hook.overrides)


class ConfigCollectError(Exception):
    pass


class HookConfigFile(pytest.File):
    """The config file: one child item per hook of the selected stage."""

    def collect(self) -> Iterator[HookItem]:
        from .config import ConfigError, load_config

        try:
            cfg = load_config(self.path, _yaml_cache(self.config))
        except ConfigError as exc:
            raise ConfigCollectError(str(exc)) from None
        for message in cfg.warnings:
            warnings.warn(HookrunConfigWarning(message), stacklevel=1)
        settings = self.config.stash[settings_key]
        self.hook_config = cfg
        seen: dict[str, int] = {}
        for hook in cfg.hooks:
            if not _may_run_in(hook, settings.stage):
                continue
            seen[hook.id] = seen.get(hook.id, 0) + 1
            # not id[2]: pytest would read that as a parametrization and run it for `::id`
            name = hook.id if seen[hook.id] == 1 else f"{hook.id}#{seen[hook.id]}"
            yield HookItem.from_parent(self, name=name, hook=hook, hook_config=cfg)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str:  # type: ignore[override]
        if isinstance(excinfo.value, ConfigCollectError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))


class XdistHooks:
    """pytest-xdist: every hook of the config runs in one worker, whatever ``--dist`` says.

    One worker holds the whole plan, so the conflict and dependency guarantees are
    the same as without xdist; ordinary tests still spread over the workers.
    ``load`` and ``worksteal`` become ``loadscope``: hook items share one scope (the
    config file). ``loadgroup`` keeps its mode and puts hook items in one group.
    """

    GROUP = "hookrun"

    @staticmethod
    def keep_hooks_together(config: pytest.Config) -> None:
        if getattr(config, "workerinput", None) is not None:
            return
        dist = getattr(config.option, "dist", "no")
        if getattr(config.option, "numprocesses", None) in (None, 0) or dist == "no":
            return
        if dist == "each":
            raise pytest.UsageError(
                "--hooks with --dist each would run every hook in every worker at once; "
                "use another --dist mode (hooks always run together in one worker)"
            )
        if dist in ("load", "worksteal"):
            config.option.dist = "loadscope"

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    @staticmethod
    def mark(item: pytest.Item) -> None:
        item.add_marker(pytest.mark.xdist_group(XdistHooks.GROUP))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Controller: keep the summary the hooks' worker sent with its last report."""
        summary = getattr(report, "hookrun_summary", None)
        if summary is not None:
            self.config.stash[summary_key] = summary

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(
        self, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        """Worker under loadgroup: refuse to run when xdist could not group the hooks."""
        if getattr(config, "workerinput", None) is None or not config.getvalue("loadgroup"):
            return
        for item in items:
            if isinstance(item, HookItem) and not item.nodeid.endswith("@" + self.GROUP):
                raise pytest.UsageError(
                    "--dist loadgroup could not keep the hooks in one worker with this "
                    "pytest-xdist and pytest; use --dist loadscope (or load) with --hooks"
                )


class TimeoutHooks:
    """pytest-timeout: hook items take over its timer.

    A hook item waits for hooks that run in parallel; their own timeouts (which
    default to ``--timeout``) kill their process trees. pytest-timeout's timer
    would instead fire in the wait, and its thread method ends the process with
    ``os._exit``, leaving hook processes behind.
    """

    @pytest.hookimpl(tryfirst=True)
    def pytest_timeout_set_timer(self, item: pytest.Item, settings: Any) -> bool | None:
        return True if isinstance(item, HookItem) else None

    @pytest.hookimpl(tryfirst=True)
    def pytest_timeout_cancel_timer(self, item: pytest.Item) -> bool | None:
        return True if isinstance(item, HookItem) else None


class HookFailure(Exception):
    """Raised by ``runtest`` for failed, modified and timed-out hooks."""

    def __init__(self, outcome: HookOutcome) -> None:
        super().__init__(outcome.status.value)
        self.outcome = outcome


class HookError(Exception):
    """Raised in setup when a hook cannot start: pytest reports it as an error."""


class HookItem(pytest.Item):
    """One hook of the config, run by the shared scheduler."""

    def __init__(self, *, hook: Hook, hook_config: Config, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.hook = hook
        self.hook_config = hook_config
        self.outcome: HookOutcome | None = None
        self.add_marker(pytest.mark.hook)
        if _has_xdist(self.config):
            XdistHooks.mark(self)
        if hook.priority is not None:
            self.add_marker(pytest.mark.hook_priority(hook.priority))
        if hook.depends_on:
            self.add_marker(pytest.mark.hook_depends_on(*hook.depends_on))

    def setup(self) -> None:
        from .outcome import Status

        self.outcome = _hook_run(self.session).wait(self)
        if self.outcome.status is Status.ERROR:
            raise HookError(self.outcome.reason)

    def runtest(self) -> None:
        from .outcome import Status

        outcome = self.outcome
        assert outcome is not None
        if outcome.status is Status.SKIPPED:
            # reported at the hook's line in the config, not at this line
            raise pytest.skip.Exception(outcome.reason, _use_item_location=True)
        if outcome.status in (Status.FAILED, Status.MODIFIED, Status.TIMEOUT):
            raise HookFailure(outcome)
        if outcome.batches and (self.hook.verbose or outcome.output.strip()):
            self.add_report_section("call", "hook output", _decode(outcome.output))
        if outcome.notes:
            self.add_report_section("call", "hookrun", "\n".join(outcome.notes))

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: str | None = None
    ) -> str | TerminalRepr:
        if isinstance(excinfo.value, HookFailure):
            from .report import failure_text

            return self._text_repr(failure_text(self.hook, excinfo.value.outcome))
        if isinstance(excinfo.value, HookError):
            return self._text_repr(f"{self.hook.id}: {excinfo.value}")
        return str(super().repr_failure(excinfo))

    def _text_repr(self, text: str) -> TerminalRepr:
        """``text`` as pytest shows a failure, its first line as the crash message.

        A plain string would be the crash message whole: on CI (``CI`` set) and with
        ``-vv`` pytest repeats it in the short summary, every hook's output twice.
        pytest's own repr classes survive pytest-xdist's report serialization.
        """
        from _pytest._code.code import (
            ExceptionChainRepr,
            ReprEntry,
            ReprFileLocation,
            ReprTraceback,
        )

        lines = text.split("\n")
        entry = ReprEntry(lines, None, None, None, "value")
        crash = ReprFileLocation(str(self.path), self.hook.line, lines[0])
        return ExceptionChainRepr([(ReprTraceback([entry], None, "value"), crash, None)])

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.hook.line - 1, self.name.replace(".", "_")


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    result = yield
    if not isinstance(item, HookItem):
        return
    report: pytest.TestReport = result.get_result()
    outcome = item.outcome
    if outcome is None:
        return
    # report.duration is the hook's own run time, not the time spent waiting for it
    report.duration = outcome.duration if call.when == "call" else 0.0
    if call.excinfo is not None and isinstance(call.excinfo.value, HookError):
        report.longrepr = item._text_repr(f"cannot start: {call.excinfo.value}")
    report.hookrun_status = outcome.status.value  # type: ignore[attr-defined]
    report.hookrun_cached = _cached_text(outcome)  # type: ignore[attr-defined]
    if call.when == "teardown":
        # JUnit XML takes a testcase's properties from its last (teardown) report
        report.user_properties.extend(_properties(item, outcome))
        run = item.config.stash.get(run_key, None)
        if run is not None and getattr(item.config, "workerinput", None) is not None:
            run.torn_down += 1
            if run.torn_down == run.events.total:
                # an xdist worker: the controller prints the summary (reports carry it there)
                report.hookrun_summary = _summary(item.config, run)  # type: ignore[attr-defined]


def _properties(item: HookItem, outcome: HookOutcome) -> list[tuple[str, object]]:
    hook = item.hook
    props: list[tuple[str, object]] = [
        ("hook_id", hook.id),
        ("repo", hook.repo),
        ("rev", hook.rev or ""),
        ("language", hook.language),
        ("priority", "" if hook.priority is None else hook.priority),
        ("depends_on", ",".join(hook.depends_on)),
        ("outcome", outcome.status.value),
        ("files", outcome.files),
        ("exit_code", "" if outcome.returncode is None else outcome.returncode),
        ("modified_files", ",".join(outcome.modified)),
        ("timeout", "" if outcome.timeout is None else f"{outcome.timeout:g}"),
        ("duration", f"{outcome.duration:.3f}"),
        ("cached", _cached_text(outcome)),
    ]
    return props


def _cached_text(outcome: HookOutcome) -> str:
    """``all``: it did not run, it passed on these inputs before; else how many files."""
    if outcome.whole_cached:
        return "all"
    return f"{outcome.cached} files" if outcome.cached else "no"


def pytest_report_teststatus(
    report: pytest.TestReport, config: pytest.Config
) -> tuple[str, str, tuple[str, dict[str, bool]]] | None:
    status = getattr(report, "hookrun_status", None)
    cached = getattr(report, "hookrun_cached", "no")
    if report.when == "call" and report.passed and status == "passed" and cached != "no":
        word = "PASSED (cached)" if cached == "all" else f"PASSED ({cached} cached)"
        return "passed", ".", (word, {"green": True})
    if report.when != "call" or not report.failed:
        return None
    if status == "modified":
        return "modified", "M", ("MODIFIED", {"red": True})
    if status == "timeout":
        return "timeout", "T", ("TIMEOUT", {"red": True})
    return None


class FailureCategories:
    """Modified and timed-out hooks are failures with their own count in the final line
    (``1 failed, 1 modified, 1 timeout``), and are shown under FAILURES and in the short
    summary like any failure: they join the failed reports while the summary is written.
    """

    CATEGORIES = ("modified", "timeout")

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_terminal_summary(self, terminalreporter: Any) -> Generator[None, None, None]:
        stats = terminalreporter.stats
        borrowed = [r for c in self.CATEGORIES for r in stats.get(c, ())]
        if borrowed:
            stats.setdefault("failed", []).extend(borrowed)
        try:
            return (yield)
        finally:
            if borrowed:
                kept = [r for r in stats["failed"] if all(r is not b for b in borrowed)]
                if kept:
                    stats["failed"] = kept
                else:
                    del stats["failed"]


# --------------------------------------------------------------------------- the run


class Events:
    """Calls the event hooks of hookspecs.py; a raising implementation becomes a warning."""

    def __init__(self, config: pytest.Config, total: int) -> None:
        self.config = config
        self.total = total
        self.done = 0
        self._lock = threading.Lock()
        self._failures: list[str] = []

    def call(self, name: str, **kwargs: Any) -> None:
        try:
            getattr(self.config.hook, name)(config=self.config, **kwargs)
        except Exception as exc:
            with self._lock:
                self._failures.append(f"{name}: {type(exc).__name__}: {exc}")

    def hook_start(self, job: HookJob, outcome: HookOutcome | None) -> None:
        self.call("pytest_hookrun_hook_start", key=job.key, hook=job.hook, files=len(job.files))

    def hook_finish(self, job: HookJob, outcome: HookOutcome | None) -> None:
        assert outcome is not None
        self.call("pytest_hookrun_hook_finish", key=job.key, hook=job.hook, outcome=outcome)
        with self._lock:
            self.done += 1
            done = self.done
        self.call("pytest_hookrun_progress", done=done, total=self.total)

    def take_failures(self) -> list[str]:
        with self._lock:
            failures, self._failures = self._failures, []
        return failures

    def warn_failures(self) -> None:
        """Main thread: turn the failures collected so far into pytest warnings."""
        for message in self.take_failures():
            warnings.warn(HookrunEventWarning(message), stacklevel=1)


class HookRun:
    """Everything about running the selected hooks of one session."""

    def __init__(self, scheduler: Scheduler, events: Events) -> None:
        self.scheduler = scheduler
        self.events = events
        self.torn_down = 0  # hook items done: under xdist the last one sends the summary

    def wait(self, item: HookItem) -> HookOutcome:
        outcome = self.scheduler.wait(item.nodeid)
        self.events.warn_failures()
        return outcome

    def close(self, reason: str) -> None:
        self.scheduler.shutdown(reason)

    def any_modified(self) -> bool:
        from .outcome import Status

        return any(o.status is Status.MODIFIED for _, o in self.scheduler.outcomes())


def _hook_run(session: pytest.Session) -> HookRun:
    """The run of this session, started by the first hook item that needs an outcome."""
    config = session.config
    run = config.stash.get(run_key, None)
    if run is None:
        items = [i for i in session.items if isinstance(i, HookItem)]
        settings = config.stash[settings_key]
        helper = config.stash.get(helper_key, None)
        if helper is not None:
            del config.stash[helper_key]  # the run's now: it ends it

        from .jobs import make_scheduler

        events = Events(config, len(items))
        selected = _selected(items)
        tags = _load_tags(config)
        try:
            scheduler = make_scheduler(
                settings,
                selected,
                _history(config),
                on_start=events.hook_start,
                on_finish=events.hook_finish,
                prepared=_prepare_hooks(
                    config, settings, [(s.key, s.hook, s.config) for s in selected], events
                ),
                results=_load_results(config, settings),
                tags=tags,
                root=config.stash.get(root_key, None),
                helper=helper,
            )
        except BaseException:
            if helper is not None:
                helper.discard()  # (a no-op once the run has it)
            raise
        run = HookRun(scheduler, events)
        config.stash[run_key] = run
        events.call("pytest_hookrun_plan", plan=scheduler.plan)
        scheduler.start()
    return run


def _prepare_hooks(
    config: pytest.Config,
    settings: Settings,
    selected: Sequence[tuple[str, Hook, Config]],
    events: Events | None,
) -> dict[str, Prepared] | None:
    """Clone remote repos and build environments, saying so on the terminal as it happens."""
    from .jobs import skip_ids
    from .languages import WITH_ENVIRONMENT

    skips = skip_ids(os.environ)
    wanted = [
        (key, hook, cfg)
        for key, hook, cfg in selected
        if (hook.is_remote or hook.language in WITH_ENVIRONMENT)
        and hook.id not in skips
        and not (hook.alias and hook.alias in skips)
    ]
    if not wanted:
        return None
    from .environments import Install, prepare
    from .store import Runner, Store, store_root

    reporter = config.pluginmanager.get_plugin("terminalreporter")
    lock = threading.Lock()

    def say(text: str) -> None:
        if reporter is not None:
            with lock:
                reporter.write_line(f"hookrun: {text}")

    def on_start(what: Install) -> None:
        say(what.describe() if what.language == "git" else f"installing {what.describe()}")
        if events is not None:
            events.call("pytest_hookrun_install_start", install=what)

    def on_finish(what: Install, seconds: float, error: str | None) -> None:
        done = "cloned" if what.language == "git" else "installed"
        text = what.describe().removeprefix("cloning ")
        if error is None:
            say(f"{done} {text} ({seconds:.1f} s)")
        else:
            say(f"failed: {text} (its hooks report why)")
        if events is not None:
            events.call(
                "pytest_hookrun_install_finish", install=what, duration=seconds, error=error
            )

    root = store_root(os.environ)
    store = Store(
        root,
        Runner(dict(os.environ)),
        on_wait=lambda name: say(f"waiting for another run that is building {name} in {root}"),
    )
    capture = config.pluginmanager.get_plugin("capturemanager")
    # the installer threads write to the terminal while this thread waits for them
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        return prepare(
            wanted,
            store,
            stage=settings.stage,
            workers=settings.jobs,
            on_start=on_start,
            on_finish=on_finish,
            yaml_cache=_yaml_cache(config),
        )


def _yaml_cache(config: pytest.Config) -> YamlCache | None:
    """The documents (config, manifests) parsed before, kept in the store (``yaml``, by
    the digest of their text): an unchanged one is not parsed again, nor is PyYAML
    imported, on a clean checkout too. ``--cache-clear`` parses everything anew (and
    keeps what it parsed)."""
    from .store import store_root
    from .yamlfile import YamlCache

    directory = store_root(os.environ) / "yaml"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:  # a store we cannot write: parse every time
        return None
    return YamlCache(directory, keep=256, fresh=bool(getattr(config.option, "cacheclear", False)))


def _selected(items: list[HookItem]) -> list[SelectedHook]:
    """Each item's hook with the priority and depends_on of its markers (conftest may add)."""
    from .jobs import SelectedHook

    selected = []
    for item in items:
        priority = item.get_closest_marker("hook_priority")
        depends = [m.args for m in item.iter_markers("hook_depends_on")]
        selected.append(
            SelectedHook(
                key=item.nodeid,
                hook=item.hook,
                config=item.hook_config,
                priority=int(priority.args[0]) if priority and priority.args else None,
                depends_on=tuple(dict.fromkeys(str(a) for args in depends for a in args)),
            )
        )
    return selected


_HISTORY = "hookrun/history"


def _history(config: pytest.Config) -> History:
    """Past run times per hook (pytest's cache; empty with -p no:cacheprovider)."""
    from .history import History

    cache = getattr(config, "cache", None)
    return History.from_json(cache.get(_HISTORY, None) if cache is not None else None)


def _cache_file(config: pytest.Config, name: str) -> Path | None:
    """``name`` in pytest's cache directory (``.pytest_cache/d/hookrun``: ``--cache-clear``
    forgets it); None without a cache (``-p no:cacheprovider``) or one we cannot write."""
    cache = getattr(config, "cache", None)
    if cache is None:
        return None
    try:
        return Path(cache.mkdir("hookrun")) / name
    except OSError:
        return None


def _load_tags(config: pytest.Config) -> TagCache | None:
    """identify's answers of earlier runs, by path and stat (None: no cache to keep them)."""
    path = _cache_file(config, "tags")
    if path is None:
        return None
    from . import cachefile
    from .tagcache import TagCache

    return TagCache(lambda: cachefile.read(path))  # read only if the run lists every file


def _save_tags(config: pytest.Config, tags: TagCache | None) -> None:
    """Saved at the end of the session (identify's answers and content digests), only
    if changed; not before the hooks run, where writing it would delay the first one."""
    path = _cache_file(config, "tags")
    if path is not None and tags is not None and tags.changed:
        from . import cachefile

        cachefile.write(path, tags.to_json())
        tags.changed = False


def _load_results(config: pytest.Config, settings: Settings) -> ResultCache | None:
    """The passes of earlier runs (pytest's cache: ``--cache-clear`` forgets them)."""
    path = None if settings.no_cache else _cache_file(config, "results")
    if path is None:
        return None
    from . import cachefile
    from .results import ResultCache

    return ResultCache.from_json(cachefile.read(path))


def _save_results(config: pytest.Config, scheduler: Scheduler) -> None:
    path = _cache_file(config, "results")
    results = scheduler.ctx.results
    if path is not None and results is not None and results.changed:
        from . import cachefile

        cachefile.write(path, results.to_json())


def _save_history(config: pytest.Config, scheduler: Scheduler) -> None:
    cache = getattr(config, "cache", None)
    if cache is None:
        return
    history = _history(config)
    for job, outcome in scheduler.outcomes():
        if outcome.batches and outcome.duration > 0:  # cached and skipped hooks did not run
            history.record(job.key, job.hook, outcome.duration)
    cache.set(_HISTORY, history.to_json())


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    settings = _settings(config)
    if settings is None or settings.plan_format is None:
        return
    from .jobs import make_jobs

    hook_items = [i for i in items if isinstance(i, HookItem)]
    tags = _load_tags(config)
    plan = make_jobs(settings, _selected(hook_items), _history(config), tags=tags)[1]
    _save_tags(config, tags)
    if settings.plan_format == "json":
        text = json.dumps(plan.to_json(), indent=2)
    elif settings.plan_format == "mermaid":
        text = plan.to_mermaid()
    else:
        text = plan.to_text()
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("")
        reporter.write(text if text.endswith("\n") else text + "\n")
    if items:
        config.hook.pytest_deselected(items=list(items))
        items[:] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtestloop(session: pytest.Session) -> Generator[None, object, object]:
    """Around the run: leftovers recovered, unstaged changes saved, all restored after.

    Under xdist the controller does this (its workers run the hooks); it sees no
    items, so it guards whenever hooks are enabled.
    """
    config = session.config
    settings = _settings(config)
    controller = config.pluginmanager.get_plugin("dsession") is not None
    if (
        settings is None
        or config.option.collectonly
        or settings.plan_format is not None
        or not (controller or any(isinstance(i, HookItem) for i in session.items))
    ):
        return (yield)
    if getattr(config, "workerinput", None) is not None:  # the controller guards
        with _rare_collections(session), _parse_warnings_refused():
            return (yield)
    from .stash import (
        StashError,
        interrupt_once,
        private_dir,
        recover_leftover,
        restore,
        save,
        signals_held,
    )

    root, git_dir = _repo_dirs(settings)
    if root is not None:
        config.stash[root_key] = root  # the run asks git once
    notes = config.stash.setdefault(notes_key, [])
    stashed = None
    with interrupt_once():  # SIGTERM ends the run as Ctrl-C does
        try:
            # a signal during the save is acted on after it, when `stashed` is set
            with signals_held():
                if root is not None:
                    directory = private_dir(root, git_dir)
                    notes.extend(recover_leftover(root, directory))
                    if settings.staged:
                        stashed = save(root, settings.config_path, directory)
            if controller:
                _prepare_for_workers(config, settings)
            with _rare_collections(session), _parse_warnings_refused():
                return (yield)
        except StashError as exc:
            pytest.exit(f"pytest-hookrun: {exc}", returncode=pytest.ExitCode.USAGE_ERROR)
        finally:
            # every hook process ends before anything is restored; a second Ctrl-C waits
            with signals_held():
                run = config.stash.get(run_key, None)
                if run is not None:
                    run.close("the test session stopped")
                    if settings.show_diff and root is not None and run.any_modified():
                        from .files import git

                        diff = git(root, "diff", "--no-ext-diff", "--no-color").decode(
                            "utf-8", errors="replace"
                        )
                        config.stash[diff_key] = diff
                if stashed is not None:
                    notes.extend(restore(stashed))


@contextlib.contextmanager
def _rare_collections(session: pytest.Session) -> Iterator[None]:
    """While only hooks run, the cyclic garbage collector runs rarely, and not over
    what the start-up left.

    What a run allocates is mostly freed at once by reference counting (the syntax
    trees of the in-process checks, output chunks), but every 700 allocations the
    collector walks the young objects, and now and then pytest's whole heap: about
    40 ms of a small run, holding the interpreter's lock that in-process hooks and the
    scheduler's threads share. A run with tests beside the hooks keeps Python's
    settings, and they are back when the run ends.

    The process's first session also freezes its heap (``gc.freeze()``) when the run
    starts, and leaves it frozen: the collection at the exit (``_collect_and_freeze``)
    then walks what the run made, not pytest's modules again (about 15 ms). What was
    alive at the start and became cyclic garbage since is not collected; nothing but
    the exit follows, except where pytest is run twice in one process.
    """
    items = session.items
    previous = gc.get_threshold()
    if not items or previous[0] == 0 or not all(isinstance(i, HookItem) for i in items):
        yield  # tests run too, or the collector is off by threshold 0
        return
    if session.config.stash.get(first_session_key, False):
        gc.freeze()
    gc.set_threshold(max(previous[0], RUN_GC_THRESHOLD), *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)


@contextlib.contextmanager
def _parse_warnings_refused() -> Iterator[None]:
    """While hooks run, a warning from a fast path's parser is an error, which hands
    that file to the real hook (:mod:`.parsewarnings`); the filters are back after."""
    with warnings.catch_warnings():
        refuse_parse_warnings()
        yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    """pytest's warnings plugin resets the filters around each item (``-W`` and
    ``filterwarnings`` included); the fast paths' filter goes back in front of them.
    pytest puts its own back when the item ends."""
    if _settings(item.config) is not None:
        refuse_parse_warnings()
    return (yield)


def _prepare_for_workers(config: pytest.Config, settings: Settings) -> None:
    """xdist controller: clone and install before the workers start, where the terminal
    shows it (a worker's output is not shown). Every hook of the stage is prepared: the
    controller does not see the workers' selection. Failures are left to the worker
    that runs the hook, which reports them on it."""
    from .config import ConfigError, load_config

    try:
        cfg = load_config(settings.config_path, _yaml_cache(config))
    except ConfigError:
        return  # the worker's collection reports it
    hooks = [(f"{h.id}@{h.position}", h, cfg) for h in cfg.hooks if _may_run_in(h, settings.stage)]
    _prepare_hooks(config, settings, hooks, None)


def _repo_dirs(settings: Settings) -> tuple[Path | None, Path | None]:
    """The repository's top and git directory (one git call); (None, None) outside one."""
    from .files import GitError, repo_dirs

    try:
        return repo_dirs(settings.config_path.parent)
    except GitError:
        return None, None


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    settings = _settings(session.config)
    if settings is None:
        return
    run = session.config.stash.get(run_key, None)
    if run is not None:
        reason = "the test session stopped" if session.shouldstop else "the test session ended"
        run.close(reason)
        _save_history(session.config, run.scheduler)
        _save_results(session.config, run.scheduler)
        # identify's answers and the content digests this run read
        _save_tags(session.config, run.scheduler.ctx.cache.known)
        if settings.trace_path:
            from .trace import chrome_trace, html_timeline

            data = chrome_trace(run.scheduler.outcomes(), run.scheduler.tokens)
            as_html = settings.trace_path.lower().endswith((".html", ".htm"))
            text = html_timeline(data) if as_html else json.dumps(data, indent=1)
            Path(settings.trace_path).write_text(text, encoding="utf-8")
    if settings.plan_format is not None and exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.OK
    if exitstatus == pytest.ExitCode.INTERNAL_ERROR:
        _say_notes_now(session.config)


def _say_notes_now(config: pytest.Config) -> None:
    """After an internal error pytest shows no terminal summary: what became of the
    user's unstaged changes (where a conflicting hook fix was saved) is said anyway."""
    notes = config.stash.get(notes_key, [])
    if not notes:
        return
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        _write_notes(reporter, notes)
    else:
        sys.stderr.write("\n".join([_NOTES_TITLE, *notes]) + "\n")
    notes.clear()  # said once


_NOTES_TITLE = "hookrun: your unstaged changes"


def _write_notes(terminalreporter: Any, notes: list[str]) -> None:
    terminalreporter.write_sep("=", _NOTES_TITLE)
    for note in notes:
        terminalreporter.write_line(note)


def pytest_unconfigure(config: pytest.Config) -> None:
    run = config.stash.get(run_key, None)
    if run is not None:
        run.close("pytest is exiting")
    helper = config.stash.get(helper_key, None)
    if helper is not None:  # started for a run that did not start
        helper.discard()
    if _settings(config) is not None and not _exit_prepared.is_set():
        _exit_prepared.set()
        atexit.register(_collect_and_freeze)


# Once per process: an in-process run (pytester's) must not register one per session.
_exit_prepared = threading.Event()


def _collect_and_freeze() -> None:
    """At the interpreter's exit: collect the garbage there is, as the exit would, then
    freeze every live object, which the exit's module teardown would otherwise traverse
    in full garbage collections several times (about 40 ms of a run here, for pytest's
    and this plugin's modules, where pre-commit exits in a few). Objects are still freed
    and their finalizers run as the modules are cleared; only cycles made during the
    teardown itself are left uncollected, which Python does not promise to collect at
    exit anyway. (What the first session froze when its run started is not walked
    again: see ``_rare_collections``.)"""
    gc.collect()
    gc.freeze()


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if _settings(config) is None:
        return
    notes = config.stash.get(notes_key, [])
    if notes:
        _write_notes(terminalreporter, notes)
    diff = config.stash.get(diff_key, "")
    if diff:
        terminalreporter.write_sep("=", "hookrun: the hooks' changes (git diff)")
        terminalreporter.write(diff if diff.endswith("\n") else diff + "\n")

    run = config.stash.get(run_key, None)
    summary = _summary(config, run) if run is not None else config.stash.get(summary_key, None)
    if summary is None:
        return
    for line in summary["warnings"]:
        terminalreporter.write_line(line, yellow=True)
    for title, text in summary["verbose"]:
        # `verbose: true` hooks show their output even when they pass, as in pre-commit
        terminalreporter.write_sep("-", title)
        terminalreporter.write(text if text.endswith("\n") else text + "\n")
    if summary["lines"]:
        terminalreporter.write_sep("=", "hookrun")
        for line in summary["lines"]:
            terminalreporter.write_line(line)


def _summary(config: pytest.Config, run: HookRun) -> Summary:
    """The hookrun sections, as plain data: under xdist they travel to the controller."""
    from .report import summary_lines, verbose_outputs

    warnings_ = [f"hookrun: an event hook failed: {m}" for m in run.events.take_failures()]
    threshold = config.getini("hookrun_slow_threshold")
    try:
        slow = float(threshold) if threshold else None
    except ValueError:
        slow = None
        warnings_.append(f"hookrun_slow_threshold: not a number: {threshold!r}")
    return {
        "warnings": warnings_,
        "verbose": [[title, text] for title, text in verbose_outputs(run.scheduler)],
        "lines": summary_lines(run.scheduler, slow_threshold=slow),
    }
