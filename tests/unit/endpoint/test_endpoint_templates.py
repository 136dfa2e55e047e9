"""Repository creation templates: defaults, checks, full-state update, describe and pagination."""

import datetime
import json

import pytest

ACCOUNT = "111122223333"
KMS_KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0123abcd-4567-89ef-0123-456789abcdef"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/ecr-templates"
REPOSITORY_POLICY = {"Version": "2012-10-17", "Statement": [{"Sid": "Pull", "Effect": "Allow", "Principal": "*",
                                                             "Action": ["ecr:BatchGetImage"]}]}
LIFECYCLE_POLICY = {"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan",
                                                                "countNumber": 5}, "action": {"type": "expire"}}]}


def message_of(excinfo):
    return excinfo.value.response["Error"]["Message"]


def test_create_fills_the_service_defaults(ecr):
    response = ecr.create_repository_creation_template(prefix="prod", appliedFor=["PULL_THROUGH_CACHE"])
    assert response["registryId"] == ACCOUNT
    template = response["repositoryCreationTemplate"]
    assert isinstance(template.pop("createdAt"), datetime.datetime)
    assert isinstance(template.pop("updatedAt"), datetime.datetime)
    assert template == {
        "prefix": "prod",
        "encryptionConfiguration": {"encryptionType": "AES256"},
        "resourceTags": [],
        "imageTagMutability": "MUTABLE",
        "appliedFor": ["PULL_THROUGH_CACHE"],
    }


def test_create_everything_and_policies_come_back_re_serialised(ecr):
    sent_policy = json.dumps(REPOSITORY_POLICY)
    template = ecr.create_repository_creation_template(
        prefix="team/app",
        description="team templates",
        encryptionConfiguration={"encryptionType": "KMS", "kmsKey": KMS_KEY},
        resourceTags=[{"Key": "team", "Value": "a"}],
        imageTagMutability="IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "latest*"}],
        repositoryPolicy=sent_policy,
        lifecyclePolicy=json.dumps(LIFECYCLE_POLICY),
        appliedFor=["REPLICATION", "CREATE_ON_PUSH"],
        customRoleArn=ROLE,
    )["repositoryCreationTemplate"]
    assert template["description"] == "team templates"
    assert template["encryptionConfiguration"] == {"encryptionType": "KMS", "kmsKey": KMS_KEY}
    assert template["resourceTags"] == [{"Key": "team", "Value": "a"}]
    assert template["imageTagMutabilityExclusionFilters"] == [{"filterType": "WILDCARD", "filter": "latest*"}]
    assert template["customRoleArn"] == ROLE
    assert template["repositoryPolicy"] != sent_policy
    assert template["repositoryPolicy"].startswith('{\n  "Version" : "2012-10-17",\n  "Statement" : [ {')
    assert json.loads(template["repositoryPolicy"]) == REPOSITORY_POLICY
    assert '"rules" : [ {' in template["lifecyclePolicy"]
    assert json.loads(template["lifecyclePolicy"]) == LIFECYCLE_POLICY


def test_one_template_per_prefix_and_root(ecr):
    ecr.create_repository_creation_template(prefix="ROOT", appliedFor=["REPLICATION"])
    with pytest.raises(ecr.exceptions.TemplateAlreadyExistsException):
        ecr.create_repository_creation_template(prefix="ROOT", appliedFor=["PULL_THROUGH_CACHE"])


@pytest.mark.parametrize("arguments, field", [
    ({"encryptionConfiguration": {"encryptionType": "AES256", "kmsKey": KMS_KEY}}, "encryptionConfiguration"),
    ({"imageTagMutability": "MUTABLE_WITH_EXCLUSION"}, "imageTagMutabilityExclusionFilters"),
    ({"imageTagMutabilityExclusionFilters": [{"filterType": "WILDCARD", "filter": "v*"}]}, "imageTagMutabilityExclusionFilters"),
    ({"repositoryPolicy": "{not json"}, "repositoryPolicy"),
    ({"repositoryPolicy": '{"Version": "2012-10-17"}'}, "repositoryPolicy"),
    ({"lifecyclePolicy": "[]"}, "lifecyclePolicy"),
    ({"appliedFor": []}, "appliedFor"),
])
def test_invalid_templates(ecr, arguments, field):
    with pytest.raises(ecr.exceptions.InvalidParameterException) as excinfo:
        ecr.create_repository_creation_template(**{"prefix": "prod", "appliedFor": ["REPLICATION"], **arguments})
    assert message_of(excinfo).startswith(f"Invalid parameter at '{field}' failed to satisfy constraint: ")
    assert ecr.describe_repository_creation_templates()["repositoryCreationTemplates"] == []


