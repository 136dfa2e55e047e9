"""Repository creation templates: canonical forms, comparison, merge, plan and validation."""

import json

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.ecrkit.registry.plugins.module_utils.creation_template import (
    CREATE_ON_PUSH_BOTOCORE,
    EXCLUSION_FILTERS_BOTOCORE,
    TEMPLATES_BOTOCORE,
    botocore_requirements,
    canonical_lifecycle,
    changed_fields,
    defaults,
    from_api,
    merge,
    plan,
    read,
    to_api,
    validate,
)
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError

KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
OTHER_KEY = "arn:aws:kms:us-east-1:123456789012:key/ffff0000-12ab-34cd-56ef-1234567890ab"
ROLE = "arn:aws:iam::123456789012:role/ecr-repository-creation"
POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "Pull", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
         "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]},
        {"Sid": "Push", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/ci"}, "Action": "ecr:PutImage"},
    ],
}
RULE_UNTAGGED = {"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days",
                                                  "countNumber": 14}, "action": {"type": "expire"}}
RULE_RELEASES = {"rulePriority": 2, "selection": {"tagStatus": "tagged", "tagPrefixList": ["v", "release"],
                                                  "countType": "imageCountMoreThan", "countNumber": 50}, "action": {"type": "expire"}}
LIFECYCLE = {"rules": [RULE_UNTAGGED, RULE_RELEASES]}


def pretty(document):
    """A policy text the way the service hands it back: re-formatted, `"Key" : value`."""
    return json.dumps(document, indent=2, separators=(",", " : "))


def api_template(**overrides):
    """A template as DescribeRepositoryCreationTemplates returns it."""
    template = {
        "prefix": "team",
        "description": "team repositories",
        "encryptionConfiguration": {"encryptionType": "KMS", "kmsKey": KMS_KEY},
        "resourceTags": [{"Key": "owner", "Value": "platform"}, {"Key": "cost", "Value": "42"}],
        "imageTagMutability": "IMMUTABLE_WITH_EXCLUSION",
        "imageTagMutabilityExclusionFilters": [{"filterType": "WILDCARD", "filter": "latest"}, {"filterType": "WILDCARD", "filter": "dev-*"}],
        "repositoryPolicy": pretty(POLICY),
        "lifecyclePolicy": pretty(LIFECYCLE),
        "appliedFor": ["REPLICATION", "PULL_THROUGH_CACHE"],
        "customRoleArn": ROLE,
    }
    template.update(overrides)
    return {key: value for key, value in template.items() if value is not None}


def params(**given):
    """module.params as the argument spec leaves them: every option present, None when omitted."""
    values = {
        "prefix": "team", "description": None, "applied_for": None, "encryption_type": None, "kms_key": None,
        "image_tag_mutability": None, "image_tag_mutability_exclusion_filters": None, "repository_policy": None,
        "lifecycle_policy": None, "repository_tags": None, "custom_role_arn": None, "state": "present",
    }
    for option in ("repository_policy", "lifecycle_policy"):  # the `json` type hands dicts over as text
        if isinstance(given.get(option), dict):
            given[option] = json.dumps(given[option])
    values.update(given)
    return values


CURRENT = from_api(api_template())


def plan_for(current, **given):
    return plan(validate(params(**given)), current, {"region": "us-east-1"})


def ecr_client():
    return boto3.client("ecr", region_name="us-east-1", aws_access_key_id="AKIA123456789012", aws_secret_access_key="x")


# Canonical forms


def test_from_api_gives_the_result_shape():
    assert from_api(api_template()) == {
        "prefix": "team",
        "description": "team repositories",
        "applied_for": ["PULL_THROUGH_CACHE", "REPLICATION"],
        "encryption_type": "KMS",
        "kms_key": KMS_KEY,
        "image_tag_mutability": "IMMUTABLE_WITH_EXCLUSION",
        "image_tag_mutability_exclusion_filters": ["latest", "dev-*"],
        "repository_policy": POLICY,
        "lifecycle_policy": LIFECYCLE,
        "repository_tags": {"owner": "platform", "cost": "42"},
        "custom_role_arn": ROLE,
    }


def test_from_api_fills_what_the_service_leaves_out():
    minimal = {"prefix": "ROOT", "appliedFor": ["REPLICATION"], "description": ""}
    assert from_api(minimal) == dict(defaults("ROOT"), applied_for=["REPLICATION"])


