"""Signing configuration: none until put, put replaces the whole, delete returns what it deleted."""

import json

import pytest
from botocore.exceptions import ClientError

ACCOUNT = "111122223333"
OTHER_ACCOUNT = "444455556666"
PROFILE = f"arn:aws:signer:us-east-1:{ACCOUNT}:/signing-profiles/ecr_signing"
OTHER_PROFILE = f"arn:aws:signer:us-east-1:{ACCOUNT}:/signing-profiles/prod_signing"


def message_of(excinfo):
    return excinfo.value.response["Error"]["Message"]


def test_none_until_put(ecr):
    with pytest.raises(ecr.exceptions.SigningConfigurationNotFoundException) as excinfo:
        ecr.get_signing_configuration()
    assert ACCOUNT in message_of(excinfo)
    with pytest.raises(ecr.exceptions.SigningConfigurationNotFoundException):
        ecr.delete_signing_configuration()


def test_put_get_replace_delete(ecr):
    first = {"rules": [
        {"signingProfileArn": PROFILE},
        {"signingProfileArn": OTHER_PROFILE, "repositoryFilters": [{"filter": "prod/*", "filterType": "WILDCARD_MATCH"}]},
    ]}
    assert ecr.put_signing_configuration(signingConfiguration=first)["signingConfiguration"] == first
    response = ecr.get_signing_configuration()
    assert (response["registryId"], response["signingConfiguration"]) == (ACCOUNT, first)
    second = {"rules": [{"signingProfileArn": OTHER_PROFILE}]}
    ecr.put_signing_configuration(signingConfiguration=second)
    assert ecr.get_signing_configuration()["signingConfiguration"] == second
    deleted = ecr.delete_signing_configuration()
    assert (deleted["registryId"], deleted["signingConfiguration"]) == (ACCOUNT, second)
    with pytest.raises(ecr.exceptions.SigningConfigurationNotFoundException):
        ecr.get_signing_configuration()


def test_an_empty_rule_list_is_a_configuration(ecr):
    ecr.put_signing_configuration(signingConfiguration={"rules": []})
    assert ecr.get_signing_configuration()["signingConfiguration"] == {"rules": []}


def test_model_limits(ecr, raw_ecr):
    with pytest.raises(ecr.exceptions.ValidationException) as excinfo:
        ecr.put_signing_configuration(signingConfiguration={"rules": [{"signingProfileArn": PROFILE}] * 11})
    assert "Member must have length less than or equal to 10" in message_of(excinfo)
    # boto3 checks minimum lengths itself, so this one goes raw.
    body = json.dumps({"signingConfiguration": {"rules": [{"signingProfileArn": PROFILE, "repositoryFilters": []}]}}).encode()
    status, error = raw_ecr("PutSigningConfiguration", body)
    assert (status, error["__type"]) == (400, "ValidationException")
    assert "Member must have length greater than or equal to 1" in error["message"]
    with pytest.raises(ecr.exceptions.ValidationException):
        ecr.put_signing_configuration(signingConfiguration={"rules": [{"signingProfileArn": "arn:aws:signer:us-east-1:1:/x"}]})


def test_isolated_per_account_and_region(ecr, make_client):
    ecr.put_signing_configuration(signingConfiguration={"rules": [{"signingProfileArn": PROFILE}]})
    for other in (make_client(region="eu-west-1"), make_client(account=OTHER_ACCOUNT)):
        with pytest.raises(other.exceptions.SigningConfigurationNotFoundException):
            other.get_signing_configuration()


def test_throttled_put_changes_nothing(ecr, endpoint):
    endpoint.inject_fault(kind="throttle", count=1, operations=["PutSigningConfiguration"])
    with pytest.raises(ClientError) as excinfo:
        ecr.put_signing_configuration(signingConfiguration={"rules": [{"signingProfileArn": PROFILE}]})
    assert excinfo.value.response["Error"]["Code"] == "ThrottlingException"
    with pytest.raises(ecr.exceptions.SigningConfigurationNotFoundException):
        ecr.get_signing_configuration()
