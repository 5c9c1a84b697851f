"""botocore's hand-written wire customizations (``botocore/handlers.py``), as data.

botocore changes some requests and responses with event handlers rather than
from the model. :data:`TABLE` lists those this generator reproduces: the
service (its ``serviceId`` hyphenized, the name botocore's event names use),
the operation (``"*"``: every operation of the service), and the rules, each
naming the botocore handler it ports and its arguments.

The generator resolves each rule against the model (:func:`resolve`): it
checks that the members a rule names exist, finds the paths to the documents
a rule decodes, fills in the API version, and writes what applies into the
operation in ``_schema.json`` as ``"customizations": [[rule, {args}], ...]``
(a reviewer sees them in the generated diff).
``runtime/typed_aws_runtime/customizations.py`` implements each rule as a
small function at a named hook of the call pipeline.

Some rules also change what a caller may pass or gets back, and so the
generated signatures: text or bytes for ``UserData``, an optional
``accountId`` for glacier, a decoded document (``Document``) for iam's
policies and cloudformation's template body. Those effects are resolved here
too (:class:`Resolved`) and read by the resolver.

Besides the table, every operation with the ``requestcompression`` trait
gets the ``compress_request`` rule (botocore's ``compress.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from codegen import types


@dataclass(frozen=True)
class Rule:
    """One botocore handler as data: the runtime rule that does its work,
    the handler's name (for the reader) and the rule's arguments."""

    name: str
    handler: str
    args: Mapping[str, Any] = field(default_factory=dict)


_USER_DATA = Rule("base64_text", "base64_encode_user_data", {"member": "UserData"})
_RDS_PRESIGN = Rule(
    "presigned_url",
    "inject_presigned_url_rds",
    {"url": "PreSignedUrl", "source": "SourceRegion", "client_only_source": True},
)
_UNSIGNED = Rule("unsigned", "disable_signing")

# S3's listings: botocore's decode_list_object* and the keys each decodes.
_CONTENTS = [["Contents", "*", "Key"], ["CommonPrefixes", "*", "Prefix"]]
_S3_LISTINGS = (
    (
        "ListObjects",
        "decode_list_object",
        [["Delimiter"], ["Marker"], ["NextMarker"], *_CONTENTS],
    ),
    (
        "ListObjectsV2",
        "decode_list_object_v2",
        [["Delimiter"], ["Prefix"], ["StartAfter"], *_CONTENTS],
    ),
    (
        "ListObjectVersions",
        "decode_list_object_versions",
        [
            ["KeyMarker"],
            ["NextKeyMarker"],
            ["Prefix"],
            ["Delimiter"],
            ["Versions", "*", "Key"],
            ["DeleteMarkers", "*", "Key"],
            ["CommonPrefixes", "*", "Prefix"],
        ],
    ),
)

_SSE = Rule(
    "sse_customer_key_md5",
    "sse_md5",
    {"key": "SSECustomerKey", "md5": "SSECustomerKeyMD5"},
)
_COPY_SSE = Rule(
    "sse_customer_key_md5",
    "copy_source_sse_md5",
    {"key": "CopySourceSSECustomerKey", "md5": "CopySourceSSECustomerKeyMD5"},
)
_COPY_SOURCE = Rule("copy_source", "handle_copy_source_param", {"member": "CopySource"})
_ASCII_METADATA = Rule(
    "ascii_metadata", "validate_ascii_metadata", {"member": "Metadata"}
)


def _s3_operation_rules() -> dict[str, tuple[Rule, ...]]:
    """S3's per-operation parameter rules, in botocore's registration order."""
    rules: dict[str, list[Rule]] = {}
    for op in ("CopyObject", "UploadPartCopy"):
        rules.setdefault(op, []).append(_COPY_SOURCE)
    for op in ("CopyObject", "PutObject", "CreateMultipartUpload"):
        rules.setdefault(op, []).append(_ASCII_METADATA)
    for op in (
        "HeadObject",
        "GetObject",
        "PutObject",
        "CopyObject",
        "CreateMultipartUpload",
        "UploadPart",
        "UploadPartCopy",
        "CompleteMultipartUpload",
        "SelectObjectContent",
    ):
        rules.setdefault(op, []).append(_SSE)
        if op in ("CopyObject", "UploadPartCopy"):
            rules[op].append(_COPY_SSE)
    return {op: tuple(found) for op, found in rules.items()}


# serviceId hyphenized -> operation or "*" -> rules, in botocore's order.
TABLE: dict[str, dict[str, tuple[Rule, ...]]] = {
    "route-53": {
        "*": (
            Rule(
                "keep_last_segment",
                "fix_route53_ids",
                {"shapes": ["ResourceId", "DelegationSetId", "ChangeId"]},
            ),
        ),
    },
    "ec2": {
        "RunInstances": (_USER_DATA,),
        "CopySnapshot": (
            Rule(
                "presigned_url",
                "inject_presigned_url_ec2",
                {
                    "url": "PresignedUrl",
                    "source": "SourceRegion",
                    "send_destination": True,
                },
            ),
        ),
        "GetConsoleOutput": (
            Rule("decode_base64_text", "decode_console_output", {"member": "Output"}),
        ),
    },
    "auto-scaling": {"CreateLaunchConfiguration": (_USER_DATA,)},
    "rds": {
        op: (_RDS_PRESIGN,)
        for op in (
            "CopyDBClusterSnapshot",
            "CreateDBCluster",
            "CopyDBSnapshot",
            "CreateDBInstanceReadReplica",
            "StartDBInstanceAutomatedBackupsReplication",
        )
    },
    "neptune": {
        op: (_RDS_PRESIGN,) for op in ("CopyDBClusterSnapshot", "CreateDBCluster")
    },
    "docdb": {
        op: (_RDS_PRESIGN,) for op in ("CopyDBClusterSnapshot", "CreateDBCluster")
    },
    "sts": {
        op: (_UNSIGNED,) for op in ("AssumeRoleWithSAML", "AssumeRoleWithWebIdentity")
    },
    "cognito-identity": {
        op: (_UNSIGNED,)
        for op in (
            "GetId",
            "GetOpenIdToken",
            "UnlinkIdentity",
            "GetCredentialsForIdentity",
        )
    },
    "iam": {
        "*": (
            Rule(
                "decode_json",
                "json_decode_policies",
                {"shape": "policyDocumentType", "quoted": True},
            ),
        ),
    },
    "cloudformation": {
        "GetTemplate": (
            Rule(
                "decode_json", "json_decode_template_body", {"member": "TemplateBody"}
            ),
        ),
    },
    "machine-learning": {
        "Predict": (
            Rule(
                "host_from_member",
                "switch_host_machinelearning",
                {"member": "PredictEndpoint"},
            ),
        ),
    },
    "sso-oidc": {"*": (Rule("oauth2_error_message", "_map_oauth2_errors"),)},
    # rest-json customizations (botocore's handlers for these three services).
    "api-gateway": {
        "*": (
            Rule(
                "default_header",
                "add_accept_header",
                {"name": "Accept", "value": "application/json"},
            ),
        ),
    },
    "glacier": {
        "*": (
            Rule(
                "default_value",
                "inject_account_id",
                {"member": "accountId", "value": "-"},
            ),
            Rule(
                "header",
                "add_glacier_version",
                {"name": "x-amz-glacier-version", "value": "{apiVersion}"},
            ),
        ),
        "UploadArchive": (Rule("tree_hash", "add_glacier_checksums"),),
        "UploadMultipartPart": (Rule("tree_hash", "add_glacier_checksums"),),
    },
    "cloudsearch-domain": {"Search": (Rule("get_to_post", "change_get_to_post"),)},
    "s3": {
        **_s3_operation_rules(),
        "*": (
            Rule("s3_bucket_name", "validate_bucket_name", {"member": "Bucket"}),
            Rule(
                "strip_path_prefix",
                "remove_bucket_from_url_paths_from_model",
                {"prefix": "/{Bucket}"},
            ),
            Rule(
                "s3_endpoint_builtins",
                "customize_endpoint_resolver_builtins",
                {"arn_member": "Bucket"},
            ),
        ),
        **{
            op: (
                Rule(
                    "default_value",
                    "set_list_objects_encoding_type_url",
                    {"member": "EncodingType", "value": "url"},
                ),
                Rule(
                    "url_decode_keys",
                    handler,
                    {"member": "EncodingType", "paths": paths},
                ),
            )
            for op, handler, paths in _S3_LISTINGS
        },
        "GetBucketLocation": (
            Rule(
                "s3_endpoint_builtins",
                "customize_endpoint_resolver_builtins",
                {"force_path_style": True},
            ),
            Rule(
                "location_constraint",
                "parse_get_bucket_location",
                {"member": "LocationConstraint"},
            ),
        ),
        **{
            op: (Rule("escape_xml_newlines", "escape_xml_payload"),)
            for op in ("DeleteObjects", "PutBucketLifecycleConfiguration")
        },
    },
    "s3-control": {
        "*": (
            Rule(
                "no_host_prefix",
                "remove_accid_host_prefix_from_model",
                {"prefix": "{AccountId}.", "context_param": "RequiresAccountId"},
            ),
        ),
    },
}
for _op in ("PutObject", "UploadPart"):
    # Registered last among the parameter handlers, as botocore does.
    TABLE["s3"][_op] = TABLE["s3"].get(_op, ()) + (
        Rule("file_like_body", "convert_body_to_file_like_object", {"member": "Body"}),
    )

# S3's rules for every operation they fit (after those above, in botocore's
# order: before-call, then before-parse with the 200 check first).
_S3_EVERY_OPERATION = (
    Rule("expect_continue", "add_expect_header"),
    Rule("s3_200_error", "_handle_200_error"),
    Rule("expires_string", "handle_expires_header", {"member": "Expires"}),
    Rule("expires_text", "handle_expires_header", {"member": "ExpiresString"}),
)
TABLE["s3"]["*"] = TABLE["s3"]["*"] + _S3_EVERY_OPERATION

# What the generated documentation says of a customized member.
_NOTES = {
    "base64_text": "Text or bytes: sent base64 encoded (do not encode it "
    "yourself), as botocore does.",
    "default_value": "Optional: {value!r} when left unset, as botocore does.",
    "decode_json": "Decoded from JSON, as botocore does: the document, or the "
    "text as sent when it is not JSON.",
    "decode_base64_text": "Decoded from base64 (as UTF-8), as botocore does.",
    "presigned_url": "Filled in when left unset: a URL presigned for the "
    "source region, as botocore does.",
    "tree_hash": "Computed from the body when left unset, as botocore does.",
}


def service_key(service_id: str) -> str:
    """botocore's ``hyphenize_service_id``: the service's name in event names."""
    return service_id.replace(" ", "-").lower()


@dataclass
class Resolved:
    """The rules of one service, resolved against its model."""

    # operation -> [[rule, args], ...] as written into _schema.json
    operations: dict[str, list[list[Any]]] = field(default_factory=dict)
    # (structure shape, member) -> the annotation that replaces the model's
    annotations: dict[tuple[str, str], types.Type] = field(default_factory=dict)
    # (structure shape, member): required by the model, optional to a caller
    optional: set[tuple[str, str]] = field(default_factory=set)
    # (structure shape, member) -> a sentence the member's documentation gains
    notes: dict[tuple[str, str], str] = field(default_factory=dict)
    # structure shape -> members a rule adds to it (S3's ExpiresString)
    added: dict[str, dict[str, Any]] = field(default_factory=dict)

    def schema_entry(self, operation: str) -> dict[str, Any]:
        rules = self.operations.get(operation)
        return {"customizations": rules} if rules else {}


def resolve(
    service_id: str,
    metadata: Mapping[str, Any],
    shapes: Mapping[str, Any],
    operations: Mapping[str, Any],
) -> Resolved:
    """Every rule that applies to the service, with its arguments."""
    out = Resolved()
    table = TABLE.get(service_key(service_id), {})
    for name in sorted(operations):
        op = operations[name]
        found = _Operation(name, op, shapes, metadata, out)
        for rule in table.get(name, ()) + table.get("*", ()):
            args = found.apply(rule)
            if args is not None:
                out.operations.setdefault(name, []).append([rule.name, args])
        compression = found.compression()
        if compression is not None:
            out.operations.setdefault(name, []).append(
                ["compress_request", compression]
            )
    return out


class _Operation:
    """One operation of the model, as the rules see it."""

    def __init__(
        self,
        name: str,
        op: Mapping[str, Any],
        shapes: Mapping[str, Any],
        metadata: Mapping[str, Any],
        out: Resolved,
    ) -> None:
        self.name = name
        self.op = op
        self.shapes = shapes
        self.metadata = metadata
        self.out = out
        self.input = op.get("input", {}).get("shape")
        self.output = op.get("output", {}).get("shape")

    def members(self, shape: str | None) -> Mapping[str, Any]:
        if shape is None:
            return {}
        members: Mapping[str, Any] = self.shapes[shape].get("members", {})
        return members

    def note(self, shape: str, member: str, rule: Rule) -> None:
        self.out.notes[(shape, member)] = _NOTES[rule.name].format(**rule.args)

    def apply(self, rule: Rule) -> dict[str, Any] | None:
        """The arguments written for ``rule``, or None where it does nothing."""
        args = rule.args
        inputs = self.members(self.input)
        kind = rule.name
        if kind == "keep_last_segment":
            names = [m for m, ref in inputs.items() if ref["shape"] in args["shapes"]]
            return {"members": names} if names else None
        if kind in ("base64_text", "default_value", "host_from_member"):
            member = args["member"]
            if member not in inputs or self.input is None:
                return None
            if kind == "base64_text":
                self.out.annotations[(self.input, member)] = types.Union(
                    (types.STR, types.BYTES)
                )
            if kind == "default_value":
                self.out.optional.add((self.input, member))
            if kind != "host_from_member":
                self.note(self.input, member, rule)
            return dict(args)
        if kind == "presigned_url":
            if args["url"] not in inputs or self.input is None:
                return None
            self.note(self.input, args["url"], rule)
            return dict(args)
        if kind == "tree_hash":
            if self.input is not None and "checksum" in inputs:
                self.note(self.input, "checksum", rule)
            return {}
        if kind in ("header", "default_header"):
            return {
                "name": args["name"],
                "value": str(args["value"]).format(**self.metadata),
            }
        if kind in ("decode_json", "decode_base64_text"):
            if "shape" in args:
                paths = list(self._paths_to(self.output, args["shape"], ()))
            elif args["member"] in self.members(self.output):
                paths = [(args["member"],)]
            else:
                paths = []
            if not paths or self.output is None:
                return None
            for path in paths:
                holder = self._holder(path)
                if kind == "decode_json":
                    self.out.annotations[(holder, path[-1])] = types.DOCUMENT
                self.note(holder, path[-1], rule)
            extra = {k: v for k, v in args.items() if k not in ("shape", "member")}
            return {"paths": [list(p) for p in paths], **extra}
        if kind == "strip_path_prefix":
            uri = str(self.op.get("http", {}).get("requestUri", ""))
            return dict(args) if uri.startswith(args["prefix"]) else None
        if kind == "s3_endpoint_builtins":
            if "arn_member" in args:
                return dict(args) if args["arn_member"] in inputs else None
            return dict(args)
        if kind in ("s3_bucket_name", "copy_source", "ascii_metadata"):
            return dict(args) if args["member"] in inputs else None
        if kind == "sse_customer_key_md5":
            return dict(args) if args["key"] in inputs else None
        if kind == "url_decode_keys":
            members = self.members(self.output)
            if args["member"] not in members:
                return None
            return dict(args)
        if kind in ("unsigned", "get_to_post", "oauth2_error_message"):
            return {}
        if kind == "no_host_prefix":
            prefix = (self.op.get("endpoint") or {}).get("hostPrefix")
            static = self.op.get("staticContextParams", {})
            wanted = static.get(args["context_param"], {}).get("value") is True
            return {} if prefix == args["prefix"] and wanted else None
        if kind == "file_like_body":
            return dict(args) if args["member"] in inputs else None
        if kind == "location_constraint":
            return dict(args) if args["member"] in self.members(self.output) else None
        if kind == "escape_xml_newlines":
            return {}
        if kind == "expect_continue":
            return {} if self._blob_payload() else None
        if kind == "s3_200_error":
            return {} if self._may_carry_200_error() else None
        if kind in ("expires_string", "expires_text"):
            return self._expires(rule)
        raise ValueError(f"customization rule {kind!r} has no resolver")

    def _blob_payload(self) -> bool:
        """botocore's ``add_expect_header`` applies to PUT and POST with a
        body that may be a file: a blob payload."""
        if self.op.get("http", {}).get("method") not in ("PUT", "POST"):
            return False
        if self.input is None:
            return False
        payload = self.shapes[self.input].get("payload")
        if payload is None:
            return False
        shape = self.shapes[self.members(self.input)[payload]["shape"]]
        return bool(shape["type"] == "blob")

    def _may_carry_200_error(self) -> bool:
        """botocore's ``_should_handle_200_error``: an output that is not a
        blob or text payload, and no event stream."""
        if self.output is None:
            return False
        payload = self.shapes[self.output].get("payload")
        if payload is None:
            return True
        shape = self.shapes[self.members(self.output)[payload]["shape"]]
        if shape["type"] in ("blob", "string"):
            return False
        return not (shape["type"] == "structure" and shape.get("eventstream"))

    def _expires(self, rule: Rule) -> dict[str, Any] | None:
        """botocore's ``_has_expires_shape``: an output member ``Expires`` of
        shape ``Expires`` bound to the ``Expires`` header. The output gains
        ``ExpiresString``, the header's text, as botocore's dict does."""
        members = self.members(self.output)
        ref = members.get("Expires")
        if self.output is None or ref is None:
            return None
        if ref["shape"] != "Expires" or ref.get("locationName") != "Expires":
            return None
        text = next(
            m["shape"]
            for m in members.values()
            if self.shapes[m["shape"]]["type"] == "string"
            and "enum" not in self.shapes[m["shape"]]
        )
        self.out.added.setdefault(self.output, {})["ExpiresString"] = {
            "shape": text,
            "location": "header",
            "locationName": "Expires",
            "documentation": "<p>The raw, unparsed value of the <code>Expires</code> "
            "header (botocore's <code>ExpiresString</code>): <code>Expires</code> "
            "is None when this text is not a timestamp.</p>",
        }
        return dict(rule.args)

    def _paths_to(
        self, shape: str | None, target: str, seen: tuple[str, ...]
    ) -> Iterator[tuple[str, ...]]:
        """Paths (member names, ``*`` for list items) from ``shape`` to every
        structure member whose shape is the string shape ``target``: the
        members botocore's ``_decode_policy_types`` visits (structures and
        lists, not maps)."""
        if shape is None or shape in seen:
            return
        spec = self.shapes[shape]
        if spec["type"] == "structure":
            for member, ref in spec.get("members", {}).items():
                child = ref["shape"]
                if child == target and self.shapes[child]["type"] == "string":
                    yield (member,)
                else:
                    for rest in self._paths_to(child, target, seen + (shape,)):
                        yield (member, *rest)
        elif spec["type"] == "list":
            for rest in self._paths_to(
                spec["member"]["shape"], target, seen + (shape,)
            ):
                yield ("*", *rest)

    def _holder(self, path: tuple[str, ...]) -> str:
        """The structure shape whose member the path ends at."""
        shape: str | None = self.output
        assert shape is not None
        for step in path[:-1]:
            spec = self.shapes[shape]
            shape = str(
                spec["member"]["shape"]
                if step == "*"
                else spec["members"][step]["shape"]
            )
        return shape

    def compression(self) -> dict[str, Any] | None:
        """botocore's ``compress.py`` for the ``requestcompression`` trait: a
        streaming input compresses whatever its size unless it requires a
        length (then never)."""
        trait = self.op.get("requestcompression")
        if not trait:
            return None
        args: dict[str, Any] = {"encodings": list(trait.get("encodings", []))}
        payload = (
            self.shapes[self.input].get("payload") if self.input is not None else None
        )
        if payload is not None:
            spec = self.shapes[self.members(self.input)[payload]["shape"]]
            if spec.get("streaming"):
                if spec.get("requiresLength"):
                    return None
                args["streaming"] = True
        return args
