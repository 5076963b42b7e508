"""One hook from start to outcome: its files, its batches, what it changed.

The scheduler decides *when* a hook and each of its batches run; this module
decides *what* runs and what the result means. It knows nothing of pytest.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import __version__, languages
from .changes import Change, ContentCache, Snapshot, Written, diff_text, written_changes
from .config import Hook
from .files import (
    ArgumentTooLong,
    Batch,
    GitError,
    batches,
    git,
    max_command_length,
    shuffled,
    untracked_files,
)
from .outcome import BatchResult, HookOutcome, Status
from .process import (
    REQUEST_LIMIT,
    ExecutableNotFound,
    ProcessResult,
    Waiting,
    resolve_argv,
    run_process,
)
from .results import (
    HEAD_READERS,
    ResultCache,
    config_files,
    definition_key,
    digest,
    entry_program,
    environment_inputs,
    file_local_flags,
    is_file_local,
    option_paths,
    outside_configs,
    settings_files,
    strings_digest,
    tool_identity,
    version_variables,
)
from .store import COMPLETE
from .toolconfig import loads_local_plugins, named_files, runs_a_task


@dataclass
class HookJob:
    """A selected hook with its files: the unit the scheduler runs."""

    key: str
    hook: Hook
    files: tuple[str, ...]
    touches_all: bool  # pass_filenames: false or always_run: may touch any file
    timeout: float | None
    depends_on: tuple[str, ...] = ()
    reader: bool = False
    watch_files: bool = True  # False: its files are not the work tree's (a commit message)
    skip_reason: str | None = None
    error_reason: str | None = None
    environment: languages.Environment | None = None  # its clone and installed environment
    # filled while running
    env: Mapping[str, str] | None = None  # the variables its processes get
    batches: list[Batch] = field(default_factory=list)
    results: list[BatchResult] = field(default_factory=list)
    snapshot: Snapshot | None = None
    watched: tuple[str, ...] = ()
    untracked_before: frozenset[str] | None = None
    cache_key: str | None = None  # the result cache's definition key (None: not cached)
    cache_tree: str | None = None  # whole-cached hooks: the inputs' digest when it started
    cached_files: int = 0  # per-file cached hooks: files whose pass was reused
    in_process: languages.InProcess | None = None  # a fast path, with the real hook as fallback
    helper: Waiting | None = None  # the run's helper, running part of the fast path's files
    helper_request: bytes = b""  # what it is handed (helper.request)
    # the helper's part as an in-process batch: what runs instead when this process is
    # done with its own part before a job slot freed for the helper's (take_back)
    helper_fallback: Batch | None = None
    # what the fast path wrote: its own account replaces the before/after snapshots
    fast_writes: list[Written] = field(default_factory=list)
    cache_snapshot: Snapshot | None = None  # per-file cached hooks: the digests it ran on
    # per-file cached hooks that read the index: each file's mode there when it started
    cache_modes: Mapping[str, str] | None = None


@dataclass
class RunContext:
    """What every hook of one run shares."""

    root: Path
    config_path: Path
    cache: ContentCache
    all_files: Callable[[], Sequence[str]]  # every tracked file, listed once when first needed
    jobs: int
    env: dict[str, str]
    kill_grace: float = 2.0
    output_limit: int = 1_000_000
    cancel: threading.Event = field(default_factory=threading.Event)
    results: ResultCache | None = None  # None: every hook runs (--hooks-no-cache)
    fast_paths: bool = True  # --hooks-no-fast-path: False
    # a Python process started early for the run, waiting to run part of a long fast
    # path's files beside this process (helper.py); taken once (take_helper)
    helper: Waiting | None = None
    _helper_given: bool = False
    command_limit: int = field(default_factory=max_command_length)  # once per run
    _repo_state: tuple[str, bool] | None = None
    _memo: dict[str, tuple[int, str]] = field(default_factory=dict)
    # the digest of every tracked file, and the content cache's count of modifications
    # it was taken at: taken again only after a hook modified files
    _tree_value: tuple[int, str] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)  # the tree, the writers
    _tracked: frozenset[str] | None = None
    _names_value: str | None = None
    _outside: str | None = None  # the digest of what chooses tools outside the tree
    # names picked from the run's listing (its config files, its settings files), once
    _picked: dict[str, list[str]] = field(default_factory=dict)
    _index: tuple[int, bytes] | None = None  # _index_entries, and its generation
    _modes: tuple[bytes, Mapping[str, str]] | None = None  # index_modes, and its entries
    # a hook's given files (by identity) -> the digest of those tracked and the list of
    # those not tracked, once a run
    _given_names: dict[int, tuple[Sequence[str], str, list[str]]] = field(default_factory=dict)
    # hooks that may write, from their first batch until they reported what they changed
    _writing: dict[str, HookJob] = field(default_factory=dict)
    # passes of hooks cached whole that wait for these writers beside them to report
    _waiting: list[tuple[HookJob, set[str]]] = field(default_factory=list)

    def take_helper(self) -> Waiting | None:
        """The run's helper process, to the first hook that asks: the one started early,
        else one started now (None when it cannot start)."""
        with self._lock:
            if self._helper_given:
                return None
            self._helper_given = True
            if self.helper is None:
                from .helper import start

                self.helper = start(self.root, self.env)
            return self.helper

    def give_back_helper(self, helper: Waiting) -> None:
        """A helper taken but never handed work: the next hook that asks may take it."""
        with self._lock:
            if self.helper is helper:
                self._helper_given = False

    def close(self) -> None:
        """The run is over: a helper that did not run (no hook took it, or its batch
        never started) ends."""
        if self.helper is not None:
            self.helper.discard()

    def _memoized(self, name: str, compute: Callable[[], str]) -> str:
        """``compute()`` once per generation of the content cache (until a hook runs)."""
        generation = self.cache.generation
        known = self._memo.get(name)
        if known is not None and known[0] == generation:
            return known[1]
        value = compute()
        self._memo[name] = (generation, value)
        return value

    def _picked_names(self, name: str, pick: Callable[[Iterable[str]], list[str]]) -> list[str]:
        """``pick(self.all_files())``, once a run (the listing is the run's): the names
        are not looked for again in every file name each time a hook has run."""
        found = self._picked.get(name)
        if found is None:
            found = self._picked[name] = pick(self.all_files())
        return found

    def configs_digest(self) -> str:
        """The tool config files of the tree (pyproject.toml, ...), those above it and
        the user's own (stat'ed once a run: hooks write in the tree only), a version
        manager's choice in the environment, and whether a merge is in progress
        (check-merge-conflict looks then only): part of every key."""
        if self._outside is None:
            self._outside = digest(outside_configs(self.root), version_variables())

        def compute() -> str:
            snap = self.cache.snapshot(self._picked_names("configs", config_files))
            configs = sorted((name, state[1]) for name, state in snap.state.items())
            return digest(configs, self._outside, self.repo_state()[1])

        return self._memoized("configs", compute)

    def names_digest(self) -> str:
        """Which files are tracked, and the content of every settings-like file: what a
        per-file hook whose names matter also depends on."""
        if self._names_value is None:  # the listing is the run's: digested once
            self._names_value = strings_digest(sorted(self.all_files()))
        return digest(self._names_value, self.settings_digest())

    def settings_digest(self) -> str:
        """The content of every settings-like file (*.toml, *.cfg, *.ini): a ruff config
        may ``extend`` one by any name."""

        def compute() -> str:
            snap = self.cache.snapshot(self._picked_names("settings", settings_files))
            return digest(sorted((n, s[1]) for n, s in snap.state.items()))

        return self._memoized("settings", compute)

    def _git_out(self, *args: str) -> bytes:
        """What ``git args`` prints; a git error gives its message instead (the hook
        meets the same git)."""
        try:
            return git(self.root, *args)
        except GitError as exc:
            return f"error: {exc}".encode()

    def _index_entries(self) -> bytes:
        """``git ls-files --stage -z``: each index entry's mode, blob, stage and path (no
        stat data), read again after a hook ran (it may have staged files)."""
        generation = self.cache.generation
        if self._index is None or self._index[0] != generation:
            self._index = (generation, self._git_out("ls-files", "--stage", "-z"))
        return self._index[1]

    def index_digest(self) -> str:
        """What the index holds: a hook cached whole may ask git (``git diff --cached``),
        and staging a change leaves the work tree as it was."""
        return self._memoized(
            "index", lambda: hashlib.blake2b(self._index_entries(), digest_size=16).hexdigest()
        )

    def index_modes(self) -> Mapping[str, str]:
        """Each file's mode in the index: what check-executables-have-shebangs and
        check-shebang-scripts-are-executable read."""
        entries = self._index_entries()
        if self._modes is None or self._modes[0] is not entries:
            modes: dict[str, str] = {}
            for entry in os.fsdecode(entries).split("\0"):
                meta, _, name = entry.partition("\t")
                if name:
                    modes[name] = meta.split(" ", 1)[0]
            self._modes = (entries, modes)
        return self._modes[1]

    def commits(self) -> str:
        """The commits HEAD and ``--from-ref``/``--to-ref`` name (what destroyed-symlinks
        and forbid-new-submodules compare the index, or the refs, with)."""
        refs = [self.env.get(var, "") for var in ("PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF")]
        args = ("rev-parse", "HEAD", *(ref for ref in refs if ref))
        return self._memoized("commits", lambda: self._git_out(*args).decode())

    def file_mode_setting(self) -> str:
        """git's core.fileMode ("false": the executable bit is the index's, not the file's)."""
        return self._memoized("filemode", lambda: self._git_out("config", "core.fileMode").decode())

    def added_digest(self) -> str:
        """Which files the index adds against HEAD: what check-added-large-files and
        check-case-conflict ask git."""
        args = ("diff", "--staged", "--name-only", "--no-ext-diff", "-z", "--diff-filter=A")
        return self._memoized(
            "added", lambda: hashlib.blake2b(self._git_out(*args), digest_size=16).hexdigest()
        )

    def tree_digest(self, given: Sequence[str]) -> str:
        """Every tracked file's content, which files a hook was given (the tree has their
        content) and the content of those that are not tracked (a commit message), and
        the branch (a hook may check it), and the index (it may ask git what is staged)."""
        whole = self._whole_tree()
        known = self._given_names.get(id(given))
        if known is None or known[0] is not given:
            tracked = self._tracked or frozenset()
            names = strings_digest(sorted(name for name in given if name in tracked))
            untracked = [name for name in given if name not in tracked]
            known = self._given_names[id(given)] = (given, names, untracked)
        # a commit message file is not tracked (and hooks edit it unwatched): as it is now
        others = self.cache.snapshot(known[2]).state
        files = sorted((name, entry[1]) for name, entry in others.items())
        return digest(whole, known[1], files, self.repo_state()[0], self.index_digest())

    def writing(self, job: HookJob) -> None:
        """A batch of ``job``, a hook that may write, starts."""
        with self._lock:
            self._writing[job.key] = job

    def done_writing(self, job: HookJob) -> None:
        """``job`` ended and reported what it modified (``ContentCache.modified``): the
        passes that waited for it are kept now if the tree is still what they ran on."""
        with self._lock:
            self._writing.pop(job.key, None)
            ready = []
            for waiting, writers in self._waiting:
                writers.discard(job.key)
                if not writers:
                    ready.append(waiting)
            self._waiting = [entry for entry in self._waiting if entry[1]]
        for waiting in ready:
            _keep_whole_pass(waiting, self)

    def keep_whole_pass(self, job: HookJob) -> None:
        """``job``, cached whole, passed: keep the pass if the tree is still what it ran
        on. Hooks that may write and run beside it may have written without reporting it
        yet: the pass waits for them to end and report, rather than the tree being
        stat'ed afresh (on 50,000 files, after every such pass)."""
        with self._lock:
            writers = {key for key in self._writing if key != job.key}
            if writers:
                self._waiting.append((job, writers))
                return
        _keep_whole_pass(job, self)

    def _whole_tree(self) -> str:
        """The digest of every tracked file's content, from a ``trusted`` snapshot: the
        tree is stat'ed once a run, then only the files hooks modified again, not all of
        it before each hook cached whole (on 50,000 files, 50,000 lstats a hook); the
        digest is taken again only after a modification."""
        with self._lock:
            seen = self.cache.modifications
            if self._tree_value is None or self._tree_value[0] != seen:
                names = self.all_files()
                if self._tracked is None:
                    self._tracked = frozenset(names)
                self.cache.whole_tree(names)
                state = self.cache.snapshot(names, trusted=True).state
                self._tree_value = (seen, _state_digest(state))
            return self._tree_value[1]

    def repo_state(self) -> tuple[str, bool]:
        """What HEAD is (a branch name, or a commit when detached) and whether a merge is
        in progress; once per run."""
        if self._repo_state is None:
            try:
                out = git(self.root, "rev-parse", "--git-dir", "--symbolic-full-name", "HEAD")
                git_dir, _, head = out.decode().partition("\n")
            except GitError:
                git_dir, head = ".git", ""
            if head.strip() in ("", "HEAD"):
                try:
                    head = git(self.root, "rev-parse", "HEAD").decode()
                except GitError:
                    head = ""
            merging = (self.root / git_dir.strip() / "MERGE_HEAD").exists()
            self._repo_state = (head.strip(), merging)
        return self._repo_state


