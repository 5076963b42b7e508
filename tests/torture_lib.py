"""Helpers for test_staged_torture.py: hook scripts, repository snapshots, random cases.

Nothing here imports pytest or the plugin: a case is built with plain git commands,
the user's state is captured before the run, and the state after the run is compared
with what the contract of ``pytest --hooks --hooks-staged`` promises.

A random case is built in two steps: ``plan_case`` draws everything from the seed
(files, staged and unstaged changes, hooks, the interruption), then ``build_case``
carries it out with git. The log of a plan is a shell-like recipe that reproduces it.
"""

from __future__ import annotations

import inspect
import json
import os
import random
import re
import shlex
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path


def _umask() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return 0o022  # pragma: no cover


UMASK = _umask()
FILE_MODE = 0o666 & ~UMASK  # what git gives a checked-out file
EXEC_MODE = 0o777 & ~UMASK  # ... and an executable one


def git(cwd: Path, *args: str, check: bool = True, input: bytes | None = None) -> bytes:
    proc = subprocess.run(("git", *args), cwd=cwd, capture_output=True, check=False, input=input)
    if check and proc.returncode != 0:
        raise RuntimeError(f"git {shlex.join(args)} failed in {cwd}: {proc.stderr.decode()}")
    return proc.stdout


def zsplit(out: bytes) -> list[str]:
    return [os.fsdecode(n) for n in out.split(b"\0") if n]


