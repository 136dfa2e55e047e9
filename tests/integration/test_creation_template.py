"""ecr_creation_template through real ansible-playbook runs against the local ECR endpoint."""

import json

import boto3

from ansible_run import ACCESS_KEY, ACCOUNT, FAST_SLEEP, REGION, operations, run_failing, run_playbook, writes

KMS_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/ecr-repository-creation"
POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "PullFromOrg", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
         "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]},
        {"Sid": "PushFromCi", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/ci"}, "Action": ["ecr:PutImage"]},
    ],
}
UNTAGGED = {"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14},
            "action": {"type": "expire"}}
OLD_RELEASES = {"rulePriority": 2, "selection": {"tagStatus": "tagged", "tagPrefixList": ["v"], "countType": "imageCountMoreThan", "countNumber": 50},
                "action": {"type": "expire"}}
LIFECYCLE = {"rules": [UNTAGGED, OLD_RELEASES]}

# Every option set: the task arguments, and the result the module must return for them.
FULL = {
    "prefix": "team/app",
    "description": "Team app repositories",
    "applied_for": ["REPLICATION", "PULL_THROUGH_CACHE", "CREATE_ON_PUSH"],
    "encryption_type": "KMS",
    "kms_key": KMS_KEY,
    "image_tag_mutability": "IMMUTABLE_WITH_EXCLUSION",
    "image_tag_mutability_exclusion_filters": ["latest", "dev-*"],
    "repository_policy": POLICY,
    "lifecycle_policy": LIFECYCLE,
    "repository_tags": {"owner": "platform", "cost-centre": "42"},
    "custom_role_arn": ROLE,
}
FULL_RESULT = dict(FULL, applied_for=["CREATE_ON_PUSH", "PULL_THROUGH_CACHE", "REPLICATION"])


def task(**args):
    return {"name": "template", "ecrkit.registry.ecr_creation_template": args}


def ecr(endpoint):
    """A boto3 client of our own, to set up state and read it back as the service holds it."""
    return boto3.client("ecr", endpoint_url=endpoint.url, region_name=REGION, aws_access_key_id=ACCESS_KEY, aws_secret_access_key="x")


def stored(endpoint, prefix):
    """The template as the endpoint holds it, policies parsed, timestamps dropped; None when absent."""
    templates = ecr(endpoint).describe_repository_creation_templates(prefixes=[prefix])["repositoryCreationTemplates"]
    if not templates:
        return None
    template = {key: value for key, value in templates[0].items() if key not in ("createdAt", "updatedAt")}
    for name in ("repositoryPolicy", "lifecyclePolicy"):
        if name in template:
            template[name] = json.loads(template[name])
    return template


STORED_FULL = {
    "prefix": "team/app",
    "description": "Team app repositories",
    "encryptionConfiguration": {"encryptionType": "KMS", "kmsKey": KMS_KEY},
    "resourceTags": [{"Key": "cost-centre", "Value": "42"}, {"Key": "owner", "Value": "platform"}],
    "imageTagMutability": "IMMUTABLE_WITH_EXCLUSION",
    "imageTagMutabilityExclusionFilters": [{"filterType": "WILDCARD", "filter": "latest"}, {"filterType": "WILDCARD", "filter": "dev-*"}],
    "repositoryPolicy": POLICY,
    "lifecyclePolicy": LIFECYCLE,
    "appliedFor": ["CREATE_ON_PUSH", "PULL_THROUGH_CACHE", "REPLICATION"],
    "customRoleArn": ROLE,
}


def create_others(endpoint, prefixes):
    for prefix in prefixes:
        ecr(endpoint).create_repository_creation_template(prefix=prefix, appliedFor=["REPLICATION"])