def _state_digest(state: Mapping[str, tuple[object, str, object, object]]) -> str:
    """The digest of file names and their content digests, in name order."""
    return strings_digest(
        itertools.chain.from_iterable((name, state[name][1]) for name in sorted(state))
    )


def prepare(job: HookJob, ctx: RunContext, *, leads: bool = False) -> HookOutcome | None:
    """Work out the batches of ``job``; return an outcome when nothing is to run.

    ``leads``: the scheduler would start this hook before any other that does not wait
    for it (the head of the longest remaining path): it may take every job slot.
    """
    hook = job.hook
    if job.error_reason:
        return HookOutcome(Status.ERROR, reason=job.error_reason)
    if job.skip_reason:
        return HookOutcome(Status.SKIPPED, reason=job.skip_reason)
    if not job.files and not hook.always_run:
        return HookOutcome(Status.SKIPPED, reason="no files to check")
    action = languages.action_for(
        hook, ctx.root, ctx.config_path, job.environment, ctx.env, fast_paths=ctx.fast_paths
    )
    if isinstance(action, languages.Unsupported):
        return HookOutcome(Status.SKIPPED, reason=action.reason)
    if isinstance(action, languages.Invalid):
        return HookOutcome(Status.ERROR, reason=action.message)
    files = job.files if hook.pass_filenames else ()
    if isinstance(action, languages.Fail):
        text = action.message.encode() + b"\n\n" + b"\n".join(f.encode() for f in files) + b"\n"
        if hook.log_file:
            _append_log(ctx.root / hook.log_file, text.strip() + b"\n")
        return HookOutcome(
            Status.FAILED,
            batches=(BatchResult(("fail",), 1, text, 0.0, files=len(files)),),
            files=len(job.files),
        )
    if isinstance(action, languages.InProcess):
        job.in_process = action
        action = action.fallback
    job.env = action.env
    try:
        argv = (
            resolve_argv(action.argv, cwd=str(ctx.root), env=job.env or ctx.env)
            if action.resolve
            else action.argv
        )
        cached = _cached(job, ctx, argv, files)
        if isinstance(cached, HookOutcome):
            return cached
        if cached is not None:
            files = tuple(cached)
        if not hook.require_serial and hook.language != "pygrep":
            # the order pre-commit gives (its pygrep does not shuffle); even batches
            files = tuple(shuffled(files))
        # in-process work shares one GIL: one batch, so it holds one job slot, not all
        parts = 1 if hook.require_serial or job.in_process else ctx.jobs
        # the fast path's CPU time, estimated from its files' sizes, where other hooks
        # could run beside it (more than one job slot)
        fast = job.in_process
        sizes = _sizes(files, ctx) if fast and fast.ns_per_byte and ctx.jobs > 1 else []
        seconds = sum(sizes) * fast.ns_per_byte / 1e9 if fast and sizes else 0.0
        if seconds > LONG_IN_PROCESS:
            # the real hook's processes instead: on every slot when this hook leads the
            # run, else on one, leaving the others to the hooks ahead of it
            job.in_process = None
            parts = ctx.jobs if leads and not hook.require_serial else 1
        job.batches = batches(argv, files, parts=parts, max_length=ctx.command_limit)
        if job.in_process is not None and seconds and not hook.require_serial:
            _share_with_helper(job, argv, sizes, seconds, ctx)
    except ExecutableNotFound as exc:
        return HookOutcome(Status.ERROR, reason=f"hook {hook.id!r}: {exc}")
    except ArgumentTooLong as exc:
        return HookOutcome(Status.ERROR, reason=f"hook {hook.id!r}: {exc}")
    if job.touches_all:
        job.watched = tuple(ctx.all_files())
    elif job.watch_files:
        job.watched = job.files
    if job.in_process is None or job.helper is not None:
        job.snapshot = ctx.cache.snapshot(job.watched, held=True)
    # else: a fast path says what it writes (before and after), no file is read for it
    if job.touches_all and not job.reader:
        # a hook that may write anywhere runs alone: new files are its own
        job.untracked_before = frozenset(untracked_files(ctx.root))
    return None


