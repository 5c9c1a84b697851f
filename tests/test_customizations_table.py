"""The customization table (``codegen/customizations.py``) against botocore.

* Every entry of botocore's ``BUILTIN_HANDLERS`` that is not S3's or
  documentation has a decision here, with its reason (as the protocol suites'
  DECISIONS): ``implemented`` (a rule of the table, or the pipeline), ``covered``
  (already done elsewhere), ``not wire-relevant``, ``deferred`` or
  ``event-stream``. A handler botocore adds or drops fails this test.
* Every rule the table names exists in the runtime, every operation it names
  exists in botocore's model, and every rule resolves against that model.
* The runtime pieces with an oracle in botocore: the tree hash and SigV4
  query presigning (with a session token).
"""

from __future__ import annotations

import datetime
import io
from typing import Any

import botocore.session
import pytest
from botocore.auth import SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as BotoCredentials
from botocore.handlers import BUILTIN_HANDLERS
from botocore.utils import EVENT_ALIASES, calculate_tree_hash

from codegen import customizations, types
from typed_aws_runtime import customizations as runtime
from typed_aws_runtime.credentials import Credentials
from typed_aws_runtime.signing import presign_v4

IMPLEMENTED, COVERED, NOT_WIRE, DEFERRED, EVENT_STREAM = (
    "implemented",
    "covered",
    "not wire-relevant",
    "deferred",
    "event-stream",
)
_ALIAS = (
    NOT_WIRE,
    "a parameter alias (Filters, fromTime, returnFields) changes a "
    "Python name only, never the wire; the generated names are naming's choice",
)
_METHOD_ALIAS = (NOT_WIRE, "a client-method alias; generated method names are naming's")
_H2 = (
    EVENT_STREAM,
    "removes an HTTP/2 bidirectional event-stream operation botocore "
    "cannot call; ours is generated, typed, and raises "
    "UnsupportedOperationError before sending (runtime/schema.py)",
)
_PRESIGN_RDS = (IMPLEMENTED, "presigned_url (client_only_source)")

