"""Shared fixtures: repository paths and a throwaway models directory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
GENERATED = ROOT / "generated"
SERVICES = ("emr-serverless", "emr-containers", "location", "omics", "iot")


@pytest.fixture
def models_copy(tmp_path: Path) -> Path:
    """A private copy of models/ that a test may break."""
    target = tmp_path / "models"
    shutil.copytree(MODELS, target)
    return target
