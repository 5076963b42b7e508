"""Tests of the scheduling DAG (pytest_hookrun.plan): plain data, no git, no processes."""

from __future__ import annotations

import ast
import itertools
import json
import random
import re
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_hookrun import plan as plan_module
from pytest_hookrun.plan import (
    ALL_FILES,
    ALL_FILES_EXAMPLE,
    AllFiles,
    Edge,
    Plan,
    PlanError,
    PlanHook,
    build_plan,
    is_read_only_id,
    known_read_only_ids,
)

FileSet = frozenset[str] | AllFiles


def hook(
    key: str,
    position: int,
    files: Iterable[str] | AllFiles = (),
    *,
    hook_id: str | None = None,
    priority: int | None = None,
    depends_on: Sequence[str] = (),
    read_only: bool = False,
    weight: int = 1,
    duration: float | None = None,
) -> PlanHook:
    return PlanHook(
        key=key,
        hook_id=key if hook_id is None else hook_id,
        position=position,
        priority=priority,
        depends_on=tuple(depends_on),
        files=files if isinstance(files, AllFiles) else frozenset(files),
        read_only=read_only,
        weight=weight,
        duration=duration,
    )


def edge_set(plan: Plan) -> set[tuple[str, str, str]]:
    return {(e.before, e.after, e.reason) for e in plan.edges}


# -- reference order --------------------------------------------------------------


def test_reference_order_is_priority_then_position() -> None:
    hooks = [
        hook("a", 0, priority=5),
        hook("b", 1),  # effective priority 1
        hook("c", 2, priority=0),
        hook("d", 3),  # effective priority 3
        hook("e", 4, priority=3),  # ties with d's position: position decides
    ]
    assert build_plan(hooks).keys == ("c", "b", "d", "e", "a")


def test_reference_order_does_not_depend_on_input_order() -> None:
    hooks = [hook(k, i) for i, k in enumerate("abcde")]
    assert build_plan(list(reversed(hooks))).keys == ("a", "b", "c", "d", "e")


def test_depends_on_a_later_hook_moves_the_dependent_after_it() -> None:
    hooks = [hook("a", 0, depends_on=["c"]), hook("b", 1), hook("c", 2), hook("d", 3)]
    plan = build_plan(hooks)
    assert plan.keys == ("b", "c", "a", "d")
    assert edge_set(plan) == {("c", "a", "depends_on")}


def test_empty_plan() -> None:
    plan = build_plan([])
    assert plan.hooks == () and plan.edges == ()
    assert plan.critical_path == () and plan.critical_path_length == 0.0
    assert plan.total_work == 0.0 and plan.predicted_speedup(4) == 1.0
    assert json.dumps(plan.to_json())
    assert plan.to_mermaid() == "graph TD"
    assert plan.to_text().startswith("hooks plan: 0 hooks")


# -- rule 1: conflicts ------------------------------------------------------------


def test_two_writers_of_one_file_conflict_with_example() -> None:
    plan = build_plan([hook("a", 0, ["z.py", "x.py", "y.py"]), hook("b", 1, ["y.py", "x.py"])])
    assert plan.edges == (Edge("a", "b", "conflict", "x.py"),)


def test_reader_and_writer_conflict_both_ways() -> None:
    plan = build_plan(
        [
            hook("r1", 0, ["x"], read_only=True),
            hook("w", 1, ["x"]),
            hook("r2", 2, ["x"], read_only=True),
        ]
    )
    assert edge_set(plan) == {("r1", "w", "conflict"), ("w", "r2", "conflict")}


def test_readers_share_files() -> None:
    plan = build_plan([hook("a", 0, ["x"], read_only=True), hook("b", 1, ["x"], read_only=True)])
    assert plan.edges == ()
    assert plan.max_parallelism == 2


def test_disjoint_writers_run_together() -> None:
    plan = build_plan([hook("a", 0, ["x"]), hook("b", 1, ["y"]), hook("c", 2, [])])
    assert plan.edges == ()


def test_all_files_conflicts_with_every_non_empty_hook() -> None:
    plan = build_plan(
        [
            hook("a", 0, ["b.py", "a.py"], read_only=True),
            hook("all", 1, ALL_FILES),
            hook("empty", 2, []),
            hook("c", 3, ["c.py"]),
        ]
    )
    assert plan.edges == (
        Edge("a", "all", "conflict", "a.py"),
        Edge("all", "c", "conflict", "c.py"),
    )