# in-process work longer than this holds the GIL long enough to stall every other hook's
# bookkeeping (each file read waits for the GIL): such a fast path runs as a process
LONG_IN_PROCESS = 0.2


def _sizes(files: Sequence[str], ctx: RunContext) -> list[int]:
    """Each file's size (0 when gone): an lstat is enough, the fast path reads them if
    it runs (check-yaml's and check-toml's pure-Python parsers, debug-statements' ast
    take time per byte)."""
    sizes = []
    for name in files:
        try:
            sizes.append(os.lstat(os.path.join(ctx.root, name)).st_size)
        except OSError:
            sizes.append(0)
    return sizes


# in-process work shorter than this is not worth handing part of to the helper
SHARE_MIN = 0.03


def _share_with_helper(
    job: HookJob, argv: Sequence[str], sizes: Sequence[int], seconds: float, ctx: RunContext
) -> None:
    """Hand part of a fast path's files (``sizes``: theirs, in order; ``seconds``: its
    estimated work) to the run's helper process, which runs beside this one (the
    interpreter lock keeps in-process work on one core): this process keeps half of the
    work, more while the helper is still starting (one not started early starts now,
    when the work is long enough to wait for it). The helper's batch waits for a job
    slot like any other; ``take_back`` runs it here if none frees in time."""
    fast = job.in_process
    if fast is None or fast.helper is None or len(job.batches) != 1:
        return
    files = job.batches[0].files
    if len(files) < 2 or ctx._helper_given:
        return
    from . import helper as helper_module

    starting = helper_module.START_SECONDS
    if ctx.helper is not None:
        starting = max(0.0, starting - (time.monotonic() - ctx.helper.started))
    # (the helper's share, half less what it still spends starting, is a quarter or more)
    if seconds < max(SHARE_MIN, 2 * starting):
        return
    keep = (0.5 + starting / (2 * seconds)) * sum(sizes)
    split, kept = 0, 0
    while split < len(files) - 1 and kept + sizes[split] / 2 <= keep:
        kept += sizes[split]
        split += 1
    mine, theirs = files[:split], files[split:]
    if not mine:
        return
    request = helper_module.request(
        *fast.helper, (*fast.args, *theirs), (*argv, *theirs), job.env or ctx.env, ctx.root
    )
    if len(request) > REQUEST_LIMIT:
        return
    helper = ctx.take_helper()
    if helper is None:
        return
    job.helper, job.helper_request = helper, request
    label = f"{fast.label.removesuffix(' (in-process)')} (helper process)"
    job.batches = [
        Batch((*argv, *mine), mine),
        Batch((label, *fast.args, *theirs), theirs, helper=True),
    ]
    job.helper_fallback = Batch((*argv, *theirs), theirs)


