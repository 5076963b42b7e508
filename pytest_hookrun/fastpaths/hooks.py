"""The hooks of pre-commit/pre-commit-hooks, in-process, as their console scripts behave.

Each function mirrors the ``main`` of one module of pre_commit_hooks (6.0.0; the older
releases in ``SUPPORTED_VERSIONS`` differ only where a ``version`` argument says): the same
argparse parser, the same messages, the same writes. Where the original would die with a
traceback, we raise instead and the runner runs the original.
"""

from __future__ import annotations

import argparse
import ast
import functools
import io
import json
import math
import os
import re
import subprocess
import sys
import tokenize
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from ..parsewarnings import PARSED
from ._base import Console, FastPathError, Files, Impl, git

# ---------------------------------------------------------------- trailing-whitespace-fixer

# A line whose body (the line less its \n or \r\n) ends in ASCII whitespace has one of
# these before a \n, or ends the file with one: a file with neither is left alone without
# looking at each line. (Five substring searches take half the time of one regex scan.)
_WS_END = frozenset(b" \t\x0b\x0c\r")
_WS_BEFORE_NEWLINE = (b" \n", b"\t\n", b"\r\n", b"\x0b\n", b"\x0c\n")


def _may_have_trailing_whitespace(data: bytes) -> bool:
    return (data[-1] in _WS_END if data else False) or any(
        needle in data for needle in _WS_BEFORE_NEWLINE
    )


def _process_line(line: bytes, is_markdown: bool, chars: bytes | None) -> bytes:
    if line[-2:] == b"\r\n":
        eol = b"\r\n"
        line = line[:-2]
    elif line[-1:] == b"\n":
        eol = b"\n"
        line = line[:-1]
    else:
        eol = b""
    # preserve trailing two-space for non-blank lines in markdown files
    if is_markdown and (not line.isspace()) and line.endswith(b"  "):
        return line[:-2].rstrip(chars) + b"  " + eol
    return line.rstrip(chars) + eol


def _strip_trailing(data: bytes, is_markdown: bool, chars: bytes | None) -> bytes:
    if chars is None and not _may_have_trailing_whitespace(data):
        return data
    lines = io.BytesIO(data).readlines()
    return b"".join(_process_line(line, is_markdown, chars) for line in lines)


def trailing_whitespace_fixer(con: Console, fs: Files, argv: Sequence[str]) -> int:
    """``trailing-whitespace-fixer``: strip whitespace at the end of lines."""
    parser = con.parser()
    parser.add_argument(
        "--no-markdown-linebreak-ext",
        action="store_true",
        help=argparse.SUPPRESS,
    )
    parser.add_argument(
        "--markdown-linebreak-ext",
        action="append",
        default=[],
        metavar="*|EXT[,EXT,...]",
        help=("Markdown extensions (or *) to not strip linebreak spaces.  default: %(default)s"),
    )
    parser.add_argument(
        "--chars",
        help=(
            "The set of characters to strip from the end of lines.  "
            "Defaults to all whitespace characters."
        ),
    )
    parser.add_argument("filenames", nargs="*", help="Filenames to fix")
    args = parser.parse_args(argv)

    if args.no_markdown_linebreak_ext:
        con.print("--no-markdown-linebreak-ext now does nothing!")

    md_args: list[str] = args.markdown_linebreak_ext
    if "" in md_args:
        parser.error("--markdown-linebreak-ext requires a non-empty argument")
    all_markdown = "*" in md_args
    # normalize extensions; split at ',', lowercase, and force 1 leading '.'
    md_exts = ["." + x.lower().lstrip(".") for x in ",".join(md_args).split(",")]

    # reject probable "eaten" filename as extension: skip leading '.' with [1:]
    for ext in md_exts:
        if any(c in ext[1:] for c in r"./\:"):
            parser.error(
                f"bad --markdown-linebreak-ext extension "
                f"{ext!r} (has . / \\ :)\n"
                f"  (probably filename; use '--markdown-linebreak-ext=EXT')",
            )
    chars = None if args.chars is None else args.chars.encode()
    return_code = 0
    for filename in args.filenames:
        _, extension = os.path.splitext(filename.lower())
        md = all_markdown or extension in md_exts
        data = fs.read(filename)
        new = _strip_trailing(data, md, chars)
        if new != data:
            fs.write(filename, data, new)
            con.print(f"Fixing {filename}")
            return_code = 1
    return return_code


