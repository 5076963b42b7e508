"""``repo: meta`` hooks, pre-commit's three: check-hooks-apply, check-useless-excludes, identity.

Run as ``python -m pytest_hookrun.languages.meta HOOK_ID CONFIG [FILE...]`` from the
repository root, so they are real processes like every other hook.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..config import ConfigError, load_config
from ..files import Classifier, GitError, tracked_files


def _exclude_matches_any(names: Iterable[str], include: str, exclude: str) -> bool:
    if exclude == "^$":
        return True
    include_re, exclude_re = re.compile(include), re.compile(exclude)
    return any(include_re.search(n) and exclude_re.search(n) for n in names)


def check_hooks_apply(config_path: Path, root: Path) -> int:
    config = load_config(config_path)
    classifier = Classifier(root, tracked_files(root), config)
    status = 0
    for hook in config.hooks:
        if hook.always_run or hook.language == "fail" or hook.is_remote:
            # a remote hook's own files/types live in its manifest, read at install time
            continue
        if not classifier.for_hook(hook):
            print(f"{hook.id} does not apply to this repository")
            status = 1
    return status


def check_useless_excludes(config_path: Path, root: Path) -> int:
    config = load_config(config_path)
    names = tracked_files(root)
    classifier = Classifier(root, names, config)
    status = 0
    if not _exclude_matches_any(names, "", config.exclude):
        print(f"The global exclude pattern {config.exclude!r} does not match any files")
        status = 1
    for hook in config.hooks:
        # the manifest default `types: [file]` is not applied here, as in pre-commit
        types = hook.overrides.get("types", [])
        candidates = classifier.by_types(
            classifier.filenames, types, hook.types_or, hook.exclude_types
        )
        if not _exclude_matches_any(candidates, hook.files, hook.exclude):
            print(f"The exclude pattern {hook.exclude!r} for {hook.id} does not match any files")
            status = 1
    return status


def identity(filenames: Sequence[str]) -> int:
    for name in filenames:
        print(name)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2:
        print("usage: python -m pytest_hookrun.languages.meta HOOK_ID CONFIG [FILE...]")
        return 2
    hook_id, config_path, filenames = args[0], Path(args[1]), args[2:]
    root = Path.cwd()
    try:
        if hook_id == "check-hooks-apply":
            return check_hooks_apply(config_path, root)
        if hook_id == "check-useless-excludes":
            return check_useless_excludes(config_path, root)
        if hook_id == "identity":
            return identity(filenames)
    except (ConfigError, GitError) as exc:
        print(exc)
        return 1
    print(f"unknown meta hook {hook_id!r}")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
