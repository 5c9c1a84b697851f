"""Typed AWS clients generated from botocore models. Do not edit."""
