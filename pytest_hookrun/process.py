"""Run one command (one file batch of one hook) so that nothing it starts outlives it.

Called from the scheduler's worker threads, so everything here is thread-safe.
Stdlib only. Linux gets the full treatment (``/proc`` walks, pidfds); other
POSIX systems fall back to process-group signals.

How a command ends:

* it exits: whatever it left running in its process group, or that still
  holds its output pipe, gets SIGTERM, then SIGKILL after ``kill_grace``;
* timeout, deadline, cancel Event or :func:`kill_all`: the whole tree gets
  SIGTERM, ``kill_grace`` seconds, then SIGKILL. Descendants that left the group
  with ``setsid`` are found by walking ``/proc`` parent links *before* anything
  is killed, so reparenting to init does not hide them.

Known gap: after a normal exit, a process that left the group *and* closed the
pipe *and* lost its parent is not found (that would take a process-wide child
subreaper, too big a side effect for a plugin).

``killpg`` never hits a stranger: a killed leader is reaped only after its
group has been dealt with (an unreaped zombie keeps its pid, = the pgid,
reserved), and the kernel keeps that number reserved anyway while any process
is still in the group. Single pids outside the group are signalled through a
pidfd after checking their start time, for the same reason.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import math
import os
import select
import shlex
import signal
import string
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "ExecutableNotFound",
    "ProcessResult",
    "kill_all",
    "live_process_groups",
    "resolve_argv",
    "run_process",
]

#: How often to look at a cancel Event (or at the leader, without pidfds).
_POLL_INTERVAL = 0.05
#: How often to re-scan ``/proc`` while waiting for signalled processes to die.
_SCAN_INTERVAL = 0.02
#: After SIGKILL, how long to keep re-killing (new forks) and waiting for death.
_KILL_WAIT = 2.0
#: Once every process is dead, how long to keep reading what is left in the pipe.
_DRAIN_TIMEOUT = 0.5
#: Bound on waiting for the leader's exit status after everything was killed.
_REAP_TIMEOUT = 5.0
_READ_CHUNK = 1 << 16
#: Reads per wake-up, so a fast writer cannot starve the deadline checks.
_READS_PER_PUMP = 16
_SHEBANG_MAX = 1024


class ExecutableNotFound(Exception):
    """A command cannot start: its executable or ``#!`` interpreter is missing or unusable.

    The hook then gets the *error* outcome, so the message is one line naming the
    executable (``repr`` keeps odd names on one line) instead of a traceback.
    """

    def __init__(
        self, executable: str, origin: str = "hook entry", reason: str | None = None
    ) -> None:
        self.executable = executable
        self.origin = origin
        self.reason = reason
        detail = f"from {origin}" if reason is None else f"{reason}, from {origin}"
        super().__init__(f"executable not found: {executable!r} ({detail})")

    def __reduce__(self) -> tuple[type[ExecutableNotFound], tuple[str, str, str | None]]:
        # Custom __init__ arguments: without this it would not survive pickling (xdist).
        return (type(self), (self.executable, self.origin, self.reason))


@dataclass(frozen=True)
class ProcessResult:
    """What one command did. ``returncode`` is None when it was killed by us."""

    argv: tuple[str, ...]
    returncode: int | None
    output: bytes
    truncated: bool
    duration: float
    timed_out: bool
    cancelled: bool


# --------------------------------------------------------------------------- argv


def _is_pathlike(name: str) -> bool:
    return os.sep in name or (os.altsep is not None and os.altsep in name)


def _find_executable(name: str, *, cwd: str, env: Mapping[str, str] | None, origin: str) -> str:
    """Absolute path of ``name``: PATH lookup for a bare name, else relative to ``cwd``.

    Mirrors pre-commit's ``normexe``: only existing, executable regular files count.
    PATH comes from ``env`` (the hook's environment), and relative PATH entries are
    taken relative to ``cwd``, where the command will run.
    """
    if _is_pathlike(name):
        path = os.path.normpath(os.path.join(cwd, name))
        if os.path.isdir(path):
            raise ExecutableNotFound(name, origin, "is a directory")
        if not os.path.isfile(path):
            raise ExecutableNotFound(name, origin)
        if not os.access(path, os.X_OK):
            raise ExecutableNotFound(name, origin, "not executable")
        return path
    for entry in os.get_exec_path(env):
        path = os.path.normpath(os.path.join(cwd, entry, name))
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    raise ExecutableNotFound(name, origin)


def _parse_shebang(path: str) -> tuple[str, ...]:
    """Interpreter command from a ``#!`` line, as identify/pre-commit parse it.

    Quotes are honoured (setuptools writes them), ``/usr/bin/env [-S]`` is dropped
    so that the interpreter is looked up on the *hook's* PATH, and anything that is
    not printable ASCII means "no shebang".
    """
    try:
        with open(path, "rb") as f:
            if f.read(2) != b"#!":
                return ()
            raw = f.readline(_SHEBANG_MAX)
    except OSError:
        return ()
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        return ()
    if any(c not in string.printable for c in line):
        return ()
    try:
        cmd = tuple(shlex.split(line.strip()))
    except ValueError:
        cmd = tuple(line.split())
    if cmd[:2] == ("/usr/bin/env", "-S"):
        cmd = cmd[2:]
    elif cmd[:1] == ("/usr/bin/env",):
        cmd = cmd[1:]
    return cmd


def resolve_argv(
    argv: Sequence[str], *, cwd: str, env: Mapping[str, str] | None = None
) -> tuple[str, ...]:
    """Make ``argv`` directly executable, the way pre-commit's ``normalize_cmd`` does.

    ``argv[0]`` becomes an absolute path; if it is an executable script with a
    ``#!`` line, the interpreter (resolved on the hook's PATH) is put in front. Like
    pre-commit this is done for every script, not only when the kernel would fail:
    it makes ``#!/usr/bin/env python`` find the hook environment's python and
    sidesteps the kernel's shebang length limit. Like pre-commit, a script without
    the exec bit is rejected, not run through its interpreter.

    Raises ExecutableNotFound when the executable or the interpreter is missing.
    """
    if not argv:
        raise ValueError("resolve_argv: empty command")
    exe = _find_executable(argv[0], cwd=cwd, env=env, origin="hook entry")
    interpreter = _parse_shebang(exe)
    if not interpreter:
        return (exe, *argv[1:])
    interp = _find_executable(interpreter[0], cwd=cwd, env=env, origin=f"#! line of {exe!r}")
    return (interp, *interpreter[1:], exe, *argv[1:])


# ---------------------------------------------------------------- /proc and kill


@dataclass(frozen=True)
class _Stat:
    ppid: int
    pgrp: int
    sid: int
    start: int  # clock ticks after boot: with the pid, identifies a process
    dead: bool  # zombie: exited, holds no files, cannot be signalled away


def _read_stat(pid: int) -> _Stat | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except OSError:
        return None
    # comm (field 2) may hold spaces and parentheses: split after the last ")".
    fields = data[data.rfind(b")") + 2 :].split()
    try:
        return _Stat(
            ppid=int(fields[1]),
            pgrp=int(fields[2]),
            sid=int(fields[3]),
            start=int(fields[19]),
            dead=fields[0] in (b"Z", b"X"),
        )
    except (IndexError, ValueError):
        return None


def _scan() -> dict[int, _Stat] | None:
    """Every visible process, or None where there is no ``/proc`` (not Linux)."""
    try:
        names = os.listdir("/proc")
    except OSError:
        return None
    table: dict[int, _Stat] = {}
    for name in names:
        if name.isdigit():
            st = _read_stat(int(name))
            if st is not None:
                table[int(name)] = st
    return table if table else None


def _pipe_writers(inode: int) -> dict[int, int]:
    """Processes holding the write end of our output pipe: pid -> start time.

    Finds hook processes that escaped both the group and the ancestry (double fork
    plus setsid, parent gone) but still keep the pipe open. Our own children are
    not suspects: a sibling batch (or any subprocess) started by another thread
    holds every open fd between its fork and exec, the write end of this pipe too
    while its command is being started; an escaped hook process never has us as
    its parent (we are no subreaper).
    """
    target = f"pipe:[{inode}]"
    me = os.getpid()
    found: dict[int, int] = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return found
    for name in names:
        if not name.isdigit() or int(name) == me:
            continue
        fd_dir = f"/proc/{name}/fd"
        try:
            fds = os.listdir(fd_dir)
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(f"{fd_dir}/{fd}") != target:
                    continue
                with open(f"/proc/{name}/fdinfo/{fd}") as f:
                    flags = next(int(line.split()[1], 8) for line in f if line.startswith("flags:"))
            except (OSError, StopIteration, ValueError, IndexError):
                continue
            if flags & os.O_ACCMODE != os.O_RDONLY:
                st = _read_stat(int(name))
                if st is not None and not st.dead and st.ppid != me:
                    found[int(name)] = st.start
                break
    return found


def _killpg(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _group_exists(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _kill_pid(pid: int, start: int, sig: int) -> None:
    """Signal one pid only if it is still the process we saw (same start time)."""
    pidfd: int | None = None
    try:
        try:
            pidfd = os.pidfd_open(pid)
        except ProcessLookupError:
            return
        except (OSError, AttributeError):
            pidfd = None  # old kernel or not Linux: small pid-reuse window remains
        st = _read_stat(pid)
        if st is None or st.start != start:
            return
        if pidfd is not None:
            signal.pidfd_send_signal(pidfd, sig)
        else:
            os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
    finally:
        if pidfd is not None:
            os.close(pidfd)


class _Group:
    """A started command: leader pid (= pgid = sid) and every descendant seen so far."""

    __slots__ = ("killed", "known", "pid")

    def __init__(self, pid: int) -> None:
        self.pid = pid
        # pid -> start time. Remembered so that a descendant reparented to init after
        # its parent died is still recognised (and a reused pid is not).
        self.known: dict[int, int] = {}
        self.killed = False  # set by kill_all: report as cancelled


def _live_members(group: _Group, table: dict[int, _Stat]) -> dict[int, int]:
    """Live processes of the command (pid -> start time). Hold _lock.

    Its group, its session, and descendants of the leader or of any process seen
    before: parent links are followed from every process already known.
    """
    sid = group.pid
    found = {p for p, s in group.known.items() if p in table and table[p].start == s}
    found.update(p for p, st in table.items() if st.pgrp == sid or st.sid == sid)
    if sid in table:
        found.add(sid)
    found.discard(os.getpid())  # else every child of ours would count as a descendant
    children: dict[int, list[int]] = {}
    for p, st in table.items():
        children.setdefault(st.ppid, []).append(p)
    stack = list(found)
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    group.known = {p: table[p].start for p in found}
    return {p: table[p].start for p in found if not table[p].dead}


# Registry of live commands, for kill_all. RLock: kill_all may run in a signal
# handler on a thread that is inside one of these critical sections.
_lock = threading.RLock()
_registry: dict[int, _Group] = {}
_kill_epoch = 0


def _send(group: _Group, sig: int, table: dict[int, _Stat] | None, mark: bool) -> bool:
    """Signal everything alive in ``group``; False when nothing was left. Hold _lock.

    Only while registered is the leader unreaped, which keeps killpg safe.
    """
    if _registry.get(group.pid) is not group:
        return False
    if table is None:
        try:
            os.killpg(group.pid, 0)
        except OSError:
            return False
        outside: dict[int, int] = {}
    else:
        live = _live_members(group, table)
        if not live:
            return False
        outside = {p: s for p, s in live.items() if table[p].pgrp != group.pid}
    if mark:
        group.killed = True
    # killpg first: atomic for the whole group, including members forked since the scan.
    _killpg(group.pid, sig)
    for p, start in outside.items():
        _kill_pid(p, start, sig)
    if sig == signal.SIGTERM:  # a stopped process would never act on SIGTERM
        _killpg(group.pid, signal.SIGCONT)
        for p, start in outside.items():
            _kill_pid(p, start, signal.SIGCONT)
    return True


def _terminate(
    groups: Sequence[_Group],
    grace: float,
    wait: Callable[[float], None],
    *,
    mark: bool = False,
) -> int:
    """SIGTERM, up to ``grace`` seconds, then SIGKILL until all are dead (bounded).

    ``wait`` passes the time; run_process reads output meanwhile, so a child
    blocked on a full pipe can still act on SIGTERM. Returns how many groups had
    live processes.
    """
    table = _scan()
    with _lock:
        hit = [g for g in groups if _send(g, signal.SIGTERM, table, mark)]
    pending = hit
    end = time.monotonic() + grace
    while pending:
        left = end - time.monotonic()
        if left <= 0:
            break
        wait(min(_SCAN_INTERVAL, left))
        table = _scan()
        if table is None:
            continue  # no /proc: cannot tell, sit out the grace
        with _lock:
            pending = [g for g in pending if _live_members(g, table)]
    if not pending:
        return len(hit)
    end = time.monotonic() + _KILL_WAIT
    while True:
        table = _scan()
        with _lock:
            left_over = [g for g in pending if _send(g, signal.SIGKILL, table, mark)]
        if not left_over or table is None or time.monotonic() >= end:
            return len(hit)
        pending = left_over
        wait(_SCAN_INTERVAL)


# ------------------------------------------------------------------- run_process


class _Capture:
    """Reads the merged stdout/stderr pipe without blocking, keeping only the head.

    Also watches the leader's pidfd, so waiting needs no polling when there is no
    cancel Event.
    """

    def __init__(self, fd: int, limit: int, pidfd: int | None) -> None:
        self.fd = fd
        self.inode = os.fstat(fd).st_ino
        self.limit = limit
        self.buf = bytearray()
        self.truncated = False
        self.eof = False
        self.pidfd = pidfd
        self._pidfd_live = pidfd is not None
        os.set_blocking(fd, False)
        self._poller = select.poll()
        self._poller.register(fd, select.POLLIN)
        if pidfd is not None:
            self._poller.register(pidfd, select.POLLIN)

    @property
    def watches_exit(self) -> bool:
        return self._pidfd_live

    def pump(self, timeout: float | None) -> None:
        """Wait up to ``timeout`` (None: no limit) for output or the leader's exit."""
        if timeout is None and self.eof and not self._pidfd_live:
            return  # nothing to wait for: would block forever
        ms = None if timeout is None else max(0, math.ceil(timeout * 1000))
        for fd, _event in self._poller.poll(ms):
            if fd == self.fd:
                self.read_some()
            elif fd == self.pidfd and self._pidfd_live:
                self._poller.unregister(fd)  # stays readable: stop watching it
                self._pidfd_live = False

    def read_some(self) -> bool:
        """Read what is available; True if there may be more right now."""
        if self.eof:
            return False
        for _ in range(_READS_PER_PUMP):
            try:
                chunk = os.read(self.fd, _READ_CHUNK)
            except BlockingIOError:
                return False
            if not chunk:
                self.eof = True
                self._poller.unregister(self.fd)
                return False
            room = self.limit - len(self.buf)
            if len(chunk) > room:
                self.truncated = True  # keep reading and dropping: never block the child
                chunk = chunk[: max(room, 0)]
            self.buf += chunk
        return True

    def drain(self, bound: float) -> None:
        """Read until EOF, for at most ``bound`` seconds."""
        end = time.monotonic() + bound
        while not self.eof:
            left = end - time.monotonic()
            if left <= 0:
                return
            self.pump(left)

    def close(self) -> None:
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None


def _leader_exited(proc: subprocess.Popen[bytes]) -> bool:
    """Has the leader exited? Does not reap it, so its pid stays reserved."""
    if not hasattr(os, "waitid"):
        return proc.poll() is not None
    try:
        return os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True


def _open_pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except (OSError, AttributeError):
        return None


def _spawn(
    argv: tuple[str, ...], cwd: str, env: Mapping[str, str] | None, *, stdin: int | None = None
) -> subprocess.Popen[bytes]:
    """Start in a new session, stdin from /dev/null (or ``stdin``), stdout+stderr into
    one pipe."""
    try:
        return subprocess.Popen(
            argv,
            cwd=cwd,
            env=None if env is None else dict(env),
            stdin=subprocess.DEVNULL if stdin is None else stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
    except (FileNotFoundError, PermissionError, NotADirectoryError) as e:
        if e.filename == cwd and argv[0] != cwd:
            raise  # the working directory is the problem, not the executable
        exe = argv[0]
        reason = None
        if isinstance(e, PermissionError):
            reason = "permission denied"
        elif _is_pathlike(exe) and os.path.isfile(os.path.join(cwd, exe)):
            reason = "its #! interpreter is missing"
        raise ExecutableNotFound(exe, reason=reason) from e
    except OSError as e:
        if e.errno == errno.ENOEXEC:
            raise ExecutableNotFound(argv[0], reason="exec format error") from e
        raise


class Waiting:
    """A command started before its work is known (:func:`start_waiting`): it reads
    that work from its stdin. ``run_process(..., waiting=...)`` hands it over and runs
    it as any command from there; :meth:`discard` ends one that is not needed."""

    __slots__ = ("_group", "_proc", "_taken", "started")

    def __init__(self, proc: subprocess.Popen[bytes], group: _Group) -> None:
        self._proc = proc
        self._group = group
        self._taken = False
        self.started = time.monotonic()

    @property
    def pid(self) -> int:
        return self._proc.pid

    def take(self) -> tuple[subprocess.Popen[bytes], _Group]:
        """The process, once: for run_process."""
        with _lock:
            if self._taken:
                raise RuntimeError("this waiting process was already taken or discarded")
            self._taken = True
        return self._proc, self._group

    def discard(self) -> None:
        """Kill it if it was not taken (it holds nothing but its own start-up)."""
        try:
            proc, _ = self.take()
        except RuntimeError:
            return
        with contextlib.suppress(OSError):
            proc.kill()
        proc.wait()
        with _lock:
            _registry.pop(proc.pid, None)
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                pipe.close()


def start_waiting(
    argv: Sequence[str], *, cwd: str, env: Mapping[str, str] | None = None
) -> Waiting:
    """Start ``argv`` with a pipe for its stdin, registered (killed by :func:`kill_all`)
    like every command run here."""
    with _lock:
        epoch = _kill_epoch
    proc = _spawn(tuple(argv), cwd, env, stdin=subprocess.PIPE)
    group = _Group(proc.pid)
    with _lock:
        _registry[proc.pid] = group
        if _kill_epoch != epoch:
            group.killed = True
    return Waiting(proc, group)


def _hand_over(proc: subprocess.Popen[bytes], request: bytes) -> None:
    """Write ``request`` to the waiting process's stdin and close it. The pipe is empty
    and holds at least 64 KiB: a shorter request never blocks, whatever the process does."""
    assert proc.stdin is not None
    try:
        proc.stdin.write(request)
        proc.stdin.close()
    except OSError:  # it is gone already: its exit is what run_process reports
        with contextlib.suppress(OSError):
            proc.stdin.close()


# the most a waiting process is handed at once (see _hand_over): Linux's pipe capacity
REQUEST_LIMIT = 60_000


def run_process(
    argv: Sequence[str],
    *,
    cwd: str,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    deadline: float | None = None,
    kill_grace: float = 2.0,
    cancel: threading.Event | None = None,
    output_limit: int = 1_000_000,
    waiting: Waiting | None = None,
    request: bytes = b"",
) -> ProcessResult:
    """Run one command to completion, or kill its whole tree; never hang, never leak.

    ``argv`` is executed as given (no shell, no PATH rewriting: call
    :func:`resolve_argv` first for pre-commit semantics). ``timeout`` is seconds
    from now, None or 0 meaning no limit (the config's convention); ``deadline``
    is an absolute :func:`time.monotonic` value; the sooner one applies. A
    deadline already past or a cancel already set returns at once without
    starting anything. Raises ExecutableNotFound when the command cannot start.

    ``waiting``: a process already started (:func:`start_waiting`), handed ``request``
    on its stdin instead of starting ``argv``, which only names it in the result; it
    is discarded when nothing is to run.
    """
    argv_t = tuple(argv)
    if not argv_t:
        raise ValueError("run_process: empty command")
    if timeout is not None and timeout < 0:
        raise ValueError(f"run_process: negative timeout {timeout}")
    if output_limit < 0:
        raise ValueError(f"run_process: negative output_limit {output_limit}")
    if len(request) > REQUEST_LIMIT:
        raise ValueError(f"run_process: a request of {len(request)} bytes may block")
    start = time.monotonic()
    limit_at = deadline
    if timeout:
        limit_at = start + timeout if limit_at is None else min(limit_at, start + timeout)
    if cancel is not None and cancel.is_set():
        if waiting is not None:
            waiting.discard()
        return ProcessResult(argv_t, None, b"", False, 0.0, False, True)
    if limit_at is not None and limit_at <= start:
        if waiting is not None:
            waiting.discard()
        return ProcessResult(argv_t, None, b"", False, 0.0, True, False)

    if waiting is not None:
        proc, group = waiting.take()
        _hand_over(proc, request)
    else:
        with _lock:
            epoch = _kill_epoch
        proc = _spawn(argv_t, cwd, env)
        group = _Group(proc.pid)
        with _lock:
            _registry[proc.pid] = group
            if _kill_epoch != epoch:
                group.killed = True  # kill_all ran while we were spawning
    assert proc.stdout is not None
    cap = _Capture(proc.stdout.fileno(), output_limit, _open_pidfd(proc.pid))

    timed_out = cancelled = finished = False
    returncode: int | None = None
    try:
        while not _leader_exited(proc):
            if group.killed or (cancel is not None and cancel.is_set()):
                cancelled = True
                break
            now = time.monotonic()
            if limit_at is not None and now >= limit_at:
                timed_out = True
                break
            wait = None if limit_at is None else limit_at - now
            if cancel is not None or not cap.watches_exit:
                wait = _POLL_INTERVAL if wait is None else min(wait, _POLL_INTERVAL)
            cap.pump(wait)
        if timed_out or cancelled:
            leftovers = True
        else:
            # Reaping now is safe: the kernel keeps pid X reserved while any process
            # is still in group X, so killpg(X) below cannot hit a stranger.
            proc.wait()
            while cap.read_some():
                pass
            # The cheap checks first: a /proc walk costs milliseconds per batch.
            leftovers = not cap.eof or _group_exists(proc.pid)
        if leftovers:
            # Killed: the whole tree. Exited: whatever it left behind.
            _terminate([group], kill_grace, cap.pump)
            while cap.read_some():
                pass
            if not cap.eof:
                # Everything we know of is dead, yet someone still holds the pipe.
                holders = _pipe_writers(cap.inode)
                if holders:
                    with _lock:
                        group.known = {**group.known, **holders}
                    _terminate([group], kill_grace, cap.pump)
        finished = True
    finally:
        if not finished:  # e.g. KeyboardInterrupt in this thread: no grace
            _terminate([group], 0.0, time.sleep)
        with _lock:
            _registry.pop(proc.pid, None)
        try:
            returncode = proc.wait(timeout=_REAP_TIMEOUT)
        except subprocess.TimeoutExpired:
            returncode = None
        if finished:
            cap.drain(_DRAIN_TIMEOUT)
        cap.close()
        proc.stdout.close()

    cancelled = cancelled or group.killed
    return ProcessResult(
        argv=argv_t,
        returncode=None if (timed_out or cancelled) else returncode,
        output=bytes(cap.buf),
        truncated=cap.truncated,
        duration=time.monotonic() - start,
        timed_out=timed_out,
        cancelled=cancelled and not timed_out,
    )


# ----------------------------------------------------------------- global kill


def kill_all(grace: float = 0.5) -> int:
    """Kill every process tree started here that is still alive; return how many.

    For Ctrl-C, session end and atexit: SIGTERM, ``grace`` seconds, SIGKILL. Safe
    from any thread and from a signal handler (re-entrant lock, no waiting on
    other threads). The run_process calls concerned report ``cancelled``.
    """
    global _kill_epoch
    with _lock:
        _kill_epoch += 1  # a run_process between spawn and registration sees this
        groups = list(_registry.values())
    if not groups:
        return 0
    return _terminate(groups, grace, time.sleep, mark=True)


def live_process_groups() -> frozenset[int]:
    """Process group ids of the commands currently running."""
    with _lock:
        return frozenset(_registry)


def _after_fork_in_child() -> None:
    # A forked child must not believe it owns (and kill) its parent's hooks.
    global _lock, _registry
    _lock = threading.RLock()
    _registry = {}


os.register_at_fork(after_in_child=_after_fork_in_child)
atexit.register(kill_all)