# ----------------------------------------------------------------------- end-of-file-fixer


def _fix_end_of_file(data: bytes) -> bytes:
    """``fix_file``'s result: one line ending at the end of a non-empty file."""
    if not data:
        return data
    if data[-1:] not in (b"\n", b"\r"):
        return data + b"\n"
    body = data.rstrip(b"\r\n")
    if not body:  # only line breaks: the file becomes empty
        return b""
    remaining = data[len(body) :]
    for sequence in (b"\n", b"\r\n", b"\r"):
        if remaining == sequence:
            return data
        elif remaining.startswith(sequence):
            return data[: len(body) + len(sequence)]
    return data  # pragma: no cover (remaining starts with \n or \r)


def end_of_file_fixer(con: Console, fs: Files, argv: Sequence[str]) -> int:
    """``end-of-file-fixer``: exactly one line ending at the end of each file."""
    parser = con.parser()
    parser.add_argument("filenames", nargs="*", help="Filenames to fix")
    args = parser.parse_args(argv)

    retv = 0
    for filename in args.filenames:
        data = fs.read(filename, writable=True)  # the original opens every file rb+
        new = _fix_end_of_file(data)
        if new != data:
            fs.write(filename, data, new)
            con.print(f"Fixing {filename}")
            retv = 1
    return retv


# -------------------------------------------------------------------------- check-yaml

_UNSAFE_HELP = (
    "Instead of loading the files, simply parse them for syntax.  "
    "A syntax-only check enables extensions and unsafe {} "
    "which would otherwise be forbidden.  Using this option removes "
    "all guarantees of portability to other yaml implementations.  "
    "Implies --allow-multiple-documents"
)


@functools.cache
def yaml_supported() -> bool:
    """Whether this process's ruamel.yaml is one we verified, with its pure-Python parser.

    The fast check-yaml reports what the ruamel.yaml *of this process* finds: it matches
    the hook's environment when that installed the same release (the newest, when both
    were installed recently). A C parser (ruamel.yaml.clib) words errors differently.
    """
    try:
        import ruamel.yaml
        import ruamel.yaml.parser
    except ImportError:
        return False
    version = tuple(getattr(ruamel.yaml, "version_info", ()))[:2]
    if version != (0, 19):
        return False
    return ruamel.yaml.YAML(typ="safe").Parser is ruamel.yaml.parser.Parser


def _new_yaml() -> Any:
    """``ruamel.yaml.YAML(typ='safe')`` that refuses (rather than warns) where it would warn.

    The real hook's warnings go to its stderr with paths into its environment, which we
    cannot reproduce: such a file is left to the real hook.
    """
    import ruamel.yaml
    import ruamel.yaml.composer
    import ruamel.yaml.constructor
    import ruamel.yaml.events

    class Composer(ruamel.yaml.composer.Composer):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if not self.parser.check_event(ruamel.yaml.events.AliasEvent):
                anchor = self.parser.peek_event().anchor
                if anchor is not None and self.warn_double_anchors and anchor in self.anchors:
                    raise FastPathError("ruamel.yaml warns of a duplicate anchor")
            return super().compose_node(parent, index)

    class Constructor(ruamel.yaml.constructor.SafeConstructor):
        def construct_yaml_float(self, node: Any) -> Any:
            if self.resolver.processing_version != (1, 2):  # may warn of a YAML 1.1 float
                raise FastPathError("ruamel.yaml may warn of a YAML 1.1 float")
            return super().construct_yaml_float(node)

    Constructor.add_constructor("tag:yaml.org,2002:float", Constructor.construct_yaml_float)

    yaml = ruamel.yaml.YAML(typ="safe")
    yaml.Composer = Composer
    yaml.Constructor = Constructor
    return yaml


def _exhaust(gen: Iterable[Any]) -> None:
    for _ in gen:
        pass


