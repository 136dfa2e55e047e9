"""The call log (records, write flags, the JSON-lines file) and injected faults."""

import json

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from ecr_endpoint import EcrEndpoint
from ecr_endpoint.calls import is_write

ACCOUNT = "111122223333"
POLICY = json.dumps({"Version": "2012-10-17", "Statement": []})
# boto3's own retry behaviour (standard mode), as a module using AWSRetry or botocore retries would see.
RETRYING = Config(retries={"mode": "standard", "max_attempts": 5})


def test_call_records(ecr, endpoint):
    ecr.describe_registry()
    ecr.put_registry_policy(policyText=POLICY)
    with pytest.raises(ecr.exceptions.InvalidParameterException):
        ecr.put_registry_policy(policyText="nope")
    calls = endpoint.calls()
    assert [call["seq"] for call in calls] == [calls[0]["seq"], calls[0]["seq"] + 1, calls[0]["seq"] + 2]
    for call in calls:
        del call["seq"]
    assert calls == [
        {"service": "ecr", "operation": "DescribeRegistry", "account": ACCOUNT, "region": "us-east-1",
         "write": False, "status": 200, "error_code": None},
        {"service": "ecr", "operation": "PutRegistryPolicy", "account": ACCOUNT, "region": "us-east-1",
         "write": True, "status": 200, "error_code": None},
        {"service": "ecr", "operation": "PutRegistryPolicy", "account": ACCOUNT, "region": "us-east-1",
         "write": True, "status": 400, "error_code": "InvalidParameterException"},
    ]


@pytest.mark.parametrize("operation, write", [
    ("DescribePullThroughCacheRules", False), ("ValidatePullThroughCacheRule", False), ("GetRegistryPolicy", False),
    ("CreatePullThroughCacheRule", True), ("UpdateRepositoryCreationTemplate", True), ("DeleteRegistryPolicy", True),
    ("PutReplicationConfiguration", True), ("RegisterPullTimeUpdateExclusion", True), ("DeregisterPullTimeUpdateExclusion", True),
    ("StartReplicationBackfill", True), ("StopReplicationBackfill", True), ("ListPullTimeUpdateExclusions", False),
    ("ListReplicationBackfills", False), ("DescribeReplicationBackfillResults", False), ("GetAccountSetting", False),
])
def test_write_flag(operation, write):
    assert is_write(operation) is write


def test_clear_calls_keeps_counting(ecr, endpoint):
    ecr.describe_registry()
    last = endpoint.calls()[-1]["seq"]
    endpoint.clear_calls()
    assert endpoint.calls() == []
    ecr.describe_registry()
    assert endpoint.calls()[0]["seq"] == last + 1


def test_throttled_call_changes_nothing_and_is_logged(ecr, endpoint):
    endpoint.inject_fault(kind="throttle", count=1, operations=["PutRegistryPolicy"])
    ecr.describe_registry()  # not a matching operation: served normally
    with pytest.raises(ClientError) as excinfo:
        ecr.put_registry_policy(policyText=POLICY)
    error = excinfo.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("ThrottlingException", "Rate exceeded")
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(ecr.exceptions.RegistryPolicyNotFoundException):
        ecr.get_registry_policy()
    assert [(call["operation"], call["status"], call["error_code"], call["write"]) for call in endpoint.calls()] == [
        ("DescribeRegistry", 200, None, False),
        ("PutRegistryPolicy", 400, "ThrottlingException", True),
        ("GetRegistryPolicy", 400, "RegistryPolicyNotFoundException", False),
    ]


def test_server_error_is_a_500_server_exception(ecr, endpoint):
    endpoint.inject_fault(kind="server_error", count=1)
    with pytest.raises(ecr.exceptions.ServerException) as excinfo:
        ecr.describe_registry()
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert endpoint.calls()[-1]["error_code"] == "ServerException"
    ecr.describe_registry()  # the fault is spent