def init_repo(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.email", "test@example.com")
    git(path, "config", "user.name", "Test")
    git(path, "config", "commit.gpgsign", "false")


# --------------------------------------------------------------------------- hook scripts


def fix(data: bytes, prefix: bytes) -> bytes:
    """What every fixer hook does: text gets a prefix on its first line, binary a tail."""
    if b"\0" in data:
        return data + b"\0" + prefix
    return prefix + data


SCRIPTS = {
    # records its file names and the state of the work tree (and .git) as the hooks see it
    "probe": """
        import json, os, stat, sys
        out, paths_file, *files = sys.argv[1:]
        with open(paths_file) as f:
            paths = json.load(f)
        state = {}
        for p in paths:
            try:
                st = os.lstat(p)
            except FileNotFoundError:
                state[p] = None
                continue
            if stat.S_ISLNK(st.st_mode):
                state[p] = ["link", os.readlink(p)]
            elif stat.S_ISDIR(st.st_mode):
                state[p] = ["dir"]
            else:
                with open(p, "rb") as f:
                    state[p] = ["file", f.read().hex(), stat.S_IMODE(st.st_mode)]
        private = []
        for top, dirs, names in os.walk(".git"):
            dirs[:] = sorted(d for d in dirs if top != ".git" or d != "objects")
            private.append([top, stat.S_IMODE(os.stat(top).st_mode), sorted(names)])
        with open(out + ".tmp", "w") as f:
            json.dump({"argv": files, "state": state, "git": private}, f)
        os.replace(out + ".tmp", out)
    """,
    # a formatter: rewrites each file it is given (atomically, through a temp file)
    "fixer": """
        import os, stat, sys
        prefix, tmpdir, *files = sys.argv[1:]
        for name in files:
            with open(name, "rb") as f:
                data = f.read()
            tmp = os.path.join(tmpdir, f"fix-{os.getpid()}.tmp")
            with open(tmp, "wb") as f:
                f.write(fix(data, prefix.encode()))
            os.chmod(tmp, stat.S_IMODE(os.stat(name).st_mode))
            os.replace(tmp, name)
    """,
    # makes every file it is given executable (a shebang fixer): only the mode moves
    "chmodx": """
        import os, sys
        for name in sys.argv[1:]:
            os.chmod(name, os.stat(name).st_mode | 0o111)
    """,
    # a whole-tree formatter (pass_filenames: false): prefixes every .txt file it finds
    "format-tree": """
        import os, sys
        prefix = sys.argv[1].encode()
        for top, dirs, names in os.walk("."):
            dirs[:] = [d for d in dirs if d != ".git"]
            for name in names:
                if name.endswith(".txt"):
                    path = os.path.join(top, name)
                    with open(path, "rb") as f:
                        data = f.read()
                    with open(path, "wb") as f:
                        f.write(prefix + data)
    """,
    "fail": """
        import sys
        print("failing on purpose:", *sys.argv[1:])
        sys.exit(1)
    """,
    "crash": """
        raise RuntimeError("this hook crashed on purpose")
    """,
    # writes its pid to the marker once started, then hangs (stubborn: ignores SIGTERM)
    "hang": """
        import os, signal, sys, time
        marker, how = sys.argv[1], sys.argv[2]
        if os.environ.get("TORTURE_NO_HANG"):
            sys.exit(0)
        if how == "stubborn":
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        with open(marker + ".tmp", "w") as f:
            f.write(str(os.getpid()))
        os.replace(marker + ".tmp", marker)
        while True:
            time.sleep(3600)
    """,
    # ignores SIGTERM, starts a child that does the same, and both keep writing DATA
    # over TARGET: a slow formatter that would clobber a file restored too early
    "writer": """
        import os, signal, subprocess, sys, time
        marker, target, data_hex = sys.argv[1:4]
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if len(sys.argv) == 4:
            child = subprocess.Popen([sys.executable, "-S", __file__, *sys.argv[1:4], "child"])
            with open(marker + ".tmp", "w") as f:
                f.write(f"{os.getpid()} {child.pid}")
            os.replace(marker + ".tmp", marker)
        data = bytes.fromhex(data_hex)
        while True:
            with open(target, "wb") as f:
                f.write(data)
            time.sleep(0.005)
    """,
}


def _dedent(body: str) -> str:
    lines = [line for line in body.splitlines() if line.strip()]
    indent = min(len(line) - len(line.lstrip()) for line in lines)
    return "\n".join(line[indent:] for line in body.splitlines()).strip("\n") + "\n"


def write_scripts(directory: Path) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, body in SCRIPTS.items():
        source = _dedent(body)
        if name == "fixer":
            source = inspect.getsource(fix) + "\n\n" + source
        paths[name] = directory / f"{name}.py"
        paths[name].write_text(source)
    return paths


def entry(script: Path, *args: str | Path) -> str:
    return shlex.join([sys.executable, "-S", str(script), *map(str, args)])


def hook_yaml(id: str, entry: str, **extra: object) -> str:
    lines = [f"  - id: {id}", f"    name: {id}", f"    entry: {json.dumps(entry)}"]
    lines.append("    language: system")
    for key, value in extra.items():
        lines.append(f"    {key}: {json.dumps(value)}")
    return "\n".join(lines) + "\n"


CONFIG_HEAD = "repos:\n- repo: local\n  hooks:\n"

EXCEPTION_CONFTEST = """\
def pytest_runtest_logreport(report):
    if report.when == "call":
        raise RuntimeError("torture: an exception inside the pytest run")
"""


# --------------------------------------------------------------------------- snapshots

# ("file", bytes, permission bits) | ("link", target) ; None: absent
Entry = tuple[str, bytes, int] | tuple[str, str] | None

SKIP_DIRS = {".git", "__pycache__", ".pytest_cache"}


def entry_of(path: Path) -> Entry:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(st.st_mode):
        return ("link", os.readlink(path))
    return ("file", path.read_bytes(), stat.S_IMODE(st.st_mode))


def tree(root: Path) -> dict[str, Entry]:
    """Every file of the work tree (not .git), with bytes and permission bits."""
    out: dict[str, Entry] = {}
    for top, dirs, names in os.walk(root):
        rel = Path(top).relative_to(root)
        keep = []
        for d in sorted(dirs):
            if d in SKIP_DIRS:
                continue
            if os.path.islink(os.path.join(top, d)):
                names.append(d)
            else:
                keep.append(d)
        dirs[:] = keep
        for name in names:
            key = (rel / name).as_posix()
            out[key] = entry_of(root / key)
    return out


def full_stat(path: Path) -> tuple[bytes, int, int, int]:
    st = os.lstat(path)
    return (path.read_bytes(), st.st_mode, st.st_mtime_ns, st.st_ino)


def index_state(root: Path) -> tuple[str, str]:
    """The index as the user staged it: entries (with stages) and the staged diff."""
    return (
        os.fsdecode(git(root, "ls-files", "-s", "-z")),
        os.fsdecode(git(root, "diff", "--cached", "--name-status", "-z")),
    )


def index_entries(root: Path) -> dict[str, tuple[str, str]]:
    """path -> (mode, blob) of the stage-0 entries; unmerged paths get mode "unmerged"."""
    out = {}
    for record in zsplit(git(root, "ls-files", "-s", "-z")):
        meta, _, name = record.partition("\t")
        mode, blob, stage = meta.split()
        out[name] = (mode, blob) if stage == "0" else ("unmerged", "")
    return out


def git_dirs(root: Path) -> dict[str, int]:
    """Directories under .git (objects/ aside) -> permission bits."""
    out = {}
    for top, dirs, _names in os.walk(root / ".git"):
        rel = Path(top).relative_to(root).as_posix()
        dirs[:] = sorted(d for d in dirs if rel != ".git" or d != "objects")
        out[rel] = stat.S_IMODE(os.stat(top).st_mode)
    return out


def git_files(root: Path) -> set[str]:
    """Files under .git that are not objects, refs or reflogs: where saved state would be."""
    out = set()
    base = root / ".git"
    for top, dirs, names in os.walk(base):
        rel = Path(top).relative_to(base)
        if rel == Path("."):
            dirs[:] = [d for d in dirs if d not in ("objects", "refs", "logs", "hooks", "info")]
        for name in names:
            out.add((rel / name).as_posix())
    return out


PATCH_RE = re.compile(r"git apply(?:\s+--?[\w-]+)*\s+('[^']+'|\"[^\"]+\"|[^\s)'\"]+)")


def patch_paths(output: str) -> list[Path]:
    """Patch files named in `git apply PATH` commands of the output."""
    found = []
    for match in PATCH_RE.finditer(output):
        path = Path(shlex.split(match.group(1))[0])
        if path not in found:
            found.append(path)
    return found


RESTORE_RE = re.compile(
    r"((?:cd \S+ && )?git apply [^\n(]*?|\S+ -m pytest_hookrun\.stash restore \S+)\s*(?:\(|$)",
    re.MULTILINE,
)


def restore_command(output: str) -> str | None:
    """The printed shell command that restores saved changes (`[cd DIR && ]git apply ...`)."""
    match = RESTORE_RE.search(output)
    return match.group(1) if match else None


@dataclass
class UserState:
    """What the user has before the run: the things the run must give back."""

    tree: dict[str, Entry]
    index: tuple[str, str]
    entries: dict[str, tuple[str, str]]
    untracked: dict[str, tuple[bytes, int, int, int]]
    staged: list[str]  # what hooks must be given: `git diff --cached` A/C/M/R/T/U/X/B
    ita: set[str]
    views: dict[str, bytes]  # the staged content as checked out (filters, eol)
    git_dirs: dict[str, int]
    git_files: set[str]

    def has_unstaged(self) -> bool:
        return bool(self.ita) or any(self.tree.get(p) != self.staged_entry(p) for p in self.views)

    def staged_entry(self, path: str) -> Entry:
        mode = self.entries[path][0]
        return ("file", self.views[path], EXEC_MODE if mode == "100755" else FILE_MODE)

    def probe_paths(self) -> list[str]:
        return sorted(set(self.tree) | set(self.entries))


def capture(root: Path) -> UserState:
    entries = index_entries(root)
    ita = set(zsplit(git(root, "diff", "--no-renames", "--name-only", "--diff-filter=A", "-z")))
    views = {}
    for path, (mode, _blob) in entries.items():
        if path in ita or mode not in ("100644", "100755"):
            continue
        views[path] = git(root, "cat-file", "--filters", f":{path}")
    untracked = {p: full_stat(root / p) for p in zsplit(git(root, "ls-files", "-o", "-z"))}
    staged = zsplit(git(root, "diff", "--cached", "--name-only", "-z", "--diff-filter=ACMRTUXB"))
    return UserState(
        tree=tree(root),
        index=index_state(root),
        entries=entries,
        untracked=untracked,
        staged=sorted(staged),
        ita=ita,
        views=views,
        git_dirs=git_dirs(root),
        git_files=git_files(root),
    )


def show(entry: Entry, limit: int = 160) -> str:
    if entry is None:
        return "<absent>"
    if entry[0] == "link":
        return f"<link -> {entry[1]}>"
    data = entry[1]
    assert isinstance(data, bytes)
    text = repr(data if len(data) <= limit else data[:limit] + b"...")
    return f"{text} mode {entry[2]:o}"


# --------------------------------------------------------------------------- random plans

KINDS = ("text", "crlf", "binary", "empty")
EXT = {"text": ".txt", "crlf": ".crlf", "binary": ".bin", "empty": ".txt"}
DIRS = ("", "", "", "src/", "dir a/", "d/e/")
STEMS = ("f", "f", "f", "data", "\u00fcn\u00ef", "sp ace", "-dash", "q'uote", 'dq"x')


@dataclass
class FilePlan:
    name: str
    kind: str
    exec: bool
    staged: str = "none"  # none|edit|chmod|edit+chmod|rm|rm-cached|mv|new|ita
    moved_to: str | None = None
    unstaged: str = "none"  # none|far|near|mode|far+mode|near+mode|delete


@dataclass
class Plan:
    seed: int
    files: list[FilePlan]
    untracked: list[str]
    attrs: bool
    fixers: dict[str, tuple[str, list[str]]]  # hook id -> (prefix, target names)
    others: list[str]  # fail, crash, slow (timeout)
    interrupt: str  # none|SIGINT|SIGTERM|SIGKILL
    hanger_first: bool
    stubborn: bool
    delay: float
    exception: bool
    rerun_staged: bool
    order: list[str] = field(default_factory=list)  # hook ids in config order
    log: list[str] = field(default_factory=list)
    rng_state: object = None  # where building the case picks up the seed's stream

    def index_names(self) -> list[str]:
        """Names in the index after the staged changes (intent-to-add aside)."""
        out = []
        for f in self.files:
            if f.staged in ("rm", "rm-cached", "ita"):
                continue
            out.append(f.moved_to or f.name)
        return out

    def hook_ids(self) -> list[str]:
        return list(self.order)

    def describe(self) -> str:
        parts = [
            f"seed {self.seed}: {len(self.files)} files, interrupt={self.interrupt}",
            f"hanger_first={self.hanger_first} stubborn={self.stubborn} delay={self.delay:.3f}",
            f"exception={self.exception} attrs={self.attrs} rerun_staged={self.rerun_staged}",
            f"hooks (config order): {self.order}",
        ]
        for hook_id, (prefix, targets) in self.fixers.items():
            parts.append(f"  {hook_id}: prefix {prefix!r} on {targets}")
        for f in self.files:
            parts.append(
                f"  {f.name!r}: {f.kind}{' +x' if f.exec else ''}, staged {f.staged}"
                + (f" -> {f.moved_to!r}" if f.moved_to else "")
                + f", unstaged {f.unstaged}"
            )
        return "\n".join(parts)


def plan_case(seed: int, *, interrupts: bool = True) -> Plan:
    rng = random.Random(seed)
    counter = iter(range(100))

    def new_name(kind: str) -> str:
        stem = rng.choice(STEMS)
        return f"{rng.choice(DIRS)}{stem}{next(counter):02d}{EXT[kind]}"

    def new_kind() -> str:
        return rng.choices(KINDS, weights=(55, 20, 15, 10))[0]

    files = []
    for _ in range(rng.randint(5, 15)):
        kind = new_kind()
        f = FilePlan(new_name(kind), kind, rng.random() < 0.25)
        f.staged = rng.choices(
            ("none", "edit", "chmod", "edit+chmod", "rm", "rm-cached", "mv"),
            weights=(35, 30, 8, 5, 7, 3, 6),
        )[0]
        if f.staged == "mv":
            f.moved_to = new_name(kind)
        files.append(f)
    for _ in range(rng.choice((0, 0, 1, 2))):
        kind = new_kind()
        files.append(FilePlan(new_name(kind), kind, rng.random() < 0.25, staged="new"))
    for _ in range(rng.choice((0, 0, 1, 2))):
        kind = new_kind()
        files.append(FilePlan(new_name(kind), kind, rng.random() < 0.25, staged="ita"))
    for f in files:
        if f.staged in ("rm", "rm-cached", "ita"):
            continue
        f.unstaged = rng.choices(
            ("none", "far", "near", "mode", "far+mode", "near+mode", "delete"),
            weights=(35, 22, 10, 10, 7, 4, 12),
        )[0]
    untracked = [
        f"{rng.choice(DIRS)}notes{i}{rng.choice(('.txt', '.ign'))}"
        for i in range(rng.randint(1, 3))
    ]
    interrupt = "none"
    if interrupts:
        interrupt = rng.choices(("none", "SIGINT", "SIGTERM", "SIGKILL"), weights=(70, 10, 10, 10))[
            0
        ]
    fixers: dict[str, tuple[str, list[str]]] = {}
    candidates = [f.moved_to or f.name for f in files if f.staged not in ("rm", "rm-cached", "ita")]
    rng.shuffle(candidates)
    for number in range(1, rng.choices((0, 1, 2), weights=(20, 50, 30))[0] + 1):
        targets = [c for c in candidates if rng.random() < 0.45]
        candidates = [c for c in candidates if c not in targets]
        fixers[f"fix-{number}"] = (f"FIX{number}-", sorted(targets))
    others = []
    if rng.random() < 0.3:
        others.append("fail")
    if rng.random() < 0.2:
        others.append("crash")
    if interrupt == "none" and rng.random() < 0.15:
        others.append("slow")
    exception = interrupt == "none" and rng.random() < 0.08
    plan = Plan(
        seed=seed,
        files=files,
        untracked=untracked,
        attrs=rng.random() < 0.3,
        fixers=fixers,
        others=others,
        interrupt=interrupt,
        hanger_first=rng.random() < 0.5,
        stubborn=rng.random() < 0.5,
        delay=rng.uniform(0, 0.25),
        exception=exception,
        rerun_staged=rng.random() < 0.5,
    )
    middle = [*fixers, *others]
    rng.shuffle(middle)
    order = ["probe", *middle]
    if interrupt != "none":
        order.insert(1 if plan.hanger_first else len(order), "hang")
    plan.order = order
    plan.rng_state = rng.getstate()
    return plan


# --------------------------------------------------------------------------- contents


def _token(rng: random.Random) -> str:
    return f"{rng.randrange(10**9):09d}"


def make_content(rng: random.Random, kind: str, name: str) -> bytes:
    if kind == "empty":
        return b""
    if kind == "binary":
        data = bytearray(rng.randrange(256) for _ in range(rng.randint(16, 200)))
        data.insert(rng.randrange(len(data)), 0)
        return bytes(data)
    eol = "\r\n" if kind == "crlf" else "\n"
    lines = [f"{name} line {k:02d} {_token(rng)}" for k in range(rng.randint(10, 20))]
    text = eol.join(lines) + (eol if rng.random() < 0.85 else "")
    return text.encode()


def _eol(data: bytes) -> bytes:
    return b"\r\n" if b"\r\n" in data else b"\n"


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def is_lines(data: bytes) -> bool:
    """Text with at least 10 lines: far edits (line 6 on) are possible."""
    return b"\0" not in data and len(_lines(data)) >= 10


def staged_edit(rng: random.Random, data: bytes, name: str) -> bytes:
    if b"\0" in data:
        out = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out) + b"\0staged" + _token(rng).encode()
    if not data:
        return f"{name} was empty {_token(rng)}\n".encode()
    eol = _eol(data)
    open_end = not data.endswith(b"\n")
    lines = [line.rstrip(b"\r\n") + eol for line in _lines(data)]
    for _ in range(rng.randint(1, 3)):
        lines[rng.randrange(len(lines))] = f"staged {name} {_token(rng)}".encode() + eol
    if rng.random() < 0.3:
        lines.insert(rng.randrange(len(lines) + 1), f"staged insert {_token(rng)}".encode() + eol)
    out = b"".join(lines)
    return out[: -len(eol)] if open_end else out


