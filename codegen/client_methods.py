"""Client methods botocore adds by hand to some services' clients, as data.

boto3 gives S3's client methods that are no operation of the model
(``generate_presigned_post``, and boto3's ``upload_file``,
``download_file``, ``upload_fileobj``, ``download_fileobj``). They are
written once in the runtime, as a mixin class per client kind; this table
says which services' clients inherit them, so the generated client gains
them without a line of hand-written generated code. Every client has
``generate_presigned_url`` (botocore adds it to every client), from the
runtime's base classes.
"""

from __future__ import annotations

from codegen import symbols
from codegen.imports import Import

# service (its botocore name) -> (mixin of the blocking client, of the
# asynchronous client).
CLIENT_MIXINS: dict[str, tuple[Import, Import]] = {
    "s3": (symbols.S3_CLIENT_METHODS, symbols.ASYNC_S3_CLIENT_METHODS),
}


def mixins(service: str) -> tuple[Import, Import] | None:
    """The mixins a service's clients inherit, or None."""
    return CLIENT_MIXINS.get(service)


# Methods every client has from the runtime's base classes (botocore adds
# ``generate_presigned_url`` to every client).
COMMON_METHODS: frozenset[str] = frozenset({"generate_presigned_url"})

# The mixins' public methods, by service: boto3's names, which a model
# operation cannot take (the generator refuses it, exit 2, as for boto3's
# other client methods). tests/test_model_checks.py checks this list
# against the mixin classes.
MIXIN_METHODS: dict[str, frozenset[str]] = {
    "s3": frozenset(
        {
            "generate_presigned_post",
            "upload_file",
            "download_file",
            "upload_fileobj",
            "download_fileobj",
        }
    ),
}


def reserved_methods(service: str) -> frozenset[str]:
    """The method names a service's clients hold besides its operations'."""
    return COMMON_METHODS | MIXIN_METHODS.get(service, frozenset())
