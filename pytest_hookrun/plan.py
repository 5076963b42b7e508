"""The scheduling DAG: which hook must finish before which may start.

Pure code (stdlib only), so it is tested with plain data and hypothesis.

The promise (DESIGN.md, "Scheduling"): running the plan in parallel gives the
same files and the same pass/fail as running the hooks one at a time in
*reference order*.  Hook A must finish before hook B starts when A comes first
in reference order and (1) their file sets overlap and one of them may write,
(2) A's id is in B's ``depends_on``, (3) both have explicit priorities and A's
is lower, or (4) ``serial`` is on and B directly follows A.

Reference order: pre-commit's sort by (effective priority, position), where a
hook without an explicit priority uses its position (prek).  ``depends_on`` may
name a hook that comes later in that sort; the dependency must still run first,
so the reference order is the *lexicographically smallest topological order*:
among the hooks whose dependencies (and lower explicit priorities) have all been
placed, the one with the smallest (effective priority, position) goes next.
Without ``depends_on`` this is exactly the plain sort.  A hook that depends on a
later hook is therefore moved down to just after it (its dependency is not
pulled up).  A ``depends_on`` cycle, or a ``depends_on`` chain that contradicts
two explicit priorities (the lower one would have to run after the higher), is
a :class:`PlanError`.
"""

from __future__ import annotations

import enum
import heapq
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Final, Literal

__all__ = [
    "ALL_FILES",
    "ALL_FILES_EXAMPLE",
    "AllFiles",
    "Edge",
    "Plan",
    "PlanError",
    "PlanHook",
    "Reason",
    "Schedule",
    "ScheduledHook",
    "build_plan",
    "is_read_only_id",
    "known_read_only_ids",
]


class AllFiles(enum.Enum):
    """Type of :data:`ALL_FILES` (a one-member enum, so type checkers narrow ``is``)."""

    ALL_FILES = "<all files>"

    def __repr__(self) -> str:
        return "ALL_FILES"


ALL_FILES: Final = AllFiles.ALL_FILES
"""A hook that touches every file: ``pass_filenames: false`` or ``always_run: true``."""

ALL_FILES_EXAMPLE: Final = "<all files>"
"""The ``example`` of a conflict edge between two :data:`ALL_FILES` hooks."""

Reason = Literal["conflict", "depends_on", "priority", "serial"]


class PlanError(Exception):
    """The hooks cannot be ordered; the message is one line naming the culprits."""


@dataclass(frozen=True)
class PlanHook:
    """What the planner needs to know about one hook item."""

    key: str
    hook_id: str
    position: int
    priority: int | None
    depends_on: tuple[str, ...]
    files: frozenset[str] | AllFiles
    read_only: bool
    weight: int = 1
    duration: float | None = None

    @property
    def effective_priority(self) -> int:
        """The explicit priority, else the position (as prek does)."""
        return self.position if self.priority is None else self.priority


@dataclass(frozen=True)
class Edge:
    """``before`` must finish before ``after`` starts, and why."""

    before: str
    after: str
    reason: Reason
    example: str | None = None


@dataclass(frozen=True)
class ScheduledHook:
    """One hook in a simulated run."""

    key: str
    start: float
    finish: float
    tokens: int