def far_edit(rng: random.Random, data: bytes, name: str) -> bytes:
    """Changes only from line 6 on (lines 0-5 untouched): merges cleanly with a line-0 fix."""
    lines, eol = _lines(data), _eol(data)
    for _ in range(rng.randint(1, 2)):
        what = rng.choice(("replace", "insert", "delete", "append", "newline"))
        k = rng.randrange(6, len(lines)) if len(lines) > 6 else len(lines)
        if what == "replace" and k < len(lines):
            end = lines[k][len(lines[k].rstrip(b"\r\n")) :]
            lines[k] = f"unstaged {name} {_token(rng)}".encode() + end
        elif what == "insert" and k < len(lines):
            lines.insert(k, f"unstaged insert {_token(rng)}".encode() + eol)
        elif what == "delete" and k < len(lines) and len(lines) > 8:
            del lines[k]
        elif what == "newline" and lines:
            last = lines[-1]
            lines[-1] = last.rstrip(b"\r\n") if last.endswith(b"\n") else last + eol
        else:
            if lines and not lines[-1].endswith(b"\n"):
                lines[-1] += eol
            lines.append(f"unstaged append {_token(rng)}".encode() + eol)
    out = b"".join(lines)
    if out == data:
        out += f"unstaged tail {_token(rng)}".encode() + eol
    return out


