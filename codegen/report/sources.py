"""Where the models of one side of a report come from: a directory or a git revision.

A git revision is read with ``git show REV:path``: the models directory is
taken relative to the repository's root, so ``--against main`` compares
``models/`` with ``main:models/`` whatever the current directory inside the
repository. Documents read from git are named ``REV:path`` in errors.
"""

from __future__ import annotations

import subprocess
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from codegen import loader
from codegen.errors import ModelError


class ModelSource(ABC):
    """One version of a models directory."""

    label: str  # how the report names this side: a directory or a revision

    @abstractmethod
    def services(self) -> list[str]:
        """Every service it holds a model for, sorted."""

    @abstractmethod
    def load(self, name: str) -> loader.ServiceFiles | None:
        """The parsed files of one service; None when it has no model for it."""


class DirectorySource(ModelSource):
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.label = str(directory)

    def services(self) -> list[str]:
        return loader.available_services(self.directory)

    def load(self, name: str) -> loader.ServiceFiles | None:
        if not (self.directory / name / loader.SERVICE_FILE).is_file():
            return None
        return loader.load_service(self.directory, name)


class SnapshotSource(ModelSource):
    """Services already loaded into memory (``update-models``' before)."""

    def __init__(self, label: str, files: dict[str, loader.ServiceFiles]) -> None:
        self.label = label
        self.files = files

    def services(self) -> list[str]:
        return sorted(self.files)

    def load(self, name: str) -> loader.ServiceFiles | None:
        return self.files.get(name)


class GitSource(ModelSource):
    """The models directory as it is in a git revision."""

    def __init__(self, root: Path, revision: str, relative: str) -> None:
        self.root = root
        self.revision = revision
        self.relative = relative  # the models dir, from the repository root
        self.label = f"{revision}:{relative}"
        self._files: set[str] | None = None

    def _git(self, *args: str) -> str:
        result = subprocess.run(
            ["git", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
        if result.returncode != 0:
            message = result.stderr.strip().splitlines()
            raise ModelError(self.label, [], message[-1] if message else "git failed")
        return result.stdout

    def _paths(self) -> set[str]:
        if self._files is None:
            prefix = f"{self.relative}/" if self.relative else ""
            listing = self._git(
                "ls-tree", "-r", "--name-only", "-z", self.revision, "--", prefix
            )
            self._files = {p.removeprefix(prefix) for p in listing.split("\0") if p}
        return self._files

    def services(self) -> list[str]:
        return sorted(
            p.split("/")[0]
            for p in self._paths()
            if p.count("/") == 1 and p.endswith("/" + loader.SERVICE_FILE)
        )

    def _read(self, name: str, filename: str) -> dict[str, Any] | None:
        path = f"{name}/{filename}"
        if path not in self._paths():
            return None
        full = f"{self.relative}/{path}" if self.relative else path
        where = f"{self.revision}:{full}"
        return loader.parse_json(self._git("show", where), where)

    def load(self, name: str) -> loader.ServiceFiles | None:
        service = self._read(name, loader.SERVICE_FILE)
        if service is None:
            return None
        optional = {
            key: self._read(name, filename)
            for key, filename in loader.OPTIONAL_FILES.items()
        }
        return loader.ServiceFiles(
            name=name,
            directory=Path(f"{self.revision}:{self.relative}") / name,
            service=service,
            paginators=optional["paginators"],
            waiters=optional["waiters"],
            endpoint_rules=optional["endpoint_rules"],
        )


def _git_root(start: Path) -> Path | None:
    result = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"],
        cwd=start,
        capture_output=True,
        text=True,
        check=False,
    )
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def _is_revision(root: Path, revision: str) -> bool:
    result = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode == 0


def open_source(against: str, models_dir: Path) -> ModelSource:
    """``--against``: an existing directory, else a git revision of ``models_dir``.

    Raises ModelError when it is neither.
    """
    if Path(against).is_dir():
        return DirectorySource(Path(against))
    absolute = models_dir.resolve()
    start = next((p for p in (absolute, *absolute.parents) if p.is_dir()), Path.cwd())
    root = _git_root(start)
    if root is None:
        raise ModelError(
            against, [], f"not a directory, and {models_dir} is not in a git repository"
        )
    if not _is_revision(root, against):
        raise ModelError(against, [], "neither a directory nor a git revision")
    try:
        relative = absolute.relative_to(root.resolve()).as_posix()
    except ValueError as exc:
        raise ModelError(
            str(models_dir), [], f"not inside the git repository {root}"
        ) from exc
    return GitSource(root, against, "" if relative == "." else relative)
