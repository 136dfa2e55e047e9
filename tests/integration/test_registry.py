"""ecr_registry through real ansible-playbook runs against the local ECR endpoint: every state per
section, check mode, reads counted, bad input, a write failing midway, round trips."""

import json

import boto3

from ansible_run import ACCESS_KEY, ACCOUNT, OTHER_ACCOUNT, REGION, operations, run_failing, run_playbook, writes

OTHER_ACCESS_KEY = f"AKIA{OTHER_ACCOUNT}"
READS = {
    "registry_policy": ["GetRegistryPolicy"],
    "replication": ["DescribeRegistry"],
    "creation_templates": ["DescribeRepositoryCreationTemplates"],
    "pull_through_rules": ["DescribePullThroughCacheRules"],
}
STATEMENT = {
    "Sid": "ReplicationFromOrg",
    "Effect": "Allow",
    "Principal": {"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"},
    "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
    "Resource": "*",
}
PULL_STATEMENT = {"Sid": "PullFromOrg", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"}, "Action": "ecr:BatchGetImage"}
RULE_PROD = {"destinations": [{"region": "us-west-2"}], "repository_filters": ["prod/"]}
RULE_ALL = {"destinations": [{"region": "eu-west-1", "registry_id": OTHER_ACCOUNT}]}
TEMPLATE = {"prefix": "ecr-public", "applied_for": ["PULL_THROUGH_CACHE"], "image_tag_mutability": "IMMUTABLE", "description": "cached"}
RULE_ECR_PUBLIC = {"ecr_repository_prefix": "ecr-public", "upstream_registry_url": "public.ecr.aws"}
RULE_QUAY = {"ecr_repository_prefix": "quay", "upstream_registry_url": "quay.io"}
RULE_K8S = {"ecr_repository_prefix": "k8s", "upstream_registry_url": "registry.k8s.io"}


def task(state="merged", config=None, name="registry", **args):
    arguments = dict(state=state, **args)
    if config is not None:
        arguments["config"] = config
    return {"name": name, "ecrkit.registry.ecr_registry": arguments}


def ecr(endpoint, access_key=ACCESS_KEY, region=REGION):
    return boto3.client("ecr", endpoint_url=endpoint.url, region_name=region, aws_access_key_id=access_key, aws_secret_access_key="x")


def seed(endpoint, access_key=ACCESS_KEY):
    """A registry with something in every section: 3 templates and 3 rules (two pages each at page size 2)."""
    client = ecr(endpoint, access_key)
    client.put_registry_policy(policyText=json.dumps({"Version": "2012-10-17", "Statement": [STATEMENT, PULL_STATEMENT]}))
    client.put_replication_configuration(replicationConfiguration={"rules": [
        {"destinations": [{"region": "us-west-2", "registryId": client.describe_registry()["registryId"]}],
         "repositoryFilters": [{"filter": "prod/", "filterType": "PREFIX_MATCH"}]},
    ]})
    for prefix in ("ecr-public", "quay", "k8s"):
        client.create_repository_creation_template(prefix=prefix, appliedFor=["PULL_THROUGH_CACHE"], description=f"{prefix} cache")
    for rule in (RULE_ECR_PUBLIC, RULE_QUAY, RULE_K8S):
        client.create_pull_through_cache_rule(ecrRepositoryPrefix=rule["ecr_repository_prefix"], upstreamRegistryUrl=rule["upstream_registry_url"])
    endpoint.clear_calls()


def gathered(endpoint, **kwargs):
    return run_playbook(endpoint.url, [task("gathered")], **kwargs)[0]["gathered"]


def test_merged_creates_every_section_then_changes_nothing(endpoint):
    config = {
        "registry_policy": {"Version": "2012-10-17", "Statement": [STATEMENT]},
        "replication": {"rules": [RULE_PROD]},
        "creation_templates": [TEMPLATE],
        "pull_through_rules": [RULE_ECR_PUBLIC],
    }
    created = run_playbook(endpoint.url, [task(config=config)], diff=True)[0]
    assert created["changed"] is True
    assert created["actions"] == [
        "registry_policy: put the registry policy",
        "replication: put the replication configuration",
        "creation_templates[prefix=ecr-public]: create the repository creation template for prefix 'ecr-public'",
        "pull_through_rules[ecr_repository_prefix=ecr-public]: create the pull through cache rule 'ecr-public'",
    ]
    assert operations(writes(endpoint.calls())) == [
        "PutRegistryPolicy", "PutReplicationConfiguration", "CreateRepositoryCreationTemplate", "CreatePullThroughCacheRule"
    ]
    assert created["before"] == {"registry_policy": {}, "replication": {"rules": []}, "creation_templates": [], "pull_through_rules": []}
    assert created["after"]["creation_templates"][0]["description"] == "cached"
    assert created["diff"]["after"] == created["after"]
    assert (created["registry_id"], created["region"]) == (ACCOUNT, REGION)

    endpoint.clear_calls()
    again = run_playbook(endpoint.url, [task(config=config)])[0]
    assert again["changed"] is False and again["actions"] == []
    assert again["after"] == again["before"] == created["after"]
    assert sorted(operations(endpoint.calls())) == sorted(op for ops in READS.values() for op in ops)


def test_noop_reads_one_list_per_section_in_scope_following_pages(endpoint):
    seed(endpoint)
    config = {
        "registry_policy": {"Statement": [STATEMENT]},
        "replication": {"rules": [RULE_PROD]},
        "creation_templates": [{"prefix": "quay", "description": "quay cache"}],
        "pull_through_rules": [RULE_QUAY],
    }
    result = run_playbook(endpoint.url, [task(config=config)])[0]
    assert result["changed"] is False and result["actions"] == []
    # Three templates and three rules at page size 2: two pages each, as the paginator asks for them.
    assert operations(endpoint.calls()) == [
        "GetRegistryPolicy", "DescribeRegistry",
        "DescribeRepositoryCreationTemplates", "DescribeRepositoryCreationTemplates",
        "DescribePullThroughCacheRules", "DescribePullThroughCacheRules",
    ]
    assert [item["prefix"] for item in result["after"]["creation_templates"]] == ["ecr-public", "k8s", "quay"]

    # A section left out is neither read nor written.
    endpoint.clear_calls()
    only_rules = run_playbook(endpoint.url, [task("overridden", {"pull_through_rules": [RULE_QUAY, RULE_K8S, RULE_ECR_PUBLIC]})])[0]
    assert only_rules["changed"] is False and set(only_rules["before"]) == {"pull_through_rules"}
    assert operations(endpoint.calls()) == ["DescribePullThroughCacheRules", "DescribePullThroughCacheRules"]


def test_replaced_deleted_overridden_per_section(endpoint):
    seed(endpoint)
    replaced_statement = dict(PULL_STATEMENT, Action=["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"])
    run = run_playbook(endpoint.url, [
        task("replaced", {
            "registry_policy": {"Statement": [replaced_statement]},
            "replication": {"rules": [dict(RULE_PROD, delete_replication=True)]},
            "creation_templates": [{"prefix": "quay", "applied_for": ["REPLICATION"]}],
            "pull_through_rules": [RULE_QUAY],
        }),
        task("deleted", {
            "registry_policy": {"Statement": [{"Sid": "ReplicationFromOrg"}]},
            "replication": {"rules": [RULE_PROD]},
            "creation_templates": [{"prefix": "k8s"}],
            "pull_through_rules": [{"ecr_repository_prefix": "k8s"}],
        }),
        task("overridden", {
            "registry_policy": {},
            "replication": {"rules": [RULE_ALL]},
            "creation_templates": [TEMPLATE],
            "pull_through_rules": [],
        }),
        task("gathered"),
    ], diff=True)
    replaced, deleted, overridden, final = run.tasks

    statements = {statement["Sid"]: statement for statement in replaced["after"]["registry_policy"]["Statement"]}
    assert set(statements) == {"ReplicationFromOrg", "PullFromOrg"}  # the undeclared statement is kept
    assert statements["PullFromOrg"]["Action"] == ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    assert replaced["after"]["replication"]["rules"][0]["delete_replication"] is True
    quay = next(item for item in replaced["after"]["creation_templates"] if item["prefix"] == "quay")
    assert quay["applied_for"] == ["REPLICATION"] and quay["description"] is None  # replaced whole: the description is gone
    assert replaced["actions"] == [
        "registry_policy: put the registry policy",
        "replication: put the replication configuration",
        "creation_templates[prefix=quay]: update the repository creation template for prefix 'quay' (description, applied_for)",
    ]
    assert replaced["diff"]["before"] == replaced["before"] and replaced["diff"]["after"] == replaced["after"]

    assert [statement["Sid"] for statement in deleted["after"]["registry_policy"]["Statement"]] == ["PullFromOrg"]
    assert deleted["after"]["replication"] == {"rules": []}
    assert [item["prefix"] for item in deleted["after"]["creation_templates"]] == ["ecr-public", "quay"]
    assert [item["ecr_repository_prefix"] for item in deleted["after"]["pull_through_rules"]] == ["ecr-public", "quay"]

    assert overridden["actions"] == [
        "registry_policy: delete the registry policy",
        "replication: put the replication configuration",
        "creation_templates[prefix=ecr-public]: update the repository creation template for prefix 'ecr-public' (description, image_tag_mutability)",
        "pull_through_rules[ecr_repository_prefix=ecr-public]: delete the pull through cache rule 'ecr-public'",
        "pull_through_rules[ecr_repository_prefix=quay]: delete the pull through cache rule 'quay'",
        "creation_templates[prefix=quay]: delete the repository creation template for prefix 'quay'",
    ]
    assert {name: final["gathered"][name] for name in overridden["after"]} == overridden["after"]  # gathered reads every section
    assert final["gathered"]["registry_policy"] == {} and final["gathered"]["pull_through_rules"] == []
    assert final["gathered"]["replication"]["rules"] == [
        {"destinations": [{"region": "eu-west-1", "registry_id": OTHER_ACCOUNT}], "repository_filters": []}]
    assert [item["prefix"] for item in final["gathered"]["creation_templates"]] == ["ecr-public"]


def test_check_mode_writes_nothing_and_predicts_the_real_run(endpoint):
    seed(endpoint)
    config = {
        "registry_policy": {"Statement": [dict(STATEMENT, Resource="arn:aws:ecr:us-east-1:123456789012:repository/*")]},
        "replication": {"rules": [RULE_ALL]},
        "creation_templates": [TEMPLATE],
        "pull_through_rules": [RULE_ECR_PUBLIC, dict(RULE_QUAY, ecr_repository_prefix="quay-io")],
    }
    checked = run_playbook(endpoint.url, [task("overridden", config)], check=True, diff=True)[0]
    assert checked["changed"] is True and len(checked["actions"]) == 8
    assert writes(endpoint.calls()) == []
    assert checked["diff"]["after"] == checked["after"] != checked["before"]

    real = run_playbook(endpoint.url, [task("overridden", config)])[0]
    assert real["actions"] == checked["actions"]
    assert real["after"] == checked["after"]


def test_recreate_is_drift_in_check_mode_and_refused_before_any_write(endpoint):
    seed(endpoint)
    config = {"creation_templates": [TEMPLATE], "pull_through_rules": [dict(RULE_QUAY, upstream_registry_url="public.ecr.aws")]}
    checked = run_playbook(endpoint.url, [task(config=config)], check=True)[0]
    assert checked["changed"] is True
    assert checked["recreate_reasons"] == {"quay": ["upstream_registry_url: 'quay.io' -> 'public.ecr.aws'", "upstream_registry: 'quay' -> 'ecr-public'"]}
    assert "pull_through_rules[ecr_repository_prefix=quay]: delete the pull through cache rule 'quay' and create it again" in checked["actions"]

    endpoint.clear_calls()
    refused = run_playbook(endpoint.url, [dict(task(config=config), ignore_errors=True)], expect_ok=False)[0]
    assert refused["failed"] is True
    assert refused["msg"].startswith("pull_through_rules[ecr_repository_prefix=quay]: pull through cache rule 'quay' cannot change in place")
    assert writes(endpoint.calls()) == []  # the template update, planned first, was not made either

    allowed = run_playbook(endpoint.url, [task(config=config, allow_recreate=True)])[0]
    assert allowed["recreate_reasons"] == checked["recreate_reasons"]
    assert next(r for r in allowed["after"]["pull_through_rules"] if r["ecr_repository_prefix"] == "quay")["upstream_registry"] == "ecr-public"


def test_rendered_makes_no_call_and_needs_no_region_or_credentials(endpoint):
    config = {"registry_policy": {"Statement": [STATEMENT]}, "replication": {"rules": [RULE_PROD]},
              "creation_templates": [TEMPLATE], "pull_through_rules": [RULE_ECR_PUBLIC]}
    with_endpoint = run_playbook(endpoint.url, [task("rendered", config)])[0]
    assert [request["operation"] for request in with_endpoint["rendered"]] == [
        "PutRegistryPolicy", "PutReplicationConfiguration", "CreateRepositoryCreationTemplate", "CreatePullThroughCacheRule"]
    # The destination in this registry has no registryId: it is not known without a call.
    assert with_endpoint["rendered"][1]["parameters"]["replicationConfiguration"]["rules"][0]["destinations"] == [{"region": "us-west-2"}]
    assert with_endpoint["changed"] is False
    assert endpoint.calls() == []

    no_aws = {"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_REGION": "", "AWS_DEFAULT_REGION": "",
              "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"}
    bare = run_playbook(endpoint.url, [task("rendered", config)], defaults=False, env=no_aws)[0]
    assert bare["rendered"] == with_endpoint["rendered"]
    assert endpoint.calls() == []


def test_bad_input_in_any_item_fails_before_any_call(endpoint):
    cases = [
        (task(config={"creation_templates": [{"prefix": "team-a", "image_tag_mutability": "SOMETIMES"}]}),
         "creation_templates[prefix=team-a]: value of image_tag_mutability must be one of"),
        (task(config={"creation_templates": [{"prefix": "team-a", "applied_for": ["REPLICATION"], "kms_key": "alias/x", "encryption_type": "KMS"}]}),
         "creation_templates[prefix=team-a].kms_key: 'alias/x' is not a KMS key ARN"),
        (task(config={"creation_templates": [{"prefix": "team-a", "lifecycle_policy": "{"}]}),
         "creation_templates[prefix=team-a].lifecycle_policy: not valid JSON"),
        (task(config={"pull_through_rules": [{"ecr_repository_prefix": "hub", "upstream_registry_url": "docker.io"}]}),
         "pull_through_rules[ecr_repository_prefix=hub].upstream_registry_url: 'docker.io' is not an upstream registry"),
        (task(config={"pull_through_rules": [{"ecr_repository_prefix": "hub", "upstream_url": "quay.io"}]}),
         "pull_through_rules[ecr_repository_prefix=hub]: unsupported parameters: upstream_url."),
        (task(config={"replication": {"rules": [RULE_PROD, {"destinations": [{"region": "US-WEST-2"}]}]}}),
         "replication.rules[1].destinations[0].region: 'US-WEST-2' is not a region name"),
        (task(config={"registry_policy": {"Statement": [{"Effect": "Allow", "Action": "ecr:*"}]}}),
         "registry_policy.Statement[0].Sid: None is not a valid Sid"),
        (task("deleted", {"creation_templates": []}), "creation_templates: state=deleted names nothing to delete"),
        (task("merged"), "state is merged but all of the following are missing: config"),
    ]
    run_failing(endpoint.url, cases)
    assert endpoint.calls() == []


def test_a_write_failing_midway_reports_what_was_done_and_not(endpoint):
    seed(endpoint)
    endpoint.inject_fault("server_error", 100, operations=["CreatePullThroughCacheRule"])
    config = {
        "creation_templates": [TEMPLATE, {"prefix": "quay", "description": "quay cache", "applied_for": ["PULL_THROUGH_CACHE"]},
                               {"prefix": "new", "applied_for": ["REPLICATION"]}],
        "pull_through_rules": [RULE_QUAY, dict(RULE_QUAY, ecr_repository_prefix="quay-io"), RULE_ECR_PUBLIC],
    }
    failed = run_playbook(endpoint.url, [dict(task("overridden", config), ignore_errors=True)], expect_ok=False)[0]
    endpoint.clear_faults()
    assert failed["failed"] is True
    assert failed["completed_actions"] == [
        "creation_templates[prefix=ecr-public]: update the repository creation template for prefix 'ecr-public' (description, image_tag_mutability)",
        "creation_templates[prefix=new]: create the repository creation template for prefix 'new'",
        "pull_through_rules[ecr_repository_prefix=k8s]: delete the pull through cache rule 'k8s'",
    ]
    assert failed["failed_action"] == "pull_through_rules[ecr_repository_prefix=quay-io]: create the pull through cache rule 'quay-io'"
    assert failed["pending_actions"] == ["creation_templates[prefix=k8s]: delete the repository creation template for prefix 'k8s'"]
    for part in ("failed", "Done before it", "Not done", failed["failed_action"], failed["pending_actions"][0]):
        assert part in failed["msg"]
    assert failed["changed"] is True
    state = gathered(endpoint)
    assert [item["prefix"] for item in state["creation_templates"]] == ["ecr-public", "k8s", "new", "quay"]  # k8s not deleted
    assert [item["ecr_repository_prefix"] for item in state["pull_through_rules"]] == ["ecr-public", "quay"]


def test_each_single_module_result_fed_back_changes_nothing(endpoint):
    secret = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:ecr-pullthroughcache/docker-hub-AbCdEf"
    first = run_playbook(endpoint.url, [
        {"name": "replication", "ecrkit.registry.ecr_replication": {"rules": [RULE_PROD, dict(RULE_ALL, delete_replication=True)]}},
        {"name": "rule", "ecrkit.registry.ecr_pull_through_rule": {"ecr_repository_prefix": "docker-hub", "upstream_registry_url": "registry-1.docker.io",
                                                                   "credential_arn": secret}},
        {"name": "template", "ecrkit.registry.ecr_creation_template": dict(TEMPLATE, repository_tags={"team": "a"}, lifecycle_policy={"rules": [
            {"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 3},
             "action": {"type": "expire"}}]})},
        {"name": "policy", "ecrkit.registry.ecr_registry_policy": {"policy": {"Version": "2012-10-17", "Statement": [STATEMENT]}}},
    ])
    replication, rule, template, policy = first.tasks
    assert all(result["changed"] for result in first.tasks)
    assert rule["pull_through_cache_rule"]["registry_id"] == ACCOUNT
    assert replication["replication_configuration"]["rules"][0]["repository_filters"] == [{"filter": "prod/", "filter_type": "PREFIX_MATCH"}]

    endpoint.clear_calls()
    again = run_playbook(endpoint.url, [
        {"name": "replication", "ecrkit.registry.ecr_replication": {"rules": replication["replication_configuration"]["rules"]}},
        {"name": "rule", "ecrkit.registry.ecr_pull_through_rule": rule["pull_through_cache_rule"]},
        {"name": "template", "ecrkit.registry.ecr_creation_template": template["repository_creation_template"]},
        {"name": "policy", "ecrkit.registry.ecr_registry_policy": {"policy": policy["registry_policy"]}},
    ])
    assert [result["changed"] for result in again.tasks] == [False] * 4
    assert writes(endpoint.calls()) == []
    assert again[1]["pull_through_cache_rule"] == rule["pull_through_cache_rule"]

    wrong = dict(rule["pull_through_cache_rule"], registry_id=OTHER_ACCOUNT)
    run_failing(endpoint.url, [({"name": "rule", "ecrkit.registry.ecr_pull_through_rule": wrong},
                                "registry_id: '210987654321' is not this registry (123456789012)")])


def test_the_account_for_an_ecr_upstream_comes_from_another_read_when_there_is_one(endpoint):
    ecr_upstream = {"ecr_repository_prefix": "mirror", "upstream_registry_url": f"{ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com"}
    run = run_playbook(endpoint.url, [
        task(config={"replication": {"rules": [RULE_ALL]}, "pull_through_rules": [ecr_upstream]}),
        task("overridden", {"pull_through_rules": [dict(ecr_upstream, ecr_repository_prefix="mirror-2")]}),
    ], check=True)
    assert [result["changed"] for result in run.tasks] == [True, True]
    assert operations(endpoint.calls()) == [
        "DescribeRegistry", "DescribePullThroughCacheRules",  # replication's read gave the account
        "DescribePullThroughCacheRules", "DescribeRegistry",  # no other read did: one DescribeRegistry
    ]