def near_edit(rng: random.Random, data: bytes, name: str) -> bytes:
    """A change of the first line (or of binary bytes): conflicts with a fix."""
    if b"\0" in data:
        out = bytearray(data)
        out[0] = (out[0] + 1) % 256
        return bytes(out) + b"\0unstaged" + _token(rng).encode()
    if not data or rng.random() < 0.1:
        return f"unstaged {name} {_token(rng)}\n".encode() if not data else b""
    lines = _lines(data)
    end = lines[0][len(lines[0].rstrip(b"\r\n")) :]
    lines[0] = f"unstaged first {name} {_token(rng)}".encode() + end
    if is_lines(data) and rng.random() < 0.5:
        return far_edit(rng, b"".join(lines), name)
    return b"".join(lines)


# --------------------------------------------------------------------------- building


def config_text(plan: Plan, scripts: dict[str, Path], side: Path) -> str:
    text = CONFIG_HEAD
    for hook_id in plan.order:
        if hook_id == "probe":
            text += hook_yaml(
                "probe",
                entry(scripts["probe"], side / "probe.json", side / "paths.json"),
                always_run=True,
                read_only=True,
                require_serial=True,
            )
        elif hook_id in plan.fixers:
            prefix, targets = plan.fixers[hook_id]
            pattern = "^(?:" + "|".join(re.escape(t) for t in targets) + ")$" if targets else "^$"
            text += hook_yaml(hook_id, entry(scripts["fixer"], prefix, side / "tmp"), files=pattern)
        elif hook_id == "fail":
            text += hook_yaml("fail", entry(scripts["fail"]), read_only=True)
        elif hook_id == "crash":
            text += hook_yaml("crash", entry(scripts["crash"]), read_only=True)
        elif hook_id == "slow":
            text += hook_yaml(
                "slow",
                entry(scripts["hang"], side / "slow-marker", "plain"),
                timeout=1,
                pass_filenames=False,
                always_run=True,
                read_only=True,
            )
        elif hook_id == "hang":
            text += hook_yaml(
                "hang",
                entry(scripts["hang"], side / "marker", "stubborn" if plan.stubborn else "plain"),
                pass_filenames=False,
                always_run=True,
                read_only=True,
                depends_on=["probe"],
            )
    return text


