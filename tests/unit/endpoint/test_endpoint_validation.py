"""Requests are validated against botocore's ECR model, with AWS's ValidationException wording."""

import json

import botocore.session
import pytest
from botocore.config import Config

from ecr_endpoint.service import HANDLERS
from ecr_endpoint.validation import compile_pattern

MODEL = botocore.session.get_session().get_service_model("ecr")
PREFIX_PATTERN = MODEL.shape_for("PullThroughCacheRuleRepositoryPrefix").metadata["pattern"]
# boto3 checks required members, types and minimums itself; switch that off to reach the server.
UNCHECKED = Config(parameter_validation=False, retries={"mode": "standard", "total_max_attempts": 1})


def error_of(excinfo):
    return excinfo.value.response["Error"]


def test_pattern_violation_names_member_value_and_pattern(ecr):
    with pytest.raises(ecr.exceptions.ValidationException) as excinfo:
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="Bad_Prefix!", upstreamRegistryUrl="public.ecr.aws")
    assert error_of(excinfo)["Message"] == (
        "1 validation error detected: Value 'Bad_Prefix!' at 'ecrRepositoryPrefix' failed to satisfy constraint: "
        f"Member must satisfy regular expression pattern: {PREFIX_PATTERN}"
    )
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_max_length(ecr):
    with pytest.raises(ecr.exceptions.ValidationException) as excinfo:
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="a" * 31, upstreamRegistryUrl="public.ecr.aws")
    assert error_of(excinfo)["Message"] == (
        f"1 validation error detected: Value '{'a' * 31}' at 'ecrRepositoryPrefix' failed to satisfy constraint: "
        "Member must have length less than or equal to 30"
    )


def test_min_length_and_required_members(make_client):
    ecr = make_client(config=UNCHECKED)
    with pytest.raises(ecr.exceptions.ValidationException) as excinfo:
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="a")
    message = error_of(excinfo)["Message"]
    assert message.startswith("2 validation errors detected: ")
    assert "Value null at 'upstreamRegistryUrl' failed to satisfy constraint: Member must not be null" in message
    assert "Value 'a' at 'ecrRepositoryPrefix' failed to satisfy constraint: Member must have length greater than or equal to 2" in message


def test_errors_are_counted_across_nested_members(ecr):
    max_rules = MODEL.shape_for("ReplicationRuleList").metadata["max"]  # 10, or 25 in newer models
    rules = [{"destinations": [{"region": "us-west-2", "registryId": "111122223333"}]} for _copy in range(max_rules + 1)]
    rules[0]["destinations"][0]["region"] = "US_WEST_2"
    with pytest.raises(ecr.exceptions.ValidationException) as excinfo:
        ecr.put_replication_configuration(replicationConfiguration={"rules": rules})
    message = error_of(excinfo)["Message"]
    assert message.startswith("2 validation errors detected: ")
    assert f"at 'replicationConfiguration.rules' failed to satisfy constraint: Member must have length less than or equal to {max_rules}" in message
    assert (
        "Value 'US_WEST_2' at 'replicationConfiguration.rules.1.member.destinations.1.member.region' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [0-9a-z-]{2,25}"
    ) in message


def test_enum(ecr):
    rule = {"destinations": [{"region": "us-west-2", "registryId": "111122223333"}],
            "repositoryFilters": [{"filter": "prod", "filterType": "SUFFIX_MATCH"}]}
    with pytest.raises(ecr.exceptions.ValidationException) as excinfo:
        ecr.put_replication_configuration(replicationConfiguration={"rules": [rule]})
    assert error_of(excinfo)["Message"] == (
        "1 validation error detected: Value 'SUFFIX_MATCH' at "
        "'replicationConfiguration.rules.1.member.repositoryFilters.1.member.filterType' failed to satisfy constraint: "
        "Member must satisfy enum value set: [PREFIX_MATCH]"
    )


