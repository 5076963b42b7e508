"""YAML documents with the line of every mapping and key, parsed once per content.

The config and the manifests are parsed with PyYAML (libyaml's loader when present, as
pre-commit does; the pure-Python one for the error message). A :class:`YamlCache` keeps
what an unchanged text parsed to: a rerun then imports no YAML library at all, which is
a good part of a rerun where the result cache answers for every hook.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cachefile

if TYPE_CHECKING:
    import yaml

# what this module's cache entries hold: raise it when the loader's output changes
_FORMAT = 1
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


class LineDict(dict[Any, Any]):
    """A mapping that remembers where it and each of its keys stand in the file."""

    line: int = 0
    key_lines: dict[Any, int]


class YamlSyntaxError(Exception):
    """Not a YAML document: the message is one line naming the file and the line."""


def one_line(message: str) -> str:
    """Escape line breaks (from a key, an id or a file name) so a message stays one line."""
    return _LINE_BREAKS.sub(lambda m: repr(m.group())[1:-1], message)


class YamlCache:
    """Parsed documents by the digest of their text, one file each in ``directory``.

    Only what a document parsed to is kept (never an error), with its lines; an entry
    that cannot be read is a miss. The ``keep`` entries used last stay (each edit of a
    config is another text).
    """

    def __init__(self, directory: Path, keep: int = 64, fresh: bool = False) -> None:
        self.directory = directory
        self.keep = keep
        self.fresh = fresh  # every get misses (what is parsed is still kept)

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.blake2b(f"{_FORMAT}\0{text}".encode(), digest_size=16).hexdigest()

    def get(self, text: str) -> tuple[bool, Any]:
        """(True, the document) when ``text`` was parsed before, else (False, None)."""
        if self.fresh:
            return False, None
        path = self.directory / self._key(text)
        try:
            document = _decode(marshal.loads(path.read_bytes()))
            os.utime(path)  # used now: the last to go
            return True, document
        except (OSError, EOFError, ValueError, TypeError, IndexError):
            return False, None

    def put(self, text: str, document: Any) -> None:
        try:
            encoded = _encode(document)
        except _Unkept:
            return  # a timestamp, binary data: parsed again each time
        if cachefile.write(self.directory / self._key(text), encoded):
            with contextlib.suppress(OSError):  # pruned next time
                self._prune()

    def _prune(self) -> None:
        entries = list(self.directory.iterdir())
        if len(entries) <= self.keep:
            return
        for old in sorted(entries, key=lambda p: p.stat().st_mtime_ns)[: -self.keep]:
            old.unlink(missing_ok=True)


class _Unkept(Exception):
    pass


_SCALARS = (str, int, float, bool, type(None))


def _encode(value: Any) -> Any:
    """Lists stay lists, a LineDict becomes a tuple (YAML gives no tuple): marshal's types."""
    if type(value) in _SCALARS:
        return value
    if type(value) is list:
        return [_encode(item) for item in value]
    if type(value) is LineDict:
        items = []
        for key, item in value.items():
            if type(key) not in _SCALARS:
                raise _Unkept
            items.append((key, value.key_lines[key], _encode(item)))
        return (value.line, tuple(items))
    raise _Unkept


def _decode(value: Any) -> Any:
    if type(value) is list:
        return [_decode(item) for item in value]
    if type(value) is tuple:
        line, items = value
        result = LineDict()
        result.line = line
        result.key_lines = {}
        for key, key_line, item in items:
            result[key] = _decode(item)
            result.key_lines[key] = key_line
        return result
    return value


@functools.cache
def _loaders() -> tuple[Any, Any]:
    """(pure-Python loader, libyaml's or None), both keeping lines; PyYAML imported here."""
    import yaml

    def construct_mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
        loader.flatten_mapping(node)
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "found an unhashable key", key_node.start_mark
                ) from None
            result[key] = loader.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result

    class LineLoader(yaml.SafeLoader):
        pass

    tag = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
    LineLoader.add_constructor(tag, construct_mapping)
    # libyaml's parser (what pre-commit itself loads with) is about ten times faster; the
    # pure-Python loader is the fallback and gives the error messages
    fast: Any = getattr(yaml, "CSafeLoader", None)
    if fast is not None:

        class FastLineLoader(fast):  # type: ignore[misc]
            pass

        FastLineLoader.add_constructor(tag, construct_mapping)
        fast = FastLineLoader
    return LineLoader, fast


def load_yaml(text: str, path: Path, cache: YamlCache | None = None) -> Any:
    """The YAML document in ``text``; every failure is a one-line YamlSyntaxError."""
    if cache is not None:
        found, document = cache.get(text)
        if found:
            return document
    document = _parse(text, path)
    if cache is not None:
        cache.put(text, document)
    return document


def _parse(text: str, path: Path) -> Any:
    import yaml

    slow, fast = _loaders()
    if fast is not None:
        loader = fast(text)
        try:
            return loader.get_single_data()
        except Exception:  # the pure-Python loader below reports it, line and all
            pass
        finally:
            loader.dispose()
    loader = None
    try:
        loader = slow(text)  # checks the characters already
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc, text) from None
    except RecursionError:
        line = loader.line + 1 if loader is not None else 1
        raise YamlSyntaxError(one_line(f"{path}:{line}: invalid YAML: nested too deeply")) from None
    except (ValueError, OverflowError) as exc:  # PyYAML on an escape like "\UFFFFFFFF"
        line = loader.line + 1 if loader is not None else 1
        raise YamlSyntaxError(one_line(f"{path}:{line}: invalid YAML: {exc}")) from None
    finally:
        if loader is not None:
            loader.dispose()


def _yaml_error(path: Path, exc: yaml.YAMLError, source: str) -> YamlSyntaxError:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    if mark is not None:
        line = mark.line + 1
    else:  # a ReaderError (a character YAML forbids) has a position, not a mark
        line = source.count("\n", 0, getattr(exc, "position", 0)) + 1
        problem = str(exc).splitlines()[0]  # the rest names "<unicode string>"
    text = f"{context}, {problem}" if context else str(problem)
    return YamlSyntaxError(one_line(f"{path}:{line}: invalid YAML: {text}"))