def build_case(plan: Plan, root: Path, side: Path, scripts: dict[str, Path]) -> None:
    """Carry out the plan with git; plan.log gets a recipe a person can replay."""
    rng = random.Random()
    rng.setstate(plan.rng_state)
    log = plan.log
    side.mkdir(parents=True, exist_ok=True)
    (side / "tmp").mkdir(exist_ok=True)
    init_repo(root)

    def write(name: str, data: bytes, executable: bool) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        path.chmod(EXEC_MODE if executable else FILE_MODE)
        log.append(f"write {name!r} {len(data)} bytes {'+x' if executable else '-x'}")

    def run(*args: str) -> None:
        git(root, *args)
        log.append("git " + shlex.join(args))

    if plan.attrs:
        write(".gitattributes", b"*.crlf text eol=crlf\n", False)
    write(".gitignore", b"*.ign\n", False)
    contents: dict[str, bytes] = {}
    modes: dict[str, bool] = {}
    for f in plan.files:
        if f.staged in ("new", "ita"):
            continue
        contents[f.name] = make_content(rng, f.kind, f.name)
        modes[f.name] = f.exec
        write(f.name, contents[f.name], f.exec)
    (root / ".pre-commit-config.yaml").write_text(config_text(plan, scripts, side))
    log.append("write .pre-commit-config.yaml (see config)")
    run("add", "-A")
    run("commit", "-q", "--no-verify", "-m", "base")
    # staged changes
    for f in plan.files:
        name = f.name
        if f.staged in ("edit", "edit+chmod"):
            contents[name] = staged_edit(rng, contents[name], name)
            write(name, contents[name], modes[name])
        if f.staged in ("chmod", "edit+chmod"):
            modes[name] = not modes[name]
            write(name, contents[name], modes[name])
        if f.staged in ("edit", "chmod", "edit+chmod"):
            run("add", "--", name)
        elif f.staged == "rm":
            run("rm", "-q", "--", name)
            del contents[name]
        elif f.staged == "rm-cached":
            run("rm", "-q", "--cached", "--", name)
            del contents[name]
        elif f.staged == "mv":
            assert f.moved_to is not None
            (root / f.moved_to).parent.mkdir(parents=True, exist_ok=True)
            run("mv", "--", name, f.moved_to)
            contents[f.moved_to] = contents.pop(name)
            modes[f.moved_to] = modes.pop(name)
            if rng.random() < 0.5:
                contents[f.moved_to] = staged_edit(rng, contents[f.moved_to], f.moved_to)
                write(f.moved_to, contents[f.moved_to], modes[f.moved_to])
                run("add", "--", f.moved_to)
        elif f.staged in ("new", "ita"):
            contents[name] = make_content(rng, f.kind, name)
            modes[name] = f.exec
            write(name, contents[name], f.exec)
            run("add", *(["-N"] if f.staged == "ita" else []), "--", name)
    # unstaged changes
    for f in plan.files:
        name = f.moved_to or f.name
        if f.unstaged == "none":
            continue
        data = contents[name]
        if f.unstaged in ("far", "far+mode") and not is_lines(data):
            f.unstaged = f.unstaged.replace("far", "near")
        if f.unstaged.startswith("far"):
            data = far_edit(rng, data, name)
        elif f.unstaged.startswith("near"):
            data = near_edit(rng, data, name)
        if f.unstaged == "delete":
            (root / name).unlink()
            log.append(f"rm {name!r}")
            continue
        if f.unstaged.endswith("mode"):
            modes[name] = not modes[name]
        write(name, data, modes[name])
    for name in plan.untracked:
        write(name, f"untracked {name} {_token(rng)}\n".encode(), rng.random() < 0.2)
    if plan.exception:
        (root / "conftest.py").write_text(EXCEPTION_CONFTEST)
        log.append("write conftest.py (raises in pytest_runtest_logreport)")