@pytest.mark.parametrize("max_results, constraint", [
    (0, "Member must have value greater than or equal to 1"),
    (1001, "Member must have value less than or equal to 1000"),
])
def test_integer_range(make_client, max_results, constraint):
    ecr = make_client(config=UNCHECKED)
    with pytest.raises(ecr.exceptions.ValidationException) as excinfo:
        ecr.describe_repository_creation_templates(maxResults=max_results)
    assert error_of(excinfo)["Message"] == (
        f"1 validation error detected: Value '{max_results}' at 'maxResults' failed to satisfy constraint: {constraint}"
    )


def test_registry_id_pattern(ecr):
    with pytest.raises(ecr.exceptions.ValidationException) as excinfo:
        ecr.describe_pull_through_cache_rules(registryId="12345")
    assert "Value '12345' at 'registryId' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]{12}" in (
        error_of(excinfo)["Message"]
    )


def test_list_length(make_client):
    ecr = make_client(config=UNCHECKED)
    with pytest.raises(ecr.exceptions.ValidationException) as excinfo:
        ecr.describe_pull_through_cache_rules(ecrRepositoryPrefixes=[])
    assert error_of(excinfo)["Message"] == (
        "1 validation error detected: Value '[]' at 'ecrRepositoryPrefixes' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"
    )


def test_unknown_members_are_reported(raw_ecr):
    status, body = raw_ecr("DescribeRegistry", b'{"registryId": "111122223333"}')
    assert status == 400
    assert body["__type"] == "ValidationException"
    assert "at 'registryId' failed to satisfy constraint: Member must be a known member of DescribeRegistryRequest" in body["message"]


def test_wrong_json_types_are_serialization_errors(raw_ecr):
    status, body = raw_ecr("DescribeRepositoryCreationTemplates", b'{"maxResults": "ten"}')
    assert (status, body["__type"]) == (400, "SerializationException")
    status, body = raw_ecr("DescribeRegistry", b"not json")
    assert (status, body["__type"]) == (400, "SerializationException")


def test_booleans_are_type_checked(raw_ecr):
    if "deleteReplication" not in MODEL.shape_for("ReplicationRule").members:
        pytest.skip("this botocore's model has no boolean in the operations served (deleteReplication: 1.44.4+)")
    rule = {"destinations": [{"region": "us-west-2", "registryId": "222233334444"}], "deleteReplication": {"enabled": "yes"}}
    status, body = raw_ecr("PutReplicationConfiguration", json.dumps({"replicationConfiguration": {"rules": [rule]}}).encode())
    assert (status, body["__type"]) == (400, "SerializationException")
    assert "Expected boolean at 'replicationConfiguration.rules.1.member.deleteReplication.enabled'" in body["message"]


def test_validation_runs_before_the_handler_so_nothing_is_stored(ecr):
    with pytest.raises(ecr.exceptions.ValidationException):
        ecr.create_repository_creation_template(prefix="Upper", appliedFor=["REPLICATION"])
    assert ecr.describe_repository_creation_templates()["repositoryCreationTemplates"] == []


def test_every_model_pattern_compiles_for_python():
    patterns = {MODEL.shape_for(name).metadata.get("pattern") for name in MODEL.shape_names} - {None}
    assert patterns
    for pattern in patterns:
        compile_pattern(pattern)


@pytest.mark.parametrize("java, matches, rejects", [
    (r"\p{Alpha}+", "abcXYZ", "ab1"),
    (r"[\p{Digit}_]+\z", "12_3", "12a"),
    (r"\\p{Alpha}\z", "\\p{Alpha}", "a"),
])
def test_java_only_syntax_is_translated(java, matches, rejects):
    pattern = compile_pattern(java)
    assert pattern.fullmatch(matches)
    assert not pattern.fullmatch(rejects)


def test_served_operations_only_take_types_the_validator_checks():
    seen, types = set(), set()

    def walk(shape):
        types.add(shape.type_name)
        if shape.name not in seen:
            seen.add(shape.name)
            children = shape.members.values() if shape.type_name == "structure" else [shape.member] if shape.type_name == "list" else []
            for child in children:
                walk(child)

    for operation in HANDLERS:
        walk(MODEL.operation_model(operation).input_shape)
    assert types <= {"structure", "list", "string", "integer", "boolean"}
