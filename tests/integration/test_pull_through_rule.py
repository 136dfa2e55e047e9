"""ecr_pull_through_rule through real ansible-playbook runs against the local ECR endpoint."""

import boto3

from ansible_run import ACCESS_KEY, ACCOUNT, FAST_SLEEP, OTHER_ACCOUNT, REGION, operations, run_failing, run_playbook, writes

SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:ecr-pullthroughcache/docker-hub-AbCdEf"
SECRET_2 = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:ecr-pullthroughcache/docker-hub-2-GhIjKl"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/ptc"
ROLE_2 = f"arn:aws:iam::{ACCOUNT}:role/ptc-2"
OTHER_ECR = f"{OTHER_ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com"
DOCKER_HUB = {"ecr_repository_prefix": "docker-hub", "upstream_registry_url": "https://registry-1.docker.io/", "credential_arn": SECRET}
DESCRIBE = "DescribePullThroughCacheRules"


def task(name="pull through rule", **args):
    return {"name": name, "ecrkit.registry.ecr_pull_through_rule": args}


def ecr(endpoint):
    """A boto3 client of our own, to set up state and read it back as the service holds it."""
    return boto3.client("ecr", endpoint_url=endpoint.url, region_name=REGION, aws_access_key_id=ACCESS_KEY, aws_secret_access_key="x")


def stored(endpoint, prefix):
    """The rule as the service holds it (API names, without timestamps), or None."""
    client = ecr(endpoint)
    try:
        rule = client.describe_pull_through_cache_rules(ecrRepositoryPrefixes=[prefix])["pullThroughCacheRules"][0]
    except client.exceptions.PullThroughCacheRuleNotFoundException:
        return None
    return {key: value for key, value in rule.items() if key not in ("createdAt", "updatedAt")}


def docker_hub_result(credential=SECRET):
    return {
        "ecr_repository_prefix": "docker-hub",
        "upstream_registry_url": "registry-1.docker.io",
        "upstream_registry": "docker-hub",
        "upstream_repository_prefix": None,
        "credential_arn": credential,
        "custom_role_arn": None,
        "registry_id": ACCOUNT,
    }


def test_lifecycle_create_rerun_check_update_delete(endpoint):
    created = run_playbook(endpoint.url, [task(**DOCKER_HUB)], diff=True)[0]
    assert created["changed"] is True
    assert created["pull_through_cache_rule"] == docker_hub_result()
    assert created["actions"] == ["create the pull through cache rule 'docker-hub'"]
    assert created["recreated"] is False and created["validation"] is None
    assert created["diff"] == {"before": {"pull_through_cache_rule": None}, "after": {"pull_through_cache_rule": docker_hub_result()}}
    assert stored(endpoint, "docker-hub")["upstreamRegistryUrl"] == "registry-1.docker.io"  # normalised before the call

    # Other rules around it: a whole listing would take three pages (page size 2); one prefix takes one call.
    for prefix, url in (("ecr-public", "public.ecr.aws"), ("k8s", "registry.k8s.io"), ("quay", "quay.io")):
        ecr(endpoint).create_pull_through_cache_rule(ecrRepositoryPrefix=prefix, upstreamRegistryUrl=url)
    endpoint.clear_calls()
    rerun = run_playbook(endpoint.url, [task(**DOCKER_HUB)])[0]
    assert rerun["changed"] is False
    assert rerun["actions"] == []
    assert rerun["pull_through_cache_rule"] == docker_hub_result()
    assert operations(endpoint.calls()) == [DESCRIBE]

    endpoint.clear_calls()
    checked = run_playbook(endpoint.url, [task(ecr_repository_prefix="docker-hub", credential_arn=SECRET_2)], check=True, diff=True)[0]
    assert checked["changed"] is True
    assert checked["pull_through_cache_rule"] == docker_hub_result(SECRET_2)
    assert checked["actions"] == ["update credential_arn of the pull through cache rule 'docker-hub'"]
    assert checked["diff"]["before"]["pull_through_cache_rule"]["credential_arn"] == SECRET
    assert checked["diff"]["after"]["pull_through_cache_rule"]["credential_arn"] == SECRET_2
    assert writes(endpoint.calls()) == []
    assert stored(endpoint, "docker-hub")["credentialArn"] == SECRET

    # In place: UpdatePullThroughCacheRule's answer lacks the URL and the upstream; the result has them.
    endpoint.clear_calls()
    run = run_playbook(
        endpoint.url,
        [task(ecr_repository_prefix="docker-hub", credential_arn=SECRET_2),
         task(ecr_repository_prefix="docker-hub", state="absent"),
         task(ecr_repository_prefix="docker-hub", state="absent")],
        diff=True,
    )
    updated, deleted, deleted_again = run.tasks
    assert updated["changed"] is True
    assert updated["pull_through_cache_rule"] == docker_hub_result(SECRET_2)
    assert deleted["changed"] is True and deleted["pull_through_cache_rule"] is None
    assert deleted["diff"]["after"] == {"pull_through_cache_rule": None}
    assert deleted["actions"] == ["delete the pull through cache rule 'docker-hub'"]
    assert deleted_again["changed"] is False and deleted_again["pull_through_cache_rule"] is None
    assert operations(endpoint.calls()) == [DESCRIBE, "UpdatePullThroughCacheRule", DESCRIBE, "DeletePullThroughCacheRule", DESCRIBE]
    assert stored(endpoint, "docker-hub") is None
    assert stored(endpoint, "quay") is not None  # the others are untouched