# --------------------------------------------------------------------------- expectations


@dataclass
class Expectation:
    accept: dict[str, list[Entry]]  # path -> acceptable final entries
    conflicts: set[str]  # paths whose hook fixes must go to a patch
    maybe_conflicts: set[str]
    fixed: dict[str, bytes]  # path -> the hook's fixed content (for the patch check)


def expect(plan: Plan, user: UserState, *, fixes: str) -> Expectation:
    """The work tree the contract promises. fixes: "all", "none" or "maybe" (ran or not)."""
    accept: dict[str, list[Entry]] = {}
    conflicts: set[str] = set()
    maybe: set[str] = set()
    fixed: dict[str, bytes] = {}
    unstaged = {(f.moved_to or f.name): f.unstaged for f in plan.files}
    prefix_of = {t: p for p, targets in plan.fixers.values() for t in targets}
    for path in sorted(set(user.tree) | set(user.entries)):
        if path in user.untracked:
            continue
        mine = user.tree.get(path)
        options: list[Entry] = [mine]
        given = path in user.staged and path in prefix_of and path in user.views
        if given and fixes != "none":
            base = user.views[path]
            fixed[path] = fix(base, prefix_of[path].encode())
            how = unstaged.get(path, "none")
            merged: Entry
            if mine is None:
                merged, conflict = None, True
            elif mine[1] == base:  # no unstaged content change (maybe a mode change)
                merged, conflict = ("file", fixed[path], mine[2]), False  # type: ignore[misc]
            elif how in ("far", "far+mode"):
                merged, conflict = ("file", fix(mine[1], prefix_of[path].encode()), mine[2]), False  # type: ignore[arg-type, misc]
            else:
                merged, conflict = mine, True
            if fixes == "all":
                options = [merged]
                if conflict:
                    conflicts.add(path)
            else:
                options.append(merged)
                if conflict:
                    maybe.add(path)
        accept[path] = options
    return Expectation(accept, conflicts, maybe, fixed)