def test_to_api_round_trips_and_sends_policies_as_text():
    request = to_api(CURRENT)
    assert json.loads(request["repositoryPolicy"]) == POLICY
    assert request["resourceTags"] == [{"Key": "cost", "Value": "42"}, {"Key": "owner", "Value": "platform"}]
    response = dict(request, repositoryPolicy=pretty(POLICY), lifecyclePolicy=pretty(LIFECYCLE))
    assert from_api(response) == CURRENT


def test_to_api_on_create_leaves_unset_fields_out():
    assert to_api(dict(defaults("team"), applied_for=["REPLICATION"])) == {
        "prefix": "team",
        "appliedFor": ["REPLICATION"],
        "encryptionConfiguration": {"encryptionType": "AES256"},
        "imageTagMutability": "MUTABLE",
        "resourceTags": [],
    }


def test_to_api_on_update_clears_what_the_current_template_has():
    cleared = dict(CURRENT, description=None, custom_role_arn=None, repository_policy=None, lifecycle_policy=None,
                   image_tag_mutability="MUTABLE", image_tag_mutability_exclusion_filters=[])
    request = to_api(cleared, CURRENT)
    assert request["description"] == request["customRoleArn"] == request["repositoryPolicy"] == request["lifecyclePolicy"] == ""
    assert "imageTagMutabilityExclusionFilters" not in request  # the API takes 1 to 5, never []


# Comparison


def test_re_serialised_and_reordered_policy_is_the_same():
    reordered = dict(POLICY, Statement=[POLICY["Statement"][1], dict(POLICY["Statement"][0], Action=["ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"])])
    assert changed_fields(CURRENT, dict(CURRENT, repository_policy=reordered)) == []
    assert changed_fields(CURRENT, dict(CURRENT, repository_policy=dict(POLICY, Statement=POLICY["Statement"][:1]))) == ["repository_policy"]


def test_a_policy_against_none_differs():
    assert changed_fields(CURRENT, dict(CURRENT, repository_policy=None)) == ["repository_policy"]
    assert changed_fields(dict(CURRENT, repository_policy=None), CURRENT) == ["repository_policy"]


def test_lifecycle_rule_order_and_tag_prefix_order_are_not_a_change():
    reordered = {"rules": [dict(RULE_RELEASES, selection=dict(RULE_RELEASES["selection"], tagPrefixList=["release", "v"])), RULE_UNTAGGED]}
    assert canonical_lifecycle(reordered) == canonical_lifecycle(LIFECYCLE)
    assert changed_fields(CURRENT, dict(CURRENT, lifecycle_policy=reordered)) == []


def test_lifecycle_rule_content_and_priority_are_a_change():
    more = {"rules": [RULE_UNTAGGED, dict(RULE_RELEASES, selection=dict(RULE_RELEASES["selection"], countNumber=51))]}
    swapped = {"rules": [dict(RULE_UNTAGGED, rulePriority=2), dict(RULE_RELEASES, rulePriority=1)]}
    assert changed_fields(CURRENT, dict(CURRENT, lifecycle_policy=more)) == ["lifecycle_policy"]
    assert changed_fields(CURRENT, dict(CURRENT, lifecycle_policy=swapped)) == ["lifecycle_policy"]


def test_applied_for_and_filters_compare_as_sets_tags_as_a_dict():
    same = dict(CURRENT, applied_for=["REPLICATION", "PULL_THROUGH_CACHE"], image_tag_mutability_exclusion_filters=["dev-*", "latest"],
                repository_tags={"cost": "42", "owner": "platform"})
    assert changed_fields(CURRENT, same) == []
    other = dict(CURRENT, applied_for=["REPLICATION"], repository_tags={"owner": "platform"})
    assert changed_fields(CURRENT, other) == ["applied_for", "repository_tags"]


# Merge of omitted fields


def test_merge_keeps_every_omitted_option():
    given = validate(params(description="new words"))["given"]
    assert merge(CURRENT, given) == dict(CURRENT, description="new words")


def test_explicit_empty_values_clear():
    given = validate(params(description="", repository_tags={}, repository_policy="", lifecycle_policy={}, custom_role_arn=""))["given"]
    merged = merge(CURRENT, given)
    assert (merged["description"], merged["repository_tags"], merged["repository_policy"], merged["lifecycle_policy"], merged["custom_role_arn"]) == (
        None, {}, None, None, None)
    assert merged["kms_key"] == KMS_KEY