# (event, handler) -> (decision, how or why)
DECISIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("choose-service-name", "handle_service_name_alias"): (
        NOT_WIRE,
        "maps an old service name to its new one when a client is made by name; "
        "a generated package is its model",
    ),
    ("getattr.mturk.list_hi_ts_for_qualification_type", "ClientMethodAlias"): (
        _METHOD_ALIAS
    ),
    ("getattr.socialmessaging.delete_whatsapp_media_message", "ClientMethodAlias"): (
        _METHOD_ALIAS
    ),
    ("getattr.cloudwatch.get_o_tel_enrichment", "ClientMethodAlias"): _METHOD_ALIAS,
    ("getattr.cloudwatch.start_o_tel_enrichment", "ClientMethodAlias"): _METHOD_ALIAS,
    ("getattr.cloudwatch.stop_o_tel_enrichment", "ClientMethodAlias"): _METHOD_ALIAS,
    ("creating-client-class", "add_generate_presigned_url"): (
        DEFERRED,
        "a presigning API (generate_presigned_url) is no call's wire; the SigV4 "
        "query signer it needs exists (signing.presign_v4)",
    ),
    ("creating-client-class.iot-data", "check_openssl_supports_tls_version_1_2"): (
        NOT_WIRE,
        "a warning about OpenSSL older than 1.0.1",
    ),
    ("creating-client-class.lex-runtime-v2", "remove_lex_v2_start_conversation"): _H2,
    ("creating-client-class.qbusiness", "remove_qbusiness_chat"): _H2,
    (
        "creating-client-class.bedrock-runtime",
        "remove_bedrock_runtime_invoke_model_with_bidirectional_stream",
    ): _H2,
    (
        "creating-client-class.connecthealth",
        "remove_connecthealth_start_medical_scribe_listening_session",
    ): _H2,
    (
        "creating-client-class.polly",
        "remove_polly_start_speech_synthesis_stream",
    ): _H2,
    (
        "creating-serializer.bedrock-agentcore",
        "enable_millisecond_timestamp_precision",
    ): (
        DEFERRED,
        "bedrock-agentcore now generates (event streams); millisecond "
        "timestamps need a precision option in the JSON codec and HTTP bindings",
    ),
    ("after-call.iam", "json_decode_policies"): (IMPLEMENTED, "decode_json (quoted)"),
    ("after-call.ec2.GetConsoleOutput", "decode_console_output"): (
        IMPLEMENTED,
        "decode_base64_text",
    ),
    ("after-call.cloudformation.GetTemplate", "json_decode_template_body"): (
        IMPLEMENTED,
        "decode_json",
    ),
    ("after-call.sqs.*", "_handle_sqs_compatible_error"): (
        COVERED,
        "the awsJson protocol takes the code from x-amzn-query-error and finds the "
        "shape by the JSON code (protocols/awsjson.py, test_awsjson_clients)",
    ),
    ("before-parse.sso-oidc.*", "_map_oauth2_errors"): (
        IMPLEMENTED,
        "oauth2_error_message",
    ),
    ("before-parameter-build", "generate_idempotent_uuid"): (
        COVERED,
        "generated methods fill idempotency tokens (new_idempotency_token)",
    ),
    ("before-parameter-build", "_handle_request_validation_mode_member"): (
        COVERED,
        "the pipeline, for every operation with requestValidationModeMember "
        "(checksums.default_validation_mode, response_checksum_validation)",
    ),
    ("before-call", "add_recursion_detection_header"): (
        IMPLEMENTED,
        "in the pipeline for every service (client._add_trace_header): inside "
        "Lambda only, read once per client",
    ),
    ("before-call.glacier", "add_glacier_version"): (IMPLEMENTED, "header (static)"),
    ("before-call.apigateway", "add_accept_header"): (IMPLEMENTED, "default_header"),
    ("before-call.glacier.UploadArchive", "add_glacier_checksums"): (
        IMPLEMENTED,
        "tree_hash",
    ),
    ("before-call.glacier.UploadMultipartPart", "add_glacier_checksums"): (
        IMPLEMENTED,
        "tree_hash",
    ),
    ("before-call.ec2.CopySnapshot", "inject_presigned_url_ec2"): (
        IMPLEMENTED,
        "presigned_url (send_destination)",
    ),
    ("request-created", "add_retry_headers"): (
        COVERED,
        "the pipeline sends amz-sdk-invocation-id and amz-sdk-request (client._send)",
    ),
    ("request-created.machinelearning.Predict", "switch_host_machinelearning"): (
        IMPLEMENTED,
        "host_from_member",
    ),
    **{
        (f"choose-signer.{event}", "disable_signing"): (
            IMPLEMENTED,
            "unsigned (static); the models also say authtype none",
        )
        for event in (
            "cognito-identity.GetId",
            "cognito-identity.GetOpenIdToken",
            "cognito-identity.UnlinkIdentity",
            "cognito-identity.GetCredentialsForIdentity",
            "sts.AssumeRoleWithSAML",
            "sts.AssumeRoleWithWebIdentity",
        )
    },
    ("choose-signer", "set_operation_specific_signer"): (
        COVERED,
        "authtype none (unsigned) and v4-unsigned-body (UNSIGNED-PAYLOAD) are read "
        "from the model; bearer, v4a and v4-s3express signing are not implemented",
    ),
    ("choose-signer", "_set_auth_scheme_preference_signer"): (
        DEFERRED,
        "auth scheme preference (config) and bearer tokens from the environment "
        "(bedrock) are not implemented",
    ),
    ("before-parameter-build.ec2.RunInstances", "base64_encode_user_data"): (
        IMPLEMENTED,
        "base64_text",
    ),
    (
        "before-parameter-build.autoscaling.CreateLaunchConfiguration",
        "base64_encode_user_data",
    ): (IMPLEMENTED, "base64_text"),
    ("before-parameter-build.route53", "fix_route53_ids"): (
        IMPLEMENTED,
        "keep_last_segment",
    ),
    ("before-parameter-build.glacier", "inject_account_id"): (
        IMPLEMENTED,
        "default_value",
    ),
    (
        "before-sign.polly.SynthesizeSpeech",
        "remove_content_type_header_for_presigning",
    ): (NOT_WIRE, "applies to presigned URLs only; calls are unchanged"),
    ("request-created.cloudsearchdomain.Search", "change_get_to_post"): (
        IMPLEMENTED,
        "get_to_post",
    ),
    ("creating-client-class.dsql", "add_dsql_generate_db_auth_token_methods"): (
        DEFERRED,
        "client helpers that build auth tokens (presigned URLs), not calls",
    ),
    ("creating-client-class.rds", "add_generate_db_auth_token"): (
        DEFERRED,
        "a client helper that builds an auth token (a presigned URL), not a call",
    ),
    **{
        (f"before-call.{event}", "inject_presigned_url_rds"): _PRESIGN_RDS
        for event in (
            "rds.CopyDBClusterSnapshot",
            "rds.CreateDBCluster",
            "rds.CopyDBSnapshot",
            "rds.CreateDBInstanceReadReplica",
            "rds.StartDBInstanceAutomatedBackupsReplication",
            "neptune.CopyDBClusterSnapshot",
            "neptune.CreateDBCluster",
            "docdb.CopyDBClusterSnapshot",
            "docdb.CreateDBCluster",
        )
    },
    ("before-call", "inject_api_version_header_if_needed"): (
        COVERED,
        "schema.Operation.extra_headers for endpoint-discovery operations",
    ),
    # -- S3 (issue 13) --
    ("before-parameter-build.s3", "validate_bucket_name"): (
        IMPLEMENTED,
        "s3_bucket_name",
    ),
    ("before-parameter-build.s3", "remove_bucket_from_url_paths_from_model"): (
        IMPLEMENTED,
        "strip_path_prefix (static)",
    ),
    ("before-endpoint-resolution.s3", "customize_endpoint_resolver_builtins"): (
        IMPLEMENTED,
        "s3_endpoint_builtins (static; the client's part in s3config.py); the "
        "global endpoint for presigned URLs waits for presigning",
    ),
    **{
        (f"before-parameter-build.s3.{op}", "set_list_objects_encoding_type_url"): (
            IMPLEMENTED,
            "default_value, with url_decode_keys after the call",
        )
        for op in ("ListObjects", "ListObjectsV2", "ListObjectVersions")
    },
    **{
        (f"after-call.s3.{op}", handler): (IMPLEMENTED, "url_decode_keys")
        for op, handler in (
            ("ListObjects", "decode_list_object"),
            ("ListObjectsV2", "decode_list_object_v2"),
            ("ListObjectVersions", "decode_list_object_versions"),
        )
    },
    **{
        (f"before-parameter-build.s3.{op}", "handle_copy_source_param"): (
            IMPLEMENTED,
            "copy_source (the text form; boto3's dict form is not typed yet)",
        )
        for op in ("CopyObject", "UploadPartCopy")
    },
    **{
        (f"before-parameter-build.s3.{op}", "validate_ascii_metadata"): (
            IMPLEMENTED,
            "ascii_metadata",
        )
        for op in ("CopyObject", "PutObject", "CreateMultipartUpload")
    },
    **{
        (f"before-parameter-build.s3.{op}", "sse_md5"): (
            IMPLEMENTED,
            "sse_customer_key_md5",
        )
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
        )
    },
    **{
        (f"before-parameter-build.s3.{op}", "copy_source_sse_md5"): (
            IMPLEMENTED,
            "sse_customer_key_md5 (CopySource members)",
        )
        for op in ("CopyObject", "UploadPartCopy")
    },
    **{
        (f"before-parameter-build.s3.{op}", "convert_body_to_file_like_object"): (
            IMPLEMENTED,
            "file_like_body (text and bytes sent from a file, so with Expect)",
        )
        for op in ("PutObject", "UploadPart")
    },
    ("before-sign.s3", "remove_arn_from_signing_path"): (
        NOT_WIRE,
        "changes the auth path of HmacV1 (SigV2-era) signing only; SigV4 signs "
        "the URL as sent",
    ),
    ("creating-client-class.s3", "add_generate_presigned_post"): (
        DEFERRED,
        "presigning (generate_presigned_url/post) is the next S3 step",
    ),
    ("after-call.s3.GetBucketLocation", "parse_get_bucket_location"): (
        IMPLEMENTED,
        "location_constraint (an output hook given the response)",
    ),
    ("before-parse.s3.*", "handle_expires_header"): (
        IMPLEMENTED,
        "expires_string and expires_text; ExpiresString is a header member the "
        "generator adds to the outputs botocore's _has_expires_shape names",
    ),
    ("before-parse.s3.*", "_handle_200_error"): (
        IMPLEMENTED,
        "s3_200_error (a response hook before the retry decision), on the "
        "operations botocore's _should_handle_200_error names",
    ),
    ("needs-retry.s3.*", "_update_status_code"): (
        COVERED,
        "s3_200_error rewrites the status before the retry decision: a 200 "
        "with an error is retried and raised as a 500",
    ),
    ("before-call.s3", "add_expect_header"): (
        IMPLEMENTED,
        "expect_continue: the header is sent; urllib3 does not wait for the "
        "interim 100 before the body (it skips it)",
    ),
    **{
        (f"before-call.s3.{op}", "escape_xml_payload"): (
            IMPLEMENTED,
            "escape_xml_newlines",
        )
        for op in ("DeleteObjects", "PutBucketLifecycleConfiguration")
    },
    ("before-sign.s3", "_set_extra_headers_for_unsigned_request"): (
        COVERED,
        "checksums.apply_request_checksum: an unsigned request with a checksum "
        "trailer sends STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    ),
    ("before-parameter-build.s3-control", "remove_accid_host_prefix_from_model"): (
        IMPLEMENTED,
        "no_host_prefix (static)",
    ),
    ("before-parameter-build.ec2.*", "alias_parameter_in_call"): _ALIAS,
    ("before-parameter-build.logs.CreateExportTask", "alias_parameter_in_call"): _ALIAS,
    (
        "before-parameter-build.cloudsearchdomain.Search",
        "alias_parameter_in_call",
    ): _ALIAS,
}