def take_back(job: HookJob, ctx: RunContext) -> Batch | None:
    """This process is done with its part of a shared fast path and the helper's part
    has not started (every other job slot is still busy): the helper's part, to run
    here now, as it would have without a helper; the helper goes back to the run. None
    when nothing was shared."""
    batch, job.helper_fallback = job.helper_fallback, None
    if batch is None or job.helper is None:
        return None
    ctx.give_back_helper(job.helper)
    job.helper, job.helper_request = None, b""
    return batch


def _cached(
    job: HookJob, ctx: RunContext, argv: Sequence[str], files: Sequence[str]
) -> HookOutcome | list[str] | None:
    """A pass from an earlier run on the same inputs: the outcome, or the files left to run."""
    if ctx.results is None:
        return None
    hook = job.hook
    environment = job.environment
    env_id: list[object] = []
    if environment is not None:
        env_id = [str(environment.source), str(environment.prefix)]
        if environment.prefix is not None:
            marker = environment.prefix / COMPLETE
            env_id.append(marker.stat().st_mtime_ns if marker.exists() else 0)
    named: list[str] = []
    program = ""
    if hook.language == "pygrep" or hook.is_meta:
        tool = f"pytest-hookrun {__version__}"  # our own code runs it
    else:
        # the executable, and every file the command names (the script an interpreter
        # runs, after options such as `-u`; paths relative to the repo root)
        tool = tool_identity(argv[0], ctx.root)
        named += [arg for arg in argv[1:] if os.path.isfile(ctx.root / arg)]
        # ... the files of the tree its options name, and those its config names
        named += [p for arg in argv[1:] for p in option_paths(arg) if os.path.isfile(ctx.root / p)]
        for path in named + named_files(hook.id, named, ctx.root):
            tool += "|" + tool_identity(os.path.join(ctx.root, path), ctx.root)
        # ... the variables named after its program, and the date if it is told to use it
        program = entry_program(hook.entry, hook.language) or os.path.basename(argv[0])
        env_id.append(environment_inputs(hook, program, ctx.env))
    job.cache_key = definition_key(hook, env_id, tool, ctx.configs_digest())
    if hook.id in HEAD_READERS:
        job.cache_key = digest(job.cache_key, ctx.commits())
    if (
        is_file_local(hook)
        and not loads_local_plugins(hook.id, named, ctx.root)
        and not (program and runs_a_task(hook.entry, program, ctx.root))
    ):
        flags = file_local_flags(hook)
        if "+names" in flags:
            job.cache_key = digest(job.cache_key, ctx.names_digest())
        elif "+settings" in flags:
            job.cache_key = digest(job.cache_key, ctx.settings_digest())
        if "+added" in flags:
            job.cache_key = digest(job.cache_key, ctx.added_digest())
        if "+index" in flags:
            job.cache_modes = ctx.index_modes()
            job.cache_key = digest(job.cache_key, ctx.file_mode_setting())
        # the hook holds its files (its own snapshot starts from this state); a message
        # file's hooks edit it unwatched: its state is taken as it is now
        snap = job.cache_snapshot = ctx.cache.snapshot(files, held=job.watch_files)
        passed = ctx.results.passed_files(job.key, job.cache_key, _file_states(job, snap))
        if passed and len(passed) == len(files):
            return HookOutcome(
                Status.PASSED, files=len(job.files), cached=len(passed), whole_cached=True
            )
        job.cached_files = len(passed)
        return [f for f in files if f not in passed]
    job.cache_tree = ctx.tree_digest(job.files)
    if ctx.results.passed_whole(job.key, job.cache_key, job.cache_tree):
        return HookOutcome(
            Status.PASSED, files=len(job.files), cached=len(job.files), whole_cached=True
        )
    return None