def test_two_all_files_hooks() -> None:
    plan = build_plan([hook("a", 0, ALL_FILES), hook("b", 1, ALL_FILES)])
    assert plan.edges == (Edge("a", "b", "conflict", ALL_FILES_EXAMPLE),)
    readers = build_plan(
        [hook("a", 0, ALL_FILES, read_only=True), hook("b", 1, ALL_FILES, read_only=True)]
    )
    assert readers.edges == ()


def test_redundant_conflicts_are_dropped() -> None:
    plan = build_plan([hook("a", 0, ["x"]), hook("b", 1, ["x"]), hook("c", 2, ["x"])])
    assert edge_set(plan) == {("a", "b", "conflict"), ("b", "c", "conflict")}


def test_read_write_lock_chain() -> None:
    plan = build_plan(
        [
            hook("w1", 0, ["x"]),
            hook("r1", 1, ["x"], read_only=True),
            hook("r2", 2, ["x"], read_only=True),
            hook("w2", 3, ["x"]),
        ]
    )
    assert edge_set(plan) == {
        ("w1", "r1", "conflict"),
        ("w1", "r2", "conflict"),
        ("r1", "w2", "conflict"),
        ("r2", "w2", "conflict"),
    }


# -- rule 2: depends_on -----------------------------------------------------------


def test_depends_on_edge_without_shared_files() -> None:
    plan = build_plan([hook("a", 0, ["x"]), hook("b", 1, ["y"], depends_on=["a"])])
    assert plan.edges == (Edge("a", "b", "depends_on", None),)


def test_depends_on_unknown_id_is_ignored() -> None:
    plan = build_plan([hook("a", 0, depends_on=["deselected"])])
    assert plan.edges == ()


def test_depends_on_a_repeated_id_means_all_of_them() -> None:
    hooks = [
        hook("fmt-1", 0, ["x"], hook_id="fmt"),
        hook("fmt-2", 1, ["y"], hook_id="fmt"),
        hook("lint", 2, ["z"], depends_on=["fmt"]),
    ]
    assert edge_set(build_plan(hooks)) == {
        ("fmt-1", "lint", "depends_on"),
        ("fmt-2", "lint", "depends_on"),
    }


def test_depends_on_edges_are_kept_even_when_implied() -> None:
    hooks = [hook("a", 0, ["x"]), hook("b", 1, ["x"]), hook("c", 2, ["x"], depends_on=["a"])]
    plan = build_plan(hooks)
    assert edge_set(plan) == {
        ("a", "b", "conflict"),
        ("b", "c", "conflict"),
        ("a", "c", "depends_on"),
    }
    assert plan.dependents("a") == {"c"}


def test_depends_on_wins_over_conflict_as_the_reason() -> None:
    plan = build_plan([hook("a", 0, ["x"]), hook("b", 1, ["x"], depends_on=["a"])])
    assert plan.edges == (Edge("a", "b", "depends_on", None),)


def test_dependents_are_transitive_over_depends_on_only() -> None:
    hooks = [
        hook("a", 0, ["x"]),
        hook("b", 1, depends_on=["a"]),
        hook("c", 2, depends_on=["b"]),
        hook("d", 3, ["x"]),  # only a conflict with a: still runs when a fails
    ]
    plan = build_plan(hooks)
    assert plan.dependents("a") == {"b", "c"}
    assert plan.dependents("c") == set()
    # every kind of edge: what waits for a at all
    assert plan.descendants("a") == {"b", "c", "d"}
    assert plan.descendants("d") == set()
    assert [e.before for e in plan.predecessors("c") if e.reason == "depends_on"] == ["b"]


# -- rule 3: explicit priorities ----------------------------------------------------


def test_explicit_priorities_are_a_barrier() -> None:
    hooks = [
        hook("a", 0, priority=0),
        hook("b", 1, priority=0),
        hook("c", 2, priority=1),
        hook("d", 3, priority=1),
        hook("e", 4, priority=2),
        hook("free", 5),  # no explicit priority: no barrier
    ]
    plan = build_plan(hooks)
    assert edge_set(plan) == {
        ("a", "c", "priority"),
        ("a", "d", "priority"),
        ("b", "c", "priority"),
        ("b", "d", "priority"),
        ("c", "e", "priority"),
        ("d", "e", "priority"),
    }