def _in_scope(event: str) -> bool:
    """Not documentation."""
    return not event.startswith("docs.")


def _handlers() -> list[tuple[str, str]]:
    out = []
    for entry in BUILTIN_HANDLERS:
        event, handler = entry[0], entry[1]
        if getattr(handler, "__module__", "").startswith("moto."):
            continue  # importing moto appends its stubber to botocore's list

        name = getattr(handler, "__name__", None) or type(handler).__name__
        if _in_scope(event):
            out.append((event, name))
    return out


def test_every_builtin_handler_has_a_decision() -> None:
    handlers = set(_handlers())
    assert handlers - DECISIONS.keys() == set(), "new botocore handlers to decide"
    assert DECISIONS.keys() - handlers == set(), "decisions for handlers gone"


@pytest.mark.parametrize(
    ("event", "handler"),
    [key for key, (decision, _) in DECISIONS.items() if decision == IMPLEMENTED],
)
def test_implemented_handlers_are_in_the_table(event: str, handler: str) -> None:
    parts = event.split(".")
    if len(parts) == 1:
        return  # every service: in the pipeline itself (see the decision)
    service = EVENT_ALIASES.get(parts[1], parts[1])
    operation = parts[2] if len(parts) > 2 and parts[2] != "*" else "*"
    rules = customizations.TABLE[service].get(operation, ())
    assert handler in {r.handler for r in rules}, (service, operation)