@dataclass(frozen=True)
class Schedule:
    """A simulated eager run of a plan: what the executor can at best achieve."""

    jobs: int | None
    entries: tuple[ScheduledHook, ...]

    @property
    def start(self) -> dict[str, float]:
        return {e.key: e.start for e in self.entries}

    @property
    def finish(self) -> dict[str, float]:
        return {e.key: e.finish for e in self.entries}

    @property
    def makespan(self) -> float:
        """Wall time of the whole run."""
        return max((e.finish for e in self.entries), default=0.0)

    @property
    def total_work(self) -> float:
        """Sum of the hooks' durations: the wall time of a one-at-a-time run."""
        return sum(e.finish - e.start for e in self.entries)

    @property
    def max_parallelism(self) -> int:
        """Most hooks running at one instant."""
        return self._peak(lambda e: 1)

    @property
    def max_tokens(self) -> int:
        """Most job tokens held at one instant."""
        return self._peak(lambda e: e.tokens)

    @property
    def average_parallelism(self) -> float:
        """Hooks running on average over the run (total work / makespan)."""
        makespan = self.makespan
        if makespan <= 0:
            return 1.0 if self.entries else 0.0
        return self.total_work / makespan

    def _peak(self, amount: Callable[[ScheduledHook], int]) -> int:
        # Ends sort before starts at the same instant: back-to-back hooks do not overlap.
        events = sorted(
            (t, sign * amount(e))
            for e in self.entries
            if e.finish > e.start
            for t, sign in ((e.start, 1), (e.finish, -1))
        )
        peak = current = 0
        for _, delta in events:
            current += delta
            peak = max(peak, current)
        if not peak and self.entries:
            return max(amount(e) for e in self.entries)  # only instantaneous hooks
        return peak


