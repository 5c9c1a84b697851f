"""Every S3 operation against botocore with random input (the machinery of
``test_differential.py``): the same request (method, URL, headers with the
flexible checksums of botocore's default ``when_supported`` settings, body;
both signed at one fixed moment), the same refusals of invalid input, and the
same parsed output for random responses. A few examples per operation by
default, many under ``-m slow``.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conformance.test_differential import FAST_SETTINGS as _FAST
from tests.conformance.test_differential import SLOW_SETTINGS as _SLOW
from tests.conformance.test_differential import run_differential
from tests.s3_support import botocore_files

OPERATIONS = sorted(botocore_files("s3")["model"]["operations"])


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("op_name", OPERATIONS)
@settings(**{**_FAST, "max_examples": 3})
@given(data=st.data())
def test_s3_operation(op_name: str, data: Any) -> None:
    run_differential("s3", op_name, data)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("op_name", OPERATIONS)
@settings(**_SLOW)
@given(data=st.data())
def test_s3_operation_slow(op_name: str, data: Any) -> None:
    run_differential("s3", op_name, data)