def test_model_checks_apply_to_templates(ecr):
    with pytest.raises(ecr.exceptions.ValidationException) as excinfo:
        ecr.create_repository_creation_template(prefix="prod", appliedFor=["EVERYTHING"], description="d" * 257)
    message = message_of(excinfo)
    assert message.startswith("2 validation errors detected: ")
    assert "at 'appliedFor.1.member' failed to satisfy constraint: Member must satisfy enum value set: " in message
    assert "at 'description' failed to satisfy constraint: Member must have length less than or equal to 256" in message


def test_update_replaces_the_whole_template(ecr):
    created = ecr.create_repository_creation_template(
        prefix="prod", description="keep me?", resourceTags=[{"Key": "a", "Value": "b"}],
        encryptionConfiguration={"encryptionType": "KMS"}, repositoryPolicy=json.dumps(REPOSITORY_POLICY),
        appliedFor=["PULL_THROUGH_CACHE"], customRoleArn=ROLE,
    )["repositoryCreationTemplate"]
    updated = ecr.update_repository_creation_template(prefix="prod", imageTagMutability="IMMUTABLE")["repositoryCreationTemplate"]
    assert updated["createdAt"] == created["createdAt"]
    assert updated["updatedAt"] >= created["updatedAt"]
    del updated["createdAt"], updated["updatedAt"]
    assert updated == {
        "prefix": "prod",
        "encryptionConfiguration": {"encryptionType": "AES256"},
        "resourceTags": [],
        "imageTagMutability": "IMMUTABLE",
        "appliedFor": ["PULL_THROUGH_CACHE"],
    }
    described = ecr.describe_repository_creation_templates(prefixes=["prod"])["repositoryCreationTemplates"]
    assert described[0]["imageTagMutability"] == "IMMUTABLE" and "description" not in described[0]


def test_update_can_change_applied_for(ecr):
    ecr.create_repository_creation_template(prefix="prod", appliedFor=["PULL_THROUGH_CACHE"])
    updated = ecr.update_repository_creation_template(prefix="prod", appliedFor=["REPLICATION"])
    assert updated["repositoryCreationTemplate"]["appliedFor"] == ["REPLICATION"]


def test_update_and_delete_of_an_unknown_template(ecr):
    with pytest.raises(ecr.exceptions.TemplateNotFoundException):
        ecr.update_repository_creation_template(prefix="nothing", description="x")
    with pytest.raises(ecr.exceptions.TemplateNotFoundException) as excinfo:
        ecr.delete_repository_creation_template(prefix="nothing")
    assert "nothing" in message_of(excinfo)


def test_delete_returns_the_template(ecr):
    ecr.create_repository_creation_template(prefix="prod", appliedFor=["REPLICATION"], description="gone soon")
    deleted = ecr.delete_repository_creation_template(prefix="prod")
    assert deleted["registryId"] == ACCOUNT
    assert deleted["repositoryCreationTemplate"]["description"] == "gone soon"
    assert ecr.describe_repository_creation_templates()["repositoryCreationTemplates"] == []


def test_describe_by_prefix_leaves_unknown_prefixes_out(ecr):
    for prefix in ("a1", "b2"):
        ecr.create_repository_creation_template(prefix=prefix, appliedFor=["REPLICATION"])
    described = ecr.describe_repository_creation_templates(prefixes=["b2", "zz"])["repositoryCreationTemplates"]
    assert [template["prefix"] for template in described] == ["b2"]
    assert ecr.describe_repository_creation_templates(prefixes=["zz"])["repositoryCreationTemplates"] == []


def test_pagination_with_page_size_one(endpoint, ecr):
    prefixes = ["alpha", "beta", "gamma"]
    for prefix in reversed(prefixes):
        ecr.create_repository_creation_template(prefix=prefix, appliedFor=["REPLICATION"])
    endpoint.set_page_size(1)
    first = ecr.describe_repository_creation_templates()
    assert [template["prefix"] for template in first["repositoryCreationTemplates"]] == ["alpha"]
    assert first["nextToken"]
    pages = list(ecr.get_paginator("describe_repository_creation_templates").paginate())
    assert len(pages) == 3
    assert [template["prefix"] for page in pages for template in page["repositoryCreationTemplates"]] == prefixes
    assert "nextToken" not in pages[-1]


def test_max_results_below_the_page_size(ecr):
    for prefix in ("a1", "b2", "c3"):
        ecr.create_repository_creation_template(prefix=prefix, appliedFor=["REPLICATION"])
    page = ecr.describe_repository_creation_templates(maxResults=2)
    assert [template["prefix"] for template in page["repositoryCreationTemplates"]] == ["a1", "b2"]
    rest = ecr.describe_repository_creation_templates(maxResults=2, nextToken=page["nextToken"])
    assert [template["prefix"] for template in rest["repositoryCreationTemplates"]] == ["c3"]
    assert "nextToken" not in rest


def test_a_bad_next_token(ecr):
    with pytest.raises(ecr.exceptions.InvalidParameterException) as excinfo:
        ecr.describe_repository_creation_templates(nextToken="garbage!")
    assert "nextToken" in message_of(excinfo)
