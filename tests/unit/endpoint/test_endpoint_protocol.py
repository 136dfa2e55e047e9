"""Protocol-level behaviour: who the caller is, unknown operations, STS, the control API."""

import json

import boto3
import pytest
from botocore.exceptions import ClientError

ACCOUNT = "111122223333"


def test_account_comes_from_the_access_key_else_the_default(make_client, endpoint):
    assert make_client(account="999988887777").describe_registry()["registryId"] == "999988887777"
    keyless = boto3.client("ecr", region_name="us-east-1", endpoint_url=endpoint.url,
                           aws_access_key_id="AKIAEXAMPLEKEY", aws_secret_access_key="x")
    assert keyless.describe_registry()["registryId"] == "123456789012"
    assert endpoint.calls()[-1]["account"] == "123456789012"


def test_region_comes_from_the_credential_scope(make_client, endpoint):
    make_client(region="ap-southeast-2").describe_registry()
    assert endpoint.calls()[-1]["region"] == "ap-southeast-2"


def test_errors_are_raised_as_modelled_exceptions(ecr):
    with pytest.raises(ecr.exceptions.TemplateNotFoundException) as excinfo:
        ecr.delete_repository_creation_template(prefix="nothing")
    response = excinfo.value.response
    assert response["Error"]["Code"] == "TemplateNotFoundException"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["ResponseMetadata"]["HTTPHeaders"]["content-type"] == "application/x-amz-json-1.1"


def test_model_operations_the_endpoint_does_not_serve(ecr, endpoint):
    with pytest.raises(ClientError) as excinfo:
        ecr.create_repository(repositoryName="app")
    assert excinfo.value.response["Error"]["Code"] == "UnknownOperationException"
    assert endpoint.calls()[-1]["operation"] == "CreateRepository"
    assert endpoint.calls()[-1]["write"] is True


def test_unknown_operation(raw_ecr, endpoint):
    status, body = raw_ecr("MakeCoffee", b"{}")
    assert (status, body["__type"]) == (400, "UnknownOperationException")
    assert endpoint.calls()[-1]["error_code"] == "UnknownOperationException"


def test_missing_or_broken_authorization(raw_ecr, endpoint):
    status, body = raw_ecr("DescribeRegistry", b"{}", authorization=None)
    assert (status, body["__type"]) == (400, "MissingAuthenticationTokenException")
    status, body = raw_ecr("DescribeRegistry", b"{}", authorization="AWS4-HMAC-SHA256 Signature=0")
    assert (status, body["__type"]) == (400, "IncompleteSignatureException")
    assert [(call["account"], call["status"]) for call in endpoint.calls()] == [(None, 400), (None, 400)]


def test_sts_get_caller_identity(make_client, endpoint):
    identity = make_client("sts", account="555566667777").get_caller_identity()
    assert identity["Account"] == "555566667777"
    assert identity["Arn"] == "arn:aws:iam::555566667777:user/local"
    assert identity["UserId"]
    call = endpoint.calls()[-1]
    assert (call["service"], call["operation"], call["write"], call["status"]) == ("sts", "GetCallerIdentity", False, 200)


def test_services_not_served_deny_access_as_aws_does(make_client, endpoint):
    with pytest.raises(ClientError) as error:
        make_client("iam", account="555566667777").list_account_aliases()
    assert error.value.response["Error"]["Code"] == "AccessDenied"
    assert "arn:aws:iam::555566667777:user/local is not authorized to perform: iam:ListAccountAliases" in str(error.value)
    call = endpoint.calls()[-1]
    assert (call["service"], call["operation"], call["status"], call["error_code"]) == ("iam", "ListAccountAliases", 403, "AccessDenied")


def test_sts_unknown_action(raw):
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "Authorization": f"AWS4-HMAC-SHA256 Credential=AKIA{ACCOUNT}/20260101/us-east-1/sts/aws4_request, Signature=0"}
    status, _headers, body = raw("POST", "/", b"Action=AssumeRole&Version=2011-06-15", headers)
    assert status == 400
    assert b"<Code>InvalidAction</Code>" in body


def control(raw, method, path, payload=None):
    body = json.dumps(payload).encode() if payload is not None else b""
    status, _headers, data = raw(method, path, body, {"Content-Type": "application/json"})
    return status, json.loads(data)


def test_control_calls_reset_config_secrets_and_state(raw, ecr, endpoint):
    ecr.describe_registry()
    status, calls = control(raw, "GET", "/_control/calls")
    assert status == 200
    assert [call["operation"] for call in calls] == ["DescribeRegistry"]
    assert control(raw, "DELETE", "/_control/calls")[0] == 200
    assert endpoint.calls() == []

    assert control(raw, "POST", "/_control/config", {"page_size": 2}) == (200, {"page_size": 2})
    assert endpoint.page_size == 2
    arn = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:ecr-pullthroughcache/x-AbCdEf"
    assert control(raw, "POST", "/_control/secrets", {"arn": arn}) == (200, {"secrets": [arn]})

    ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="quay", upstreamRegistryUrl="quay.io")
    status, state = control(raw, "GET", "/_control/state")
    assert status == 200
    assert state["page_size"] == 2 and state["secrets"] == [arn]
    assert list(state["registries"][f"{ACCOUNT}/us-east-1"]["pullThroughCacheRules"]) == ["quay"]

    assert control(raw, "POST", "/_control/reset")[0] == 200
    assert ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"] == []
    assert control(raw, "GET", "/_control/state")[1]["secrets"] == []


def test_control_faults(raw, ecr, endpoint):
    status, body = control(raw, "POST", "/_control/faults", {"kind": "throttle", "count": 1, "operations": ["DescribeRegistry"]})
    assert status == 200
    assert body["faults"] == [{"kind": "throttle", "remaining": 1, "operations": ["DescribeRegistry"]}]
    control(raw, "POST", "/_control/faults", {"kind": "server_error", "count": 5})
    assert control(raw, "DELETE", "/_control/faults")[0] == 200
    assert endpoint.faults.pending() == []
    ecr.describe_registry()


@pytest.mark.parametrize("method, path, payload, status", [
    ("POST", "/_control/faults", {"kind": "explode", "count": 1}, 400),
    ("POST", "/_control/faults", {"kind": "throttle", "count": -1}, 400),
    ("POST", "/_control/faults", {"kind": "throttle", "times": 1}, 400),
    ("POST", "/_control/config", {"page_size": 0}, 400),
    ("POST", "/_control/config", {"pagesize": 3}, 400),
    ("POST", "/_control/secrets", {"arn": 5}, 400),
    ("GET", "/_control/nothing", None, 404),
    ("GET", "/_control/reset", None, 405),
])
def test_control_rejects_bad_requests(raw, method, path, payload, status):
    answer, body = control(raw, method, path, payload)
    assert answer == status
    assert body["error"]


def test_control_rejects_a_body_that_is_not_an_object(raw):
    status, _headers, body = raw("POST", "/_control/config", b"[1]", {"Content-Type": "application/json"})
    assert status == 400 and b"JSON object" in body
    status, _headers, body = raw("POST", "/_control/config", b"{nope", {"Content-Type": "application/json"})
    assert status == 400 and b"JSON object" in body


def test_other_paths_are_not_found(raw):
    assert raw("GET", "/")[0] == 404
    assert raw("GET", "/v2/")[0] == 404
