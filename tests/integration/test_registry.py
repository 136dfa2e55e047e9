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
    assert created["registry_id"] == ACCOUNT

    endpoint.clear_calls()
    again = run_playbook(endpoint.url, [task(config=config)])[0]
    assert again["changed"] is False and again["actions"] == []
    assert again["after"] == again["before"] == created["after"]
    assert sorted(operations(endpoint.calls())) == sorted(op for ops in READS.values() for op in ops)