def check_yaml(version: str) -> Impl:
    """``check-yaml``: every file loads (or with ``--unsafe``, parses) as YAML."""
    # 4.3.0 and 4.4.0 spell one word of the --unsafe help differently
    unsafe_help = _UNSAFE_HELP.format(
        "contstructs" if version in ("4.3.0", "4.4.0") else "constructs"
    )

    def impl(con: Console, fs: Files, argv: Sequence[str]) -> int:
        from ruamel.yaml.error import YAMLError  # ruamel.yaml.YAMLError, the one it catches

        parser = con.parser()
        parser.add_argument(
            "-m",
            "--multi",
            "--allow-multiple-documents",
            action="store_true",
        )
        parser.add_argument("--unsafe", action="store_true", help=unsafe_help)
        parser.add_argument("filenames", nargs="*", help="Filenames to check.")
        args = parser.parse_args(argv)

        # one instance for the whole run, as the module-level one of the original
        yaml = _new_yaml()
        load_fn: Callable[[Any], object]
        if args.unsafe:
            load_fn = lambda stream: _exhaust(yaml.parse(stream))  # noqa: E731
        elif args.multi:
            load_fn = lambda stream: _exhaust(yaml.load_all(stream))  # noqa: E731
        else:
            load_fn = yaml.load

        retval = 0
        for filename in args.filenames:
            raw = io.BytesIO(fs.read(filename))
            raw.name = filename  # what open(filename) would name the stream
            try:
                load_fn(io.TextIOWrapper(raw, encoding="UTF-8"))
            except YAMLError as exc:
                con.print(str(exc))
                retval = 1
        return retval

    return impl


# -------------------------------------------------------------------------- check-toml


if sys.version_info >= (3, 11):
    import tomllib

    def check_toml(con: Console, fs: Files, argv: Sequence[str]) -> int:
        """``check-toml``: every file loads as TOML (the stdlib's tomllib, as the hook's)."""
        parser = con.parser()
        parser.add_argument("filenames", nargs="*", help="Filenames to check.")
        args = parser.parse_args(argv)

        retval = 0
        for filename in args.filenames:
            data = fs.read(filename)
            try:
                tomllib.load(io.BytesIO(data))
            except tomllib.TOMLDecodeError as exc:
                con.print(f"{filename}: {exc}")
                retval = 1
        return retval

else:  # the hook would use its own tomli, of a version we cannot know: never offered

    def check_toml(con: Console, fs: Files, argv: Sequence[str]) -> int:
        """``check-toml`` before Python 3.11: always the real hook."""
        raise FastPathError("check-toml needs Python 3.11")


# ------------------------------------------------------------------------ check-json


