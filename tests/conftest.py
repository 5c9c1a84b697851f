"""Shared fixtures: repository paths and a throwaway models directory."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# botocore's own signers are the oracle, whether or not awscrt (the runtime's
# ``crt`` extra) is installed: with it, botocore would sign SigV4 through the
# CRT. Set before any test imports botocore; the SigV4a tests (test_sigv4a.py)
# lift it for the runtime and use botocore.crt.auth's signer directly.
os.environ.setdefault("BOTO_DISABLE_CRT", "true")

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


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of a moto server started for this session.

    Only 127.0.0.1, on a port the OS picks; stopped when the session ends.
    Tests share its state: create uniquely named resources.
    """
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    assert server._server is not None
    try:
        yield f"http://127.0.0.1:{server._server.server_port}"
    finally:
        server.stop()