def test_aes256_drops_the_key_kms_dsse_keeps_it():
    assert merge(CURRENT, {"encryption_type": "AES256"})["kms_key"] is None
    assert merge(CURRENT, {"encryption_type": "KMS_DSSE"})["kms_key"] == KMS_KEY
    assert merge(CURRENT, {"encryption_type": "KMS", "kms_key": None})["kms_key"] is None  # kms_key: "" -> AWS managed key


def test_a_mutability_without_exclusion_drops_the_filters():
    assert merge(CURRENT, {"image_tag_mutability": "IMMUTABLE"})["image_tag_mutability_exclusion_filters"] == []
    kept = merge(CURRENT, {"description": "x"})
    assert kept["image_tag_mutability_exclusion_filters"] == ["latest", "dev-*"]


# Plan


def test_absent_when_there_is_nothing_is_a_no_op():
    result = plan_for(None, state="absent")
    assert (result.changed, result.before, result.after) == (False, None, None)


def test_absent_deletes():
    result = plan_for(CURRENT, state="absent", description="ignored")
    assert result.after is None and result.before == CURRENT
    assert [action.description for action in result.actions] == ["delete the repository creation template for prefix 'team'"]


def test_create_needs_applied_for_before_any_write():
    with pytest.raises(ParameterError, match=r"^applied_for: required to create the repository creation template for prefix 'team', which does not exist yet"):
        plan_for(None, description="x")


def test_create_predicts_the_service_defaults():
    result = plan_for(None, applied_for=["PULL_THROUGH_CACHE", "REPLICATION", "PULL_THROUGH_CACHE"], lifecycle_policy=LIFECYCLE)
    assert result.after == dict(defaults("team"), applied_for=["PULL_THROUGH_CACHE", "REPLICATION"], lifecycle_policy=LIFECYCLE)
    assert [action.description for action in result.actions] == ["create the repository creation template for prefix 'team'"]


def test_same_meaning_is_a_no_op_and_reports_the_service_form():
    reordered = {"rules": [RULE_RELEASES, RULE_UNTAGGED]}
    result = plan_for(CURRENT, lifecycle_policy=reordered, applied_for=["REPLICATION", "PULL_THROUGH_CACHE"], repository_policy=POLICY,
                      image_tag_mutability="IMMUTABLE_WITH_EXCLUSION", image_tag_mutability_exclusion_filters=["dev-*", "latest"])
    assert result.changed is False
    assert result.after == CURRENT


def test_update_names_the_changed_fields_and_keeps_the_others():
    reordered = {"rules": [RULE_RELEASES, RULE_UNTAGGED]}
    result = plan_for(CURRENT, description="new words", repository_tags={"owner": "platform"}, lifecycle_policy=reordered)
    assert [action.description for action in result.actions] == [
        "update the repository creation template for prefix 'team' (description, repository_tags)"
    ]
    assert result.after == dict(CURRENT, description="new words", repository_tags={"owner": "platform"})
    assert result.after["lifecycle_policy"] is CURRENT["lifecycle_policy"]  # equal in meaning: the service's form


def test_update_sends_the_full_desired_state():
    """The service resets what an update leaves out: the request must carry every kept setting."""
    result = plan_for(CURRENT, description="new words")
    client = ecr_client()
    expected = to_api(dict(CURRENT, description="new words"))
    response = dict(api_template(description="new words"), createdAt=1, updatedAt=2)
    with Stubber(client) as stub:
        stub.add_response("update_repository_creation_template", {"registryId": "123456789012", "repositoryCreationTemplate": response}, expected)
        after = result.actions[0].apply(client)
        stub.assert_no_pending_responses()
    assert expected["imageTagMutabilityExclusionFilters"] and expected["customRoleArn"] == ROLE and expected["encryptionConfiguration"]["kmsKey"]
    assert after == result.after


@pytest.mark.parametrize("template, warned", [
    ({"repository_tags": {"a": "b"}}, "repository_tags (to tag)"),
    ({"encryption_type": "KMS_DSSE"}, "encryption_type=KMS_DSSE (to encrypt with KMS)"),
])
def test_tags_or_kms_without_a_role_warn(template, warned):
    current = dict(CURRENT, custom_role_arn=None, repository_tags={}, encryption_type="AES256", kms_key=None)
    result = plan(validate(params(**template)), current, {})
    assert len(result.warnings) == 1
    assert warned in result.warnings[0] and "without custom_role_arn" in result.warnings[0]
    assert plan_for(CURRENT, **template).warnings == []  # CURRENT has a role