def _raise_duplicate_keys(ordered_pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    d = {}
    for key, val in ordered_pairs:
        if key in d:
            raise ValueError(f"Duplicate key: {key}")
        else:
            d[key] = val
    return d


def check_json(con: Console, fs: Files, argv: Sequence[str]) -> int:
    """``check-json``: every file decodes as JSON, without duplicate keys."""
    parser = con.parser()
    parser.add_argument("filenames", nargs="*", help="Filenames to check.")
    args = parser.parse_args(argv)

    retval = 0
    for filename in args.filenames:
        data = fs.read(filename)
        try:
            json.loads(data, object_pairs_hook=_raise_duplicate_keys)
        except ValueError as exc:
            con.print(f"{filename}: Failed to json decode ({exc})")
            retval = 1
    return retval


# ---------------------------------------------------------------- check-merge-conflict

_CONFLICT_PATTERNS = [
    b"<<<<<<< ",
    b"======= ",
    b"=======\r\n",
    b"=======\n",
    b">>>>>>> ",
]


def _is_in_merge(fs: Files) -> bool:
    git_dir = os.path.join(fs.cwd, git(fs.cwd, "rev-parse", "--git-dir").rstrip())
    return os.path.exists(os.path.join(git_dir, "MERGE_MSG")) and (
        os.path.exists(os.path.join(git_dir, "MERGE_HEAD"))
        or os.path.exists(os.path.join(git_dir, "rebase-apply"))
        or os.path.exists(os.path.join(git_dir, "rebase-merge"))
    )


def check_merge_conflict(con: Console, fs: Files, argv: Sequence[str]) -> int:
    """``check-merge-conflict``: no conflict markers, while a merge or rebase is going on."""
    parser = con.parser()
    parser.add_argument("filenames", nargs="*")
    parser.add_argument("--assume-in-merge", action="store_true")
    args = parser.parse_args(argv)

    if not _is_in_merge(fs) and not args.assume_in_merge:
        return 0

    retcode = 0
    for filename in args.filenames:
        data = fs.read(filename)
        if b"<<<<<<< " not in data and b"=======" not in data and b">>>>>>> " not in data:
            continue
        for i, line in enumerate(io.BytesIO(data), start=1):
            for pattern in _CONFLICT_PATTERNS:
                if line.startswith(pattern):
                    con.print(
                        f"{filename}:{i}: Merge conflict string {pattern.strip().decode()!r} found",
                    )
                    retcode = 1
    return retcode


# ------------------------------------------------------------------ check-case-conflict


def _added_files(fs: Files) -> set[str]:
    return set(git(fs.cwd, "diff", "--staged", "--name-only", "--diff-filter=A").splitlines())


def _parents(file: str) -> Iterator[str]:
    path_parts = file.split("/")
    path_parts.pop()
    while path_parts:
        yield "/".join(path_parts)
        path_parts.pop()


def _directories_for(files: set[str]) -> set[str]:
    return {parent for file in files for parent in _parents(file)}


def _lower_set(iterable: Iterable[str]) -> set[str]:
    return {x.lower() for x in iterable}


def check_case_conflict(con: Console, fs: Files, argv: Sequence[str]) -> int:
    """``check-case-conflict``: no two paths that differ only in case."""
    parser = con.parser()
    parser.add_argument(
        "filenames",
        nargs="*",
        help="Filenames pre-commit believes are changed.",
    )
    args = parser.parse_args(argv)

    repo_files = set(git(fs.cwd, "ls-files").splitlines())
    repo_files |= _directories_for(repo_files)
    relevant_files = set(args.filenames) | _added_files(fs)
    relevant_files |= _directories_for(relevant_files)
    repo_files -= relevant_files
    retv = 0

    # new file conflicts with existing file
    conflicts = _lower_set(repo_files) & _lower_set(relevant_files)

    # new file conflicts with other new file
    lowercase_relevant_files = _lower_set(relevant_files)
    for filename in set(relevant_files):
        if filename.lower() in lowercase_relevant_files:
            lowercase_relevant_files.remove(filename.lower())
        else:
            conflicts.add(filename.lower())

    if conflicts:
        conflicting_files = [x for x in repo_files | relevant_files if x.lower() in conflicts]
        for filename in sorted(conflicting_files):
            con.print(f"Case-insensitivity conflict found: {filename}")
        retv = 1
    return retv


# ---------------------------------------------------------------------- debug-statements

_DEBUG_STATEMENTS = frozenset(
    ("bpdb", "ipdb", "pdb", "pdbr", "pudb", "pydevd_pycharm", "q", "rdb", "rpdb", "wdb")
)


class _Debug(NamedTuple):
    line: int
    col: int
    name: str
    reason: str


class _DebugStatementParser(ast.NodeVisitor):
    def __init__(self, names: frozenset[str]) -> None:
        self.names = names
        self.breakpoints: list[_Debug] = []

    def visit_Import(self, node: ast.Import) -> None:
        for name in node.names:
            if name.name in self.names:
                st = _Debug(node.lineno, node.col_offset, name.name, "imported")
                self.breakpoints.append(st)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module in self.names:
            st = _Debug(node.lineno, node.col_offset, node.module, "imported")
            self.breakpoints.append(st)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id == "breakpoint":
            st = _Debug(node.lineno, node.col_offset, node.func.id, "called")
            self.breakpoints.append(st)
        self.generic_visit(node)


# A coding comment (PEP 263), looked for on the first two lines of an ASCII source
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=]")


