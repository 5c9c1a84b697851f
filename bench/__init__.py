"""Benchmarks against botocore, measured side by side in the same run."""