def test_ecr_upstream_role_changes_in_place(endpoint):
    shared = {"ecr_repository_prefix": "shared", "upstream_registry_url": OTHER_ECR, "upstream_repository_prefix": "team"}
    run = run_playbook(
        endpoint.url,
        [task(custom_role_arn=ROLE, **shared), task(custom_role_arn=ROLE_2, **shared), task(ecr_repository_prefix="shared")],
        diff=True,
    )
    created, updated, kept = run.tasks
    assert created["pull_through_cache_rule"] == {
        "ecr_repository_prefix": "shared",
        "upstream_registry_url": OTHER_ECR,
        "upstream_registry": "ecr",
        "upstream_repository_prefix": "team",
        "credential_arn": None,
        "custom_role_arn": ROLE,
        "registry_id": ACCOUNT,
    }
    assert updated["changed"] is True and updated["recreated"] is False
    assert updated["actions"] == ["update custom_role_arn of the pull through cache rule 'shared'"]
    assert updated["diff"]["after"]["pull_through_cache_rule"]["custom_role_arn"] == ROLE_2
    assert kept["changed"] is False and kept["pull_through_cache_rule"]["custom_role_arn"] == ROLE_2
    # A new rule with an ECR upstream asks the account once (is the upstream another account?).
    assert operations(endpoint.calls()) == [
        DESCRIBE, "DescribeRegistry", "CreatePullThroughCacheRule",
        DESCRIBE, "UpdatePullThroughCacheRule",
        DESCRIBE,
    ]
    assert stored(endpoint, "shared")["customRoleArn"] == ROLE_2
    assert stored(endpoint, "shared")["upstreamRepositoryPrefix"] == "team"


def test_recreate_only_with_allow_recreate(endpoint):
    ecr(endpoint).create_pull_through_cache_rule(ecrRepositoryPrefix="mirror", upstreamRegistryUrl="public.ecr.aws")
    to_quay = {"ecr_repository_prefix": "mirror", "upstream_registry_url": "quay.io"}
    reasons = ["upstream_registry_url: 'public.ecr.aws' -> 'quay.io'", "upstream_registry: 'ecr-public' -> 'quay'"]

    endpoint.clear_calls()
    refused = run_playbook(endpoint.url, [task(**to_quay)], expect_ok=False)
    assert refused[0]["failed"] is True
    assert "pull through cache rule 'mirror' cannot change in place" in refused[0]["msg"]
    assert all(reason in refused[0]["msg"] for reason in reasons)
    assert "allow_recreate: true" in refused[0]["msg"]
    assert operations(endpoint.calls()) == [DESCRIBE]
    assert stored(endpoint, "mirror")["upstreamRegistryUrl"] == "public.ecr.aws"

    endpoint.clear_calls()
    checked = run_playbook(endpoint.url, [task(allow_recreate=True, **to_quay)], check=True)[0]
    assert checked["changed"] is True and checked["recreated"] is True and checked["recreate_reasons"] == reasons
    assert checked["pull_through_cache_rule"]["upstream_registry"] == "quay"
    assert writes(endpoint.calls()) == []

    endpoint.clear_calls()
    recreated = run_playbook(endpoint.url, [task(allow_recreate=True, **to_quay)], diff=True)[0]
    assert recreated["changed"] is True
    assert recreated["recreated"] is True and recreated["recreate_reasons"] == reasons
    assert recreated["actions"] == ["delete the pull through cache rule 'mirror' and create it again"]
    assert recreated["diff"]["before"]["pull_through_cache_rule"]["upstream_registry_url"] == "public.ecr.aws"
    assert recreated["diff"]["after"]["pull_through_cache_rule"]["upstream_registry_url"] == "quay.io"
    assert operations(writes(endpoint.calls())) == ["DeletePullThroughCacheRule", "CreatePullThroughCacheRule"]
    assert stored(endpoint, "mirror")["upstreamRegistry"] == "quay"