def test_lifecycle_create_rerun_check_update_delete(endpoint):
    # More templates than the endpoint's page size (2), on both sides of ours in prefix order.
    create_others(endpoint, ["alpha", "beta", "zeta", "zulu"])
    endpoint.clear_calls()

    predicted = run_playbook(endpoint.url, [task(**FULL)], check=True, diff=True)[0]
    assert predicted["changed"] is True
    assert predicted["repository_creation_template"] == FULL_RESULT
    assert writes(endpoint.calls()) == []
    assert stored(endpoint, "team/app") is None

    created = run_playbook(endpoint.url, [task(**FULL)], diff=True)[0]
    assert created["changed"] is True
    assert created["actions"] == ["create the repository creation template for prefix 'team/app'"]
    assert created["repository_creation_template"] == FULL_RESULT == predicted["repository_creation_template"]
    assert created["diff"] == {"before": {"repository_creation_template": None}, "after": {"repository_creation_template": FULL_RESULT}}
    assert stored(endpoint, "team/app") == STORED_FULL

    # The service returns the policies re-formatted; a re-run is still a no-op, with one read call.
    raw = ecr(endpoint).describe_repository_creation_templates(prefixes=["team/app"])["repositoryCreationTemplates"][0]
    assert raw["repositoryPolicy"] != json.dumps(POLICY) and raw["lifecyclePolicy"] != json.dumps(LIFECYCLE)
    endpoint.clear_calls()
    rerun = run_playbook(endpoint.url, [task(**FULL)])[0]
    assert rerun["changed"] is False
    assert rerun["actions"] == []
    assert rerun["repository_creation_template"] == FULL_RESULT
    assert operations(endpoint.calls()) == ["DescribeRepositoryCreationTemplates"]

    # Check mode: one field changes, nothing is written, the prediction is the whole template.
    endpoint.clear_calls()
    change = {"prefix": "team/app", "description": "Owned by the app team"}
    checked = run_playbook(endpoint.url, [task(**change)], check=True, diff=True)[0]
    assert checked["changed"] is True
    assert checked["repository_creation_template"] == dict(FULL_RESULT, description="Owned by the app team")
    assert writes(endpoint.calls()) == []
    assert stored(endpoint, "team/app") == STORED_FULL
    before, after = checked["diff"]["before"]["repository_creation_template"], checked["diff"]["after"]["repository_creation_template"]
    assert [key for key in after if before[key] != after[key]] == ["description"]

    # The real update changes that one field; the service resets what an update omits, so every
    # other setting surviving proves the module sent the full template.
    updated = run_playbook(endpoint.url, [task(**change)], diff=True)[0]
    assert updated["changed"] is True
    assert updated["actions"] == ["update the repository creation template for prefix 'team/app' (description)"]
    assert updated["repository_creation_template"] == checked["repository_creation_template"]
    assert stored(endpoint, "team/app") == dict(STORED_FULL, description="Owned by the app team")

    deleted = run_playbook(endpoint.url, [task(prefix="team/app", state="absent"), task(prefix="team/app", state="absent")], diff=True)
    assert deleted[0]["changed"] is True
    assert deleted[0]["repository_creation_template"] is None
    assert deleted[0]["diff"]["after"] == {"repository_creation_template": None}
    assert deleted[1]["changed"] is False
    assert deleted[1]["actions"] == []
    assert stored(endpoint, "team/app") is None
    assert sorted(t["prefix"] for t in ecr(endpoint).describe_repository_creation_templates()["repositoryCreationTemplates"]) == ["alpha", "beta"]


def test_reserialised_policies_and_reordered_lists_are_not_a_change(endpoint):
    ecr(endpoint).create_repository_creation_template(
        prefix="ROOT",
        appliedFor=["REPLICATION", "PULL_THROUGH_CACHE"],
        imageTagMutability="MUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "latest"}, {"filterType": "WILDCARD", "filter": "dev-*"}],
        repositoryPolicy=json.dumps(POLICY),
        lifecyclePolicy=json.dumps(LIFECYCLE),
    )
    reordered_policy = dict(POLICY, Statement=[POLICY["Statement"][1], dict(POLICY["Statement"][0], Action=list(reversed(POLICY["Statement"][0]["Action"])))])
    same = task(
        prefix="ROOT",
        applied_for=["PULL_THROUGH_CACHE", "REPLICATION"],
        image_tag_mutability="MUTABLE_WITH_EXCLUSION",
        image_tag_mutability_exclusion_filters=["dev-*", "latest"],
        repository_policy=json.dumps(reordered_policy),  # a JSON string works as a dict does
        lifecycle_policy={"rules": [OLD_RELEASES, UNTAGGED]},
    )
    endpoint.clear_calls()
    result = run_playbook(endpoint.url, [same])[0]
    assert result["changed"] is False
    assert writes(endpoint.calls()) == []


def test_empty_values_clear_and_linked_settings_follow(endpoint):
    run = run_playbook(endpoint.url, [
        task(**FULL),
        task(prefix="team/app", description="", repository_tags={}, repository_policy="", lifecycle_policy={}, custom_role_arn=""),
        task(prefix="team/app", encryption_type="AES256", image_tag_mutability="IMMUTABLE"),
        task(prefix="team/app", repository_tags={"owner": "platform"}),
    ])
    assert [result["changed"] for result in run.tasks] == [True, True, True, True]
    assert run[1]["actions"] == [
        "update the repository creation template for prefix 'team/app' (description, repository_policy, lifecycle_policy, repository_tags, custom_role_arn)"
    ]
    # KMS without a custom role: warned, not failed.
    assert any("encryption_type=KMS" in warning and "without custom_role_arn" in warning for warning in run[1]["warnings"])
    assert run[2]["actions"] == [
        "update the repository creation template for prefix 'team/app' (encryption_type, kms_key, image_tag_mutability, image_tag_mutability_exclusion_filters)"
    ]
    assert any("repository_tags (to tag)" in warning for warning in run[3]["warnings"])
    assert stored(endpoint, "team/app") == {
        "prefix": "team/app",
        "encryptionConfiguration": {"encryptionType": "AES256"},
        "resourceTags": [{"Key": "owner", "Value": "platform"}],
        "imageTagMutability": "IMMUTABLE",
        "appliedFor": ["CREATE_ON_PUSH", "PULL_THROUGH_CACHE", "REPLICATION"],
    }
    assert run[3]["repository_creation_template"]["description"] is None