def _names_text(source: bytes) -> bytes | None:
    """``source`` as its names are spelled in its syntax tree, to search for ASCII words:
    the source itself when it is ASCII without a coding comment (a name is its bytes);
    else its text, decoded as the parser decodes it (``tokenize.detect_encoding``: under
    UTF-7 ``+AHA-db`` is ``pdb``) and normalized as the parser normalizes names (NFKC:
    fullwidth letters are ASCII), in UTF-8. ``None`` when that cannot be told."""
    if source.isascii():
        first = source.find(b"\n")
        second = source.find(b"\n", first + 1) if first >= 0 else -1
        # (the first two lines only, not a copy of the whole file)
        head = source if second < 0 else source[:second]
        if not any(_CODING.match(line) for line in head.split(b"\n")):
            return source
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        text = source.decode(encoding)
        return unicodedata.normalize("NFKC", text).encode("utf-8", "surrogatepass")
    except (SyntaxError, LookupError, UnicodeError):
        return None


def debug_statement_hook(version: str) -> Impl:
    """``debug-statement-hook``: no debugger imports nor ``breakpoint()`` calls.

    A file that does not parse is left to the real hook: its message carries a traceback
    through the hook's own installed source. So is a file the parser warns of: the
    real hook's interpreter shows or hides that warning by its own filters
    (:mod:`~pytest_hookrun.parsewarnings`). A file whose text names no debugger and no
    ``breakpoint`` (see :func:`_names_text`) has nothing to report: it is parsed and not
    walked, which takes a third off the time.
    """
    # bpdb joined the list in 4.5.0
    names = _DEBUG_STATEMENTS - {"bpdb"} if version in ("4.3.0", "4.4.0") else _DEBUG_STATEMENTS
    words = b"|".join(n.encode() for n in sorted(names | {"breakpoint"}))
    may_report = re.compile(rb"\b(?:" + words + rb")\b")

    def impl(con: Console, fs: Files, argv: Sequence[str]) -> int:
        parser = con.parser()
        parser.add_argument("filenames", nargs="*", help="Filenames to run")
        args = parser.parse_args(argv)

        retv = 0
        for filename in args.filenames:
            source = fs.read(filename)
            try:
                # (a warning is a SyntaxError under this name: parsewarnings)
                ast_obj = ast.parse(source, filename=PARSED)
            except SyntaxError as exc:
                raise FastPathError(f"{filename} does not parse without a warning") from exc
            spelled = _names_text(source)
            if spelled is not None and may_report.search(spelled) is None:
                continue  # nothing it could report: no need to walk the tree
            visitor = _DebugStatementParser(names)
            visitor.visit(ast_obj)
            for bp in visitor.breakpoints:
                con.print(f"{filename}:{bp.line}:{bp.col}: {bp.name} {bp.reason}")
            retv |= int(bool(visitor.breakpoints))
        return retv

    return impl


# -------------------------------------------------------------- check-added-large-files


def _zsplit(s: str) -> list[str]:
    s = s.strip("\0")
    return s.split("\0") if s else []


def _filter_lfs_files(fs: Files, filenames: set[str]) -> None:
    """Remove the files git-lfs tracks."""
    if not filenames:
        return
    check_attr = subprocess.run(
        ("git", "check-attr", "filter", "-z", "--stdin"),
        cwd=fs.cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        encoding="utf-8",
        check=True,
        input="\0".join(filenames),
    )
    stdout = _zsplit(check_attr.stdout)
    for i in range(0, len(stdout), 3):
        filename, filter_tag = stdout[i], stdout[i + 2]
        if filter_tag == "lfs":
            filenames.remove(filename)


def check_added_large_files(con: Console, fs: Files, argv: Sequence[str]) -> int:
    """``check-added-large-files``: no added file over ``--maxkb``.

    The original reports in the order of a set of strings, which changes with every
    process (hash randomization); we report in the order the files were given.
    """
    parser = con.parser()
    parser.add_argument(
        "filenames",
        nargs="*",
        help="Filenames pre-commit believes are changed.",
    )
    parser.add_argument(
        "--enforce-all",
        action="store_true",
        help="Enforce all files are checked, not just staged files.",
    )
    parser.add_argument(
        "--maxkb",
        type=int,
        default=500,
        help="Maximum allowable KB for added files",
    )
    args = parser.parse_args(argv)
    maxkb: int = args.maxkb

    retv = 0
    filenames_filtered = set(args.filenames)
    _filter_lfs_files(fs, filenames_filtered)
    if not args.enforce_all:
        filenames_filtered &= _added_files(fs)

    for filename in dict.fromkeys(args.filenames):
        if filename in filenames_filtered:
            kb = math.ceil(os.stat(fs.path(filename)).st_size / 1024)
            if kb > maxkb:
                con.print(f"{filename} ({kb} KB) exceeds {maxkb} KB.")
                retv = 1
    return retv