def test_a_failed_recreate_restores_the_previous_rule(endpoint):
    ecr(endpoint).create_pull_through_cache_rule(ecrRepositoryPrefix="mirror", upstreamRegistryUrl="public.ecr.aws")
    # One attempt per call: the 10 retries of a 5xx (AWSRetry's budget) all fail the new rule's create.
    endpoint.inject_fault("server_error", 10, operations=["CreatePullThroughCacheRule"])
    endpoint.clear_calls()
    once = {"retries": {"total_max_attempts": 1}}
    recreate = task("recreate", ecr_repository_prefix="mirror", upstream_registry_url="quay.io", allow_recreate=True, aws_config=once)
    failed = run_playbook(endpoint.url, [recreate], expect_ok=False, env=FAST_SLEEP)[0]
    assert failed["failed"] is True and failed["changed"] is True
    assert "ServerException" in failed["msg"] and "the previous rule 'mirror' was restored" in failed["msg"]
    assert failed["before"]["upstream_registry_url"] == "public.ecr.aws"
    assert failed["pull_through_cache_rule"]["upstream_registry_url"] == "public.ecr.aws"
    assert [(c["operation"], c["status"]) for c in writes(endpoint.calls())] == [
        ("DeletePullThroughCacheRule", 200), *[("CreatePullThroughCacheRule", 500)] * 10, ("CreatePullThroughCacheRule", 200),
    ]
    assert stored(endpoint, "mirror")["upstreamRegistryUrl"] == "public.ecr.aws"


def test_validate(endpoint):
    endpoint.add_secret(SECRET)  # SECRET_2 does not exist: a rule using it does not validate
    docker_hub = dict(DOCKER_HUB, validate=True)
    unreadable = {**docker_hub, "credential_arn": SECRET_2}
    run = run_playbook(
        endpoint.url,
        [
            dict(task("check-mode create", **docker_hub), check_mode=True),
            task("create and validate", **docker_hub),
            dict(task("check mode, no change: validated", **docker_hub), check_mode=True),
            dict(task("check mode, a change pending: not validated", **unreadable), check_mode=True),
            task("no validation asked", **DOCKER_HUB),
            dict(task("update to a secret ECR cannot read", **unreadable), ignore_errors=True),
        ],
        expect_ok=False,
    )
    check_create, created, check_same, check_pending, not_asked, invalid = run.tasks
    for skipped in (check_create, check_pending):
        assert skipped["changed"] is True and skipped["validation"] is None
        assert any("was not validated: in check mode" in warning for warning in skipped["warnings"])
    assert created["validation"] == {"is_valid": True, "failure": None}
    assert check_same["changed"] is False and check_same["validation"] == {"is_valid": True, "failure": None}
    assert not_asked["validation"] is None
    # The task fails, with the result attached: the update was made, and validation says why it does not work.
    assert invalid["failed"] is True and invalid["changed"] is True
    assert invalid["msg"].startswith("pull through cache rule 'docker-hub' is not valid: Unable to access the secret")
    assert invalid["validation"]["is_valid"] is False and SECRET_2 in invalid["validation"]["failure"]
    assert invalid["pull_through_cache_rule"]["credential_arn"] == SECRET_2
    assert operations(endpoint.calls()) == [
        DESCRIBE, "DescribeRegistry",  # a new rule's secret must be in the registry's account
        DESCRIBE, "DescribeRegistry", "CreatePullThroughCacheRule", "ValidatePullThroughCacheRule",
        DESCRIBE, "ValidatePullThroughCacheRule",
        DESCRIBE,
        DESCRIBE,
        DESCRIBE, "UpdatePullThroughCacheRule", "ValidatePullThroughCacheRule",
    ]


def test_throttled_calls_are_retried(endpoint):
    endpoint.inject_fault("throttle", 2)
    result = run_playbook(endpoint.url, [task(**DOCKER_HUB)])[0]
    assert result["changed"] is True
    statuses = [(call["operation"], call["error_code"]) for call in endpoint.calls()]
    assert statuses == [
        (DESCRIBE, "ThrottlingException"),
        (DESCRIBE, "ThrottlingException"),
        (DESCRIBE, "PullThroughCacheRuleNotFoundException"),
        ("DescribeRegistry", None),
        ("CreatePullThroughCacheRule", None),
    ]
    assert stored(endpoint, "docker-hub")["credentialArn"] == SECRET


