"""Credentials and region resolution, against botocore's own session."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import botocore.session
import pytest

from typed_aws_runtime import credentials as creds_module
from typed_aws_runtime.credentials import (
    BotocoreChainProvider,
    Credentials,
    NoCredentialsError,
    StaticCredentialProvider,
    resolve_region,
)

ENV_VARS = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
]


@pytest.fixture
def aws_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An isolated AWS environment: own config files, no instance metadata."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # never leave localhost
    creds_module._botocore_session.cache_clear()
    yield tmp_path
    creds_module._botocore_session.cache_clear()


def _botocore_frozen(profile: str | None) -> tuple[str, str, str | None]:
    frozen = botocore.session.Session(profile=profile).get_credentials()
    frozen = frozen.get_frozen_credentials()
    return frozen.access_key, frozen.secret_key, frozen.token


def _as_tuple(credentials: Credentials) -> tuple[str, str, str | None]:
    return credentials.access_key, credentials.secret_key, credentials.token


def test_repr_and_str_never_show_secrets() -> None:
    credentials = Credentials("AKIAABCDEFGHIJKLMNOP", "s3cr3t-key", "t0ken-value")
    for text in (
        repr(credentials),
        str(credentials),
        f"{credentials}",
        repr(
            StaticCredentialProvider(
                "AKIAABCDEFGHIJKLMNOP", "s3cr3t-key", "t0ken-value"
            )
        ),
    ):
        assert "s3cr3t-key" not in text
        assert "t0ken-value" not in text
        assert "ABCDEFGHIJKLMNOP" not in text
        assert "AKIA****" in text
    assert "****" in repr(Credentials("AK", "x"))


def test_credentials_are_immutable_values() -> None:
    credentials = Credentials("AKID", "secret")
    with pytest.raises(AttributeError):
        credentials.secret_key = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        credentials.extra = 1
    assert credentials == Credentials("AKID", "secret", None)
    assert credentials != Credentials("AKID", "secret", "token")
    assert len({credentials, Credentials("AKID", "secret")}) == 1
    assert pickle.loads(pickle.dumps(credentials)) == credentials


def test_static_provider() -> None:
    provider = StaticCredentialProvider("AKID", "secret", "token")
    assert provider.get() == Credentials("AKID", "secret", "token")
    assert provider.get() is provider.get()


def test_chain_reads_environment_like_botocore(
    aws_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "env-token")
    provider = BotocoreChainProvider(None)
    assert _as_tuple(provider.get()) == _botocore_frozen(None)
    assert provider.get() is provider.get()  # unchanged: no new object


def test_chain_reads_named_profile_like_botocore(aws_home: Path) -> None:
    (aws_home / "credentials").write_text(
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n"
        "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\n"
    )
    for profile in (None, "dev"):
        assert _as_tuple(BotocoreChainProvider(profile).get()) == _botocore_frozen(
            profile
        )
    assert BotocoreChainProvider("dev").get().access_key == "AKIDDEV"


def test_chain_refreshes_expiring_credentials(aws_home: Path) -> None:
    # credential_process output that expires within botocore's mandatory
    # refresh window: botocore must refresh it on every snapshot.
    counter = aws_home / "counter"
    counter.write_text("0")
    script = aws_home / "process.py"
    script.write_text(
        "import datetime, json, pathlib\n"
        f"p = pathlib.Path({str(counter)!r})\n"
        "n = int(p.read_text()) + 1\n"
        "p.write_text(str(n))\n"
        "now = datetime.datetime.now(datetime.timezone.utc)\n"
        "exp = now + datetime.timedelta(minutes=2)\n"
        "print(json.dumps({'Version': 1, 'AccessKeyId': f'AKID{n}',"
        " 'SecretAccessKey': f'secret{n}', 'SessionToken': f'token{n}',"
        " 'Expiration': exp.isoformat()}))\n"
    )
    (aws_home / "config").write_text(
        f"[profile proc]\ncredential_process = {sys.executable} {script}\n"
    )
    provider = BotocoreChainProvider("proc")
    first = provider.get()
    second = provider.get()
    assert first.access_key != second.access_key
    assert second.access_key == f"AKID{counter.read_text()}"
    assert second.token == f"token{counter.read_text()}"


def test_chain_without_credentials_raises_clear_error(aws_home: Path) -> None:
    provider = BotocoreChainProvider(None)
    assert botocore.session.Session().get_credentials() is None
    with pytest.raises(NoCredentialsError, match="Unable to locate AWS credentials"):
        provider.get()


def test_region_resolution_order(
    aws_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (aws_home / "config").write_text(
        "[default]\nregion = eu-west-1\n[profile dev]\nregion = ap-south-1\n"
    )
    assert resolve_region("us-west-2", "dev") == "us-west-2"
    for profile in (None, "dev"):
        expected = botocore.session.Session(profile=profile).get_config_variable(
            "region"
        )
        assert resolve_region(None, profile) == expected
    monkeypatch.setenv("AWS_REGION", "ca-central-1")
    assert resolve_region(None, "dev") == "ca-central-1"
    monkeypatch.setenv("AWS_DEFAULT_REGION", "sa-east-1")  # boto3's variable wins
    assert resolve_region(None, "dev") == "sa-east-1"
    assert resolve_region(None, "dev") == botocore.session.Session(
        profile="dev"
    ).get_config_variable("region")


def test_no_region_anywhere(aws_home: Path) -> None:
    assert resolve_region(None, None) is None


def test_importing_credentials_does_not_import_botocore() -> None:
    code = (
        "import sys, typed_aws_runtime.credentials as c; "
        "c.StaticCredentialProvider('a', 'b').get(); "
        "c.resolve_region('us-east-1', None); "
        "assert not [m for m in sys.modules if m.startswith('botocore')]"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


def test_no_credentials_message_has_no_secret_material(aws_home: Path) -> None:
    error = NoCredentialsError("dev")
    assert "dev" in str(error)
    assert json.dumps(str(error))  # plain text