def test_equal_priorities_run_together() -> None:
    plan = build_plan([hook("a", 0, ["x"], priority=1), hook("b", 1, ["y"], priority=1)])
    assert plan.edges == ()


def test_priority_edge_labelled_conflict_when_files_overlap() -> None:
    plan = build_plan([hook("a", 0, ["x"], priority=0), hook("b", 1, ["x"], priority=1)])
    assert plan.edges == (Edge("a", "b", "conflict", "x"),)


# -- rule 4: serial -----------------------------------------------------------------


def test_serial_chains_consecutive_hooks() -> None:
    hooks = [hook("a", 0, ["x"]), hook("b", 1, ["y"]), hook("c", 2, ["y"]), hook("d", 3)]
    plan = build_plan(hooks, serial=True)
    assert plan.edges == (
        Edge("a", "b", "serial", None),
        Edge("b", "c", "conflict", "y"),
        Edge("c", "d", "serial", None),
    )
    assert plan.max_parallelism == 1
    assert plan.predicted_speedup(8) == 1.0


# -- cycles and bad input -----------------------------------------------------------


@pytest.mark.parametrize(
    ("hooks", "message"),
    [
        (
            [hook("a", 0, depends_on=["b"]), hook("b", 1, depends_on=["a"])],
            "depends_on cycle: a -> b -> a",
        ),
        ([hook("a", 0, depends_on=["a"])], "depends_on cycle: a -> a"),
        (
            [
                hook("x", 0),
                hook("a", 1, depends_on=["b"]),
                hook("b", 2, depends_on=["c"]),
                hook("c", 3, depends_on=["a", "x"]),
            ],
            "depends_on cycle: a -> b -> c -> a",
        ),
        (
            [hook("a1", 0, hook_id="a"), hook("a2", 1, hook_id="a", depends_on=["a"])],
            "depends_on cycle: a -> a",
        ),
        (
            [hook("a", 0, priority=1, depends_on=["b"]), hook("b", 1, priority=5)],
            "depends_on contradicts priority: a -> b -(priority 5 > 1)-> a",
        ),
        (
            [
                hook("a", 0, priority=1, depends_on=["m"]),
                hook("m", 1, depends_on=["b"]),
                hook("b", 2, priority=5),
            ],
            "depends_on contradicts priority: a -> m -> b -(priority 5 > 1)-> a",
        ),
    ],
)
def test_cycles_are_named(hooks: list[PlanHook], message: str) -> None:
    with pytest.raises(PlanError) as info:
        build_plan(hooks)
    assert str(info.value) == message


def test_bad_input() -> None:
    with pytest.raises(PlanError, match="duplicate hook key: a"):
        build_plan([hook("a", 0), hook("a", 1)])
    with pytest.raises(PlanError, match="weight"):
        build_plan([hook("a", 0, weight=0)])
    with pytest.raises(PlanError, match="duration"):
        build_plan([hook("a", 0, duration=-1)])


# -- critical path and statistics ----------------------------------------------------


def diamond() -> Plan:
    """a(2) -> b(3) -> d(1) and a -> c(unknown: 1.5) -> d, plus a lone e(1)."""
    return build_plan(
        [
            hook("a", 0, ["x", "y"], duration=2),
            hook("b", 1, ["x"], duration=3),
            hook("c", 2, ["y"], read_only=True),
            hook("d", 3, ["x", "y"], duration=1),
            hook("e", 4, ["e"], duration=1),
        ],
        default_duration=1.5,
    )


def test_critical_path_on_a_hand_made_example() -> None:
    plan = diamond()
    assert plan.critical_path == ("a", "b", "d")
    assert plan.critical_path_length == 6.0
    assert plan.total_work == 8.5
    assert plan.duration("c") == 1.5
    assert plan.remaining_path("a") == 6.0
    assert plan.remaining_path("c") == 2.5
    assert plan.remaining_path("e") == 1.0
    assert plan.average_parallelism == pytest.approx(8.5 / 6)
    assert plan.max_parallelism == 2  # a with e, then b with c


def test_simulate_unlimited_is_as_soon_as_possible() -> None:
    schedule = diamond().simulate()
    assert schedule.start == {"a": 0, "e": 0, "b": 2, "c": 2, "d": 5}
    assert schedule.makespan == 6.0