def test_every_rule_is_implemented_by_the_runtime() -> None:
    named = {
        rule.name
        for ops in customizations.TABLE.values()
        for rules in ops.values()
        for rule in rules
    }
    assert named | {"compress_request"} <= runtime.rule_names()


def _model(service_key: str) -> dict[str, Any]:
    """botocore's model of the service its event names call ``service_key``."""
    names = {key: name for name, key in EVENT_ALIASES.items()}
    name = names.get(service_key, service_key)
    loader = botocore.session.get_session().get_component("data_loader")
    if name not in loader.list_available_services("service-2"):
        name = name.replace("-", "")  # s3-control: s3control
    model: dict[str, Any] = loader.load_service_model(name, "service-2")
    assert customizations.service_key(model["metadata"]["serviceId"]) == service_key
    return model


@pytest.mark.parametrize("service", sorted(customizations.TABLE))
def test_table_matches_botocore_models(service: str) -> None:
    """Each operation the table names exists; each rule written for it
    resolves (a rule that stopped applying would silently do nothing)."""
    model = _model(service)
    resolved = customizations.resolve(
        model["metadata"]["serviceId"],
        model["metadata"],
        model["shapes"],
        model["operations"],
    )
    for operation, rules in customizations.TABLE[service].items():
        if operation == "*":
            for rule in rules:
                applied = [
                    op
                    for op, written in resolved.operations.items()
                    if rule.name in {name for name, _ in written}
                ]
                assert applied, (service, rule)
            continue
        assert operation in model["operations"], (service, operation)
        written = {name for name, _ in resolved.operations.get(operation, [])}
        assert {rule.name for rule in rules} <= written, (service, operation)