def _record_pass(job: HookJob, ctx: RunContext) -> None:
    if ctx.results is None or job.cache_key is None:
        return
    if job.cache_tree is not None:
        ctx.keep_whole_pass(job)
        return
    ran = {name for batch in job.batches for name in batch.files}
    # a pass changed nothing: the digests before it are those of what it passed
    snapshot = job.snapshot or job.cache_snapshot
    if snapshot is not None:
        states = _file_states(job, snapshot)
        ctx.results.record_files(
            job.key, job.cache_key, {n: state for n, state in states.items() if n in ran}
        )


def _file_states(job: HookJob, snapshot: Snapshot) -> dict[str, str]:
    """What a per-file pass is kept on: each file's content digest, and its mode in the
    index for a hook that reads it."""
    modes = job.cache_modes
    if modes is None:
        return {n: s[1] for n, s in snapshot.state.items()}
    return {n: f"{s[1]}:{modes.get(n, '')}" for n, s in snapshot.state.items()}


def _keep_whole_pass(job: HookJob, ctx: RunContext) -> None:
    """Keep a pass cached whole only when the tree is what it started on, as far as the
    hooks that ended have reported: it belongs to these inputs (a writer that started
    after it ended and changed files loses it the pass, which only costs a rerun)."""
    if ctx.results is None or job.cache_key is None or job.cache_tree is None:
        return
    if ctx.tree_digest(job.files) == job.cache_tree:
        ctx.results.record_whole(job.key, job.cache_key, job.cache_tree)