@dataclass(frozen=True)
class Plan:
    """Hooks in reference order plus the edges needed to keep the promise.

    ``edges`` is transitively reduced, except that every ``depends_on`` edge is kept
    (they also carry skip semantics): ``predecessors(key)`` filtered on
    ``reason == "depends_on"`` gives a hook's direct dependencies.
    """

    hooks: tuple[PlanHook, ...]
    edges: tuple[Edge, ...]
    default_duration: float = 1.0
    _index: dict[str, int] = field(init=False, repr=False, compare=False)
    _preds: list[list[Edge]] = field(init=False, repr=False, compare=False)
    _succs: list[list[Edge]] = field(init=False, repr=False, compare=False)
    _bottom: list[float] = field(init=False, repr=False, compare=False)
    _cache: dict[str, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, int] = {}
        for i, hook in enumerate(self.hooks):
            if index.setdefault(hook.key, i) != i:
                raise PlanError(f"duplicate hook key: {hook.key}")
        preds: list[list[Edge]] = [[] for _ in self.hooks]
        succs: list[list[Edge]] = [[] for _ in self.hooks]
        for edge in self.edges:
            a, b = index[edge.before], index[edge.after]
            if a >= b:
                raise PlanError(f"edge against reference order: {edge.before} -> {edge.after}")
            succs[a].append(edge)
            preds[b].append(edge)
        # Longest path from each hook to the end, its own duration included.
        bottom = [0.0] * len(self.hooks)
        for i in range(len(self.hooks) - 1, -1, -1):
            tail = max((bottom[index[e.after]] for e in succs[i]), default=0.0)
            bottom[i] = self._duration_of(self.hooks[i]) + tail
        for name, value in (
            ("_index", index),
            ("_preds", preds),
            ("_succs", succs),
            ("_bottom", bottom),
            ("_cache", {}),
        ):
            object.__setattr__(self, name, value)

    # -- lookups --------------------------------------------------------------

    @property
    def keys(self) -> tuple[str, ...]:
        """Hook keys in reference order: the order items run and report in."""
        return tuple(h.key for h in self.hooks)

    def index(self, key: str) -> int:
        """Position of ``key`` in reference order."""
        return self._index[key]

    def hook(self, key: str) -> PlanHook:
        return self.hooks[self._index[key]]

    def predecessors(self, key: str) -> tuple[Edge, ...]:
        """Edges into ``key``: what must finish before it starts."""
        return tuple(self._preds[self._index[key]])

    def successors(self, key: str) -> tuple[Edge, ...]:
        """Edges out of ``key``: what waits for it."""
        return tuple(self._succs[self._index[key]])

    def dependents(self, key: str) -> set[str]:
        """Hooks to skip when ``key`` fails or times out: its transitive depends_on chain.

        Only ``depends_on`` edges count: a hook that merely shares files still runs.
        A skipped hook's dependents are skipped too, since it did not succeed.
        """
        return self._reachable(key, only="depends_on")

    def descendants(self, key: str) -> set[str]:
        """Every hook that waits for ``key``, directly or through others."""
        return self._reachable(key)

    def _reachable(self, key: str, only: str | None = None) -> set[str]:
        seen: set[str] = set()
        todo = [key]
        while todo:
            for edge in self._succs[self._index[todo.pop()]]:
                if (only is None or edge.reason == only) and edge.after not in seen:
                    seen.add(edge.after)
                    todo.append(edge.after)
        return seen

    # -- durations, critical path, statistics ----------------------------------

    def _duration_of(self, hook: PlanHook) -> float:
        return self.default_duration if hook.duration is None else hook.duration

    def duration(self, key: str) -> float:
        """Expected duration: the last run's, else ``default_duration``."""
        return self._duration_of(self.hook(key))

    def remaining_path(self, key: str) -> float:
        """Longest path from the start of ``key`` to the end of the plan, in seconds.

        The executor starts the ready hook with the longest remaining path first.
        """
        return self._bottom[self._index[key]]

    @property
    def total_work(self) -> float:
        """Sum of expected durations: the wall time of a one-at-a-time run."""
        return sum(self._duration_of(h) for h in self.hooks)

    @property
    def critical_path_length(self) -> float:
        """Lower bound of the wall time, whatever the number of jobs."""
        return max(self._bottom, default=0.0)

    @property
    def critical_path(self) -> tuple[str, ...]:
        """The longest chain of hooks (ties go to the earlier hook)."""
        if not self.hooks:
            return ()
        bottom = self._bottom
        current = max(range(len(self.hooks)), key=lambda i: (bottom[i], -i))
        path = [current]
        while self._succs[current]:
            nxt = [self._index[e.after] for e in self._succs[current]]
            current = max(nxt, key=lambda i: (bottom[i], -i))
            path.append(current)
        return tuple(self.hooks[i].key for i in path)

    def simulate(self, jobs: int | None = None) -> Schedule:
        """An ideal eager run with ``jobs`` tokens (None: unlimited), expected durations.

        Whenever tokens are free, ready hooks start longest-remaining-path first
        (ties in reference order); one that needs more tokens than are free is
        passed over for smaller ones (eager backfill).  A hook's weight is capped
        at ``jobs``, so a heavy hook still runs alone on a small budget.
        """
        if jobs is None and "unlimited" in self._cache:
            cached: Schedule = self._cache["unlimited"]
            return cached
        if jobs is not None and jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {jobs}")
        hooks, index, bottom = self.hooks, self._index, self._bottom
        waiting = [len(p) for p in self._preds]
        ready = [(-bottom[i], i) for i in range(len(hooks)) if not waiting[i]]
        heapq.heapify(ready)
        running: list[tuple[float, int]] = []
        free = jobs
        now = 0.0
        entries: list[ScheduledHook] = []
        tokens = [0] * len(hooks)
        while ready or running:
            passed: list[tuple[float, int]] = []
            while ready and (free is None or free > 0):
                item = heapq.heappop(ready)
                i = item[1]
                need = 1 if jobs is None else min(max(hooks[i].weight, 1), jobs)
                if free is not None:
                    if need > free:
                        passed.append(item)
                        continue
                    free -= need
                tokens[i] = need
                finish = now + self._duration_of(hooks[i])
                entries.append(ScheduledHook(hooks[i].key, now, finish, need))
                heapq.heappush(running, (finish, i))
            for item in passed:
                heapq.heappush(ready, item)
            now, i = heapq.heappop(running)
            done = [i]
            while running and running[0][0] == now:
                done.append(heapq.heappop(running)[1])
            for i in done:
                if free is not None:
                    free += tokens[i]
                for edge in self._succs[i]:
                    j = index[edge.after]
                    waiting[j] -= 1
                    if not waiting[j]:
                        heapq.heappush(ready, (-bottom[j], j))
        schedule = Schedule(jobs, tuple(entries))
        if jobs is None:
            self._cache["unlimited"] = schedule
        return schedule

    @property
    def max_parallelism(self) -> int:
        """Most hooks at once in an eager run with unlimited tokens."""
        return self.simulate().max_parallelism

    @property
    def average_parallelism(self) -> float:
        """Total work / critical path: the ideal speedup with unlimited tokens."""
        return self.simulate().average_parallelism

    def predicted_speedup(self, jobs: int | None = None) -> float:
        """One-at-a-time wall time divided by the simulated wall time with ``jobs``."""
        makespan = self.simulate(jobs).makespan
        return self.total_work / makespan if makespan > 0 else 1.0

    # -- output forms for --hooks-plan -------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable description (file sets as counts, not lists)."""
        return {
            "hooks": [
                {
                    "key": h.key,
                    "hook_id": h.hook_id,
                    "position": h.position,
                    "priority": h.priority,
                    "effective_priority": h.effective_priority,
                    "depends_on": list(h.depends_on),
                    "all_files": h.files is ALL_FILES,
                    "file_count": None if h.files is ALL_FILES else len(h.files),
                    "read_only": h.read_only,
                    "weight": h.weight,
                    "duration": h.duration,
                    "expected_duration": self._duration_of(h),
                    "remaining_path": self._bottom[i],
                }
                for i, h in enumerate(self.hooks)
            ],
            "edges": [
                {"before": e.before, "after": e.after, "reason": e.reason, "example": e.example}
                for e in self.edges
            ],
            "critical_path": list(self.critical_path),
            "critical_path_length": self.critical_path_length,
            "total_work": self.total_work,
            "max_parallelism": self.max_parallelism,
            "average_parallelism": self.average_parallelism,
            "default_duration": self.default_duration,
        }

    def to_text(self) -> str:
        """Human-readable plan: hooks in reference order, each with what it waits for."""
        lines = [
            f"hooks plan: {_plural(len(self.hooks), 'hook')}, {_plural(len(self.edges), 'edge')}"
            f", total work {self.total_work:.1f}s"
            f", critical path {self.critical_path_length:.1f}s"
            f", ideal speedup {self.average_parallelism:.2f}x"
            f", max parallelism {self.max_parallelism}",
        ]
        if self.hooks:
            lines.append("critical path: " + " -> ".join(self.critical_path))
        width = len(str(len(self.hooks)))
        for i, h in enumerate(self.hooks, 1):
            files = "all files" if h.files is ALL_FILES else _plural(len(h.files), "file")
            facts = [f"id {h.hook_id}"]
            if h.priority is not None:
                facts.append(f"priority {h.priority}")
            facts += [files, "read-only" if h.read_only else "may write"]
            if h.weight != 1:
                facts.append(f"weight {h.weight}")
            expected = "?" if h.duration is None else f"{h.duration:.1f}s"
            facts.append(f"duration {expected}")
            lines.append(f"{i:>{width}}. {h.key}  [{', '.join(facts)}]")
            preds = self._preds[i - 1]
            if preds:
                waits = ", ".join(
                    f"{e.before} ({e.reason}: {e.example})"
                    if e.example is not None
                    else f"{e.before} ({e.reason})"
                    for e in preds
                )
                lines.append(f"{'':>{width}}   after {waits}")
        return "\n".join(lines)

    def to_mermaid(self) -> str:
        """A mermaid ``graph TD``; node ids are indices, labels the keys, edges the reasons."""
        lines = ["graph TD"]
        for i, h in enumerate(self.hooks):
            lines.append(f'    h{i}["{_mermaid_text(h.key)}"]')
        for e in self.edges:
            lines.append(f"    h{self._index[e.before]} -->|{e.reason}| h{self._index[e.after]}")
        return "\n".join(lines)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _mermaid_text(text: str) -> str:
    return (
        text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    )