def test_simulate_one_job_is_one_at_a_time() -> None:
    plan = diamond()
    schedule = plan.simulate(1)
    assert schedule.makespan == plan.total_work
    assert schedule.max_parallelism == 1
    assert plan.predicted_speedup(1) == 1.0
    # Longest remaining path first: a (6) before e (1), then b (4) before c (2.5).
    assert [e.key for e in schedule.entries] == ["a", "b", "c", "d", "e"]
    assert plan.predicted_speedup(2) == pytest.approx(8.5 / 6)


def test_simulate_honours_weights() -> None:
    hooks = [hook("a", 0, ["a"], weight=2, duration=1), hook("b", 1, ["b"], weight=2, duration=1)]
    plan = build_plan(hooks)
    assert plan.simulate(3).makespan == 2.0
    assert plan.simulate(4).makespan == 1.0
    assert plan.simulate(4).max_tokens == 4
    # A hook heavier than the budget still runs, holding every token.
    heavy = build_plan([hook("a", 0, weight=8, duration=1), hook("b", 1, duration=1)])
    schedule = heavy.simulate(2)
    assert schedule.makespan == 2.0
    assert schedule.entries[0].tokens == 2


def test_simulate_backfills_small_hooks() -> None:
    hooks = [
        hook("big", 0, ["a"], weight=3, duration=1),
        hook("long", 1, ["b"], duration=5),
        hook("small", 2, ["c"], duration=1),
    ]
    schedule = build_plan(hooks).simulate(3)
    # long starts first (longest path); big needs 3 tokens and waits; small backfills.
    assert schedule.start == {"long": 0, "small": 0, "big": 5}


def test_simulate_rejects_no_jobs() -> None:
    with pytest.raises(ValueError, match="jobs"):
        diamond().simulate(0)


# -- output forms --------------------------------------------------------------------


def test_to_json_shape() -> None:
    plan = build_plan([hook("a", 0, ["x"], duration=2), hook("b", 1, ALL_FILES, priority=3)])
    data = plan.to_json()
    assert json.loads(json.dumps(data)) == data
    assert [h["key"] for h in data["hooks"]] == ["a", "b"]
    assert data["hooks"][0]["file_count"] == 1 and data["hooks"][0]["all_files"] is False
    assert data["hooks"][1]["file_count"] is None and data["hooks"][1]["all_files"] is True
    assert data["hooks"][1]["priority"] == 3
    assert data["hooks"][1]["expected_duration"] == 1.0
    assert data["edges"] == [{"before": "a", "after": "b", "reason": "conflict", "example": "x"}]
    assert data["critical_path"] == ["a", "b"]
    assert data["critical_path_length"] == 3.0
    assert data["total_work"] == 3.0
    assert data["max_parallelism"] == 1


def test_to_mermaid_shape() -> None:
    plan = build_plan(
        [hook('q"<x>', 0, ["x"]), hook("b", 1, ["x"], read_only=True), hook("c", 2, ["z"])]
    )
    assert plan.to_mermaid().splitlines() == [
        "graph TD",
        '    h0["q#quot;#lt;x#gt;"]',
        '    h1["b"]',
        '    h2["c"]',
        "    h0 -->|conflict| h1",
    ]


def test_to_text_lists_hooks_and_what_they_wait_for() -> None:
    text = diamond().to_text()
    lines = text.splitlines()
    assert lines[0].startswith("hooks plan: 5 hooks, 4 edges")
    assert lines[1] == "critical path: a -> b -> d"
    assert "after a (conflict: x)" in text
    assert "after b (conflict: x), c (conflict: y)" in text
    assert "duration ?" in text  # c has no known duration


# -- known read-only ids ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("hook_id", "args", "expected"),
    [
        ("check-yaml", [], True),
        ("check-yaml", ["--unsafe"], True),
        ("mypy", ["--strict", "--ignore-missing-imports"], True),
        ("flake8", ["--max-line-length=100"], True),
        ("typos", [], True),
        ("typos", ["--write-changes"], False),  # the upstream manifest's default args
        ("typos", ["-w"], False),
        ("markdownlint", ["--fix"], False),
        ("pretty-format-json", [], True),
        ("pretty-format-json", ["--autofix", "--indent=2"], False),
        ("check-yaml", ["--fix=yes"], False),
        ("ruff", [], False),  # `fix = true` in ruff's own config writes without a flag
        ("ruff-check", [], False),
        ("ruff-format", [], False),
        ("codespell", [], False),
        ("trailing-whitespace", [], False),
        ("mixed-line-ending", ["--fix=no"], False),
        ("my-local-hook", [], False),
    ],
)
def test_is_read_only_id(hook_id: str, args: list[str], expected: bool) -> None:
    assert is_read_only_id(hook_id, args) is expected