@dataclass
class Problem:
    category: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.category}] {self.detail}"


def check_tree(user: UserState, after: dict[str, Entry], exp: Expectation) -> list[Problem]:
    problems = []
    for path, options in exp.accept.items():
        got = after.get(path)
        if got in options:
            continue
        mine = user.tree.get(path)
        staged = user.staged_entry(path) if path in user.views else None
        if (
            mine != staged
            and got != mine
            and not any(o is not None and o != mine and got == o for o in options)
        ):
            category = "LOST-UNSTAGED-CHANGE"
        elif got == mine:
            category = "fix-not-merged"
        else:
            category = "wrong-content"
        problems.append(
            Problem(
                category,
                f"{path!r}: got {show(got)}; expected one of {[show(o) for o in options]}; "
                f"user's {show(mine)}; staged {show(staged)}",
            )
        )
    for path in sorted(set(after) - set(exp.accept) - set(user.untracked)):
        problems.append(Problem("unexpected-file", f"{path!r}: {show(after[path])}"))
    return problems


def check_untracked(user: UserState, root: Path) -> list[Problem]:
    problems = []
    for path, before in user.untracked.items():
        try:
            now = full_stat(root / path)
        except FileNotFoundError:
            problems.append(Problem("UNTRACKED-TOUCHED", f"{path!r} is gone"))
            continue
        if now != before:
            what = [
                k
                for k, a, b in zip(("bytes", "mode", "mtime", "inode"), before, now, strict=False)
                if a != b
            ]
            problems.append(Problem("UNTRACKED-TOUCHED", f"{path!r}: {', '.join(what)} changed"))
    return problems


