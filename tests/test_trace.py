"""`--hooks-trace`: the JSON trace events and the HTML timeline drawn from them."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from pytest_hookrun.trace import html_timeline

from .conftest import Repo
from .test_plugin import LOCAL, hook, outcomes

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = 'x<&>"y'  # a hook id that breaks markup unless escaped


class Checker(HTMLParser):
    """Collects the page's tags and fails on end tags that close nothing open."""

    VOID = frozenset({"meta", "br", "img", "link", "input", "hr"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()


def svg_of(page: str) -> ET.Element:
    """The page parsed as HTML (balanced tags), and its SVG part parsed as XML."""
    checker = Checker()
    checker.feed(page)
    checker.close()
    assert checker.open == [] and checker.tags.count("svg") == 1
    assert "<script" not in page and "http://" not in page.replace(SVG[1:-1], "")
    return ET.fromstring(page[page.index("<svg") : page.index("</svg>") + len("</svg>")])


def rects(svg: ET.Element, kind: str) -> dict[str, str]:
    """data-hook -> outcome class of the rects of one kind (hook, batch, notrun)."""
    found: dict[str, str] = {}
    for rect in svg.iter(f"{SVG}rect"):
        classes = rect.get("class", "").split()
        if classes and classes[0] == kind:
            name = rect.get("data-hook", "")
            assert kind == "batch" or name not in found, f"two {kind} bars for {name}"
            found[name] = classes[1]
    return found


def slot_rows(svg: ET.Element) -> list[ET.Element]:
    return [g for g in svg.iter(f"{SVG}g") if g.get("class") == "slot-row"]


def titles(svg: ET.Element) -> str:
    return "\n".join(t.text or "" for t in svg.iter(f"{SVG}title"))


def test_html_timeline_of_a_run_with_every_outcome(repo: Repo, pytester: pytest.Pytester) -> None:
    repo.write("a.txt", "bad\n")
    repo.config(
        LOCAL
        + hook("ok", "true", files=r"\.txt$", read_only=True)
        + hook("fails", "sh -c 'exit 3' --", files=r"\.txt$", read_only=True)
        + hook("fixes", "sed -i s/bad/good/", files=r"\.txt$")
        + hook("hangs", "sleep 60", pass_filenames=False, read_only=True, timeout=0.5)
        + hook(HOSTILE, "true", files=r"\.txt$", read_only=True)
        + hook("no-files", "true", files=r"\.rs$")
        + hook("twice", "true", files=r"\.txt$", read_only=True)
        + hook("twice", "false", files=r"\.txt$", read_only=True)
    )
    repo.commit()
    result = pytester.runpytest(
        "--hooks", "-v", "--hooks-kill-grace", "0.2", "--hooks-trace", "t.html"
    )
    (again,) = [name for name in outcomes(result) if name.startswith("twice") and name != "twice"]
    assert outcomes(result)["hangs"] == "TIMEOUT"
    page = (repo.path / "t.html").read_text(encoding="utf-8")
    svg = svg_of(page)
    expected = {
        "ok": "passed",
        "fails": "failed",
        "fixes": "modified",
        "hangs": "timeout",
        HOSTILE: "passed",
        "twice": "passed",  # a repeated id: each hook its own bar, named as its test item
        again: "failed",
    }
    assert rects(svg, "hook") == expected  # one bar per hook that ran
    assert set(rects(svg, "batch")) == set(expected)
    assert rects(svg, "notrun") == {"no-files": "skipped"}
    # escaped everywhere: the raw id never reaches the markup, the parsed text has it whole
    assert HOSTILE not in page and "x&lt;&amp;&gt;&quot;y" in page
    assert HOSTILE in [t.text for t in svg.iter(f"{SVG}text")]
    hover = titles(svg)
    assert "fails: batch of 1 file, exit code 3" in hover
    assert "hangs: batch without file arguments, killed, timed out" in hover
    assert "modified: a.txt" in hover
    assert "no-files: skipped\nno files to check" in hover
    legend = {r.get("class") for r in svg.iter(f"{SVG}rect")}
    assert {f"legend {o}" for o in ("passed", "failed", "modified", "timeout")} <= legend
    axis = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "axis"]
    assert axis[0] == "0 s" and len(axis) >= 3 and all(a and a.endswith(" s") for a in axis)


BARRIER = """
import os, sys, time
mine, other = sys.argv[1], sys.argv[2]
open(mine, "w").close()
deadline = time.monotonic() + 30
while not os.path.exists(other):  # returns only once the other hook is running too
    if time.monotonic() > deadline:
        sys.exit("the other hook never ran at the same time")
    time.sleep(0.01)
"""


def test_html_rows_are_the_job_slots_used(repo: Repo, pytester: pytest.Pytester) -> None:
    repo.script("meet.py", BARRIER)
    repo.write(".gitignore", "*.here\n")
    repo.write("a.txt", "a\n")
    repo.config(
        LOCAL
        + hook("left", "./meet.py left.here right.here", pass_filenames=False, read_only=True)
        + hook("right", "./meet.py right.here left.here", pass_filenames=False, read_only=True)
        + hook("after", "true", depends_on=["left", "right"], files=r"\.txt$")
    )
    repo.commit()
    pytester.runpytest("--hooks", "--hooks-jobs", "2", "--hooks-trace", "t.html")
    svg = svg_of((repo.path / "t.html").read_text(encoding="utf-8"))
    rows = slot_rows(svg)
    assert len(rows) == 2  # left and right held a slot each, at once; after reused one
    per_row = [rects(row, "batch") for row in rows]
    assert {"left", "right"} == {name for row in per_row for name in row if name != "after"}
    assert all(len({"left", "right"} & set(row)) == 1 for row in per_row)
    assert sum("after" in row for row in per_row) == 1
    assert rects(svg, "hook") == dict.fromkeys(("left", "right", "after"), "passed")


def test_html_one_job_token_one_row(repo: Repo, pytester: pytest.Pytester) -> None:
    repo.write("a.txt", "a\n")
    repo.config(
        LOCAL
        + hook("one", "true", files=r"\.txt$", read_only=True)
        + hook("two", "true", files=r"\.txt$", read_only=True)
    )
    repo.commit()
    pytester.runpytest("--hooks", "--hooks-jobs", "1", "--hooks-trace", "serial.htm")
    svg = svg_of((repo.path / "serial.htm").read_text(encoding="utf-8"))
    (row,) = slot_rows(svg)  # readers that could share files, but one token: one at a time
    assert rects(row, "batch") == {"one": "passed", "two": "passed"}


def test_json_trace_and_the_html_drawn_from_it_agree(repo: Repo, pytester: pytest.Pytester) -> None:
    repo.write("a.txt", "a\n")
    repo.write("b.txt", "b\n")
    repo.config(
        LOCAL
        + hook("one", "true", files=r"\.txt$", read_only=True)
        + hook("two", "false", files=r"\.txt$", read_only=True)
        + hook("never", "true", files=r"\.rs$")
    )
    repo.commit()
    pytester.runpytest("--hooks", "--hooks-jobs", "2", "--hooks-trace", "t.json")
    text = (repo.path / "t.json").read_text()
    assert not text.lstrip().startswith("<")
    data = json.loads(text)
    events = data["traceEvents"]
    batches = [e for e in events if e["ph"] == "X" and e["cat"] == "batch"]
    assert {e["args"]["key"] for e in batches} == {
        ".pre-commit-config.yaml::one",
        ".pre-commit-config.yaml::two",
    }
    svg = svg_of(html_timeline(data))
    drawn = [r for r in svg.iter(f"{SVG}rect") if r.get("class", "").startswith("batch ")]
    assert len(drawn) == len(batches)
    assert len(slot_rows(svg)) == len({e["tid"] for e in batches})
    assert rects(svg, "hook") == {"one": "passed", "two": "failed"}
    assert rects(svg, "notrun") == {"never": "skipped"}
    # each hook's bar holds its own batches, and only those
    segments = {}
    for bar in svg.iter(f"{SVG}g"):
        kinds = [r.get("class", "").split()[0] for r in bar.iter(f"{SVG}rect")]
        if bar.get("class") == "bar" and kinds[0] == "hook":
            segments[bar.find(f"{SVG}rect").get("data-hook")] = kinds.count("segment")
    assert segments == {n: sum(e["name"] == n for e in batches) for n in ("one", "two")}


def _trace(*events: dict[str, object]) -> dict[str, object]:
    return {"traceEvents": list(events), "otherData": {"tokens": 4}}


def test_html_of_a_run_where_nothing_ran() -> None:
    page = html_timeline(
        _trace(
            {
                "ph": "i",
                "pid": 2,
                "tid": 0,
                "name": "skip-me",
                "cat": "hook",
                "ts": 0,
                "args": {"outcome": "skipped", "reason": "SKIP=<skip-me> & more"},
            }
        )
    )
    svg = svg_of(page)
    assert slot_rows(svg) == [] and "no hook ran a batch" in page
    assert rects(svg, "notrun") == {"skip-me": "skipped"}
    assert "SKIP=&lt;skip-me&gt; &amp; more" in page
    assert html_timeline({"traceEvents": []}).count("<svg") == 1


def test_html_long_ids_are_cut_but_titles_keep_them() -> None:
    long_id = "a-very-long-hook-identifier-that-cannot-fit-" * 5
    span = {"ph": "X", "pid": 2, "tid": 0, "name": long_id, "ts": 0, "dur": 2_500_000}
    page = html_timeline(
        _trace(
            {**span, "cat": "hook", "args": {"outcome": "passed", "modified": ["<b>.txt"]}},
            {**span, "pid": 1, "cat": "batch", "args": {"outcome": "passed", "exit_code": 0}},
        )
    )
    svg = svg_of(page)
    labels = [t.text or "" for t in svg.iter(f"{SVG}text")]
    assert long_id not in labels and any(t.endswith("…") for t in labels)
    assert long_id in titles(svg) and "modified: <b>.txt" in titles(svg)
    axis = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "axis"]
    assert axis == ["0 s", "0.5 s", "1 s", "1.5 s", "2 s", "2.5 s"]
