"""Every Python name the generator derives from a model name.

The rules are the spec's: boto3's ``xform_name`` for methods and members,
``serviceId`` words for the client class. Anything a model could spell that
Python cannot (keywords, digits first, punctuation) is made legal here, and
nowhere else, so templates never decide a name.

A keyword is what ``keyword.iskeyword`` says, from a fixed list
(``codegen.pylang``), never the running interpreter's: soft keywords
(``match``, ``case``, ``type``, ``_``) are legal names and stay as they are.
"""

from __future__ import annotations

import re

from botocore import xform_name

from codegen import pylang

_NOT_IDENT = re.compile(r"[^0-9A-Za-z_]")


def _legal(name: str, prefix: str) -> str:
    name = _NOT_IDENT.sub("_", name)
    if not name or name[0].isdigit():
        name = prefix + name
    if pylang.is_keyword(name):
        name += "_"
    return name


def package_name(service: str) -> str:
    """``emr-serverless`` -> ``emr_serverless``; ``lambda`` -> ``lambda_``."""
    return _legal(service.replace("-", "_"), "service_")


def client_class_name(service_id: str) -> str:
    """``EMR Serverless`` -> ``EMRServerlessClient``."""
    words = [w for w in re.split(r"[ \-]+", service_id) if w]
    return _legal("".join(w[0].upper() + w[1:] for w in words), "Service") + "Client"


def method_name(operation: str) -> str:
    """The boto3 name of an operation method."""
    return _legal(str(xform_name(operation)), "op_")


def context_param_name(param: str) -> str:
    """botocore's key for a ``clientContextParams`` entry in
    ``Config(client_context_params=...)``: ``xform_name`` of its name."""
    return str(xform_name(param))


def member_name(member: str) -> str:
    """``xform_name``, leading underscores stripped, hard keywords get a ``_``."""
    return _legal(str(xform_name(member)).lstrip("_"), "member_")


def class_name(shape: str) -> str:
    """A shape name made a legal class name (collisions are the resolver's)."""
    return _legal(shape, "Shape")


def enum_member_name(value: str) -> str:
    """``us-east-1`` -> ``US_EAST_1``; never empty, never starting with ``_``."""
    name = _NOT_IDENT.sub("_", value).strip("_").upper()
    name = re.sub(r"_+", "_", name)
    if not name:
        return "EMPTY"
    if name[0].isdigit():
        name = "V" + name
    return name


def constant_name(name: str) -> str:
    """``StartJobRun`` -> ``START_JOB_RUN``."""
    return str(xform_name(name)).upper()


def unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name_``, ``name__``... whichever is free; records it."""
    while name in taken:
        name += "_"
    taken.add(name)
    return name