def test_read_only_list_is_well_formed() -> None:
    ids = known_read_only_ids()
    assert len(ids) > 40
    assert all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", i) for i in ids)
    assert {"check-yaml", "check-json", "check-toml", "mypy", "flake8", "yamllint"} <= ids


def test_plan_module_is_pure() -> None:
    """plan.py imports the standard library only (no pytest, no subprocess, no package)."""
    tree = ast.parse(Path(plan_module.__file__).read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports"
            names.add((node.module or "").split(".")[0])
    assert names <= set(sys.stdlib_module_names) | {"__future__"}
    assert not names & {"subprocess", "pytest", "pytest_hookrun"}


# -- properties on random hook sets ------------------------------------------------------

UNIVERSE = [f"f{i}" for i in range(6)]
IDS = ["a", "b", "c", "d", "e", "f", "g", "h"]


@st.composite
def hook_sets(draw: st.DrawFn, *, depends_rate: float = 0.08) -> list[PlanHook]:
    n = draw(st.integers(0, 9))
    positions = draw(st.permutations(range(n)))
    hooks = []
    for i in range(n):
        files: FileSet = (
            ALL_FILES
            if draw(st.integers(0, 6)) == 0
            else frozenset(draw(st.lists(st.sampled_from(UNIVERSE), max_size=4)))
        )
        depends: list[str] = []
        if draw(st.floats(0, 1)) < depends_rate:
            depends = draw(st.lists(st.sampled_from([*IDS, "missing"]), min_size=1, max_size=2))
        hooks.append(
            PlanHook(
                key=f"k{i}",
                hook_id=draw(st.sampled_from(IDS)),
                position=positions[i],
                priority=draw(st.one_of(st.none(), st.none(), st.integers(0, 3))),
                depends_on=tuple(depends),
                files=files,
                read_only=draw(st.booleans()),
                weight=draw(st.integers(1, 3)),
                duration=draw(st.sampled_from([None, 0.0, 0.5, 1.0, 2.5, 4.0])),
            )
        )
    return hooks


def conflict(a: PlanHook, b: PlanHook) -> bool:
    if a.read_only and b.read_only:
        return False
    if a.files is ALL_FILES:
        return b.files is ALL_FILES or bool(b.files)
    if b.files is ALL_FILES:
        return bool(a.files)
    return bool(a.files & b.files)


def must_precede(a: PlanHook, b: PlanHook) -> bool:
    """The constraints that fix the order itself: depends_on and explicit priorities."""
    if a.hook_id in b.depends_on:
        return True
    return a.priority is not None and b.priority is not None and a.priority < b.priority


def oracle_order(hooks: Sequence[PlanHook]) -> list[PlanHook] | None:
    """Smallest (priority, position, input index) first among the unconstrained; None: cycle."""
    left = list(range(len(hooks)))
    order: list[PlanHook] = []
    while left:
        free = [i for i in left if not any(must_precede(hooks[j], hooks[i]) for j in left)]
        if not free:
            return None
        best = min(free, key=lambda i: (hooks[i].effective_priority, hooks[i].position, i))
        order.append(hooks[best])
        left.remove(best)
    return order


def closure(plan: Plan, skip: Edge | None = None) -> list[set[int]]:
    """reach[i]: ranks reachable from rank i (optionally without one edge)."""
    n = len(plan.hooks)
    reach: list[set[int]] = [set() for _ in range(n)]
    for i in range(n - 1, -1, -1):
        for e in plan.successors(plan.hooks[i].key):
            if e is skip:
                continue
            j = plan.index(e.after)
            reach[i] |= {j} | reach[j]
    return reach


def check_cycle_message(hooks: Sequence[PlanHook], message: str) -> None:
    prefix, _, chain = message.partition(": ")
    assert prefix in ("depends_on cycle", "depends_on contradicts priority")
    tokens = re.split(r" (->|-\(priority -?\d+ > -?\d+\)->) ", chain)
    names, steps = tokens[::2], tokens[1::2]
    assert names[0] == names[-1], message
    for u, step, v in zip(names, steps, names[1:], strict=False):
        if step == "->":  # u depends on v
            assert any(h.hook_id == u and v in h.depends_on for h in hooks), message
            assert any(h.hook_id == v for h in hooks), message
        else:  # u runs after v because of their explicit priorities
            p, q = map(int, re.findall(r"-?\d+", step))
            assert p > q, message
            assert any(h.hook_id == u and h.priority == p for h in hooks), message
            assert any(h.hook_id == v and h.priority == q for h in hooks), message
    if prefix == "depends_on cycle":
        assert set(steps) == {"->"}


PROPERTY_SETTINGS = settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(hooks=hook_sets(), serial=st.booleans(), data=st.data())
def test_plan_properties(hooks: list[PlanHook], serial: bool, data: st.DataObject) -> None:
    expected_order = oracle_order(hooks)
    if expected_order is None:
        with pytest.raises(PlanError) as info:
            build_plan(hooks, serial=serial)
        check_cycle_message(hooks, str(info.value))
        return
    plan = build_plan(hooks, serial=serial, default_duration=1.25)
    ranked = plan.hooks
    n = len(ranked)

    # Reference order: the oracle's, hence a topological order of depends_on.
    assert [h.key for h in ranked] == [h.key for h in expected_order]
    if not any(must_precede(a, b) for a in hooks for b in hooks if a.hook_id in b.depends_on):
        assert list(ranked) == sorted(hooks, key=lambda h: (h.effective_priority, h.position))

    # Every edge goes forward in reference order (so the DAG is acyclic) and is justified.
    for e in plan.edges:
        a, b = plan.hook(e.before), plan.hook(e.after)
        assert plan.index(e.before) < plan.index(e.after)
        if e.reason == "conflict":
            assert conflict(a, b)
            if a.files is ALL_FILES and b.files is ALL_FILES:
                assert e.example == ALL_FILES_EXAMPLE
            else:
                assert e.example is not None
                assert all(h.files is ALL_FILES or e.example in h.files for h in (a, b))
        elif e.reason == "depends_on":
            assert a.hook_id in b.depends_on and e.example is None
        elif e.reason == "priority":
            assert a.priority is not None and b.priority is not None
            assert a.priority < b.priority
        else:
            assert serial and plan.index(e.after) == plan.index(e.before) + 1
    assert len({(e.before, e.after) for e in plan.edges}) == len(plan.edges)

    # Every pair the promise orders has a path; depends_on pairs have their own edge.
    reach = closure(plan)
    direct = {(e.before, e.after) for e in plan.edges if e.reason == "depends_on"}
    for i in range(n):
        for j in range(i + 1, n):
            a, b = ranked[i], ranked[j]
            if conflict(a, b) or must_precede(a, b) or (serial and j == i + 1):
                assert j in reach[i], (a.key, b.key)
            if a.hook_id in b.depends_on:
                assert (a.key, b.key) in direct
            assert not must_precede(b, a)

    # Only needed edges: none but depends_on is implied by the others.
    for e in plan.edges:
        if e.reason != "depends_on":
            assert plan.index(e.after) not in closure(plan, skip=e)[plan.index(e.before)]

    # dependents: the transitive depends_on relation.
    for a in ranked:
        expected: set[str] = set()
        todo = [a]
        while todo:
            x = todo.pop()
            for b in ranked:
                if x.hook_id in b.depends_on and b.key not in expected:
                    expected.add(b.key)
                    todo.append(b)
        assert plan.dependents(a.key) == expected

    # Critical path: a real path whose length is the longest one.
    def dur(h: PlanHook) -> float:
        return 1.25 if h.duration is None else h.duration

    longest = [0.0] * n
    for i in range(n - 1, -1, -1):
        longest[i] = dur(ranked[i]) + max((longest[j] for j in reach[i]), default=0.0)
        assert plan.remaining_path(ranked[i].key) == pytest.approx(longest[i])
    path = plan.critical_path
    assert plan.critical_path_length == pytest.approx(max(longest, default=0.0))
    assert sum(plan.duration(k) for k in path) == pytest.approx(plan.critical_path_length)
    for u, v in itertools.pairwise(path):
        assert any(e.after == v for e in plan.successors(u))

    # A simulated run keeps the budget and never overlaps ordered hooks.
    jobs = data.draw(st.one_of(st.none(), st.integers(1, 4)), label="jobs")
    schedule = plan.simulate(jobs)
    assert sorted(e.key for e in schedule.entries) == sorted(h.key for h in hooks)
    start, finish = schedule.start, schedule.finish
    for entry in schedule.entries:
        assert entry.finish - entry.start == pytest.approx(plan.duration(entry.key))
        if jobs is not None:
            # Tokens held just after entry starts (an instantaneous hook: while it runs).
            t = entry.start
            running = [
                x
                for x in schedule.entries
                if x.key == entry.key
                or (x.start <= t < x.finish if entry.finish > t else x.start < t < x.finish)
            ]
            assert sum(x.tokens for x in running) <= jobs
    for i in range(n):
        for j in reach[i]:
            assert finish[ranked[i].key] <= start[ranked[j].key]
    for i in range(n):
        for j in range(i + 1, n):
            if conflict(ranked[i], ranked[j]):
                assert finish[ranked[i].key] <= start[ranked[j].key]
    assert schedule.makespan >= plan.critical_path_length - 1e-9
    if jobs is None:
        assert schedule.makespan == pytest.approx(plan.critical_path_length)
    if jobs == 1:
        assert schedule.makespan == pytest.approx(plan.total_work)


@settings(max_examples=100, deadline=None)
@given(hooks=hook_sets(depends_rate=0.0), cycle=st.lists(st.sampled_from(IDS), min_size=1))
def test_depends_on_cycles_raise_naming_the_cycle(hooks: list[PlanHook], cycle: list[str]) -> None:
    """Add a depends_on loop over ids present in the hooks: it must be reported."""
    present = [h.hook_id for h in hooks]
    ring = [i for i in dict.fromkeys(cycle) if i in present]
    if not ring:
        ring = present[:1]
    if not ring:
        return
    needs = dict(zip(ring, [*ring[1:], ring[0]], strict=True))
    hooks = [
        PlanHook(
            h.key,
            h.hook_id,
            h.position,
            h.priority,
            (needs[h.hook_id],) if h.hook_id in needs else (),
            h.files,
            h.read_only,
        )
        for h in hooks
    ]
    with pytest.raises(PlanError) as info:
        build_plan(hooks)
    check_cycle_message(hooks, str(info.value))


# -- performance ---------------------------------------------------------------------------


@pytest.mark.slow
def test_large_plan_is_fast() -> None:
    """500 hooks over 50,000 files, a few thousand files each, some ALL_FILES.

    bench (Python 3.11, 2-core dev machine, 2026-11): build_plan ~0.15-0.2 s.
    The bound below is deliberately generous; it catches a quadratic regression,
    not noise.
    """
    rng = random.Random(20261122)
    files = [f"src/pkg{i % 97}/module_{i}.py" for i in range(50_000)]
    hooks = []
    for i in range(500):
        files_of_hook: FileSet = (
            ALL_FILES
            if rng.random() < 0.05
            else frozenset(rng.sample(files, rng.randint(1000, 5000)))
        )
        hooks.append(
            PlanHook(
                key=f".pre-commit-config.yaml::hook{i}",
                hook_id=f"hook{i % 450}",
                position=i,
                priority=rng.choice([None] * 9 + [rng.randint(0, 3)]),
                depends_on=(f"hook{rng.randrange(450)}",) if rng.random() < 0.02 else (),
                files=files_of_hook,
                read_only=rng.random() < 0.4,
                weight=rng.randint(1, 4),
                duration=rng.random() * 10 if rng.random() < 0.8 else None,
            )
        )
    started = time.perf_counter()
    try:
        plan = build_plan(hooks)
    except PlanError:  # a random depends_on may contradict a priority: drop them
        hooks = [
            PlanHook(h.key, h.hook_id, h.position, h.priority, (), h.files, h.read_only)
            for h in hooks
        ]
        started = time.perf_counter()
        plan = build_plan(hooks)
    built = time.perf_counter() - started
    plan.simulate(8)
    plan.to_json()
    total = time.perf_counter() - started
    print(
        f"bench: build_plan {built:.3f}s, +simulate+to_json {total:.3f}s, {len(plan.edges)} edges"
    )
    assert len(plan.edges) < 20 * len(hooks)
    assert built < 5.0
