"""DescribeRegistry, PutReplicationConfiguration and the registry policy."""

import json

import pytest

ACCOUNT = "111122223333"
OTHER_ACCOUNT = "444455556666"
POLICY = {
    "Version": "2012-10-17",
    "Statement": [{
        "Sid": "ReplicationAccessCrossAccount",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"},
        "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
        "Resource": f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/*",
    }],
}


def destination(region, registry_id=ACCOUNT):
    return {"region": region, "registryId": registry_id}


def test_describe_registry_before_anything_is_set(ecr):
    response = ecr.describe_registry()
    assert response["registryId"] == ACCOUNT
    assert response["replicationConfiguration"] == {"rules": []}


def test_put_and_describe_replication(ecr):
    rules = [
        {"destinations": [destination("us-west-2"), destination("eu-west-1", OTHER_ACCOUNT)],
         "repositoryFilters": [{"filter": "prod", "filterType": "PREFIX_MATCH"}]},
        {"destinations": [destination("us-east-1", OTHER_ACCOUNT)]},
    ]
    put = ecr.put_replication_configuration(replicationConfiguration={"rules": rules})
    assert put["replicationConfiguration"] == {"rules": rules}
    assert ecr.describe_registry()["replicationConfiguration"] == {"rules": rules}


def test_empty_rule_list_removes_replication(ecr):
    ecr.put_replication_configuration(replicationConfiguration={"rules": [{"destinations": [destination("us-west-2")]}]})
    ecr.put_replication_configuration(replicationConfiguration={"rules": []})
    assert ecr.describe_registry()["replicationConfiguration"] == {"rules": []}


def test_destination_equal_to_the_source_is_rejected(ecr):
    with pytest.raises(ecr.exceptions.InvalidParameterException) as excinfo:
        ecr.put_replication_configuration(replicationConfiguration={"rules": [{"destinations": [destination("us-east-1")]}]})
    assert excinfo.value.response["Error"]["Message"] == (
        "Invalid parameter at 'replicationConfiguration' failed to satisfy constraint: "
        "'Replication destination cannot be the same as the source registry'"
    )
    assert ecr.describe_registry()["replicationConfiguration"] == {"rules": []}


def test_at_most_25_unique_destinations_across_rules(ecr):
    regions = [f"region-{index}" for index in range(26)]
    rules = [{"destinations": [destination(region) for region in regions[:13]]},
             {"destinations": [destination(region) for region in regions[13:]]}]
    with pytest.raises(ecr.exceptions.InvalidParameterException) as excinfo:
        ecr.put_replication_configuration(replicationConfiguration={"rules": rules})
    assert "more than 25 unique destinations" in excinfo.value.response["Error"]["Message"]
    # The same 25 destinations repeated in several rules count once.
    rules = [{"destinations": [destination(region) for region in regions[:25]]} for _copy in range(3)]
    ecr.put_replication_configuration(replicationConfiguration={"rules": rules})
    assert len(ecr.describe_registry()["replicationConfiguration"]["rules"]) == 3


def test_replication_is_per_region_and_per_account(make_client):
    ecr = make_client()
    ecr.put_replication_configuration(replicationConfiguration={"rules": [{"destinations": [destination("us-west-2")]}]})
    assert make_client(region="eu-west-1").describe_registry()["replicationConfiguration"] == {"rules": []}
    other = make_client(account=OTHER_ACCOUNT).describe_registry()
    assert other["registryId"] == OTHER_ACCOUNT
    assert other["replicationConfiguration"] == {"rules": []}


def test_registry_policy_round_trip_is_re_serialised(ecr):
    sent = json.dumps(POLICY)
    put = ecr.put_registry_policy(policyText=sent)
    assert put["registryId"] == ACCOUNT
    assert put["policyText"] != sent
    assert put["policyText"].startswith('{\n  "Version" : "2012-10-17",\n  "Statement" : [ {\n    "Sid" : ')
    assert json.loads(put["policyText"]) == POLICY
    assert ecr.get_registry_policy()["policyText"] == put["policyText"]


def test_delete_registry_policy_returns_it_then_it_is_gone(ecr):
    ecr.put_registry_policy(policyText=json.dumps(POLICY))
    deleted = ecr.delete_registry_policy()
    assert deleted["registryId"] == ACCOUNT
    assert json.loads(deleted["policyText"]) == POLICY
    for call in (ecr.get_registry_policy, ecr.delete_registry_policy):
        with pytest.raises(ecr.exceptions.RegistryPolicyNotFoundException) as excinfo:
            call()
        assert excinfo.value.response["Error"]["Message"] == f"Registry policy does not exist in the registry with id '{ACCOUNT}'"


@pytest.mark.parametrize("text", ["not a policy", "[]", '{"Version": "2012-10-17"}', ""])
def test_invalid_registry_policy(ecr, text):
    with pytest.raises(ecr.exceptions.InvalidParameterException) as excinfo:
        ecr.put_registry_policy(policyText=text)
    assert excinfo.value.response["Error"]["Message"] == (
        "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid registry policy provided'"
    )
    with pytest.raises(ecr.exceptions.RegistryPolicyNotFoundException):
        ecr.get_registry_policy()


def test_registry_policy_length_comes_from_the_model(ecr):
    too_long = json.dumps({"Statement": [], "Padding": "x" * 10240})
    with pytest.raises(ecr.exceptions.ValidationException) as excinfo:
        ecr.put_registry_policy(policyText=too_long)
    assert "at 'policyText' failed to satisfy constraint: Member must have length less than or equal to 10240" in (
        excinfo.value.response["Error"]["Message"]
    )


def test_registry_policy_is_per_region(make_client):
    make_client().put_registry_policy(policyText=json.dumps(POLICY))
    west = make_client(region="us-west-2")
    with pytest.raises(west.exceptions.RegistryPolicyNotFoundException):
        west.get_registry_policy()