BAD_INPUTS = [
    ({"ecr_repository_prefix": "a"}, "ecr_repository_prefix: 'a' is not a valid repository prefix"),
    ({"ecr_repository_prefix": "Docker_Hub"}, "ecr_repository_prefix: 'Docker_Hub' is not a valid repository prefix"),
    ({"ecr_repository_prefix": "x" * 31}, "is not a valid repository prefix (2-30 characters"),
    ({"ecr_repository_prefix": "hub", "upstream_registry_url": "docker.io", "credential_arn": SECRET},
     "upstream_registry_url: 'docker.io' is not an upstream registry that pull through cache supports"),
    ({"ecr_repository_prefix": "hub", "upstream_registry_url": "registry-1.docker.io", "upstream_registry": "quay", "credential_arn": SECRET},
     "upstream_registry: 'quay' does not match upstream_registry_url 'registry-1.docker.io', a 'docker-hub' registry"),
    ({"ecr_repository_prefix": "hub", "upstream_registry_url": "quay.io", "upstream_registry": "harbor"},
     "value of upstream_registry must be one of"),
    ({"ecr_repository_prefix": "hub", "upstream_registry_url": "registry-1.docker.io", "credential_arn": ""},
     "credential_arn: the upstream registry 'docker-hub' needs one"),
    ({"ecr_repository_prefix": "gh", "upstream_registry_url": "ghcr.io",
      "credential_arn": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:github-token-AbCdEf"},
     "credential_arn: the secret name 'github-token-AbCdEf' must start with 'ecr-pullthroughcache/'"),
    ({"ecr_repository_prefix": "gh", "upstream_registry_url": "ghcr.io", "credential_arn": "ecr-pullthroughcache/github"},
     "credential_arn: 'ecr-pullthroughcache/github' is not the ARN of a Secrets Manager secret"),
    ({"ecr_repository_prefix": "shared", "upstream_registry_url": OTHER_ECR, "custom_role_arn": "ptc"},
     "custom_role_arn: 'ptc' is not the ARN of an IAM role"),
    ({"ecr_repository_prefix": "quay", "upstream_registry_url": "quay.io", "custom_role_arn": ROLE},
     "custom_role_arn: 'arn:aws:iam::123456789012:role/ptc' is only used with an Amazon ECR upstream registry, not 'quay'"),
    ({"ecr_repository_prefix": "quay", "upstream_registry_url": "quay.io", "upstream_repository_prefix": "team"},
     "upstream_repository_prefix: 'team' is only used with an Amazon ECR upstream registry, not 'quay'"),
    ({"ecr_repository_prefix": "ROOT", "upstream_registry_url": OTHER_ECR, "custom_role_arn": ROLE, "upstream_repository_prefix": "team"},
     "upstream_repository_prefix: 'team' cannot be used with ecr_repository_prefix ROOT"),
    ({"upstream_registry_url": "quay.io"}, "missing required arguments: ecr_repository_prefix"),
]


def test_bad_input_fails_before_any_call(endpoint):
    run_failing(endpoint.url, [(task(**args), message) for args, message in BAD_INPUTS])
    assert endpoint.calls() == []


# What needs the current rule or the registry's account fails after the read, before any write.
NEEDS_THE_READ = [
    ({"ecr_repository_prefix": "hub", "upstream_registry_url": "registry-1.docker.io"},
     "credential_arn: the upstream registry 'docker-hub' needs one, and the rule would have none", [DESCRIBE]),
    ({"ecr_repository_prefix": "hub", "credential_arn": SECRET},
     "upstream_registry_url: required to create the pull through cache rule 'hub', which does not exist.", [DESCRIBE]),
    ({"ecr_repository_prefix": "shared", "upstream_registry_url": OTHER_ECR},
     f"custom_role_arn: required, because upstream_registry_url '{OTHER_ECR}' is in account {OTHER_ACCOUNT}, not this "
     f"registry's account {ACCOUNT}", [DESCRIBE, "DescribeRegistry"]),
    ({"ecr_repository_prefix": "shared", "upstream_registry_url": OTHER_ECR, "custom_role_arn": f"arn:aws:iam::{OTHER_ACCOUNT}:role/ptc"},
     f"custom_role_arn: 'arn:aws:iam::{OTHER_ACCOUNT}:role/ptc' is in account {OTHER_ACCOUNT}; the role must be in the registry's "
     f"account {ACCOUNT}", [DESCRIBE, "DescribeRegistry"]),
    ({"ecr_repository_prefix": "hub", "upstream_registry_url": "registry-1.docker.io", "credential_arn": SECRET.replace(REGION, "eu-west-1")},
     "the secret must be in the rule's region us-east-1", [DESCRIBE, "DescribeRegistry"]),
]


def test_bad_input_that_needs_the_read_fails_before_any_write(endpoint):
    run_failing(endpoint.url, [(task(**args), message) for args, message, _reads in NEEDS_THE_READ])
    assert operations(endpoint.calls()) == [op for _args, _message, reads in NEEDS_THE_READ for op in reads]
