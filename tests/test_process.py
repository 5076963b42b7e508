"""Tests for pytest_hookrun.process: real processes, no sleeps to synchronise.

Children report their pids through files; the tests poll those files (and
/proc) with a bounded deadline. A pid counts as gone when ``kill(pid, 0)``
fails or /proc shows a zombie: an orphaned grandchild is reaped by init (or
whoever the subreaper is), not by us, so a zombie is as dead as it gets.
"""

from __future__ import annotations

import concurrent.futures
import os
import pickle
import shutil
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_hookrun import process
from pytest_hookrun.files import batches
from pytest_hookrun.process import (
    REQUEST_LIMIT,
    ExecutableNotFound,
    ProcessResult,
    kill_all,
    live_process_groups,
    resolve_argv,
    run_process,
    start_waiting,
)

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="process tree tests need Linux /proc"
)

PY = sys.executable
T = TypeVar("T")


@pytest.fixture(autouse=True)
def _no_leaks() -> Iterator[None]:
    """Every test must leave the registry empty; kill whatever a failure left."""
    yield
    leaked = live_process_groups()
    if leaked:
        kill_all(0.0)
    assert not leaked


def wait_for(predicate: Callable[[], T | None], what: str, timeout: float = 10.0) -> T:
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > end:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.01)


def read_pids(path: Path, count: int) -> list[int]:
    """Wait until ``path`` holds ``count`` complete lines of pids."""

    def ready() -> list[int] | None:
        try:
            text = path.read_text()
        except FileNotFoundError:
            return None
        lines = text.splitlines()
        if len(lines) < count or not text.endswith("\n"):
            return None
        return [int(x) for x in lines]

    return wait_for(ready, f"{count} pids in {path}")


def proc_stat(pid: int) -> list[str] | None:
    try:
        data = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return data[data.rfind(")") + 2 :].split()


def is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    fields = proc_stat(pid)
    return fields is None or fields[0] in ("Z", "X")


def assert_gone(pids: list[int]) -> None:
    wait_for(lambda: all(is_gone(p) for p in pids), f"pids {pids} to die", timeout=5.0)


def in_background(**kwargs: Any) -> concurrent.futures.Future[ProcessResult]:
    pool = concurrent.futures.ThreadPoolExecutor(1)
    future = pool.submit(run_process, **kwargs)
    pool.shutdown(wait=False)
    return future


