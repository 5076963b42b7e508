"""Runs a plan on a thread pool: job tokens, eager starts, fail-fast, cancellation.

A dispatcher thread starts each hook as soon as its predecessors in the plan
have finished, and each file batch as soon as enough job tokens are free. The
main thread only waits for outcomes (``wait``), so pytest reports stay in plan
order while work runs ahead.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from . import process
from .files import Batch
from .outcome import BatchResult, HookOutcome, Status
from .plan import Plan
from .runner import HookJob, RunContext, finish, prepare, run_batch, take_back


@dataclass
class _State:
    job: HookJob
    order: int  # reference order index
    rank: float  # longest remaining path: ready hooks with more behind them start first
    waiting_on: int  # predecessors not finished yet
    queued: list[Batch] = field(default_factory=list)
    in_flight: int = 0
    started: float | None = None
    deadline: float | None = None
    outcome: HookOutcome | None = None
    preparing: bool = False
    prepared: bool = False
    finishing: bool = False


HookCallback = Callable[[HookJob, HookOutcome | None], None]


def _rank(plan: Plan, key: str, order: str) -> float:
    """Ready hooks start highest rank first, then in reference order."""
    if order == "fast-first":
        return -plan.duration(key)
    if order == "config":
        return 0.0
    return plan.remaining_path(key)


class Scheduler:
    """Executes ``jobs`` following ``plan`` with at most ``tokens`` job tokens in use."""

    def __init__(
        self,
        jobs: Sequence[HookJob],
        plan: Plan,
        ctx: RunContext,
        *,
        tokens: int,
        fail_fast: bool = False,
        on_start: HookCallback | None = None,
        on_finish: HookCallback | None = None,
        order: str = "critical-path",
    ) -> None:
        """``order``: which ready hook starts first. ``critical-path``: the longest
        remaining path (list scheduling: the shortest run); ``fast-first``: the
        quickest hook (the quickest failure feedback); ``config``: reference order.
        """
        self.plan = plan
        self.ctx = ctx
        self.tokens = max(1, tokens)
        self.free = self.tokens
        self.fail_fast = fail_fast
        self.stop_reason: str | None = None
        self._stop_order = len(plan.hooks)  # fail_fast: hooks after this one do not start
        # with fail_fast possible, no hook starts while another one's outcome is pending
        self._may_stop = fail_fast or any(job.hook.fail_fast for job in jobs)
        self._on_start = on_start
        self._on_finish = on_finish
        position = {h.key: i for i, h in enumerate(plan.hooks)}
        self._states: dict[str, _State] = {}
        for job in jobs:
            self._states[job.key] = _State(
                job=job,
                order=position[job.key],
                rank=_rank(plan, job.key, order),
                waiting_on=len(plan.predecessors(job.key)),
            )
        self._failed: set[str] = set()
        self._by_hook_id: dict[str, list[str]] = {}
        for job in jobs:
            self._by_hook_id.setdefault(job.hook.id, []).append(job.key)
        self._cond = threading.Condition()
        self._pool = ThreadPoolExecutor(max_workers=self.tokens + 2, thread_name_prefix="hookrun")
        # observers run on their own thread, in order, never under the scheduler's lock
        self._events = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hookrun-events")
        self._thread: threading.Thread | None = None
        self._closed = False
        self.wall_start: float | None = None

    # ------------------------------------------------------------------ public

    def start(self) -> None:
        if self._thread is None:
            self.wall_start = time.monotonic()
            self._thread = threading.Thread(
                target=self._dispatch, name="hookrun-dispatcher", daemon=True
            )
            self._thread.start()

    def wait(self, key: str) -> HookOutcome:
        """Block until hook ``key`` has its outcome (wakes up for Ctrl-C regularly)."""
        self.start()
        with self._cond:
            while self._states[key].outcome is None:
                self._cond.wait(0.2)
            outcome = self._states[key].outcome
        assert outcome is not None
        return outcome

    def shutdown(self, reason: str = "the test session ended") -> None:
        """Stop everything: no new work, running processes killed, nothing left behind."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            if self.stop_reason is None:
                self.stop_reason = reason
            self._cond.notify_all()
        self.ctx.cancel.set()
        self.ctx.close()
        process.kill_all(grace=self.ctx.kill_grace)
        if self._thread is not None:
            self._thread.join(timeout=30)
        self._pool.shutdown(wait=True, cancel_futures=True)
        process.kill_all(grace=0.2)
        self._events.shutdown(wait=True)

    def durations(self) -> dict[str, float]:
        """Real durations of the hooks that ran, for the next run's plan."""
        with self._cond:
            return {
                key: s.outcome.duration
                for key, s in self._states.items()
                if s.outcome is not None and s.outcome.batches and s.outcome.duration > 0
            }

    def outcomes(self) -> list[tuple[HookJob, HookOutcome]]:
        with self._cond:
            return [(s.job, s.outcome) for s in self._states.values() if s.outcome is not None]

    # ------------------------------------------------------------------ dispatcher

    def _dispatch(self) -> None:
        with self._cond:
            while True:
                if self._closed:
                    self._skip_unstarted(self.stop_reason or "the run was stopped")
                if all(s.outcome is not None for s in self._states.values()):
                    break
                while self._start_ready_hooks():
                    pass  # a skipped hook may release others at once
                self._start_batches()
                self._cond.wait(0.5)
            self._cond.notify_all()

    def _ready(self) -> list[_State]:
        return sorted(
            (
                s
                for s in self._states.values()
                if s.waiting_on == 0 and not s.prepared and not s.preparing and s.outcome is None
            ),
            key=lambda s: (-s.rank, s.order),
        )

    def _start_ready_hooks(self) -> bool:
        """Start (or skip) every ready hook; True when a hook was settled on the spot."""
        settled = False
        if self._may_stop and self._judging():
            return False  # fail_fast: a hook that may have failed is still being judged
        for state in self._ready():
            blocked = self._failed_dependency(state.job)
            if blocked is not None:
                self._settle(
                    state,
                    HookOutcome(Status.SKIPPED, reason=f"dependency {blocked!r} did not pass"),
                    failed=True,
                )
                settled = True
            elif self.stop_reason is not None and (self._closed or state.order > self._stop_order):
                # fail_fast: hooks before the failing one in reference order still run,
                # as they would have run before it one at a time
                self._settle(state, HookOutcome(Status.SKIPPED, reason=self.stop_reason))
                settled = True
            else:
                state.preparing = True
                self._pool.submit(self._prepare, state, self._leads(state))
        return settled

    def _leads(self, state: _State) -> bool:
        """Whether this hook would start before every other unfinished hook that does
        not wait for it (the head of the longest remaining path, by default)."""
        after = self.plan.descendants(state.job.key)
        first = (-state.rank, state.order)
        return all(
            first <= (-other.rank, other.order)
            for key, other in self._states.items()
            if other is not state and other.outcome is None and key not in after
        )

    def _failed_dependency(self, job: HookJob) -> str | None:
        for dep in job.depends_on:
            for key in self._by_hook_id.get(dep, ()):
                if key in self._failed:
                    return dep
        return None

    def _prepare(self, state: _State, leads: bool = False) -> None:
        try:
            outcome = prepare(state.job, self.ctx, leads=leads)
        except Exception as exc:  # a bug must not hang the run: report it on the hook
            outcome = HookOutcome(Status.ERROR, reason=f"internal error preparing hook: {exc!r}")
        with self._cond:
            state.preparing = False
            if outcome is not None:
                self._settle(state, outcome)
            else:
                state.prepared = True
                state.queued = list(state.job.batches)
            self._cond.notify_all()

    def _judging(self) -> bool:
        """A hook's processes ended and its outcome is being worked out."""
        return any(s.finishing and s.outcome is None for s in self._states.values())

    def _start_batches(self) -> None:
        active = sorted(
            (s for s in self._states.values() if s.queued and s.outcome is None),
            key=lambda s: (-s.rank, s.order),
        )
        verdict_pending = self._may_stop and self._judging()
        # batches start in (longest remaining path, reference order), whichever hook was
        # prepared first: a free token waits for a hook ahead that is being prepared or
        # that a hook now finishing releases, rather than go to a batch behind it
        ahead = self._about_to_start()
        for state in active:
            if ahead is not None and ahead < (-state.rank, state.order):
                continue
            if state.started is None:
                # a prepared hook that has not started yet is still subject to fail_fast
                if verdict_pending:
                    continue
                if self.stop_reason is not None and (
                    self._closed or state.order > self._stop_order
                ):
                    state.queued.clear()
                    self._settle(state, HookOutcome(Status.SKIPPED, reason=self.stop_reason))
                    continue
            need = min(state.job.hook.weight, self.tokens)
            while state.queued and self.free >= need and not self._closed:
                if state.job.hook.require_serial and state.in_flight:
                    break
                if state.started is None:
                    # the hook's clock (and its timeout) starts with its first batch
                    state.started = time.monotonic()
                    if state.job.timeout:
                        state.deadline = state.started + state.job.timeout
                    if self._on_start is not None:
                        self._safe_callback(self._on_start, state.job, None)
                batch = state.queued.pop(0)
                state.in_flight += 1
                self.free -= need
                self._pool.submit(self._run_batch, state, batch, need)
            if self.free <= 0:
                break

    def _about_to_start(self) -> tuple[float, int] | None:
        """The start order of the first hook that is being prepared, or that a hook now
        finishing releases (it waits for that one alone)."""
        first: tuple[float, int] | None = None
        for state in self._states.values():
            if state.outcome is not None:
                continue
            if state.preparing:
                candidates = [state]
            elif state.finishing:
                after = (self._states.get(e.after) for e in self.plan.successors(state.job.key))
                candidates = [s for s in after if s is not None and s.waiting_on == 1]
            else:
                continue
            for s in candidates:
                if first is None or (-s.rank, s.order) < first:
                    first = (-s.rank, s.order)
        return first

    def _run_batch(self, state: _State, batch: Batch, need: int) -> None:
        try:
            result = run_batch(state.job, batch, self.ctx, state.deadline)
        except Exception as exc:
            result = BatchResult(batch.argv, None, f"internal error: {exc!r}\n".encode(), 0.0)
        with self._cond:
            self.free += need
            state.in_flight -= 1
            state.job.results.append(result)
            if result.timed_out or self._closed:
                state.queued.clear()  # the hook's time is up: its other batches don't start
            elif not batch.helper and state.queued and state.queued[0].helper:
                # its helper's part found no free job slot while this process did its own:
                # it runs here, on the slot just freed, rather than wait for another
                taken = take_back(state.job, self.ctx)
                if taken is not None:
                    state.queued[0] = taken
            if not state.queued and state.in_flight == 0 and not state.finishing:
                state.finishing = True
                self._pool.submit(self._finish, state)
            self._cond.notify_all()

    def _finish(self, state: _State) -> None:
        end = time.monotonic()
        started = state.started if state.started is not None else end
        try:
            outcome = finish(state.job, self.ctx, started, end)
        except Exception as exc:
            outcome = HookOutcome(Status.ERROR, reason=f"internal error finishing hook: {exc!r}")
        if (
            self._closed
            and outcome.status is Status.FAILED
            and any(r.returncode is None for r in outcome.batches)
        ):
            outcome = HookOutcome(
                Status.SKIPPED, reason=f"stopped: {self.stop_reason}", batches=outcome.batches
            )
        with self._cond:
            self._settle(state, outcome, failed=outcome.status.is_failure)
            self._cond.notify_all()

    def _settle(self, state: _State, outcome: HookOutcome, *, failed: bool = False) -> None:
        """Record an outcome (lock held) and release the hooks that waited on it."""
        state.outcome = outcome
        if failed:
            self._failed.add(state.job.key)
        for edge in self.plan.successors(state.job.key):
            if edge.after in self._states:
                self._states[edge.after].waiting_on -= 1
        counts_as_failure = outcome.status in (
            Status.FAILED,
            Status.MODIFIED,
            Status.TIMEOUT,
            Status.ERROR,
        )
        stops = counts_as_failure and (self.fail_fast or state.job.hook.fail_fast)
        if stops and (self.stop_reason is None or state.order < self._stop_order):
            self.stop_reason = f"fail_fast: hook {state.job.hook.id!r} did not pass"
            self._stop_order = state.order
        if self._on_finish is not None:
            self._safe_callback(self._on_finish, state.job, outcome)

    def _skip_unstarted(self, reason: str) -> None:
        """After shutdown: every hook with nothing in flight is settled as skipped."""
        for state in self._states.values():
            idle = not (state.preparing or state.finishing or state.in_flight)
            if state.outcome is None and idle:
                state.queued.clear()
                self._settle(state, HookOutcome(Status.SKIPPED, reason=f"stopped: {reason}"))

    def _safe_callback(
        self, callback: HookCallback, job: HookJob, outcome: HookOutcome | None
    ) -> None:
        def call() -> None:
            with contextlib.suppress(Exception):  # an observer must never break the run
                callback(job, outcome)

        with contextlib.suppress(RuntimeError):  # after shutdown: nobody is listening
            self._events.submit(call)
