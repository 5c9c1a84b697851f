"""End-to-end tests: generated clients against moto and a scripted server."""

import pytest

# Comparisons in the helpers report what differs, as in a test module.
pytest.register_assert_rewrite("tests.e2e.support")