def run_batch(job: HookJob, batch: Batch, ctx: RunContext, deadline: float | None) -> BatchResult:
    ctx.cache.hooks_may_write()
    if not job.reader:
        ctx.writing(job)
    try:
        return _run_batch(job, batch, ctx, deadline)
    finally:
        ctx.cache.hooks_may_write()


def _run_batch(job: HookJob, batch: Batch, ctx: RunContext, deadline: float | None) -> BatchResult:
    started = time.monotonic()
    fast = job.in_process
    if fast is not None and not batch.helper:
        writes: list[Written] = []
        try:
            code, output = fast.run(fast.args, batch.files, ctx.root, writes=writes)
        except fast.declines:
            # a case it does not reproduce (its writes undone): the real hook runs this
            # batch, watched as every process is
            if job.snapshot is None:
                job.snapshot = ctx.cache.snapshot(job.watched, held=True)
        else:
            job.fast_writes.extend(writes)
            ctx.cache.forget(name for name, _, _ in writes)
            truncated = len(output) > ctx.output_limit
            return BatchResult(
                argv=(fast.label, *fast.args, *batch.files),
                returncode=code,
                output=output[: ctx.output_limit],
                truncated=truncated,
                duration=time.monotonic() - started,
                files=len(batch.files),
                started=started,
            )
    result: ProcessResult = run_process(
        batch.argv,
        cwd=str(ctx.root),
        env=job.env or ctx.env,
        deadline=deadline,
        kill_grace=ctx.kill_grace,
        cancel=ctx.cancel,
        output_limit=ctx.output_limit,
        waiting=job.helper if batch.helper else None,
        request=job.helper_request if batch.helper else b"",
    )
    return BatchResult(
        argv=result.argv,
        returncode=result.returncode,
        output=result.output,
        duration=result.duration,
        timed_out=result.timed_out,
        truncated=result.truncated,
        files=len(batch.files),
        started=started,
    )