# -- building the plan -------------------------------------------------------------


def build_plan(
    hooks: Sequence[PlanHook], *, serial: bool = False, default_duration: float = 1.0
) -> Plan:
    """Order ``hooks`` (reference order) and keep only the edges the promise needs.

    ``depends_on`` ids that name no hook here are ignored (the hook may be
    deselected); an id shared by several hooks means all of them.

    The edges are the transitive reduction, built directly: hooks are visited in
    reference order with a bitset of each one's ancestors; for hook h, earlier
    hooks are scanned from the nearest back, and only those not already ancestors
    are tested (for a conflict) at all.  Dense conflicts thus cost few set tests,
    and a test costs little when the sets overlap (``isdisjoint`` stops at the
    first shared file).  Hooks whose files are linked by no chain of overlaps (a
    YAML checker, a Python formatter) are split into components up front, so
    they are never tested against each other.  Every ``depends_on`` edge is kept,
    even when implied, because the executor skips dependents through them.
    """
    hooks = tuple(hooks)
    _check(hooks, default_duration)
    ranked = tuple(hooks[i] for i in _reference_order(hooks))
    n = len(ranked)
    by_id: dict[str, list[int]] = {}
    for i, item in enumerate(ranked):
        by_id.setdefault(item.hook_id, []).append(i)

    # Bitmasks over ranks.
    writers = all_files = 0
    for i, item in enumerate(ranked):
        if not item.read_only:
            writers |= 1 << i
        if item.files is ALL_FILES:
            all_files |= 1 << i
    component = _components(ranked)
    same_component: dict[int, int] = {}
    for i, c in enumerate(component):
        if c >= 0:
            same_component[c] = same_component.get(c, 0) | 1 << i
    touching = all_files
    for mask in same_component.values():
        touching |= mask
    # Explicit priorities: a hook waits for the whole next-lower level (a barrier);
    # lower levels are then ancestors through it.
    levels: dict[int, int] = {}
    for i, item in enumerate(ranked):
        if item.priority is not None:
            levels[item.priority] = levels.get(item.priority, 0) | 1 << i
    lower_level = {p: levels[q] for q, p in itertools.pairwise(sorted(levels))}

    ancestors = [0] * n
    found: list[tuple[int, int, Reason]] = []
    for h, hook in enumerate(ranked):
        known = 0
        for g in sorted({g for dep_id in hook.depends_on for g in by_id.get(dep_id, ())}):
            found.append((g, h, "depends_on"))  # g < h: the reference order is topological
            known |= ancestors[g] | 1 << g
        barrier = 0 if hook.priority is None else lower_level.get(hook.priority, 0)
        required = barrier | (1 << (h - 1) if serial and h else 0)
        if hook.files is ALL_FILES:
            may_conflict = touching
        elif hook.files:
            may_conflict = same_component[component[h]] | all_files
        else:
            may_conflict = 0
        if hook.read_only:
            may_conflict &= writers
        todo = (required | may_conflict) & ((1 << h) - 1) & ~known
        while todo:
            g = todo.bit_length() - 1
            bit = 1 << g
            if may_conflict & bit and _overlap(ranked[g].files, hook.files):
                reason: Reason = "conflict"
            elif barrier & bit:
                reason = "priority"
            elif required & bit:
                reason = "serial"
            else:
                todo ^= bit
                continue
            found.append((g, h, reason))
            known |= ancestors[g] | bit
            todo &= ~known
        ancestors[h] = known
    found.sort()
    edges = tuple(
        Edge(
            ranked[a].key,
            ranked[b].key,
            reason,
            _example(ranked[a], ranked[b]) if reason == "conflict" else None,
        )
        for a, b, reason in found
    )
    return Plan(ranked, edges, default_duration)