def script(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(0o755)
    return path


# ------------------------------------------------------------------ exit codes


@pytest.mark.parametrize("code", [0, 1, 3, 255])
def test_exit_code(tmp_path: Path, code: int) -> None:
    r = run_process(["sh", "-c", f"exit {code}"], cwd=str(tmp_path))
    assert r.returncode == code
    assert not r.timed_out and not r.cancelled and not r.truncated
    assert r.argv == ("sh", "-c", f"exit {code}")
    assert 0 <= r.duration < 10


def test_killed_by_own_signal_is_negative(tmp_path: Path) -> None:
    r = run_process(["sh", "-c", "kill -KILL $$"], cwd=str(tmp_path))
    assert r.returncode == -9
    assert not r.timed_out and not r.cancelled


def test_stdout_stderr_interleaved_in_write_order(tmp_path: Path) -> None:
    r = run_process(
        ["sh", "-c", "echo out1; echo err1 >&2; echo out2; echo err2 >&2"], cwd=str(tmp_path)
    )
    assert r.output == b"out1\nerr1\nout2\nerr2\n"


def test_env_cwd_and_stdin(tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "HOOKRUN_PROBE": "v a l"}
    r = run_process(
        ["sh", "-c", 'pwd; echo "$HOOKRUN_PROBE"; cat; echo "[$(cat)]"'],
        cwd=str(tmp_path),
        env=env,
    )
    # stdin is /dev/null: cat ends at once instead of waiting on a terminal
    assert r.output == f"{tmp_path}\nv a l\n[]\n".encode()


def test_argv_is_not_a_shell_command(tmp_path: Path) -> None:
    r = run_process([PY, "-c", "import sys; print(sys.argv[1:])", "$HOME", "a b;c"], cwd=".")
    assert r.output == b"['$HOME', 'a b;c']\n"


# -------------------------------------------------------------------- output


TEN_MB = (
    "import sys, os\n"
    "chunk = b'x' * 65536\n"
    "for i in range(160):\n"
    "    os.write(1 if i % 2 else 2, chunk)\n"
)


@pytest.mark.parametrize("limit", [1000, 1_000_000])
def test_output_cap_with_10mb_writer(tmp_path: Path, limit: int) -> None:
    r = run_process([PY, "-c", TEN_MB], cwd=str(tmp_path), output_limit=limit, timeout=30)
    assert r.returncode == 0, r.output[-300:]
    assert r.truncated
    assert len(r.output) == limit
    assert r.output == b"x" * limit


def test_output_at_limit_not_truncated(tmp_path: Path) -> None:
    r = run_process(["printf", "12345"], cwd=str(tmp_path), output_limit=5)
    assert (r.output, r.truncated) == (b"12345", False)
    r = run_process(["printf", "123456"], cwd=str(tmp_path), output_limit=5)
    assert (r.output, r.truncated) == (b"12345", True)


def test_default_output_limit() -> None:
    r = run_process([PY, "-c", TEN_MB], cwd=".")
    assert r.truncated and len(r.output) == 1_000_000


# ------------------------------------------------------------- timeout, kill


TRAPPING_TREE = """\
trap '' TERM
pids="$1"
sleep 60 &
echo $! >> "$pids"
sh -c 'sleep 60 & echo $! >> "$1"; echo $$ >> "$1"; wait' inner "$pids" &
echo $$ >> "$pids"
while [ "$(wc -l < "$pids")" -lt 4 ]; do :; done
echo ready
wait
"""


def test_timeout_kills_tree_that_ignores_sigterm(tmp_path: Path) -> None:
    pids_file = tmp_path / "pids"
    sh = script(tmp_path / "tree.sh", TRAPPING_TREE)
    r = run_process(["sh", str(sh), str(pids_file)], cwd=str(tmp_path), timeout=1.0, kill_grace=0.3)
    assert r.timed_out and not r.cancelled
    assert r.returncode is None
    assert r.output == b"ready\n"  # output before the kill is kept
    assert 1.0 <= r.duration < 10
    pids = read_pids(pids_file, 4)
    assert_gone(pids)


def test_deadline_sooner_than_timeout(tmp_path: Path) -> None:
    r = run_process(["sleep", "60"], cwd=str(tmp_path), timeout=60, deadline=time.monotonic() + 0.2)
    assert r.timed_out and r.returncode is None
    assert r.duration < 10


def test_timeout_zero_means_no_limit(tmp_path: Path) -> None:
    r = run_process(["sh", "-c", "exit 4"], cwd=str(tmp_path), timeout=0)
    assert (r.returncode, r.timed_out) == (4, False)


def test_past_deadline_or_set_cancel_starts_nothing(tmp_path: Path) -> None:
    missing = ["/nonexistent/never-started"]  # would raise if it were spawned
    r = run_process(missing, cwd=str(tmp_path), deadline=time.monotonic() - 1)
    assert r.timed_out and r.returncode is None and r.output == b""
    cancel = threading.Event()
    cancel.set()
    r = run_process(missing, cwd=str(tmp_path), cancel=cancel)
    assert r.cancelled and r.returncode is None


SETSID_CHILD = """\
import os, signal, sys, time
os.setsid()
signal.signal(signal.SIGTERM, signal.SIG_IGN)
with open(sys.argv[1], "a") as f:
    f.write(f"{os.getpid()}\\n")
time.sleep(60)
"""


def test_cancel_kills_grandchild_that_called_setsid(tmp_path: Path) -> None:
    pids_file = tmp_path / "pids"
    child = tmp_path / "child.py"
    child.write_text(SETSID_CHILD)
    cancel = threading.Event()
    future = in_background(
        argv=["sh", "-c", '"$0" "$1" "$2" & echo started; wait', PY, str(child), str(pids_file)],
        cwd=str(tmp_path),
        cancel=cancel,
        kill_grace=0.2,
    )
    [pid] = read_pids(pids_file, 1)
    assert os.getsid(pid) == pid  # it really left our session and group
    cancel.set()
    r = future.result(timeout=20)
    assert r.cancelled and not r.timed_out and r.returncode is None
    assert r.output == b"started\n"
    assert_gone([pid])


def test_cancel_event(tmp_path: Path) -> None:
    pids_file = tmp_path / "pids"
    cancel = threading.Event()
    future = in_background(
        argv=["sh", "-c", 'sleep 60 & echo $! >> "$0"; echo $$ >> "$0"; wait', str(pids_file)],
        cwd=str(tmp_path),
        cancel=cancel,
    )
    pids = read_pids(pids_file, 2)
    # the child can write before run_process's thread has registered it
    wait_for(lambda: pids[1] in live_process_groups(), "registration")
    cancel.set()
    r = future.result(timeout=20)
    assert r.cancelled and r.returncode is None
    assert r.duration < 10
    assert_gone(pids)


# --------------------------------------------------- leftovers after the exit


@pytest.mark.parametrize("trap", ["", "trap '' TERM;"])
def test_background_process_holding_pipe_does_not_hang(tmp_path: Path, trap: str) -> None:
    pids_file = tmp_path / "pids"
    r = run_process(
        ["sh", "-c", f'{trap} sleep 60 & echo $! > "$0"; echo hi', str(pids_file)],
        cwd=str(tmp_path),
        kill_grace=0.2,
    )
    assert r.returncode == 0 and not r.timed_out and not r.cancelled
    assert r.output == b"hi\n"
    assert r.duration < 10
    assert_gone(read_pids(pids_file, 1))


def test_background_process_with_redirected_output_is_killed(tmp_path: Path) -> None:
    pids_file = tmp_path / "pids"
    r = run_process(
        ["sh", "-c", 'sleep 60 >/dev/null 2>&1 & echo $! > "$0"', str(pids_file)],
        cwd=str(tmp_path),
    )
    assert r.returncode == 0
    assert_gone(read_pids(pids_file, 1))


DAEMON = """\
import os, signal, sys, time
r, w = os.pipe()
if os.fork() == 0:
    os.close(r)
    os.setsid()
    if os.fork() == 0:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        os.write(w, f"{os.getpid()}\\n".encode())
        time.sleep(60)
    os._exit(0)
os.close(w)
pid = os.read(r, 100).decode()
with open(sys.argv[1], "w") as f:
    f.write(pid)
os.wait()
print("leader done", flush=True)
"""


def test_escaped_daemon_holding_pipe_is_killed(tmp_path: Path) -> None:
    """Double fork + setsid, parent gone: only the pipe it holds gives it away."""
    pids_file = tmp_path / "pids"
    r = run_process([PY, "-c", DAEMON, str(pids_file)], cwd=str(tmp_path), kill_grace=0.2)
    assert r.returncode == 0
    assert r.output == b"leader done\n"
    assert r.duration < 10
    assert_gone(read_pids(pids_file, 1))


def test_a_sibling_holding_the_pipe_while_it_starts_is_not_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another thread's child, between its fork and exec, holds every fd of this
    process, the write end of a running hook's pipe too: it is not the hook's."""
    import subprocess

    real_spawn = process._spawn
    siblings: list[subprocess.Popen[bytes]] = []

    def spawn_beside_a_sibling(*args: Any) -> Any:
        proc = real_spawn(*args)
        # a child of ours holding the hook's pipe, as one between fork and exec does
        held = os.open(f"/proc/{proc.pid}/fd/1", os.O_WRONLY)
        try:
            siblings.append(subprocess.Popen(["sleep", "60"], pass_fds=[held]))
        finally:
            os.close(held)
        (tmp_path / "go").touch()  # the hook waits for it: its pipe is there to open
        return proc

    monkeypatch.setattr(process, "_spawn", spawn_beside_a_sibling)
    try:
        r = run_process(
            ["sh", "-c", "until [ -e go ]; do sleep 0.01; done; echo done"],
            cwd=str(tmp_path),
            kill_grace=0.2,
        )
        assert r.returncode == 0 and r.output == b"done\n"
        assert len(siblings) == 1 and siblings[0].poll() is None  # left alone
    finally:
        for sibling in siblings:
            sibling.kill()
            sibling.wait()


# ------------------------------------------------------------------ kill_all


def test_kill_all_from_another_thread(tmp_path: Path) -> None:
    pids_file = tmp_path / "pids"
    future = in_background(
        argv=[
            "sh",
            "-c",
            'trap \'\' TERM; sleep 60 & echo $! >> "$0"; echo $$ >> "$0"; echo started; wait',
            str(pids_file),
        ],
        cwd=str(tmp_path),
        kill_grace=30.0,  # kill_all's own grace applies, not this one
    )
    pids = read_pids(pids_file, 2)
    wait_for(lambda: pids[1] in live_process_groups(), "registration")
    assert kill_all(grace=0.2) == 1
    r = future.result(timeout=20)
    assert r.cancelled and not r.timed_out and r.returncode is None
    assert r.output == b"started\n"
    assert r.duration < 10
    assert_gone(pids)
    assert live_process_groups() == frozenset()


def test_kill_all_with_nothing_running() -> None:
    assert kill_all() == 0


def test_kill_all_during_spawn_is_not_missed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kill_all between spawn and registration: the new command kills itself."""
    real_spawn = process._spawn

    def spawn_then_kill_all(*args: Any) -> Any:
        proc = real_spawn(*args)
        assert kill_all() == 0  # not registered yet: kill_all cannot see it
        return proc

    monkeypatch.setattr(process, "_spawn", spawn_then_kill_all)
    r = run_process(["sleep", "60"], cwd=str(tmp_path), kill_grace=0.2)
    assert r.cancelled and r.returncode is None
    assert r.duration < 10


def test_parallel_runs_from_threads(tmp_path: Path) -> None:
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        futures = [
            pool.submit(
                run_process, ["sh", "-c", f"echo {i}; echo e{i} >&2; exit {i % 3}"], cwd="."
            )
            for i in range(24)
        ]
        results = [f.result(timeout=30) for f in futures]
    for i, r in enumerate(results):
        assert r.output == f"{i}\ne{i}\n".encode()
        assert r.returncode == i % 3


# ------------------------------------------------------------- spawn errors


def test_missing_executable_at_spawn(tmp_path: Path) -> None:
    with pytest.raises(ExecutableNotFound) as info:
        run_process(["hookrun-no-such-tool", "x"], cwd=str(tmp_path))
    assert str(info.value) == "executable not found: 'hookrun-no-such-tool' (from hook entry)"
    assert info.value.executable == "hookrun-no-such-tool"


def test_not_executable_at_spawn(tmp_path: Path) -> None:
    (tmp_path / "tool").write_text("#!/bin/sh\necho hi\n")
    with pytest.raises(ExecutableNotFound, match="permission denied") as info:
        run_process(["./tool"], cwd=str(tmp_path))
    assert "\n" not in str(info.value)


def test_script_without_shebang_at_spawn(tmp_path: Path) -> None:
    script(tmp_path / "tool", "echo hi\n")
    with pytest.raises(ExecutableNotFound, match="exec format error"):
        run_process(["./tool"], cwd=str(tmp_path))


def test_missing_cwd_is_not_a_missing_executable(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as info:
        run_process(["true"], cwd=str(tmp_path / "nope"))
    assert not isinstance(info.value, ExecutableNotFound)


def test_executable_not_found_pickles() -> None:
    e = ExecutableNotFound("foo", reason="not executable")
    back = pickle.loads(pickle.dumps(e))
    assert str(back) == str(e) == "executable not found: 'foo' (not executable, from hook entry)"


# --------------------------------------------------------------- resolve_argv


@pytest.fixture
def bindir(tmp_path: Path) -> Path:
    d = tmp_path / "bin"
    d.mkdir()
    return d


def test_resolve_bare_name_on_path_with_shebang(tmp_path: Path, bindir: Path) -> None:
    tool = script(bindir / "tool", "#!/bin/sh\necho hi\n")
    got = resolve_argv(["tool", "a"], cwd=str(tmp_path), env={"PATH": str(bindir)})
    assert got == ("/bin/sh", str(tool), "a")


def test_resolve_env_shebang_uses_hook_path(tmp_path: Path, bindir: Path) -> None:
    interp = script(bindir / "my-interp", "#!/bin/sh\n")
    tool = script(bindir / "tool", "#!/usr/bin/env my-interp -u\n")
    got = resolve_argv(["tool"], cwd=str(tmp_path), env={"PATH": str(bindir)})
    assert got == (str(interp), "-u", str(tool))
    script(bindir / "tool2", "#!/usr/bin/env -S my-interp -x\n")
    got = resolve_argv(["tool2"], cwd=str(tmp_path), env={"PATH": str(bindir)})
    assert got == (str(interp), "-x", str(bindir / "tool2"))


def test_resolve_binary_is_left_alone(tmp_path: Path) -> None:
    path = os.environ["PATH"]
    sh = shutil.which("sh", path=path)
    assert sh is not None
    got = resolve_argv(["sh", "-c", "x"], cwd=str(tmp_path), env={"PATH": path})
    assert got == (os.path.normpath(sh), "-c", "x")


def test_resolve_relative_path_is_relative_to_cwd(tmp_path: Path, bindir: Path) -> None:
    tool = script(bindir / "tool", "#!/bin/sh\n")
    assert resolve_argv(["./bin/tool"], cwd=str(tmp_path)) == ("/bin/sh", str(tool))
    assert resolve_argv(["bin/tool", "f"], cwd=str(tmp_path)) == ("/bin/sh", str(tool), "f")
    # a relative PATH entry is relative to where the command runs, too
    got = resolve_argv(["tool"], cwd=str(tmp_path), env={"PATH": "bin"})
    assert got == ("/bin/sh", str(tool))


def test_resolve_script_without_exec_bit_is_rejected(tmp_path: Path, bindir: Path) -> None:
    """As in pre-commit: no exec bit, no run, even with a #! line."""
    tool = bindir / "tool"
    tool.write_text("#!/bin/sh\necho hi\n")
    assert not tool.stat().st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    with pytest.raises(ExecutableNotFound, match="not executable"):
        resolve_argv(["./bin/tool"], cwd=str(tmp_path))
    with pytest.raises(ExecutableNotFound):  # and PATH lookup skips it
        resolve_argv(["tool"], cwd=str(tmp_path), env={"PATH": str(bindir)})


def test_resolve_missing_executable(tmp_path: Path) -> None:
    with pytest.raises(ExecutableNotFound) as info:
        resolve_argv(["hookrun-no-such-tool"], cwd=str(tmp_path), env={"PATH": str(tmp_path)})
    assert str(info.value) == "executable not found: 'hookrun-no-such-tool' (from hook entry)"
    with pytest.raises(ExecutableNotFound):
        resolve_argv(["./missing"], cwd=str(tmp_path))


def test_resolve_directory(tmp_path: Path, bindir: Path) -> None:
    with pytest.raises(ExecutableNotFound, match="is a directory"):
        resolve_argv(["./bin"], cwd=str(tmp_path))


def test_resolve_missing_interpreter_names_it(tmp_path: Path, bindir: Path) -> None:
    script(bindir / "tool", "#!/usr/bin/env hookrun-no-such-python\n")
    with pytest.raises(ExecutableNotFound) as info:
        resolve_argv(["tool"], cwd=str(tmp_path), env={"PATH": str(bindir)})
    assert info.value.executable == "hookrun-no-such-python"
    assert "#! line of" in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "first_line",
    [b"echo no shebang\n", b"#!/bin/sh \xc3\xa9\n", b"#!\n", b"#!/usr/bin/env\n"],
)
def test_resolve_without_usable_shebang(tmp_path: Path, bindir: Path, first_line: bytes) -> None:
    tool = bindir / "tool"
    tool.write_bytes(first_line)
    tool.chmod(0o755)
    assert resolve_argv(["./bin/tool", "x"], cwd=str(tmp_path)) == (str(tool), "x")


def test_resolve_empty_argv(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        resolve_argv([], cwd=str(tmp_path))


def test_resolve_matches_pre_commit(tmp_path: Path, bindir: Path) -> None:
    parse_shebang = pytest.importorskip("pre_commit.parse_shebang")
    script(bindir / "my-interp", "#!/bin/sh\n")
    script(bindir / "a", "#!/bin/sh -e\n")
    script(bindir / "b", "#!/usr/bin/env my-interp --flag\n")
    script(bindir / "c", '#!"/bin/sh"\n')
    env = {"PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"}
    for argv in (["a", "1"], ["b"], ["c"], [str(bindir / "a")], ["sh", "-c", "x"]):
        ours = resolve_argv(argv, cwd=str(tmp_path), env=env)
        theirs = parse_shebang.normalize_cmd(tuple(argv), env=env)
        assert ours == theirs, argv


def test_resolved_env_script_runs(tmp_path: Path, bindir: Path) -> None:
    script(bindir / "python3", f'#!/bin/sh\nexec "{PY}" "$@"\n')
    script(bindir / "hello", "#!/usr/bin/env python3\nimport sys\nprint('hi', sys.argv[1:])\n")
    env = {"PATH": str(bindir)}
    argv = resolve_argv(["hello", "f.py"], cwd=str(tmp_path), env=env)
    r = run_process(argv, cwd=str(tmp_path), env=env)
    assert (r.returncode, r.output) == (0, b"hi ['f.py']\n")


# --------------------------------------------------------------------------- batches


@given(
    n=st.integers(min_value=0, max_value=60),
    parts=st.integers(min_value=1, max_value=8),
    limit=st.integers(min_value=60, max_value=400),
)
def test_batches_split_files_as_pre_commits_xargs(n: int, parts: int, limit: int) -> None:
    """Every file once, in order; about ``parts`` batches, but at least 4 files to a batch
    (pre-commit's rule), and every command line under the limit."""
    files = [f"f{i:02d}.py" for i in range(n)]
    command = ("hook", "--flag")
    out = batches(command, files, parts=parts, max_length=limit)
    assert [name for batch in out for name in batch.files] == files
    assert all(batch.argv == (*command, *batch.files) for batch in out)
    assert all(sum(len(a) + 1 for a in batch.argv) <= limit for batch in out)
    per_batch = max(4, -(-n // parts))
    assert all(len(batch.files) <= per_batch for batch in out)
    if sum(len(a) + 1 for a in (*command, *files[:per_batch])) <= limit:  # room for a full one
        assert len(out) == max(1, -(-n // per_batch))


# ------------------------------------------------------------------ waiting processes

# reads its whole stdin (the request), says what it got, then exits with its length
# ("exit") or waits for a signal ("hang")
READER = (
    "import signal, sys; data = sys.stdin.buffer.read(); "
    "sys.stdout.write('got ' + data.decode()); sys.stderr.write(' done'); "
    "sys.stdout.flush(); sys.stderr.flush(); "
    "sys.argv[1] == 'hang' and signal.pause(); sys.exit(len(data))"
)


def test_a_waiting_process_runs_the_request_it_is_handed(tmp_path: Path) -> None:
    waiting = start_waiting([PY, "-c", READER, "exit"], cwd=str(tmp_path))
    assert waiting.pid in live_process_groups()  # killed by kill_all like any command
    r = run_process(["reader"], cwd=str(tmp_path), waiting=waiting, request=b"hello")
    assert (r.argv, r.returncode, r.output) == (("reader",), 5, b"got hello done")
    assert not r.timed_out and not r.cancelled
    waiting.discard()  # taken: nothing left to end
    with pytest.raises(RuntimeError):
        run_process(["again"], cwd=str(tmp_path), waiting=waiting)


def test_a_waiting_process_is_timed_and_killed_from_its_hand_over(tmp_path: Path) -> None:
    waiting = start_waiting([PY, "-c", READER, "hang"], cwd=str(tmp_path))
    r = run_process(["reader"], cwd=str(tmp_path), waiting=waiting, request=b"x", timeout=0.5)
    assert r.timed_out and r.returncode is None
    assert r.output == b"got x done"
    assert_gone([waiting.pid])


def test_a_waiting_process_not_needed_is_killed(tmp_path: Path) -> None:
    waiting = start_waiting([PY, "-c", READER, "exit"], cwd=str(tmp_path))
    waiting.discard()
    assert waiting.pid not in live_process_groups()
    assert_gone([waiting.pid])
    waiting.discard()  # twice is harmless
    # nothing to run (a cancelled run): the waiting process ends with it
    waiting = start_waiting([PY, "-c", READER, "exit"], cwd=str(tmp_path))
    cancel = threading.Event()
    cancel.set()
    r = run_process(["reader"], cwd=str(tmp_path), waiting=waiting, cancel=cancel, request=b"x")
    assert r.cancelled and r.output == b""
    assert_gone([waiting.pid])


def test_a_request_that_could_block_is_refused_before_the_hand_over(tmp_path: Path) -> None:
    waiting = start_waiting([PY, "-c", READER, "exit"], cwd=str(tmp_path))
    with pytest.raises(ValueError, match="may block"):
        run_process(["r"], cwd=str(tmp_path), waiting=waiting, request=b"x" * (REQUEST_LIMIT + 1))
    r = run_process(["r"], cwd=str(tmp_path), waiting=waiting, request=b"x" * REQUEST_LIMIT)
    assert r.output == b"got " + b"x" * REQUEST_LIMIT + b" done"


def test_kill_all_ends_a_waiting_process(tmp_path: Path) -> None:
    waiting = start_waiting([PY, "-c", READER, "exit"], cwd=str(tmp_path))
    assert kill_all(grace=0.5) == 1
    assert_gone([waiting.pid])
    waiting.discard()
    assert waiting.pid not in live_process_groups()
