"""pytest_hookrun.files: what git says of the repository, asked once."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_hookrun.files import GitError, repo_dirs
from pytest_hookrun.stash import private_dir

from .conftest import git


def _init(path: Path) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty",
        "-m", "first")  # fmt: skip
    return path


def _asked_alone(start: Path) -> tuple[Path, Path]:
    top = git(start, "rev-parse", "--show-toplevel").removesuffix("\n")
    return Path(top), Path(git(start, "rev-parse", "--absolute-git-dir").removesuffix("\n"))


def test_one_call_gives_what_two_would(tmp_path: Path) -> None:
    root = _init(tmp_path / "repo")
    (root / "sub").mkdir()
    for start in (root, root / "sub"):
        assert repo_dirs(start) == _asked_alone(start)
    assert private_dir(root, repo_dirs(root)[1]) == root / ".git" / "hookrun"


def test_a_linked_worktree_has_its_own_git_directory(tmp_path: Path) -> None:
    root = _init(tmp_path / "repo")
    tree = tmp_path / "tree"
    git(root, "worktree", "add", "-q", "-b", "side", str(tree))
    top, git_dir = repo_dirs(tree)
    assert (top, git_dir) == _asked_alone(tree)
    assert git_dir is not None and git_dir.parent == root / ".git" / "worktrees"


def test_a_newline_in_the_path_asks_for_the_git_directory_alone(tmp_path: Path) -> None:
    """Two lines cannot be told apart from a path with a line break in it: the top is
    asked again by itself, and the git directory is left to whoever needs it."""
    root = _init(tmp_path / "two\nlines")
    top, git_dir = repo_dirs(root)
    assert (top, git_dir) == (root, None)
    assert private_dir(top, git_dir) == root / ".git" / "hookrun"


def test_outside_a_repository_it_is_a_git_error(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="rev-parse"):
        repo_dirs(tmp_path)
