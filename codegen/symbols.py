"""Every name the generated code imports, in one table.

The runtime's import name is :data:`RUNTIME`; moving the runtime (into a
distribution of its own) is a change of that one line. Everything else (the
type IR, the resolver, the paginators, the reserved class names, the tests)
refers to these constants, and the templates write only their bare names.
"""

from __future__ import annotations

from codegen.imports import Import

RUNTIME = "typed_aws_runtime"


def _runtime(module: str, name: str) -> Import:
    return Import(f"{RUNTIME}.{module}", name)


# -- the runtime ---------------------------------------------------------------
BASE_CLIENT = _runtime("client", "BaseClient")
ASYNC_BASE_CLIENT = _runtime("aio", "AsyncBaseClient")
S3_CLIENT_METHODS = _runtime("s3client", "S3ClientMethods")
ASYNC_S3_CLIENT_METHODS = _runtime("s3client", "AsyncS3ClientMethods")
NEW_IDEMPOTENCY_TOKEN = _runtime("client", "new_idempotency_token")
LAZY_MODULE = _runtime("lazy", "lazy_module")
STRUCTURE = _runtime("structure", "Structure")
TAGGED_UNION = _runtime("structure", "TaggedUnion")
DOCUMENT = _runtime("structure", "Document")
STREAMING_BODY = _runtime("streaming", "StreamingBody")
ASYNC_STREAMING_BODY = _runtime("streaming", "AsyncStreamingBody")
SERVICE_ERROR = _runtime("errors", "ServiceError")
PAGINATOR = _runtime("paginate", "Paginator")
PAGE_ITERATOR = _runtime("paginate", "PageIterator")
PAGINATOR_SPEC = _runtime("paginate", "PaginatorSpec")
PAGINATOR_REGISTRY = _runtime("paginate", "Registry")
ASYNC_PAGINATOR = _runtime("paginate", "AsyncPaginator")
ASYNC_PAGE_ITERATOR = _runtime("paginate", "AsyncPageIterator")
WAITER = _runtime("waiter", "Waiter")
WAITER_SPEC = _runtime("waiter", "WaiterSpec")
ACCEPTOR = _runtime("waiter", "Acceptor")
WAITER_REGISTRY = _runtime("waiter", "Registry")
ASYNC_WAITER = _runtime("waiter", "AsyncWaiter")
# The runtime's event streams, by module: ``events.EventStream[...]`` (a
# service may have a class named ``EventStream``, pinpoint does).
EVENTS = Import(RUNTIME, "events")

# -- the standard library ------------------------------------------------------
# The templates write ``from __future__ import annotations`` themselves.
FUTURE_ANNOTATIONS = Import("__future__", "annotations")
DATETIME = Import("datetime")
WARNINGS = Import("warnings")
STR_ENUM = Import("enum", "StrEnum")
SEQUENCE = Import("collections.abc", "Sequence")
MAPPING = Import("collections.abc", "Mapping")
ITERABLE = Import("collections.abc", "Iterable")
IO = Import("typing", "IO")
ANY = Import("typing", "Any")
TYPE_CHECKING = Import("typing", "TYPE_CHECKING")
LITERAL = Import("typing", "Literal")
OVERLOAD = Import("typing", "overload")

# -- by where they are used ----------------------------------------------------
# What an annotation may name (``codegen.types``).
ANNOTATION = (
    SEQUENCE,
    MAPPING,
    ITERABLE,
    IO,
    ANY,
    DATETIME,
    DOCUMENT,
    STREAMING_BODY,
    EVENTS,
)
# What the modules that define the service's classes bind besides annotations:
# ``client.py`` and ``aio.py`` (the client classes), ``shapes.py``,
# ``enums.py``, ``errors.py``.
CLASS_MODULES = (
    FUTURE_ANNOTATIONS,
    BASE_CLIENT,
    ASYNC_BASE_CLIENT,
    NEW_IDEMPOTENCY_TOKEN,
    WARNINGS,
    LAZY_MODULE,
    TYPE_CHECKING,
    LITERAL,
    OVERLOAD,
    STRUCTURE,
    TAGGED_UNION,
    STR_ENUM,
    SERVICE_ERROR,
)
# What ``paginators.py`` and ``waiters.py`` bind besides annotations.
ACCESSOR_MODULES = (
    FUTURE_ANNOTATIONS,
    LAZY_MODULE,
    TYPE_CHECKING,
    PAGINATOR,
    PAGE_ITERATOR,
    PAGINATOR_SPEC,
    PAGINATOR_REGISTRY,
    ASYNC_PAGINATOR,
    ASYNC_PAGE_ITERATOR,
    WAITER,
    WAITER_SPEC,
    ACCEPTOR,
    WAITER_REGISTRY,
    ASYNC_WAITER,
)
ALL = tuple(dict.fromkeys(ANNOTATION + CLASS_MODULES + ACCESSOR_MODULES))

# -- the generated package's own modules ---------------------------------------
CLIENT_MODULE = "client"
# The asynchronous client (``Async<Name>Client``), loaded on first use.
AIO_MODULE = "aio"
SHAPES_MODULE = "shapes"
ENUMS_MODULE = "enums"
ERRORS_MODULE = "errors"
PAGINATORS_MODULE = "paginators"
WAITERS_MODULE = "waiters"
# The client, paginators and waiters bind the ones they use (lazily loaded),
# so no class may take these names either.
PACKAGE_MODULES = (
    CLIENT_MODULE,
    SHAPES_MODULE,
    ENUMS_MODULE,
    ERRORS_MODULE,
    PAGINATORS_MODULE,
    WAITERS_MODULE,
)
