"""The faults that widen races and lose responses: delay, reset, drop_response."""

import json
import threading
import time

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError

POLICY = json.dumps({"Version": "2012-10-17", "Statement": []})
LOST = (ConnectionClosedError, EndpointConnectionError)


def test_reset_closes_without_a_response_and_applies_nothing(ecr, endpoint):
    endpoint.inject_fault(kind="reset", count=1, operations=["PutRegistryPolicy"])
    with pytest.raises(LOST):
        ecr.put_registry_policy(policyText=POLICY)
    with pytest.raises(ecr.exceptions.RegistryPolicyNotFoundException):
        ecr.get_registry_policy()
    assert [(c["operation"], c["status"], c["error_code"]) for c in endpoint.calls()] == [
        ("PutRegistryPolicy", None, "ConnectionReset"), ("GetRegistryPolicy", 400, "RegistryPolicyNotFoundException"),
    ]


def test_drop_response_reset_applies_then_loses_the_answer(ecr, endpoint):
    endpoint.inject_fault(kind="drop_response", count=1, operations=["CreatePullThroughCacheRule"])
    with pytest.raises(LOST):
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="quay", upstreamRegistryUrl="quay.io")
    assert ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"][0]["ecrRepositoryPrefix"] == "quay"
    # What a retrying client meets next: the create it cannot tell landed.
    with pytest.raises(ecr.exceptions.PullThroughCacheRuleAlreadyExistsException):
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="quay", upstreamRegistryUrl="quay.io")


def test_drop_response_500_applies_then_answers_server_exception(ecr, endpoint):
    endpoint.inject_fault(kind="drop_response", count=1, response="500")
    with pytest.raises(ecr.exceptions.ServerException) as excinfo:
        ecr.create_repository_creation_template(prefix="team", appliedFor=["REPLICATION"])
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert [t["prefix"] for t in ecr.describe_repository_creation_templates()["repositoryCreationTemplates"]] == ["team"]


def test_boto3_retries_a_lost_response_into_already_exists(make_client, endpoint):
    ecr = make_client(config=Config(retries={"mode": "standard", "max_attempts": 3}))
    endpoint.inject_fault(kind="drop_response", count=1, operations=["CreateRepositoryCreationTemplate"])
    with pytest.raises(ClientError) as excinfo:
        ecr.create_repository_creation_template(prefix="team", appliedFor=["REPLICATION"])
    assert excinfo.value.response["Error"]["Code"] == "TemplateAlreadyExistsException"
    assert [(c["status"], c["error_code"]) for c in endpoint.calls()] == [(None, "ConnectionReset"), (400, "TemplateAlreadyExistsException")]


def test_delay_holds_the_call_while_others_are_served(ecr, make_client, endpoint):
    endpoint.inject_fault(kind="delay", count=1, operations=["PutRegistryPolicy"], seconds=0.6)
    slow = threading.Thread(target=lambda: make_client().put_registry_policy(policyText=POLICY))
    started = time.monotonic()
    slow.start()
    time.sleep(0.1)
    with pytest.raises(ecr.exceptions.RegistryPolicyNotFoundException):
        ecr.get_registry_policy()  # served during the delay: the put has not landed yet
    assert time.monotonic() - started < 0.5
    slow.join()
    assert time.monotonic() - started >= 0.6
    assert json.loads(ecr.get_registry_policy()["policyText"]) == json.loads(POLICY)


def test_fault_fields_over_the_control_api(raw, endpoint):
    body = json.dumps({"kind": "delay", "count": 2, "seconds": 0.5, "operations": ["PutRegistryPolicy"]}).encode()
    status, _headers, data = raw("POST", "/_control/faults", body)
    assert status == 200
    assert json.loads(data)["faults"] == [{"kind": "delay", "remaining": 2, "operations": ["PutRegistryPolicy"], "seconds": 0.5}]
    status, _headers, data = raw("POST", "/_control/faults", json.dumps({"kind": "drop_response", "response": "500"}).encode())
    assert json.loads(data)["faults"][-1] == {"kind": "drop_response", "remaining": 1, "operations": None, "response": "500"}


@pytest.mark.parametrize("arguments, message", [
    ({"kind": "delay", "count": 1}, "a delay fault needs seconds"),
    ({"kind": "delay", "count": 1, "seconds": 0}, "a delay fault needs seconds"),
    ({"kind": "delay", "count": 1, "seconds": 31}, "at most 30"),
    ({"kind": "reset", "count": 1, "seconds": 1}, "seconds is for delay faults"),
    ({"kind": "drop_response", "count": 1, "response": "404"}, "response must be one of reset, 500"),
    ({"kind": "throttle", "count": 1, "response": "reset"}, "response is for drop_response faults"),
])
def test_bad_fault_fields_are_refused(endpoint, arguments, message):
    with pytest.raises(ValueError, match=message):
        endpoint.inject_fault(**arguments)
