"""botocore's hand-written wire customizations, one small rule each.

The generator writes the rules that apply to an operation into
``_schema.json`` (``"customizations": [[rule, {args}], ...]``, from the table
in ``codegen/customizations.py``); :func:`compile` turns them, once per
operation, into hooks at named points of the call pipeline
(``runtime/typed_aws_runtime/client.py``):

========== ==================================================================
hook       botocore's event, and what a rule there may change
========== ==================================================================
static     the operation itself, once (signing choice, constant headers):
           no per-call cost at all
params     ``before-parameter-build``: the parameters, before validation
call       ``before-call``: the serialized request (headers, body) and URL
compress   botocore's ``maybe_compress_request`` (after ``before-call``)
created    ``request-created``: method, URL and body, just before signing
response   ``before-parse`` of every response (before the retry decision):
           its status, headers and body
output     ``after-call``: the parsed (typed) output (and its response)
error      ``before-parse`` of an error response: its raw body
========== ==================================================================

An operation with no rule but static ones has ``op.custom is None`` and goes
through the pipeline's plain path: nothing is paid for hooks it does not have.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from typed_aws_runtime import wire
from typed_aws_runtime.schema import ListShape, Shape, StructureShape
from typed_aws_runtime.transport import HttpResponse

if TYPE_CHECKING:
    from typed_aws_runtime.credentials import CredentialProvider
    from typed_aws_runtime.protocols.base import SerializedRequest
    from typed_aws_runtime.schema import Operation, ServiceSchema

__all__ = [
    "Call",
    "CallContext",
    "Customizations",
    "compile_rules",
    "compression_settings",
    "presigned_url",
    "rule_names",
    "tree_hash",
]

# Hooks, in pipeline order (a rule's place among the rules of its hook is
# the order the generator wrote them in: botocore's registration order).
STATIC, PARAMS, CALL, COMPRESS, CREATED, RESPONSE, OUTPUT, ERROR = range(8)

# botocore's defaults (config store: request_min_compression_size_bytes,
# disable_request_compression) and the range it accepts.
DEFAULT_MIN_COMPRESSION_SIZE = 10240
MAX_MIN_COMPRESSION_SIZE = 1048576
_FORM = "application/x-www-form-urlencoded"


class CallContext(Protocol):
    """What the rules need of the client making the call."""

    @property
    def region(self) -> str | None: ...

    @property
    def signing_name(self) -> str: ...

    @property
    def credentials(self) -> CredentialProvider: ...

    @property
    def min_compression_size(self) -> int: ...

    @property
    def compression_disabled(self) -> bool: ...

    def now(self) -> datetime.datetime: ...


class Call:
    """One call of a customized operation, as the request rules see it."""

    __slots__ = ("context", "params", "request", "url")

    def __init__(
        self,
        context: CallContext,
        params: Mapping[str, Any],
        request: SerializedRequest,
        url: str,
    ) -> None:
        self.context = context
        self.params = params
        self.request = request
        self.url = url


ParamsHook = Callable[[dict[str, Any]], None]
RequestHook = Callable[[Call], None]
# The typed output, the parameters as the caller gave them, the response.
OutputHook = Callable[[Any, Mapping[str, Any] | None, HttpResponse], None]
ErrorHook = Callable[[HttpResponse], HttpResponse]
ResponseHook = Callable[[HttpResponse], HttpResponse]


class Customizations:
    """The hooks of one operation; an empty hook is an empty tuple."""

    __slots__ = ("params", "request", "response", "output", "error")

    def __init__(
        self,
        params: tuple[ParamsHook, ...],
        request: tuple[RequestHook, ...],
        output: tuple[OutputHook, ...],
        error: tuple[ErrorHook, ...],
        response: tuple[ResponseHook, ...] = (),
    ) -> None:
        self.params = params
        self.request = request
        self.response = response
        self.output = output
        self.error = error

    def rewrite_params(self, params: Mapping[str, Any] | None) -> dict[str, Any] | None:
        """The parameters after the ``params`` rules (a copy: a caller's dict,
        a paginator's for instance, is never changed)."""
        out = dict(params) if params is not None else {}
        for hook in self.params:
            hook(out)
        return out if out or params is not None else None

    def rewrite_request(self, call: Call) -> None:
        for hook in self.request:
            hook(call)

    def rewrite_response(self, response: HttpResponse) -> HttpResponse:
        """A response (any status) before the retry decision and parsing."""
        for hook in self.response:
            response = hook(response)
        return response

    def rewrite_output(
        self,
        result: Any,
        given: Mapping[str, Any] | None,
        response: HttpResponse,
    ) -> Any:
        """The output after the ``output`` rules; ``given``: the parameters
        as the caller passed them (before the ``params`` rules)."""
        for hook in self.output:
            hook(result, given, response)
        return result

    def rewrite_error(self, response: HttpResponse) -> HttpResponse:
        for hook in self.error:
            response = hook(response)
        return response


Factory = Callable[["Operation", "ServiceSchema", Mapping[str, Any]], Any]
_RULES: dict[str, tuple[int, Factory]] = {}


def _rule(name: str, hook: int) -> Callable[[Factory], Factory]:
    def register(factory: Factory) -> Factory:
        _RULES[name] = (hook, factory)
        return factory

    return register


def rule_names() -> frozenset[str]:
    """Every rule this module implements."""
    return frozenset(_RULES)


def compile_rules(
    op: Operation, schema: ServiceSchema, rules: Sequence[Sequence[Any]]
) -> Customizations | None:
    """The hooks of ``op`` (static rules applied to it now); None when no
    rule needs a hook at call time."""
    hooks: dict[int, list[Any]] = {}
    for name, args in rules:
        try:
            hook, factory = _RULES[name]
        except KeyError:
            raise ValueError(
                f"{op.name}: unknown customization {name!r} in the schema"
            ) from None
        made = factory(op, schema, args)
        if hook != STATIC:
            hooks.setdefault(hook, []).append(made)
    if not hooks:
        return None
    request = [h for stage in (CALL, COMPRESS, CREATED) for h in hooks.get(stage, ())]
    return Customizations(
        tuple(hooks.get(PARAMS, ())),
        tuple(request),
        tuple(hooks.get(OUTPUT, ())),
        tuple(hooks.get(ERROR, ())),
        tuple(hooks.get(RESPONSE, ())),
    )


# -- static: the operation itself ---------------------------------------------------


@_rule("unsigned", STATIC)
def _unsigned(op: Operation, schema: ServiceSchema, args: Mapping[str, Any]) -> None:
    """botocore's ``disable_signing`` (``choose-signer``): sent without a
    signature (sts AssumeRoleWithSAML, cognito-identity GetId, ...)."""
    op.auth_type = "none"
    op.signing_disabled = True
    op.unsigned_payload = False


@_rule("header", STATIC)
def _header(op: Operation, schema: ServiceSchema, args: Mapping[str, Any]) -> None:
    """A header every request of the operation carries (glacier's
    ``x-amz-glacier-version``, botocore's ``add_glacier_version``)."""
    op.extra_headers = {**op.extra_headers, args["name"]: args["value"]}


@_rule("strip_path_prefix", STATIC)
def _strip_path_prefix(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> None:
    """botocore's ``remove_bucket_from_url_paths_from_model`` (S3): the
    request URI loses its leading ``/{Bucket}``; the endpoint rule set puts
    the bucket in the host (virtual-hosted) or in the endpoint's own path
    (path-style)."""
    from typed_aws_runtime.urls import path_parts

    prefix = args["prefix"]
    if op.path.startswith(prefix):
        op.path = op.path[len(prefix) :]
        op.path_parts = path_parts(op.path)


@_rule("s3_endpoint_builtins", STATIC)
def _s3_endpoint_builtins(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> None:
    """botocore's ``customize_endpoint_resolver_builtins`` (S3), per call:
    GetBucketLocation always path-style (``force_path_style``); a bucket
    given as an ARN (``arn_member``) never."""
    from typed_aws_runtime.endpoint_context import EndpointContext

    context = op.endpoint_context
    if context is None:
        context = op.endpoint_context = EndpointContext({}, {}, {})
    if "force_path_style" in args:
        context.static["ForcePathStyle"] = args["force_path_style"]
    if "arn_member" in args:
        context.arn_member = args["arn_member"]


@_rule("no_host_prefix", STATIC)
def _no_host_prefix(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> None:
    """botocore's ``remove_accid_host_prefix_from_model`` (s3control): the
    rule set already puts the account id in the host, so the model's
    ``{AccountId}.`` host prefix is dropped."""
    op.host_prefix = None


# -- params: before validation --------------------------------------------------------


@_rule("file_like_body", PARAMS)
def _file_like_body(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> ParamsHook:
    """botocore's ``convert_body_to_file_like_object`` (S3 PutObject,
    UploadPart): a body given as text (UTF-8) or bytes is sent from a file
    object, so it goes with ``Expect: 100-continue`` as a file does."""
    import io

    member = args["member"]

    def hook(params: dict[str, Any]) -> None:
        body = params.get(member)
        if isinstance(body, str):
            params[member] = io.BytesIO(body.encode("utf-8"))
        elif isinstance(body, (bytes, bytearray)):
            params[member] = io.BytesIO(bytes(body))

    return hook


@_rule("keep_last_segment", PARAMS)
def _keep_last_segment(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> ParamsHook:
    """botocore's ``fix_route53_ids``: ``/hostedzone/Z1`` -> ``Z1``, so one
    operation's output can be passed to the next."""
    members = tuple(args["members"])

    def hook(params: dict[str, Any]) -> None:
        for name in members:
            value = params.get(name)
            if isinstance(value, str):
                params[name] = value.split("/")[-1]

    return hook


@_rule("base64_text", PARAMS)
def _base64_text(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> ParamsHook:
    """botocore's ``base64_encode_user_data``: text or bytes, sent base64
    encoded (ec2 RunInstances, autoscaling CreateLaunchConfiguration)."""
    member = args["member"]

    def hook(params: dict[str, Any]) -> None:
        value = params.get(member)
        if isinstance(value, str):
            value = value.encode("utf-8")
        if isinstance(value, (bytes, bytearray)):
            params[member] = base64.b64encode(value).decode("utf-8")

    return hook


@_rule("default_value", PARAMS)
def _default_value(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> ParamsHook:
    """A value for a parameter left unset (glacier's ``accountId`` ``-``,
    botocore's ``inject_account_id``)."""
    member, value = args["member"], args["value"]

    def hook(params: dict[str, Any]) -> None:
        if params.get(member) is None:
            params[member] = value

    return hook


# S3's (botocore's handlers.py: VALID_BUCKET, VALID_S3_ARN, SAFE_CHARS).
_VALID_BUCKET = r"^[a-zA-Z0-9.\-_]{1,255}$"
_VALID_S3_ARN = (
    r"^arn:(aws).*:(s3|s3-object-lambda):[a-z\-0-9]*:[0-9]{12}:accesspoint[/:]"
    r"[a-zA-Z0-9\-.]{1,63}$|^arn:(aws).*:s3-outposts:[a-z\-0-9]+:[0-9]{12}:"
    r"outpost[/:][a-zA-Z0-9\-]{1,63}[/:]accesspoint[/:][a-zA-Z0-9\-]{1,63}$"
)
_VERSION_ID_SUFFIX = r"\?versionId=[^\s]+$"


@_rule("s3_bucket_name", PARAMS)
def _s3_bucket_name(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> ParamsHook:
    """botocore's ``validate_bucket_name``: a bucket name of other
    characters than letters, digits, ``.``, ``-``, ``_`` (and not an access
    point or Outposts ARN) is refused before anything is sent."""
    import re

    from typed_aws_runtime.errors import ParamValidationError

    member = args["member"]
    valid, arn = re.compile(_VALID_BUCKET), re.compile(_VALID_S3_ARN)

    def hook(params: dict[str, Any]) -> None:
        bucket = params.get(member)
        if isinstance(bucket, str) and not (valid.search(bucket) or arn.search(bucket)):
            raise ParamValidationError(
                f'Invalid bucket name "{bucket}": Bucket name must match the regex '
                f'"{_VALID_BUCKET}" or be an ARN matching the regex "{_VALID_S3_ARN}"'
            )

    return hook


@_rule("sse_customer_key_md5", PARAMS)
def _sse_customer_key_md5(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> ParamsHook:
    """botocore's ``sse_md5`` and ``copy_source_sse_md5``: the customer key
    (text or bytes) is sent base64 encoded with its MD5, unless the caller
    gave the MD5 (then the key goes as given)."""
    key_member, md5_member = args["key"], args["md5"]

    def hook(params: dict[str, Any]) -> None:
        key = params.get(key_member)
        if params.get(md5_member) is not None:
            return
        if not isinstance(key, (str, bytes, bytearray)):
            return  # None, or a wrong type validation refuses
        raw = key.encode("utf-8") if isinstance(key, str) else bytes(key)
        params[md5_member] = base64.b64encode(hashlib.md5(raw).digest()).decode()
        params[key_member] = base64.b64encode(raw).decode()

    return hook


@_rule("copy_source", PARAMS)
def _copy_source(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> ParamsHook:
    """botocore's ``handle_copy_source_param``: ``bucket/key`` percent-encoded
    (``/`` and ``-._~`` kept), a trailing ``?versionId=`` kept as given."""
    import re
    from urllib.parse import quote

    member = args["member"]
    suffix = re.compile(_VERSION_ID_SUFFIX)

    def hook(params: dict[str, Any]) -> None:
        source = params.get(member)
        if not isinstance(source, str):
            return
        found = suffix.search(source)
        if found is None:
            params[member] = quote(source, safe="-._~/")
        else:
            params[member] = quote(source[: found.start()], safe="-._~/") + (
                source[found.start() :]
            )

    return hook


@_rule("ascii_metadata", PARAMS)
def _ascii_metadata(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> ParamsHook:
    """botocore's ``validate_ascii_metadata``: S3 metadata keys and values
    are ASCII (HTTP headers); anything else is refused before sending."""
    from typed_aws_runtime.errors import ParamValidationError

    member = args["member"]

    def hook(params: dict[str, Any]) -> None:
        metadata = params.get(member)
        if not isinstance(metadata, Mapping):
            return
        for key, value in metadata.items():
            if not (str(key).isascii() and str(value).isascii()):
                raise ParamValidationError(
                    f'Non ascii characters found in S3 metadata for key "{key}", '
                    f'value: "{value}".  \nS3 metadata can only contain ASCII '
                    "characters. "
                )

    return hook


# -- call: the serialized request, before compression and signing ------------------


@_rule("default_header", CALL)
def _default_header(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> RequestHook:
    """A header sent unless a member already set it (apigateway's
    ``Accept: application/json``, botocore's ``add_accept_header``)."""
    name, value = args["name"], args["value"]

    def hook(call: Call) -> None:
        headers = call.request.headers
        if headers.get(name) is None:
            headers[name] = value

    return hook


@_rule("tree_hash", CALL)
def _tree_hash(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> RequestHook:
    """botocore's ``add_glacier_checksums``: ``x-amz-content-sha256`` and
    ``x-amz-sha256-tree-hash`` of the body, unless given."""

    def hook(call: Call) -> None:
        headers = call.request.headers
        body = call.request.body
        if "x-amz-content-sha256" not in headers:
            headers["x-amz-content-sha256"] = _sha256_hex(body)
        if "x-amz-sha256-tree-hash" not in headers:
            headers["x-amz-sha256-tree-hash"] = tree_hash(body)

    return hook


@_rule("presigned_url", CALL)
def _presigned_url(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> RequestHook:
    """botocore's ``inject_presigned_url_ec2`` and ``inject_presigned_url_rds``:
    a cross-region copy carries a URL presigned for the source region (the
    same request, as a GET to the source region's endpoint, with
    ``DestinationRegion``).

    Arguments (form keys, as botocore's handlers name them): ``url`` (the
    member the URL goes in), ``source`` (the source region's member),
    ``client_only_source`` (rds: the source region is the client's, removed
    before sending; no source, no URL), ``send_destination`` (ec2: the
    destination region is also sent)."""
    url_key, source_key = args["url"], args["source"]
    client_only = bool(args.get("client_only_source"))
    send_destination = bool(args.get("send_destination"))

    def hook(call: Call) -> None:
        body = _form(call.request.body)
        if client_only:
            if source_key not in body:
                return
            source: str | None = body.pop(source_key)
            if url_key in body:
                call.request.body = _form_bytes(body)
                return
        else:
            if url_key in body:
                return
            source = body.get(source_key)
        destination = call.context.region or ""
        presign = dict(body)
        presign["DestinationRegion"] = destination
        # botocore's own trick: the source region's endpoint is the
        # destination's with the region swapped (an empty source region
        # too, as botocore swaps it).
        url = (
            call.url.replace(destination, source)
            if destination and source is not None
            else call.url
        )
        body[url_key] = presigned_url(
            url,
            presign,
            call.context,
            region=source or "",
        )
        if send_destination:
            body["DestinationRegion"] = destination
        call.request.body = _form_bytes(body)

    return hook


# -- compress: botocore's maybe_compress_request --------------------------------------


@_rule("compress_request", COMPRESS)
def _compress_request(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> RequestHook:
    """The ``requestcompression`` trait, as botocore's ``compress.py``: the
    first encoding it knows (gzip), for a body of at least the minimum size
    (a streaming body without ``requiresLength``: whatever its size), with
    the encoding appended to ``Content-Encoding``."""
    encodings = [e for e in args["encodings"] if e == "gzip"]
    streaming = bool(args.get("streaming"))
    if not encodings:
        return lambda call: None

    def hook(call: Call) -> None:
        context = call.context
        if context.compression_disabled:
            return
        request = call.request
        body = request.body
        if not streaming:
            size = _size(body)
            if size is None or size < context.min_compression_size:
                return
        request.body = _gzip(body)
        headers = request.headers
        current = headers.get("Content-Encoding")
        headers["Content-Encoding"] = f"{current},gzip" if current else "gzip"

    return hook


# -- created: method, URL and body, just before signing ------------------------------


@_rule("host_from_member", CREATED)
def _host_from_member(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> RequestHook:
    """botocore's ``switch_host_machinelearning``: the request goes to the
    scheme and host a member names (machinelearning Predict's
    ``PredictEndpoint``), with the path and query it had."""
    member = args["member"]

    def hook(call: Call) -> None:
        endpoint = call.params.get(member)
        if not endpoint:
            return
        new, old = urlsplit(str(endpoint)), urlsplit(call.url)
        call.url = _unsplit(new.scheme, new.netloc, old.path, old.query)

    return hook


@_rule("get_to_post", CREATED)
def _get_to_post(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> RequestHook:
    """botocore's ``change_get_to_post`` (cloudsearchdomain Search): a GET
    with a query string is sent as a form POST of that query string."""

    def hook(call: Call) -> None:
        request = call.request
        if request.method == "GET" and "?" in call.url:
            request.headers["Content-Type"] = _FORM
            request.method = "POST"
            call.url, query = call.url.split("?", 1)
            request.body = query.encode("utf-8")

    return hook


# -- output: the parsed output ------------------------------------------------------


@_rule("decode_json", OUTPUT)
def _decode_json(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> OutputHook:
    """botocore's ``json_decode_policies`` (iam: URL-quoted JSON policy
    documents, ``quoted``) and ``json_decode_template_body`` (cloudformation
    GetTemplate): each member at ``paths`` (Python names; ``*`` for every
    item of a list) becomes the JSON value it holds; a value that is not
    JSON is left as it was, as botocore leaves it."""
    quoted = bool(args.get("quoted"))

    def decode(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return json.loads(unquote(value) if quoted else value)
        except ValueError:
            return value

    return _at_paths(op, args["paths"], decode)


@_rule("decode_base64_text", OUTPUT)
def _decode_base64_text(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> OutputHook:
    """botocore's ``decode_console_output`` (ec2 GetConsoleOutput): base64
    text decoded, as UTF-8 with replacement characters; left as it was when
    it is not base64."""

    def decode(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            raw = base64.b64decode(value.encode("latin-1"))
        except ValueError:
            return value
        return raw.decode("utf-8", "replace")

    return _at_paths(op, args["paths"], decode)


def _at_paths(
    op: Operation, paths: Sequence[Sequence[str]], convert: Callable[[Any], Any]
) -> OutputHook:
    """A hook applying ``convert`` to the field at the end of each path of
    the output (wire member names, ``*`` for every item of a list)."""
    compiled = [_python_path(op, path) for path in paths]

    def visit(node: Any, path: tuple[str, ...]) -> None:
        if node is None:
            return
        step, rest = path[0], path[1:]
        if step == "*":
            for item in node:
                visit(item, rest)
            return
        value = getattr(node, step, None)
        if not rest:
            if value is not None:
                setattr(node, step, convert(value))
            return
        visit(value, rest)

    def hook(
        result: Any, given: Mapping[str, Any] | None, response: HttpResponse
    ) -> None:
        for path in compiled:
            visit(result, path)

    return hook


@_rule("url_decode_keys", OUTPUT)
def _url_decode_keys(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> OutputHook:
    """botocore's ``decode_list_object`` (and ``_v2``, ``_versions``): when
    the client asked for ``EncodingType=url`` itself (the caller gave none:
    ``set_list_objects_encoding_type_url``, a ``default_value`` rule) and the
    response says ``url``, the keys at ``paths`` are URL-decoded
    (``unquote_plus``), so a key with characters XML cannot carry
    round-trips."""
    from urllib.parse import unquote_plus

    member = args["member"]
    python = op.output.members[member].python if op.output is not None else member
    decode_all = _at_paths(op, args["paths"], unquote_plus)

    def hook(
        result: Any, given: Mapping[str, Any] | None, response: HttpResponse
    ) -> None:
        if (given or {}).get(member) is None and getattr(result, python, None) == "url":
            decode_all(result, given, response)

    return hook


def _python_path(op: Operation, path: Sequence[str]) -> tuple[str, ...]:
    shape: Shape | None = op.output
    out = []
    for step in path:
        if step == "*":
            assert isinstance(shape, ListShape), (op.name, path)
            shape = shape.member.shape
            out.append(step)
        else:
            assert isinstance(shape, StructureShape), (op.name, path)
            member = shape.members[step]
            shape = member.shape
            out.append(member.python)
    return tuple(out)


# -- error: an error response before it is parsed ------------------------------------


@_rule("oauth2_error_message", ERROR)
def _oauth2_error_message(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> ErrorHook:
    """botocore's ``_map_oauth2_errors`` (sso-oidc): an OAuth2 error's
    ``error_description`` is the message when the body has none."""

    def hook(response: HttpResponse) -> HttpResponse:
        if response.status_code < 400:
            return response
        body = response.body
        if not isinstance(body, bytes):
            body = body.read()
            response = HttpResponse(response.status_code, response.headers, body)
        raw = body
        try:
            document = json.loads(raw or b"{}")
            message = document.get("error_description")
        except (ValueError, AttributeError):
            return response
        if message and not document.get("Message", document.get("message")):
            document["Message"] = message
            return HttpResponse(
                response.status_code,
                response.headers,
                json.dumps(document).encode("utf-8"),
            )
        return response

    return hook


# -- helpers -----------------------------------------------------------------------


def compression_settings(
    min_size: int | None, disabled: bool | None
) -> tuple[int, bool]:
    """The minimum size and the switch, as botocore resolves them: the
    client's arguments, else ``AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`` and
    ``AWS_DISABLE_REQUEST_COMPRESSION``, else 10240 bytes and enabled."""
    if min_size is None:
        env = os.environ.get("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES")
        min_size = int(env) if env else DEFAULT_MIN_COMPRESSION_SIZE
    if isinstance(min_size, bool) or not 1 <= min_size <= MAX_MIN_COMPRESSION_SIZE:
        raise ValueError(
            f"invalid request_min_compression_size_bytes {min_size!r}: "
            f"an integer from 1 to {MAX_MIN_COMPRESSION_SIZE}"
        )
    if disabled is None:
        env = os.environ.get("AWS_DISABLE_REQUEST_COMPRESSION", "")
        disabled = env.lower() == "true"
    return min_size, disabled


def tree_hash(body: bytes | BinaryIO) -> str:
    """Glacier's SHA-256 tree hash (botocore's ``calculate_tree_hash``) of a
    body from its current position; a file is rewound to it."""
    stream, start = _reader(body)
    mb = 1024 * 1024
    chunks = [
        hashlib.sha256(chunk).digest() for chunk in iter(lambda: stream.read(mb), b"")
    ]
    _rewind(stream, start)
    if not chunks:
        return hashlib.sha256(b"").hexdigest()
    while len(chunks) > 1:
        pairs = [chunks[i : i + 2] for i in range(0, len(chunks), 2)]
        chunks = [
            hashlib.sha256(p[0] + p[1]).digest() if len(p) == 2 else p[0] for p in pairs
        ]
    return chunks[0].hex()


def _sha256_hex(body: bytes | BinaryIO) -> str:
    stream, start = _reader(body)
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    _rewind(stream, start)
    return digest.hexdigest()


def _reader(body: bytes | BinaryIO) -> tuple[BinaryIO, int | None]:
    if isinstance(body, (bytes, bytearray, memoryview)):
        import io

        return io.BytesIO(bytes(body)), None
    try:
        return body, body.tell()
    except (AttributeError, OSError) as exc:
        raise ValueError(
            "glacier checksums need a body that can be read twice: pass bytes "
            "or a seekable file, or give the checksum yourself"
        ) from exc


def _rewind(stream: BinaryIO, start: int | None) -> None:
    if start is not None:
        stream.seek(start)


def _size(body: bytes | BinaryIO) -> int | None:
    """botocore's ``determine_content_length``; None when it cannot tell."""
    if isinstance(body, (bytes, bytearray, memoryview)):
        return len(body)
    try:
        position = body.tell()
        end = body.seek(0, os.SEEK_END)
        body.seek(position)
    except (AttributeError, OSError, ValueError):
        return None
    return end - position


def _gzip(body: bytes | BinaryIO) -> bytes | BinaryIO:
    import gzip
    import io

    if isinstance(body, (bytes, bytearray, memoryview)):
        return gzip.compress(bytes(body))
    out = io.BytesIO()
    start = None
    try:
        start = body.tell()
    except (AttributeError, OSError, ValueError):
        pass
    with gzip.GzipFile(fileobj=out, mode="wb") as gz:
        for chunk in iter(lambda: body.read(8192), b""):
            gz.write(chunk)
    if start is not None:
        body.seek(start)
    out.seek(0)
    return out


def _form(body: bytes | BinaryIO) -> dict[str, str]:
    """A query protocol's form body as botocore's handlers see it: a dict."""
    data = body if isinstance(body, bytes) else body.read()
    return dict(parse_qsl(data.decode("utf-8"), keep_blank_values=True))


def _form_bytes(body: Mapping[str, str]) -> bytes:
    # What botocore's AWSRequest does with a dict body: urlencode(doseq=True).
    return urlencode(body, doseq=True).encode("utf-8")


def _unsplit(scheme: str, netloc: str, path: str, query: str) -> str:
    return f"{scheme}://{netloc}{path}" + (f"?{query}" if query else "")


def presigned_url(
    url: str,
    params: Mapping[str, str],
    context: CallContext,
    *,
    region: str,
    expires: int = 3600,
) -> str:
    """botocore's ``generate_presigned_url`` for a query request: ``params``
    moved into the query string of a GET to ``url``, signed with SigV4 query
    authentication (``SigV4QueryAuth``) for ``region``."""
    from typed_aws_runtime.signing import presign_v4

    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(params)
    operation = "&".join(
        f"{wire.percent_encode(k)}={wire.percent_encode(v)}" for k, v in query.items()
    )
    base = _unsplit(parts.scheme, parts.netloc, parts.path, "")
    return presign_v4(
        base,
        operation,
        context.credentials.get(),
        region=region,
        service=context.signing_name,
        timestamp=context.now(),
        expires=expires,
    )


# -- S3's remaining handlers -------------------------------------------------------


@_rule("escape_xml_newlines", CALL)
def _escape_xml_newlines(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> RequestHook:
    """botocore's ``escape_xml_payload`` (S3 DeleteObjects,
    PutBucketLifecycleConfiguration): CR and LF in the XML body sent as
    character references, so that the service's XML parser keeps them."""

    def hook(call: Call) -> None:
        body = call.request.body
        if isinstance(body, bytes):
            if b"\r" in body:
                body = body.replace(b"\r", b"&#xD;")
            if b"\n" in body:
                body = body.replace(b"\n", b"&#xA;")
            call.request.body = body

    return hook


@_rule("expect_continue", CALL)
def _expect_continue(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> RequestHook:
    """botocore's ``add_expect_header`` (S3 PUT and POST operations): a body
    given as a file is sent with ``Expect: 100-continue`` (bytes are not).
    The header is sent as botocore sends it; urllib3 does not wait for the
    ``100 Continue`` before the body (it skips the interim response), so the
    body is not held back as botocore's own connection class holds it."""

    def hook(call: Call) -> None:
        if hasattr(call.request.body, "read"):
            call.request.headers["Expect"] = "100-continue"

    return hook


@_rule("s3_200_error", RESPONSE)
def _s3_200_error(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> ResponseHook:
    """botocore's ``_handle_200_error`` and ``_update_status_code`` (S3
    operations whose output is not a blob or text payload): a 200 whose body
    is an ``<Error>`` document, or is not XML at all (a body cut short), is a
    500, retried as one and raised as the error the body names."""

    def hook(response: HttpResponse) -> HttpResponse:
        body = response.body
        if response.status_code != 200 or not body or not isinstance(body, bytes):
            return response
        if _xml_root_tag(body) in (None, "Error"):
            return HttpResponse(500, response.headers, body)
        return response

    return hook


def _xml_root_tag(body: bytes) -> str | None:
    """The root element's name, or None when the body is not well-formed
    XML: botocore's ``_looks_like_special_case_error`` parse (ElementTree's
    expat, namespaces on: ``ns}Error`` is not ``Error``), without building
    the tree (a third of the time on a large listing)."""
    from xml.parsers import expat

    parser = expat.ParserCreate("utf-8", "}")
    found: list[str] = []

    def start(name: str, attributes: Any) -> None:
        found.append(name)
        parser.StartElementHandler = None

    parser.StartElementHandler = start
    try:
        parser.Parse(body, True)
    except expat.ExpatError:
        return None
    return found[0] if found else None


@_rule("expires_string", RESPONSE)
def _expires_string(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> ResponseHook:
    """botocore's ``handle_expires_header`` (S3 HeadObject, GetObject): the
    ``Expires`` header is also given as text (``ExpiresString``, a header
    member the generator adds); when it is not a timestamp, ``Expires`` is
    None rather than an error (botocore logs a warning and drops it)."""

    def hook(response: HttpResponse) -> HttpResponse:
        headers = response.headers
        value = headers.get("Expires", headers.get("expires"))
        if value is None:
            return response
        try:
            wire.parse_timestamp(value)
        except (ValueError, OverflowError, TypeError):
            import logging

            logging.getLogger(__name__).warning(
                'Failed to parse the "Expires" member as a timestamp: %s. The '
                'unparsed value is available in the response under "ExpiresString".',
                value,
            )
            kept = {k: v for k, v in headers.items() if k.lower() != "expires"}
            kept[_EXPIRES_KEPT] = value
            return HttpResponse(response.status_code, kept, response.body)
        return response

    return hook


# Where ``expires_string`` keeps an ``Expires`` header it took away.
_EXPIRES_KEPT = "x-codegen-expires-string"


@_rule("expires_text", OUTPUT)
def _expires_text(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> OutputHook:
    """The other half of ``expires_string``: ``ExpiresString`` (a header
    member on ``Expires``) keeps the text the first half took away from a
    header that is not a timestamp."""
    python = op.output.members[args["member"]].python if op.output else ""

    def hook(
        result: Any, given: Mapping[str, Any] | None, response: HttpResponse
    ) -> None:
        value = response.headers.get(_EXPIRES_KEPT)
        if value is not None:
            setattr(result, python, value)

    return hook


@_rule("location_constraint", OUTPUT)
def _location_constraint(
    op: Operation, schema: ServiceSchema, args: Mapping[str, Any]
) -> OutputHook:
    """botocore's ``parse_get_bucket_location``: S3 GetBucketLocation's body
    is the bare ``<LocationConstraint>`` element, which the model cannot
    describe; its text (None for us-east-1's empty element) is the member."""
    from xml.etree import ElementTree

    python = op.output.members[args["member"]].python if op.output else ""

    def hook(
        result: Any, given: Mapping[str, Any] | None, response: HttpResponse
    ) -> None:
        body = response.body
        if not isinstance(body, bytes) or not body:
            return
        try:
            parser = ElementTree.XMLParser(
                target=ElementTree.TreeBuilder(), encoding="utf-8"
            )
            parser.feed(body)
            text = parser.close().text
        except ElementTree.ParseError as exc:
            from typed_aws_runtime.errors import ResponseParseError

            raise ResponseParseError(
                f"GetBucketLocation: the body is not XML: {exc}",
                status_code=response.status_code,
                request_id=wire.request_id(response.headers),
            ) from None
        setattr(result, python, text)

    return hook