def test_no_warning_without_tags_or_kms():
    current = dict(CURRENT, custom_role_arn=None, repository_tags={}, encryption_type="AES256", kms_key=None)
    assert plan(validate(params(description="x")), current, {}).warnings == []


# Read


def test_read_follows_next_token():
    """A describe may answer an empty first page with a nextToken: the template is on a later page."""
    client = ecr_client()
    with Stubber(client) as stub:
        stub.add_response("describe_repository_creation_templates", {"registryId": "123456789012", "repositoryCreationTemplates": [], "nextToken": "t1"},
                          {"prefixes": ["team"]})
        stub.add_response("describe_repository_creation_templates", {"registryId": "123456789012", "repositoryCreationTemplates": [api_template()]},
                          {"prefixes": ["team"], "nextToken": "t1"})
        assert read(client, {"prefix": "team"}) == CURRENT


def test_read_of_an_unknown_prefix_is_none():
    client = ecr_client()
    with Stubber(client) as stub:
        stub.add_response("describe_repository_creation_templates", {"registryId": "123456789012", "repositoryCreationTemplates": []})
        assert read(client, {"prefix": "team"}) is None
        stub.add_client_error("describe_repository_creation_templates", "TemplateNotFoundException")
        assert read(client, {"prefix": "team"}) is None


# botocore versions


def test_botocore_needs_follow_the_options():
    assert botocore_requirements(params(applied_for=["REPLICATION"])) == [(TEMPLATES_BOTOCORE, "to manage repository creation templates")]
    versions = [need[0] for need in botocore_requirements(params(applied_for=["CREATE_ON_PUSH"], image_tag_mutability="MUTABLE_WITH_EXCLUSION"))]
    assert set(versions) == {TEMPLATES_BOTOCORE, CREATE_ON_PUSH_BOTOCORE, EXCLUSION_FILTERS_BOTOCORE}
    assert EXCLUSION_FILTERS_BOTOCORE in [need[0] for need in botocore_requirements(params(image_tag_mutability_exclusion_filters=[]))]


# Validation messages: each names the option, the value and the rule.