def _overlap(a: frozenset[str] | AllFiles, b: frozenset[str] | AllFiles) -> bool:
    """Whether two non-empty file sets share a file."""
    if a is ALL_FILES or b is ALL_FILES:
        return True
    return not a.isdisjoint(b)


def _components(ranked: Sequence[PlanHook]) -> list[int]:
    """Component of each hook's files under "shares a file"; -1: all files or none.

    Hooks in different components never conflict, so they are never tested.
    """
    blocks: list[tuple[set[str], list[int]]] = []
    for i, hook in enumerate(ranked):
        files = hook.files
        if files is ALL_FILES or not files:
            continue
        hit = [block for block in blocks if not block[0].isdisjoint(files)]
        if not hit:
            blocks.append((set(files), [i]))
            continue
        hit.sort(key=lambda block: len(block[0]), reverse=True)
        union, members = hit[0]
        union.update(files)
        members.append(i)
        if len(hit) > 1:
            for other_files, other_members in hit[1:]:
                union.update(other_files)
                members.extend(other_members)
            merged = {id(block) for block in hit[1:]}
            blocks = [block for block in blocks if id(block) not in merged]
    component = [-1] * len(ranked)
    for c, (_, members) in enumerate(blocks):
        for i in members:
            component[i] = c
    return component