def test_schema_entries_and_typed_effects() -> None:
    model = _model("iam")
    resolved = customizations.resolve(
        "IAM", model["metadata"], model["shapes"], model["operations"]
    )
    name, args = resolved.operations["GetAccountAuthorizationDetails"][0]
    assert name == "decode_json" and args["quoted"] is True
    assert ["RoleDetailList", "*", "AssumeRolePolicyDocument"] in args["paths"]
    assert [
        "RoleDetailList",
        "*",
        "InstanceProfileList",
        "*",
        "Roles",
        "*",
        "AssumeRolePolicyDocument",
    ] in args["paths"]
    assert resolved.annotations[("Role", "AssumeRolePolicyDocument")] == types.DOCUMENT
    assert "CreatePolicy" not in resolved.operations  # nothing to decode there
    glacier = _model("glacier")
    resolved = customizations.resolve(
        "Glacier", glacier["metadata"], glacier["shapes"], glacier["operations"]
    )
    assert ("ListVaultsInput", "accountId") in resolved.optional
    assert resolved.operations["ListVaults"][1] == [
        "header",
        {"name": "x-amz-glacier-version", "value": "2012-06-01"},
    ]


# -- runtime pieces against botocore -----------------------------------------------


@pytest.mark.parametrize(
    "size", [0, 1, 1024 * 1024 - 1, 1024 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024 + 5]
)
def test_tree_hash_is_botocores(size: int) -> None:
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    assert runtime.tree_hash(data) == calculate_tree_hash(io.BytesIO(data))
    stream = io.BytesIO(b"skip" + data)
    stream.seek(4)
    assert runtime.tree_hash(stream) == calculate_tree_hash(io.BytesIO(data))
    assert stream.tell() == 4


@pytest.mark.parametrize("token", [None, "session/token+=="])
def test_presign_v4_is_botocores_sigv4_query_auth(
    token: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    moment = datetime.datetime(2024, 2, 29, 23, 59, 59)
    monkeypatch.setattr(
        "botocore.auth.get_current_datetime", lambda remove_tzinfo=True: moment
    )
    params = {"Action": "CopySnapshot", "Version": "2016-11-15", "Key": "a b/é~"}
    request = AWSRequest(
        method="GET", url="https://ec2.us-west-2.amazonaws.com/", data=dict(params)
    )
    SigV4QueryAuth(BotoCredentials("AK", "SK", token), "ec2", "us-west-2").add_auth(
        request
    )
    from typed_aws_runtime import wire

    query = "&".join(
        f"{wire.percent_encode(k)}={wire.percent_encode(v)}" for k, v in params.items()
    )
    ours = presign_v4(
        "https://ec2.us-west-2.amazonaws.com/",
        query,
        Credentials("AK", "SK", token),
        region="us-west-2",
        service="ec2",
        timestamp=moment.replace(tzinfo=datetime.UTC),
    )
    assert ours == request.prepare().url


def test_compression_settings() -> None:
    assert runtime.compression_settings(None, None)[0] == 10240
    assert runtime.compression_settings(5, True) == (5, True)
    with pytest.raises(ValueError):
        runtime.compression_settings(0, None)