# ---------------------------------------------------------------------- mixed-line-ending

_CRLF = b"\r\n"
_LF = b"\n"
_CR = b"\r"
# Prefer LF to CRLF to CR, but detect CRLF before LF
_ALL_ENDINGS = (_CR, _CRLF, _LF)
_FIX_TO_LINE_ENDING = {"cr": _CR, "crlf": _CRLF, "lf": _LF}
_ANY_ENDING = re.compile(rb"\r\n|\r|\n")


def _line_ending_counts(contents: bytes) -> dict[bytes, int]:
    """How many lines end in each ending (the keys of the original's defaultdict)."""
    crlf = contents.count(_CRLF)
    counts = {_CR: contents.count(_CR) - crlf, _CRLF: crlf, _LF: contents.count(_LF) - crlf}
    return {ending: n for ending, n in counts.items() if n}


def _with_ending(contents: bytes, ending: bytes) -> bytes:
    """Every line ended by ``ending``, the last one too (as ``_fix`` writes)."""
    new = _ANY_ENDING.sub(ending, contents)
    if contents and contents[-1:] not in (_CR, _LF):
        new += ending
    return new


def _fix_mixed(fs: Files, filename: str, fix: str) -> int:
    contents = fs.read(filename)
    counts = _line_ending_counts(contents)
    # Some amount of mixed line endings
    mixed = len(counts) > 1

    if fix == "no" or (fix == "auto" and not mixed):
        return int(mixed)

    if fix == "auto":
        max_ending = _LF
        max_lines = 0
        # ordering is important here such that lf > crlf > cr
        for ending_type in _ALL_ENDINGS:
            # also important, using >= to find a max that prefers the last
            if counts.get(ending_type, 0) >= max_lines:
                max_ending = ending_type
                max_lines = counts.get(ending_type, 0)
        fs.write(filename, contents, _with_ending(contents, max_ending))
        return 1
    else:
        target_ending = _FIX_TO_LINE_ENDING[fix]
        # find if there are lines with *other* endings
        counts.pop(target_ending, None)
        other_endings = bool(sum(counts.values()))
        if other_endings:
            fs.write(filename, contents, _with_ending(contents, target_ending))
        return int(other_endings)


def mixed_line_ending(con: Console, fs: Files, argv: Sequence[str]) -> int:
    """``mixed-line-ending``: one kind of line ending per file (or the one ``--fix`` asks)."""
    parser = con.parser()
    parser.add_argument(
        "-f",
        "--fix",
        choices=("auto", "no", *_FIX_TO_LINE_ENDING),
        default="auto",
        help='Replace line ending with the specified. Default is "auto"',
    )
    parser.add_argument("filenames", nargs="*", help="Filenames to fix")
    args = parser.parse_args(argv)

    retv = 0
    for filename in args.filenames:
        if _fix_mixed(fs, filename, args.fix):
            if args.fix == "no":
                con.print(f"{filename}: mixed line endings")
            else:
                con.print(f"{filename}: fixed mixed line endings")
            retv = 1
    return retv


# ------------------------------------------------------------------ fix-byte-order-marker


def fix_byte_order_marker(con: Console, fs: Files, argv: Sequence[str]) -> int:
    """``fix-byte-order-marker``: remove a UTF-8 byte-order marker."""
    parser = con.parser()
    parser.add_argument("filenames", nargs="*", help="Filenames to check")
    args = parser.parse_args(argv)

    retv = 0
    for filename in args.filenames:
        data = fs.read(filename)
        if data[:3] == b"\xef\xbb\xbf":
            # the original decodes (utf-8-sig, strictly) and encodes the rest back
            new = data[3:].decode("utf-8").encode("utf-8")
            fs.write(filename, data, new)
            con.print(f"{filename}: removed byte-order marker")
            retv = 1
    return retv


def toml_supported() -> bool:
    """check-toml needs the stdlib's tomllib (on 3.10 the hook would use its own tomli)."""
    return sys.version_info >= (3, 11)