def _check(hooks: Sequence[PlanHook], default_duration: float) -> None:
    if default_duration < 0:
        raise PlanError(f"default_duration must not be negative: {default_duration}")
    keys: set[str] = set()
    for h in hooks:
        if h.key in keys:
            raise PlanError(f"duplicate hook key: {h.key}")
        keys.add(h.key)
        if h.weight < 1:
            raise PlanError(f"hook {h.key}: weight must be at least 1, not {h.weight}")
        if h.duration is not None and h.duration < 0:
            raise PlanError(f"hook {h.key}: duration must not be negative: {h.duration}")


def _reference_order(hooks: Sequence[PlanHook]) -> list[int]:
    """Indices of ``hooks`` in reference order (see the module docstring).

    Explicit priorities are constraints too, through one barrier node per
    priority value (linear, not quadratic): barrier k follows every hook of the
    k-th lowest priority and precedes every hook of the next one.
    """
    n = len(hooks)
    by_id: dict[str, list[int]] = {}
    for i, h in enumerate(hooks):
        by_id.setdefault(h.hook_id, []).append(i)
    values = sorted({h.priority for h in hooks if h.priority is not None})
    level = {p: k for k, p in enumerate(values)}
    # preds[v]: what v must run after; hooks are 0..n-1, barriers n..n+len(values)-1.
    preds: list[list[int]] = [[] for _ in range(n + len(values))]
    for j, h in enumerate(hooks):
        for dep_id in dict.fromkeys(h.depends_on):
            preds[j].extend(by_id.get(dep_id, ()))
        if h.priority is not None:
            k = level[h.priority]
            preds[n + k].append(j)
            if k:
                preds[j].append(n + k - 1)
    succs: list[list[int]] = [[] for _ in preds]
    for v, ps in enumerate(preds):
        for p in ps:
            succs[p].append(v)

    def sort_key(i: int) -> tuple[int, int, int]:
        return (hooks[i].effective_priority, hooks[i].position, i)

    waiting = [len(ps) for ps in preds]
    ready = [(sort_key(i), i) for i in range(n) if not waiting[i]]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        _, i = heapq.heappop(ready)
        order.append(i)
        todo = [i]
        while todo:
            for w in succs[todo.pop()]:
                waiting[w] -= 1
                if not waiting[w]:
                    if w >= n:
                        todo.append(w)  # a barrier opens at once: it is not a hook
                    else:
                        heapq.heappush(ready, (sort_key(w), w))
    if len(order) < n:
        raise PlanError(_cycle_message(hooks, preds))
    return order