def test_throttled_calls_are_retried(endpoint):
    endpoint.inject_fault("throttle", 2)
    result = run_playbook(endpoint.url, [task(prefix="docker-hub", applied_for=["PULL_THROUGH_CACHE"])])[0]
    assert result["changed"] is True
    statuses = [(call["operation"], call["error_code"]) for call in endpoint.calls()]
    assert statuses[:2] == [("DescribeRepositoryCreationTemplates", "ThrottlingException")] * 2
    assert statuses[2:] == [("DescribeRepositoryCreationTemplates", None), ("CreateRepositoryCreationTemplate", None)]
    assert stored(endpoint, "docker-hub")["appliedFor"] == ["PULL_THROUGH_CACHE"]


def test_failing_write_fails_the_task_and_keeps_the_template(endpoint):
    create_others(endpoint, ["team"])
    endpoint.inject_fault("server_error", 100, operations=["UpdateRepositoryCreationTemplate"])
    endpoint.clear_calls()
    result = run_playbook(endpoint.url, [task(prefix="team", description="new")], expect_ok=False, env=FAST_SLEEP)
    assert result[0]["failed"] is True
    assert "ServerException" in result[0]["msg"]
    assert operations(writes(endpoint.calls())) == ["UpdateRepositoryCreationTemplate"] * len(writes(endpoint.calls()))
    endpoint.clear_faults()
    assert "description" not in stored(endpoint, "team")


BAD_INPUTS = [
    ({"prefix": "Team/App", "applied_for": ["REPLICATION"]}, "prefix: 'Team/App' is not a template prefix"),
    ({"prefix": "x" * 257}, "prefix: 'xxxx"),
    ({"prefix": "team", "kms_key": "alias/ecr", "encryption_type": "KMS"}, "kms_key: 'alias/ecr' is not a KMS key ARN"),
    ({"prefix": "team", "kms_key": KMS_KEY, "encryption_type": "AES256"}, "kms_key: cannot be used with encryption_type=AES256"),
    ({"prefix": "team", "kms_key": KMS_KEY}, "kms_key: needs encryption_type (KMS or KMS_DSSE)"),
    ({"prefix": "team", "image_tag_mutability": "IMMUTABLE_WITH_EXCLUSION"},
     "image_tag_mutability_exclusion_filters: required (1-5 filters) with image_tag_mutability=IMMUTABLE_WITH_EXCLUSION"),
    ({"prefix": "team", "image_tag_mutability": "MUTABLE", "image_tag_mutability_exclusion_filters": ["latest"]},
     "image_tag_mutability_exclusion_filters: ['latest'] cannot be used with image_tag_mutability=MUTABLE"),
    ({"prefix": "team", "image_tag_mutability": "MUTABLE_WITH_EXCLUSION", "image_tag_mutability_exclusion_filters": ["a", "b", "c", "d", "e", "f"]},
     "image_tag_mutability_exclusion_filters: 6 filters given; a template holds at most 5"),
    ({"prefix": "team", "image_tag_mutability": "MUTABLE_WITH_EXCLUSION", "image_tag_mutability_exclusion_filters": ["v1/x"]},
     "image_tag_mutability_exclusion_filters[0]: 'v1/x' is not a tag filter"),
    ({"prefix": "team", "description": "d" * 257}, "description: 257 characters long; a template description is at most 256"),
    ({"prefix": "team", "repository_policy": "{not json"}, "repository_policy: not valid JSON"),
    ({"prefix": "team", "repository_policy": {"Version": "2012-10-17", "Statement": [{"Sid": "s" * 10300, "Effect": "Allow", "Principal": "*",
                                                                                      "Action": "ecr:BatchGetImage"}]}},
     "repository_policy: the policy is 10"),
    ({"prefix": "team", "lifecycle_policy": "[]"}, "lifecycle_policy: must be a JSON object, got list"),
    ({"prefix": "team", "lifecycle_policy": {"rules": [dict(UNTAGGED, description="d" * 30800)]}}, "lifecycle_policy: the policy is 30"),
    ({"prefix": "team", "applied_for": []}, "applied_for: [] is empty"),
    ({"prefix": "team", "applied_for": ["EVERYTHING"]}, "applied_for"),  # the argument spec's choices
    ({"prefix": "team", "custom_role_arn": "ecr-role"}, "custom_role_arn: 'ecr-role' is not an IAM role ARN"),
]


def test_bad_input_fails_before_any_call(endpoint):
    cases = [(task(**args), message) for args, message in BAD_INPUTS]
    # Known only after the read: the template does not exist, so applied_for is needed. Still no write.
    cases.append((task(prefix="new-team", description="x"), "applied_for: required to create the repository creation template for prefix 'new-team'"))
    run_failing(endpoint.url, cases)
    # The one call of the whole play is the last task's read.
    assert operations(endpoint.calls()) == ["DescribeRepositoryCreationTemplates"]