def test_boto3_retries_through_faults(make_client, endpoint):
    endpoint.inject_fault(kind="throttle", count=2)
    endpoint.inject_fault(kind="server_error", count=1)
    ecr = make_client(config=RETRYING)
    response = ecr.put_registry_policy(policyText=POLICY)
    assert response["ResponseMetadata"]["RetryAttempts"] == 3
    assert [call["error_code"] for call in endpoint.calls()] == ["ThrottlingException", "ThrottlingException", "ServerException", None]
    assert all(call["write"] for call in endpoint.calls())


def test_faults_do_not_touch_sts(make_client, endpoint):
    endpoint.inject_fault(kind="throttle", count=1)
    assert make_client("sts").get_caller_identity()["Account"] == ACCOUNT
    assert endpoint.faults.pending()[0]["remaining"] == 1


def test_reset_clears_faults_calls_and_state(ecr, endpoint):
    ecr.put_registry_policy(policyText=POLICY)
    endpoint.inject_fault(kind="throttle", count=3)
    endpoint.reset()
    assert endpoint.calls() == [] and endpoint.faults.pending() == []
    with pytest.raises(ecr.exceptions.RegistryPolicyNotFoundException):
        ecr.get_registry_policy()


@pytest.mark.parametrize("arguments", [
    {"kind": "boom", "count": 1}, {"kind": "throttle", "count": "2"}, {"kind": "throttle", "count": 1, "operations": "Put"},
])
def test_bad_faults_are_refused(endpoint, arguments):
    with pytest.raises(ValueError):
        endpoint.inject_fault(**arguments)


def client_for(url):
    return boto3.client("ecr", region_name="eu-west-1", endpoint_url=url, aws_access_key_id=f"AKIA{ACCOUNT}",
                        aws_secret_access_key="x", config=Config(retries={"mode": "standard", "total_max_attempts": 1}))


def test_call_log_file_and_environment_defaults(tmp_path, monkeypatch):
    log = tmp_path / "calls.jsonl"
    monkeypatch.setenv("ECR_ENDPOINT_CALL_LOG", str(log))
    monkeypatch.setenv("ECR_ENDPOINT_PAGE_SIZE", "2")
    monkeypatch.setenv("ECR_ENDPOINT_THROTTLE", "1")
    monkeypatch.setenv("ECR_ENDPOINT_SERVER_ERRORS", "1")
    endpoint = EcrEndpoint()
    url = endpoint.start()
    try:
        ecr = client_for(url)
        assert endpoint.page_size == 2
        codes = []
        for _attempt in range(3):
            try:
                ecr.describe_registry()
                codes.append(None)
            except ClientError as error:
                codes.append(error.response["Error"]["Code"])
        assert codes == ["ThrottlingException", "ServerException", None]
        lines = [json.loads(line) for line in log.read_text().splitlines()]
        assert lines == endpoint.calls()
        assert [line["region"] for line in lines] == ["eu-west-1"] * 3
    finally:
        endpoint.stop()


def test_explicit_arguments_beat_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ECR_ENDPOINT_PAGE_SIZE", "2")
    monkeypatch.setenv("ECR_ENDPOINT_CALL_LOG", str(tmp_path / "env.jsonl"))
    endpoint = EcrEndpoint(page_size=7, call_log_path=str(tmp_path / "mine.jsonl"))
    endpoint.start()
    try:
        client_for(endpoint.url).describe_registry()
        assert endpoint.page_size == 7
        assert (tmp_path / "mine.jsonl").exists() and not (tmp_path / "env.jsonl").exists()
    finally:
        endpoint.stop()


def test_bad_environment_is_refused(monkeypatch):
    monkeypatch.setenv("ECR_ENDPOINT_THROTTLE", "many")
    with pytest.raises(ValueError, match="ECR_ENDPOINT_THROTTLE"):
        EcrEndpoint()