def finish(job: HookJob, ctx: RunContext, started: float, finished: float) -> HookOutcome:
    """Turn the batch results into the hook's outcome, with what it modified."""
    hook = job.hook
    results = tuple(job.results)
    # what its fast path wrote, by its own account; and what the snapshots show, for
    # processes (when a fast path declined a batch, the others may have run in-process)
    changes: list[Change] = list(written_changes(job.fast_writes))
    if job.snapshot is not None:
        written = {name for name, _, _ in changes}
        seen = [n for n in ctx.cache.changed_since(job.snapshot) if n not in written]
        changes = ctx.cache.changes(job.snapshot, seen) + changes
    modified = [name for name, _, _ in changes]
    ctx.cache.modified(modified)
    ctx.done_writing(job)  # after: a pass ending beside sees its changes, or it writing
    diff = diff_text(changes) if changes else ""
    notes: list[str] = []
    if any(r.timed_out for r in results):
        status = Status.TIMEOUT
    elif modified:
        status = Status.MODIFIED
    elif any(r.returncode for r in results) or any(r.returncode is None for r in results):
        status = Status.FAILED
    else:
        status = Status.PASSED
    if modified and job.reader:
        notes.append(
            "this hook counts as read-only (read_only: true, its language, or a known "
            "read-only id), but it changed files: set `read_only: false` on it"
        )
    if job.untracked_before is not None:
        created = sorted(set(untracked_files(ctx.root)) - job.untracked_before)
        if created:
            notes.append("files created by this hook: " + ", ".join(created[:20]))
    output = b"".join(r.output for r in results).strip()
    if hook.log_file and output and (status is not Status.PASSED or hook.verbose):
        # as pre-commit: the stripped output plus a newline, appended
        _append_log(ctx.root / hook.log_file, output + b"\n")
    if status is Status.PASSED:
        _record_pass(job, ctx)
    outcome = HookOutcome(
        status,
        batches=results,
        modified=tuple(modified),
        diff=diff,
        files=len(job.files),
        timeout=job.timeout,
        started=started,
        finished=finished,
        notes=tuple(notes),
        cached=job.cached_files,
    )
    # the hook's own run time: while one of its batches ran, not while it waited for tokens
    return replace(outcome, duration=outcome.busy_time)


def _append_log(path: Path, output: bytes) -> None:
    try:
        os.makedirs(path.parent, exist_ok=True)
        with open(path, "ab") as f:
            f.write(output)
    except OSError:
        pass  # the output is in the report too