BAD_INPUTS = [
    ({"prefix": "Team"}, "prefix: 'Team' is not a template prefix: ROOT, or a repository name prefix of 1-256 characters"),
    ({"prefix": "a" * 257}, "prefix: 'aaaa"),
    ({"prefix": "team//app"}, "prefix: 'team//app' is not a template prefix"),
    ({"description": "d" * 257}, "description: 257 characters long; a template description is at most 256."),
    ({"applied_for": []}, "applied_for: [] is empty; a template applies to at least one of"),
    ({"kms_key": "alias/ecr", "encryption_type": "KMS"}, "kms_key: 'alias/ecr' is not a KMS key ARN"),
    ({"kms_key": "1234abcd-12ab-34cd-56ef-1234567890ab", "encryption_type": "KMS"}, "kms_key: '1234abcd-12ab-34cd-56ef-1234567890ab' is not a KMS key ARN"),
    ({"kms_key": KMS_KEY, "encryption_type": "AES256"}, "kms_key: cannot be used with encryption_type=AES256"),
    ({"kms_key": KMS_KEY}, "kms_key: needs encryption_type (KMS or KMS_DSSE) in the same task."),
    ({"image_tag_mutability": "IMMUTABLE_WITH_EXCLUSION"},
     "image_tag_mutability_exclusion_filters: required (1-5 filters) with image_tag_mutability=IMMUTABLE_WITH_EXCLUSION."),
    ({"image_tag_mutability": "MUTABLE_WITH_EXCLUSION", "image_tag_mutability_exclusion_filters": []},
     "image_tag_mutability_exclusion_filters: required (1-5 filters) with image_tag_mutability=MUTABLE_WITH_EXCLUSION."),
    ({"image_tag_mutability": "IMMUTABLE", "image_tag_mutability_exclusion_filters": ["latest"]},
     "image_tag_mutability_exclusion_filters: ['latest'] cannot be used with image_tag_mutability=IMMUTABLE"),
    ({"image_tag_mutability_exclusion_filters": ["latest"]}, "image_tag_mutability_exclusion_filters: needs image_tag_mutability in the same task"),
    ({"image_tag_mutability": "IMMUTABLE_WITH_EXCLUSION", "image_tag_mutability_exclusion_filters": ["a", "b", "c", "d", "e", "f"]},
     "image_tag_mutability_exclusion_filters: 6 filters given; a template holds at most 5."),
    ({"image_tag_mutability": "IMMUTABLE_WITH_EXCLUSION", "image_tag_mutability_exclusion_filters": ["ok", "v1/x"]},
     "image_tag_mutability_exclusion_filters[1]: 'v1/x' is not a tag filter"),
    ({"image_tag_mutability": "IMMUTABLE_WITH_EXCLUSION", "image_tag_mutability_exclusion_filters": ["x" * 129]},
     "image_tag_mutability_exclusion_filters[0]: 'xxx"),
    ({"repository_policy": "{not json"}, "repository_policy: not valid JSON"),
    ({"repository_policy": "[1, 2]"}, "repository_policy: must be a JSON object, got list."),
    ({"repository_policy": {"Version": "2012-10-17"}}, "repository_policy: a policy document needs a 'Statement' element."),
    ({"repository_policy": dict(POLICY, Statement=[dict(POLICY["Statement"][0], Sid="s" * 10240)])},
     "repository_policy: the policy is 10"),
    ({"lifecycle_policy": "{\"rules\": [}"}, "lifecycle_policy: not valid JSON"),
    ({"lifecycle_policy": {"rules": []}}, "lifecycle_policy.rules: []; a lifecycle policy needs a non-empty list of rules."),
    ({"lifecycle_policy": {"rules": [{"selection": {}}]}}, "lifecycle_policy.rules[0].rulePriority: required; it must be a positive integer."),
    ({"lifecycle_policy": {"rules": [RULE_UNTAGGED, dict(RULE_RELEASES, rulePriority=1)]}},
     "lifecycle_policy.rules[1].rulePriority: 1 is used by more than one rule; it must be unique."),
    ({"lifecycle_policy": {"rules": [dict(RULE_UNTAGGED, description="d" * 30720)]}}, "lifecycle_policy: the policy is 30"),
    ({"repository_tags": {"owner": None}}, "repository_tags.owner: None is not a tag value; give a string."),
    ({"repository_tags": {"k" * 129: "v"}}, "repository_tags: the tag key 'kkk"),
    ({"custom_role_arn": "arn:aws:iam::123456789012:user/someone"}, "custom_role_arn: 'arn:aws:iam::123456789012:user/someone' is not an IAM role ARN"),
]


@pytest.mark.parametrize("given, message", BAD_INPUTS)
def test_bad_input_is_rejected_naming_the_option(given, message):
    with pytest.raises(ParameterError) as excinfo:
        validate(params(**given))
    assert str(excinfo.value).startswith(message)


def test_sizes_at_the_limit_are_accepted():
    statement = {"Sid": "", "Effect": "Allow", "Principal": "*", "Action": "ecr:BatchGetImage"}
    filler = "s" * (10240 - len(json.dumps({"Statement": [statement]}, separators=(",", ":"))))
    policy = {"Statement": [dict(statement, Sid=filler)]}
    assert validate(params(repository_policy=policy))["given"]["repository_policy"]["Statement"][0]["Sid"] == filler
    assert validate(params(description="d" * 256))["given"]["description"] == "d" * 256
    assert validate(params(prefix="a" * 256))["prefix"] == "a" * 256


@pytest.mark.parametrize("prefix", ["ROOT", "root", "docker-hub", "team/app", "a.b__c--d/e", "ecr-public/", "x"])
def test_good_prefixes(prefix):
    assert validate(params(prefix=prefix))["prefix"] == prefix


def test_valid_values_come_out_in_the_result_shape():
    given = validate(params(applied_for=["REPLICATION", "CREATE_ON_PUSH"], kms_key=KMS_KEY, encryption_type="KMS_DSSE", repository_tags={"n": 5},
                            image_tag_mutability="IMMUTABLE_WITH_EXCLUSION", image_tag_mutability_exclusion_filters=["v*", "latest", "v*"],
                            custom_role_arn=ROLE, repository_policy=json.dumps(POLICY)))["given"]
    assert given == {
        "applied_for": ["CREATE_ON_PUSH", "REPLICATION"], "kms_key": KMS_KEY, "encryption_type": "KMS_DSSE", "repository_tags": {"n": "5"},
        "image_tag_mutability": "IMMUTABLE_WITH_EXCLUSION", "image_tag_mutability_exclusion_filters": ["v*", "latest"],
        "custom_role_arn": ROLE, "repository_policy": POLICY,
    }