def _cycle_message(hooks: Sequence[PlanHook], preds: list[list[int]]) -> str:
    """One line naming a cycle; a pure depends_on cycle is preferred if there is one."""
    n = len(hooks)
    dep_only = [[p for p in ps if p < n] for ps in preds[:n]]
    cycle = _find_cycle(dep_only, n)
    if cycle is not None:
        names = [hooks[i].hook_id for i in cycle]
        return "depends_on cycle: " + " -> ".join([*names, names[0]])
    cycle = _find_cycle(preds, n)
    assert cycle is not None, "Kahn left nodes, so there is a cycle"
    # Render hooks only; a step through barrier nodes is a priority step.
    text = hooks[cycle[0]].hook_id
    previous, via_barrier = cycle[0], False
    for v in [*cycle[1:], cycle[0]]:
        if v >= n:
            via_barrier = True
            continue
        a, b = hooks[previous], hooks[v]
        if via_barrier:
            text += f" -(priority {a.priority} > {b.priority})-> {b.hook_id}"
        else:
            text += f" -> {b.hook_id}"
        previous, via_barrier = v, False
    return f"depends_on contradicts priority: {text}"


def _find_cycle(preds: list[list[int]], n_hooks: int) -> list[int] | None:
    """A cycle in the must-run-after graph ``preds`` (each step: runs after), or None."""
    waiting = [len(ps) for ps in preds]
    succs: list[list[int]] = [[] for _ in preds]
    for v, ps in enumerate(preds):
        for p in ps:
            succs[p].append(v)
    todo = [v for v, w in enumerate(waiting) if not w]
    while todo:
        for w in succs[todo.pop()]:
            waiting[w] -= 1
            if not waiting[w]:
                todo.append(w)
    left = {v for v, w in enumerate(waiting) if w}
    if not left:
        return None
    # Every node left runs after some other node left: walking back must loop.
    v = min(left)
    seen: dict[int, int] = {}
    path: list[int] = []
    while v not in seen:
        seen[v] = len(path)
        path.append(v)
        v = next(p for p in preds[v] if p in left)
    cycle = path[seen[v] :]
    start = cycle.index(min(i for i in cycle if i < n_hooks))
    return cycle[start:] + cycle[:start]


def _example(a: PlanHook, b: PlanHook) -> str:
    """A shared file, the smallest so the plan prints the same on every run."""
    if a.files is ALL_FILES:
        return ALL_FILES_EXAMPLE if b.files is ALL_FILES else min(b.files)
    if b.files is ALL_FILES:
        return min(a.files)
    return min(a.files & b.files)


# -- known read-only hook ids ---------------------------------------------------------

# Flags that make a checker write (or a formatter write in place).  Deliberately
# generic and conservative: a false "writes" only costs parallelism, a false
# "read-only" could race two hooks on one file.
_WRITE_FLAGS: Final = frozenset(
    {
        "--fix",
        "--fix-only",
        "--unsafe-fixes",
        "--autofix",
        "--write",
        "--write-changes",
        "-w",
        "--in-place",
        "--inplace",
        "-i",
    }
)


@lru_cache(maxsize=1)
def known_read_only_ids() -> frozenset[str]:
    """Hook ids from ``readonly_hooks.txt`` (one per line, ``#`` comments)."""
    text = resources.files(__package__ or "pytest_hookrun").joinpath("readonly_hooks.txt")
    ids = (line.split("#", 1)[0].strip() for line in text.read_text("utf-8").splitlines())
    return frozenset(i for i in ids if i)


def is_read_only_id(hook_id: str, args: Sequence[str]) -> bool:
    """Whether a hook with this id and these effective args is known never to write.

    ``args`` are the args the hook runs with (the config's, else the manifest's):
    a listed checker given a writing flag (``--fix``, ``-w``, ``--fix=...``) may write.
    """
    if hook_id not in known_read_only_ids():
        return False
    return not has_write_flag(args)


def has_write_flag(args: Sequence[str]) -> bool:
    """Whether ``args`` hold a flag that makes a checker write (``--fix``, ``-w``, ...)."""
    return any(arg.split("=", 1)[0] in _WRITE_FLAGS for arg in args)
