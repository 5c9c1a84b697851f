"""The fast timestamp readers (``parse_iso8601``, ``parse_epoch``) read
everything exactly as the lenient ``parse_timestamp`` does; they only try the
protocol's declared format first."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from typed_aws_runtime.wire import parse_epoch, parse_iso8601, parse_timestamp

_MOMENTS = st.datetimes(
    min_value=datetime.datetime(1900, 1, 1),
    max_value=datetime.datetime(2200, 1, 1),
    timezones=st.sampled_from(
        [
            None,
            datetime.UTC,
            datetime.timezone(datetime.timedelta(hours=2)),
            datetime.timezone(datetime.timedelta(hours=-5, minutes=-30)),
        ]
    ),
)


def _same(text: object) -> None:
    try:
        expected: object = parse_timestamp(text)
    except (ValueError, OverflowError) as error:
        expected = type(error)
    try:
        got: object = parse_iso8601(text)
    except (ValueError, OverflowError) as error:
        got = type(error)
    assert got == expected, text
    if isinstance(got, datetime.datetime):
        assert got.tzinfo is datetime.UTC


@given(_MOMENTS, st.sampled_from(["T", " "]), st.booleans())
def test_iso_forms_read_alike(
    moment: datetime.datetime, separator: str, zulu: bool
) -> None:
    text = moment.isoformat(sep=separator)
    if zulu and moment.tzinfo is datetime.UTC:
        text = text.replace("+00:00", "Z")
    _same(text)
    _same(f" {text} ")


@given(st.text(alphabet="0123456789-T:.Z+ ,WedJulGMT", max_size=32))
def test_any_text_reads_alike(text: str) -> None:
    _same(text)


def test_other_formats_fall_back() -> None:
    for text in (
        "1767225600",
        "1767225600.25",
        "Wed, 15 Jul 2026 23:28:33 GMT",
        "20260715",
        "20260715T232833Z",
        "2026-07-15T23:28:33.1234567Z",
    ):
        _same(text)


@given(st.floats(min_value=-1e10, max_value=1e10) | st.integers(-(10**10), 10**10))
def test_epoch_numbers_read_alike(seconds: float) -> None:
    assert parse_epoch(seconds) == parse_timestamp(seconds)