def check_probe(user: UserState, probe_file: Path) -> list[Problem]:
    """The hooks saw the staged content and were given the staged files only."""
    if not probe_file.exists():
        return [Problem("probe-missing", "the probe hook did not run")]
    data = json.loads(probe_file.read_text())
    problems = []
    if sorted(data["argv"]) != user.staged:
        problems.append(
            Problem("hook-files", f"hooks were given {sorted(data['argv'])}, staged {user.staged}")
        )
    for path, seen in data["state"].items():
        if path in user.ita:
            continue  # not in the index proper: either way is right
        if path in user.untracked:
            entry = user.untracked[path]
            want: object = ["file", entry[0].hex(), stat.S_IMODE(entry[1])]
        elif path in user.views:
            mode = user.entries[path][0]
            if (
                seen is None
                or seen[0] != "file"
                or bytes.fromhex(seen[1]) != user.views[path]
                or bool(seen[2] & 0o100) != (mode == "100755")
            ):
                problems.append(
                    Problem(
                        "STAGED-VIEW",
                        f"{path!r}: hooks saw {seen if seen is None else [*seen[:1], bytes.fromhex(seen[1])[:80], oct(seen[2])]};"
                        f" staged {user.views[path][:80]!r} mode {mode}",
                    )
                )
            continue
        elif path in user.entries:
            continue  # a symlink or submodule: not generated here
        else:
            want = None
        if seen != want:
            problems.append(Problem("STAGED-VIEW", f"{path!r}: hooks saw {seen}, expected {want}"))
    if user.has_unstaged():
        before = set(user.git_dirs)
        new = {d: mode for d, mode, _ in data["git"] if d not in before}
        files_in = {d for d, _, names in data["git"] if names}
        private = [d for d, mode in new.items() if mode == 0o700]
        holders = [d for d in files_in if any(d == p or d.startswith(p + "/") for p in private)]
        if not private or not holders:
            problems.append(
                Problem("private-dir", f"no new 0700 directory holding files in .git: {new}")
            )
        for d in new:
            if not any(d == p or d.startswith(p + "/") for p in private):
                problems.append(Problem("private-dir", f"{d} is not inside a 0700 directory"))
    return problems


def check_patches(
    output: str, exp: Expectation, user: UserState, scratch: Path, *, required: set[str]
) -> list[Problem]:
    """Conflicting fixes: a patch is named with `git apply`, and it turns staged into fixed."""
    if not required and not exp.maybe_conflicts:
        return []
    patches = patch_paths(output)
    if not patches:
        if required:
            return [
                Problem("no-fix-patch", f"conflicts in {sorted(required)}, no `git apply PATH`")
            ]
        return []
    problems = []
    for patch in patches:
        if not patch.exists():
            problems.append(Problem("no-fix-patch", f"{patch} is named but does not exist"))
    if problems or not required:
        return problems
    # every file a hook fixed, as staged (a patch may also carry fixes that were merged)
    scratch.mkdir(parents=True, exist_ok=True)
    for path in exp.fixed:
        (scratch / path).parent.mkdir(parents=True, exist_ok=True)
        (scratch / path).write_bytes(user.views[path])
        (scratch / path).chmod(EXEC_MODE if user.entries[path][0] == "100755" else FILE_MODE)
    for patch in patches:
        proc = subprocess.run(
            ("git", "apply", str(patch)), cwd=scratch, capture_output=True, check=False
        )
        if proc.returncode != 0:
            problems.append(
                Problem(
                    "fix-patch",
                    f"`git apply {patch}` on the staged versions failed: {proc.stderr.decode()}",
                )
            )
    if problems:
        return problems
    for path in required:
        got = (scratch / path).read_bytes()
        if got != exp.fixed[path]:
            problems.append(
                Problem(
                    "fix-patch", f"{path!r}: patch gives {got[:80]!r}, fix {exp.fixed[path][:80]!r}"
                )
            )
    return problems


def check_leftovers(user: UserState, root: Path, output: str) -> list[Problem]:
    allowed = {p.resolve() for p in patch_paths(output)}
    new = sorted(
        p for p in git_files(root) - user.git_files if (root / ".git" / p).resolve() not in allowed
    )
    return [Problem("leftover-state", f".git/{p}") for p in new]
