"""Paginators: botocore's ``PageIterator`` over typed pages.

A generated paginator class carries its ``paginators-1.json`` entry as a
:class:`PaginatorSpec`; :class:`PageIterator` follows the output token(s)
exactly as ``botocore.paginate.PageIterator`` does: the same requests, the
same stop, ``max_items`` truncating inside a page, and the same resume
tokens (base64 JSON, with ``boto_truncate_amount`` when a page was cut), so
a ``starting_token`` from boto3 resumes identically here and vice versa.

Expressions (tokens, result keys, ``more_results``, ``non_aggregate_keys``)
that are dotted member paths, as every botocore paginator's result keys are,
are read straight off the typed page. Anything else is evaluated with
``jmespath`` (imported only then) over the page in botocore's dict form:
member names as keys, plain values (:func:`to_wire`).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import AsyncIterator, Generator, Iterator, Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from typed_aws_runtime.errors import ClientError
from typed_aws_runtime.schema import ListShape, MapShape, Member, Shape, StructureShape

if TYPE_CHECKING:
    from typed_aws_runtime.client import ClientCore

    BaseClient = ClientCore[Any]  # the blocking or the asynchronous client

_Page = TypeVar("_Page")
_Item = TypeVar("_Item")
_C = TypeVar("_C")
_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\Z")
_TRUNCATE = "boto_truncate_amount"


class PaginationError(ClientError):
    """A paginator that cannot go on (botocore's ``PaginationError``)."""


class Registry(dict[str, _C]):
    """boto3 name -> class; an unknown name is a ValueError naming the kind."""

    def __init__(self, kind: str, entries: Mapping[str, _C]) -> None:
        super().__init__(entries)
        self.kind = kind

    def __missing__(self, key: str) -> _C:
        raise ValueError(
            f"no {self.kind} named {key!r}; known: {', '.join(sorted(self)) or '-'}"
        )


# -- botocore's dict form of typed values ---------------------------------------


def to_wire(shape: Shape, value: Any) -> Any:
    """A typed value in botocore's parsed form: member names as keys."""
    if value is None:
        return None
    if isinstance(shape, StructureShape):
        if shape.document:
            return value
        fields = value if isinstance(value, Mapping) else value.__dict__
        out = {}
        for member in shape.members.values():
            item = fields.get(member.python)
            if item is not None:
                out[member.wire] = to_wire(member.shape, item)
        unknown = fields.get("sdk_unknown_member")
        if unknown:
            out["SDK_UNKNOWN_MEMBER"] = {"name": unknown}
        return out
    if isinstance(shape, ListShape):
        inner = shape.member.shape
        return [to_wire(inner, v) for v in value]
    if isinstance(shape, MapShape):
        inner = shape.value.shape
        return {k: to_wire(inner, v) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value
    return value


def from_wire(shape: Shape, value: Any) -> Any:
    """The inverse of :func:`to_wire`: botocore's form as a typed value."""
    if value is None:
        return None
    if isinstance(shape, StructureShape) and isinstance(value, Mapping):
        if shape.cls is None or shape.document:
            return value
        return shape.cls(
            **{
                m.python: from_wire(m.shape, value[m.wire])
                for m in shape.members.values()
                if value.get(m.wire) is not None
            }
        )
    if isinstance(shape, ListShape) and isinstance(value, list):
        return [from_wire(shape.member.shape, v) for v in value]
    if isinstance(shape, MapShape) and isinstance(value, Mapping):
        return {k: from_wire(shape.value.shape, v) for k, v in value.items()}
    enum_class = shape.enum_class
    if enum_class is not None and isinstance(value, str):
        return enum_class._value2member_map_.get(value, value)  # type: ignore[attr-defined]
    return value


def set_dict_path(source: dict[str, Any], expression: str, value: Any) -> None:
    """botocore's ``set_value_from_jmespath``: dotted keys only."""
    key, _, remainder = expression.partition(".")
    if not key:
        raise ValueError(f"invalid expression: {expression!r}")
    if remainder:
        if key not in source:
            source[key] = {}
        set_dict_path(source[key], remainder, value)
        return
    source[key] = value


def merge_dicts(target: dict[str, Any], other: Mapping[str, Any]) -> None:
    """botocore's ``merge_dicts`` (without ``append_lists``)."""
    for key, value in other.items():
        if isinstance(value, dict) and key in target:
            merge_dicts(target[key], value)
        else:
            target[key] = value


class Expression:
    """A JMESPath expression over one output shape, on typed or dict pages."""

    __slots__ = ("expression", "root", "steps", "_compiled")

    def __init__(self, expression: str, root: StructureShape) -> None:
        self.expression = expression
        self.root = root
        # The members along a dotted member path; None for anything else.
        self.steps: tuple[Member, ...] | None = None
        self._compiled: Any = None
        if _PATH.match(expression):
            steps = []
            shape: Shape = root
            for name in expression.split("."):
                if not isinstance(shape, StructureShape) or shape.document:
                    break
                member = shape.members.get(name)
                if member is None:
                    break
                steps.append(member)
                shape = member.shape
            else:
                self.steps = tuple(steps)

    def search(self, page: Any) -> Any:
        """The value at the expression: typed for a member path, else dict form."""
        if self.steps is None:
            return self._jmespath().search(to_wire(self.root, page))
        value = page
        for member in self.steps:
            if value is None:
                return None
            value = _field(value, member.python)
        return value

    def search_wire(self, page: Any) -> Any:
        """The value at the expression in botocore's dict form."""
        if self.steps is not None:
            return to_wire(self.steps[-1].shape, self.search(page))
        return self.search(page)

    def search_dict(self, data: Any) -> Any:
        """The value at the expression in a dict-form document."""
        if self.steps is None:
            return self._jmespath().search(data)
        for member in self.steps:
            if not isinstance(data, dict):
                return None
            data = data.get(member.wire)
        return data

    def assign(self, page: Any, value: Any) -> None:
        """Set the value at a member path, creating missing parents as botocore."""
        if self.steps is None:
            raise PaginationError(
                f"cannot truncate a page at {self.expression!r}: not a member path"
            )
        target = page
        for member in self.steps[:-1]:
            child = _field(target, member.python)
            if child is None:
                shape = member.shape
                cls = shape.cls if isinstance(shape, StructureShape) else None
                child = cls() if cls is not None else {}
                _set_field(target, member.python, child)
            target = child
        _set_field(target, self.steps[-1].python, value)

    def _jmespath(self) -> Any:
        if self._compiled is None:
            import jmespath

            self._compiled = jmespath.compile(self.expression)
        return self._compiled


def _field(value: Any, name: str) -> Any:
    if isinstance(value, dict):
        return value.get(name)
    return value.__dict__.get(name)


def _set_field(target: Any, name: str, value: Any) -> None:
    if isinstance(target, dict):
        target[name] = value
    else:
        target.__dict__[name] = value


# -- resume tokens (botocore's TokenEncoder / TokenDecoder) ------------------------


def encode_token(token: dict[str, Any]) -> str:
    """Encode a resume token exactly as botocore's ``TokenEncoder``."""
    try:
        text = json.dumps(token)
    except (TypeError, UnicodeDecodeError):
        encoded, paths = _encode_bytes(token, [])
        encoded["boto_encoded_keys"] = paths
        text = json.dumps(encoded)
    return base64.b64encode(text.encode("utf-8")).decode("utf-8")


def _encode_bytes(data: Any, path: list[Any]) -> tuple[Any, list[Any]]:
    if isinstance(data, dict):
        out_dict, found = {}, []
        for key, value in data.items():
            out_dict[key], more = _encode_bytes(value, path + [key])
            found.extend(more)
        return out_dict, found
    if isinstance(data, list):
        out_list, found = [], []
        for i, value in enumerate(data):
            new, more = _encode_bytes(value, path + [i])
            out_list.append(new)
            found.extend(more)
        return out_list, found
    if isinstance(data, bytes):
        return base64.b64encode(data).decode("utf-8"), [path]
    return data, []


def decode_token(token: str) -> Any:
    """Decode a resume token exactly as botocore's ``TokenDecoder``."""
    decoded = json.loads(base64.b64decode(token.encode("utf-8")).decode("utf-8"))
    paths = decoded.pop("boto_encoded_keys", None)
    if paths is None:
        return decoded
    for path in paths:
        container = decoded
        for step in path[:-1]:
            container = container[step]
        container[path[-1]] = base64.b64decode(container[path[-1]].encode("utf-8"))
    return decoded


# -- the paginator ----------------------------------------------------------------


class PaginatorSpec:
    """One ``paginators-1.json`` entry, with Python names where calls need them.

    ``input_token`` maps each input token (a top-level input member, by its
    wire name, in the model's order) to the client method's keyword;
    ``limit_key`` is the keyword the page size goes to.
    """

    __slots__ = (
        "operation", "method", "input_token", "output_token", "result_key",
        "limit_key", "limit_is_string", "more_results", "non_aggregate_keys",
        "_compiled",
    )  # fmt: skip

    def __init__(
        self,
        operation: str,
        method: str,
        input_token: Mapping[str, str],
        output_token: Sequence[str],
        result_key: Sequence[str],
        limit_key: str | None = None,
        *,
        limit_is_string: bool = False,
        more_results: str | None = None,
        non_aggregate_keys: Sequence[str] = (),
    ) -> None:
        self.operation = operation
        self.method = method
        self.input_token = dict(input_token)
        self.output_token = tuple(output_token)
        self.result_key = tuple(result_key)
        self.limit_key = limit_key
        self.limit_is_string = limit_is_string
        self.more_results = more_results
        self.non_aggregate_keys = tuple(non_aggregate_keys)
        self._compiled: _Compiled | None = None

    def compiled(self, client: BaseClient) -> _Compiled:
        if self._compiled is None:
            from typed_aws_runtime import schema

            op = schema.load(client._package).operation(self.operation)
            self._compiled = _Compiled(self, op.input, op.output)
        return self._compiled


class _Compiled:
    """A spec's expressions, bound to the operation's shapes."""

    def __init__(
        self,
        spec: PaginatorSpec,
        input_shape: StructureShape | None,
        output: StructureShape | None,
    ) -> None:
        if output is None:
            raise PaginationError(f"{spec.operation} has no output to paginate")
        self.output = output
        self.output_token = [Expression(e, output) for e in spec.output_token]
        self.result_key = [Expression(e, output) for e in spec.result_key]
        self.more_results = (
            Expression(spec.more_results, output) if spec.more_results else None
        )
        self.non_aggregate_keys = [
            Expression(e, output) for e in spec.non_aggregate_keys
        ]
        members = input_shape.members if input_shape is not None else {}
        self.input_shapes = {
            wire: members[wire].shape for wire in spec.input_token if wire in members
        }


class PaginatorBase:
    """What a paginator of either client holds: its spec and its client."""

    _spec: ClassVar[PaginatorSpec]

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} for {self._spec.method}>"

    def _paging(
        self, max_items: int | None, page_size: int | str | None
    ) -> tuple[int | None, int | str | None]:
        # botocore's Paginator._extract_paging_params.
        spec = self._spec
        if max_items is not None:
            max_items = int(max_items)
        if page_size is not None:
            if spec.limit_key is None:
                raise PaginationError(
                    "PageSize parameter is not supported for the pagination "
                    "interface for this operation."
                )
            page_size = str(page_size) if spec.limit_is_string else int(page_size)
        return max_items, page_size


class Paginator(PaginatorBase):
    """Base class of generated paginators: ``paginate(...)`` starts one."""

    def _paginate(
        self,
        params: dict[str, Any],
        max_items: int | None,
        page_size: int | str | None,
        starting_token: str | None,
    ) -> PageIterator[Any, Any]:
        max_items, page_size = self._paging(max_items, page_size)
        return PageIterator(
            self._client, self._spec, params, max_items, page_size, starting_token
        )


class AsyncPaginator(PaginatorBase):
    """Base class of the asynchronous client's paginators."""

    def _paginate(
        self,
        params: dict[str, Any],
        max_items: int | None,
        page_size: int | str | None,
        starting_token: str | None,
    ) -> AsyncPageIterator[Any, Any]:
        max_items, page_size = self._paging(max_items, page_size)
        return AsyncPageIterator(
            self._client, self._spec, params, max_items, page_size, starting_token
        )


class PageWalk(Generic[_Page, _Item]):
    """One pagination, without I/O: :meth:`_walk` says which calls to make
    and which pages to hand out; :class:`PageIterator` makes the calls
    blocking, :class:`AsyncPageIterator` awaits them."""

    def __init__(
        self,
        client: BaseClient,
        spec: PaginatorSpec,
        params: dict[str, Any],
        max_items: int | None,
        page_size: int | str | None,
        starting_token: str | None,
    ) -> None:
        self._client = client
        self._spec = spec
        self._params = params
        self._max_items = max_items
        self._page_size = page_size
        self._starting_token = starting_token
        self._resume_token: str | None = None
        self._non_aggregate_part: dict[str, Any] = {}

    @property
    def result_keys(self) -> tuple[str, ...]:
        return self._spec.result_key

    @property
    def resume_token(self) -> str | None:
        """The ``starting_token`` that resumes where ``max_items`` stopped."""
        return self._resume_token

    def _set_resume_token(self, value: dict[str, Any]) -> None:
        # botocore's resume_token setter: only the input tokens (+ truncation).
        if not isinstance(value, dict):
            raise ValueError(f"Bad starting token: {value}")
        expected = list(self._spec.input_token)
        if _TRUNCATE in value:
            expected.append(_TRUNCATE)
        if sorted(expected) != sorted(value):
            raise ValueError(f"Bad starting token: {value}")
        self._resume_token = encode_token(value)

    @property
    def non_aggregate_part(self) -> dict[str, Any]:
        """The ``non_aggregate_keys`` of the first page, in dict form."""
        return self._non_aggregate_part

    def _walk(self) -> Generator[tuple[bool, Any], Any, None]:
        """Yields ``(True, kwargs)``: call the operation's method with them
        and send the page back; ``(False, page)``: hand the page out."""
        spec = self._spec
        compiled = spec.compiled(self._client)
        kwargs = dict(self._params)
        previous_next_token: dict[str, Any] | None = None
        next_token: dict[str, Any] = {key: None for key in spec.input_token}
        if self._starting_token is not None:
            next_token = self._parse_starting_token()[0]
        total_items = 0
        first_request = True
        if not compiled.result_key:
            raise PaginationError(
                f"the paginator of {spec.operation} has no result key"
            )
        primary = compiled.result_key[0]
        starting_truncation = 0
        self._inject_starting_params(kwargs, compiled)
        while True:
            page = yield True, kwargs
            if first_request:
                if self._starting_token is not None:
                    starting_truncation = self._handle_first_request(page, compiled)
                first_request = False
                self._record_non_aggregate_key_values(page, compiled)
            else:
                starting_truncation = 0
            current = primary.search(page)
            if current is None:
                current = []
            count = len(current)
            truncate_amount = 0
            if self._max_items is not None:
                truncate_amount = total_items + count - self._max_items
            if truncate_amount > 0:
                self._truncate_response(
                    page, primary, truncate_amount, starting_truncation, next_token
                )
                yield False, page
                break
            yield False, page
            total_items += count
            next_token = self._get_next_token(page, compiled)
            if all(t is None for t in next_token.values()):
                break
            if self._max_items is not None and total_items == self._max_items:
                # On a page boundary: the next token is the resume token.
                self._set_resume_token(next_token)
                break
            if previous_next_token is not None and previous_next_token == next_token:
                raise PaginationError(
                    f"The same next token was received twice: {next_token}"
                )
            self._inject_token_into_kwargs(kwargs, next_token, compiled)
            previous_next_token = next_token

    def _primary(self) -> Expression:
        compiled = self._spec.compiled(self._client)
        if not compiled.result_key:
            raise PaginationError(
                f"the paginator of {self._spec.operation} has no result key"
            )
        return compiled.result_key[0]

    def _aggregate(self, complete: dict[str, Any], typed_page: Any) -> None:
        """botocore's ``build_full_result``, one page at a time."""
        compiled = self._spec.compiled(self._client)
        page = to_wire(compiled.output, typed_page)
        for expression in compiled.result_key:
            value = expression.search_dict(page)
            if value is None:
                continue
            existing = expression.search_dict(complete)
            if existing is None:
                set_dict_path(complete, expression.expression, value)
                continue
            if isinstance(value, list):
                existing.extend(value)
            elif isinstance(value, (int, float, str)):
                set_dict_path(complete, expression.expression, existing + value)

    def _full_result(self, complete: dict[str, Any]) -> dict[str, Any]:
        merge_dicts(complete, self.non_aggregate_part)
        if self.resume_token is not None:
            complete["NextToken"] = self.resume_token
        return complete

    def _found(self, compiled: Any, page: Any) -> list[Any]:
        output = self._spec.compiled(self._client).output
        results = compiled.search(to_wire(output, page))
        return results if isinstance(results, list) else [results]

    # -- botocore's PageIterator internals, on typed pages -------------------------

    def _record_non_aggregate_key_values(self, page: Any, compiled: _Compiled) -> None:
        values: dict[str, Any] = {}
        for expression in compiled.non_aggregate_keys:
            set_dict_path(values, expression.expression, expression.search_wire(page))
        self._non_aggregate_part = values

    def _inject_starting_params(
        self, kwargs: dict[str, Any], compiled: _Compiled
    ) -> None:
        if self._starting_token is not None:
            next_token = self._parse_starting_token()[0]
            self._inject_token_into_kwargs(kwargs, next_token, compiled)
        if self._page_size is not None:
            assert self._spec.limit_key is not None
            kwargs[self._spec.limit_key] = self._page_size

    def _inject_token_into_kwargs(
        self, kwargs: dict[str, Any], next_token: Mapping[str, Any], compiled: _Compiled
    ) -> None:
        for name, token in next_token.items():
            keyword = self._spec.input_token.get(name)
            if keyword is None:
                raise ValueError(f"Bad starting token: {name!r} is not an input token")
            if token is not None and token != "None":
                shape = compiled.input_shapes.get(name)
                kwargs[keyword] = (
                    from_wire(shape, token) if shape is not None else token
                )
            else:
                kwargs.pop(keyword, None)

    def _handle_first_request(self, page: Any, compiled: _Compiled) -> int:
        # Slice into the first page where the starting token says to.
        starting_truncation = self._parse_starting_token()[1]
        primary = compiled.result_key[0]
        all_data = primary.search(page)
        if isinstance(all_data, (list, str)):
            data = all_data[starting_truncation:]
        else:
            data = None
        primary.assign(page, data)
        # Secondary result keys were returned in full with the previous page.
        for expression in compiled.result_key[1:]:
            sample = expression.search(page)
            empty: Any
            if isinstance(sample, list):
                empty = []
            elif isinstance(sample, str):
                empty = ""
            elif isinstance(sample, (int, float)):
                empty = sample
            else:
                empty = None
            expression.assign(page, empty)
        return int(starting_truncation)

    def _truncate_response(
        self,
        page: Any,
        primary: Expression,
        truncate_amount: int,
        starting_truncation: int,
        next_token: dict[str, Any],
    ) -> None:
        original = primary.search(page)
        if original is None:
            original = []
        amount_to_keep = len(original) - truncate_amount
        primary.assign(page, original[:amount_to_keep])
        # The resume index counts from the start of the page, including any
        # left truncation the starting token asked for.
        next_token[_TRUNCATE] = amount_to_keep + starting_truncation
        self._set_resume_token(next_token)

    def _get_next_token(self, page: Any, compiled: _Compiled) -> dict[str, Any]:
        if compiled.more_results is not None:
            if not compiled.more_results.search_wire(page):
                return {}
        tokens: dict[str, Any] = {}
        for output_token, input_key in zip(
            compiled.output_token, self._spec.input_token, strict=False
        ):
            token = output_token.search_wire(page)
            # Empty strings are no token.
            tokens[input_key] = token if token else None
        return tokens

    def _parse_starting_token(self) -> tuple[dict[str, Any], int]:
        assert self._starting_token is not None
        try:
            next_token = decode_token(self._starting_token)
            index = 0
            if _TRUNCATE in next_token:
                index = next_token.get(_TRUNCATE)
                del next_token[_TRUNCATE]
        except (ValueError, TypeError):
            next_token, index = self._parse_starting_token_deprecated()
        return next_token, index

    def _parse_starting_token_deprecated(self) -> tuple[dict[str, Any], int]:
        # Old "token___token___index" tokens, as botocore still reads them.
        assert self._starting_token is not None
        inputs = list(self._spec.input_token)
        parts: list[Any] = self._starting_token.split("___")
        index = 0
        if len(parts) == len(inputs) + 1:
            try:
                index = int(parts.pop())
            except ValueError:
                parts = [self._starting_token]
        values: list[Any] = [None if part == "None" else part for part in parts]
        if len(values) > len(inputs):
            raise ValueError(f"Bad starting token: {self._starting_token}")
        values.extend([None] * (len(inputs) - len(values)))
        return dict(zip(inputs, values, strict=True)), index


class PageIterator(PageWalk[_Page, _Item]):
    """The pages of one pagination; iterate it (each time from the start).

    ``items()`` yields the elements of the (first) result key across pages;
    ``resume_token`` is set when ``max_items`` stopped the iteration early,
    and resumes it when passed as ``starting_token``.
    """

    def __iter__(self) -> Iterator[_Page]:
        method = getattr(self._client, self._spec.method)
        walk = self._walk()
        answer: Any = None
        while True:
            try:
                call, value = walk.send(answer)
            except StopIteration:
                return
            if call:
                answer = method(**value)
            else:
                answer = None
                yield value

    def items(self) -> Iterator[_Item]:
        """Every element of the result key, page after page."""
        primary = self._primary()
        for page in self:
            yield from primary.search(page) or ()

    def search(self, expression: str) -> Iterator[Any]:
        """botocore's ``PageIterator.search``: JMESPath over each page's dict form.

        Lists are flattened; pages hold no ``ResponseMetadata``.
        """
        import jmespath

        compiled = jmespath.compile(expression)
        for page in self:
            yield from self._found(compiled, page)

    def build_full_result(self) -> dict[str, Any]:
        """botocore's ``build_full_result``: result keys aggregated, dict form."""
        complete: dict[str, Any] = {}
        for page in self:
            self._aggregate(complete, page)
        return self._full_result(complete)


class AsyncPageIterator(PageWalk[_Page, _Item]):
    """The pages of one pagination of the asynchronous client:
    ``async for page in ...``; ``items()`` and ``search()`` are asynchronous
    iterators, ``build_full_result()`` a coroutine. Otherwise as
    :class:`PageIterator`."""

    async def __aiter__(self) -> AsyncIterator[_Page]:
        method = getattr(self._client, self._spec.method)
        walk = self._walk()
        answer: Any = None
        while True:
            try:
                call, value = walk.send(answer)
            except StopIteration:
                return
            if call:
                answer = await method(**value)
            else:
                answer = None
                yield value

    async def items(self) -> AsyncIterator[_Item]:
        """Every element of the result key, page after page."""
        primary = self._primary()
        async for page in self:
            for item in primary.search(page) or ():
                yield item

    async def search(self, expression: str) -> AsyncIterator[Any]:
        """As :meth:`PageIterator.search`."""
        import jmespath

        compiled = jmespath.compile(expression)
        async for page in self:
            for found in self._found(compiled, page):
                yield found

    async def build_full_result(self) -> dict[str, Any]:
        """As :meth:`PageIterator.build_full_result`."""
        complete: dict[str, Any] = {}
        async for page in self:
            self._aggregate(complete, page)
        return self._full_result(complete)
