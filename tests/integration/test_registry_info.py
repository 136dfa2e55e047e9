"""ecr_registry_info through real ansible-playbook runs: the config shape, sections read, and the
round trip export -> ecr_registry state=overridden on another registry -> the same config."""

import json

from ansible_run import ACCESS_KEY, ACCOUNT, OTHER_ACCOUNT, REGION, operations, run_playbook
from test_registry import PULL_STATEMENT, RULE_K8S, RULE_QUAY, STATEMENT, ecr

OTHER_ACCESS_KEY = f"AKIA{OTHER_ACCOUNT}"
LIFECYCLE = {"rules": [{"rulePriority": 1, "description": "expire untagged", "action": {"type": "expire"},
                        "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 7}}]}


def info(**args):
    return {"name": "info", "ecrkit.registry.ecr_registry_info": args}


def registry(state, config):
    return {"name": state, "ecrkit.registry.ecr_registry": {"state": state, "config": config}}


def seed_account_neutral(endpoint):
    """Content that means the same in any account: principals and destinations name OTHER_ACCOUNT
    or nobody, rules need no secret or role. Three templates and three rules: two pages each."""
    client = ecr(endpoint)
    client.put_registry_policy(policyText=json.dumps({"Version": "2012-10-17", "Statement": [STATEMENT, PULL_STATEMENT]}))
    client.put_replication_configuration(replicationConfiguration={"rules": [
        {"destinations": [{"region": "us-west-2", "registryId": OTHER_ACCOUNT}], "repositoryFilters": [{"filter": "prod/", "filterType": "PREFIX_MATCH"}]},
        {"destinations": [{"region": "eu-west-1", "registryId": OTHER_ACCOUNT}, {"region": "ap-south-1", "registryId": OTHER_ACCOUNT}]},
    ]})
    client.create_repository_creation_template(prefix="ROOT", appliedFor=["REPLICATION", "PULL_THROUGH_CACHE"], imageTagMutability="IMMUTABLE",
                                               lifecyclePolicy=json.dumps(LIFECYCLE), resourceTags=[{"Key": "owner", "Value": "platform"}],
                                               customRoleArn=f"arn:aws:iam::{ACCOUNT}:role/creation")
    client.create_repository_creation_template(prefix="quay", appliedFor=["PULL_THROUGH_CACHE"], description="Quay cache")
    client.create_repository_creation_template(prefix="k8s", appliedFor=["PULL_THROUGH_CACHE"], imageTagMutability="MUTABLE_WITH_EXCLUSION",
                                               imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "latest"}])
    for rule in (RULE_QUAY, RULE_K8S, {"ecr_repository_prefix": "ecr-public", "upstream_registry_url": "public.ecr.aws"}):
        client.create_pull_through_cache_rule(ecrRepositoryPrefix=rule["ecr_repository_prefix"], upstreamRegistryUrl=rule["upstream_registry_url"])
    client.put_registry_scanning_configuration(scanType="ENHANCED", rules=[
        {"scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [{"filter": "prod/*", "filterType": "WILDCARD"}]},
        {"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [{"filter": "*", "filterType": "WILDCARD"}]}])
    client.put_account_setting(name="BLOB_MOUNTING", value="ENABLED")
    client.put_signing_configuration(signingConfiguration={"rules": [
        {"signingProfileArn": f"arn:aws:signer:{REGION}:{OTHER_ACCOUNT}:/signing-profiles/shared", "repositoryFilters": [
            {"filter": "prod/*", "filterType": "WILDCARD_MATCH"}]}]})
    for role in ("scanner", "backup"):
        client.register_pull_time_update_exclusion(principalArn=f"arn:aws:iam::{OTHER_ACCOUNT}:role/{role}")
    endpoint.clear_calls()


# One read per section (two pages for templates, rules and exclusions: the page size is 2), one per account setting.
READS = ["GetRegistryPolicy", "DescribeRegistry", "DescribeRepositoryCreationTemplates", "DescribeRepositoryCreationTemplates",
         "DescribePullThroughCacheRules", "DescribePullThroughCacheRules", "GetRegistryScanningConfiguration",
         "GetAccountSetting", "GetAccountSetting", "GetAccountSetting", "GetSigningConfiguration", "ListPullTimeUpdateExclusions"]


def test_export_to_another_registry_and_back_changes_nothing(endpoint):
    seed_account_neutral(endpoint)
    source = run_playbook(endpoint.url, [info()], check=True)[0]["registry"]
    assert source["registry_id"] == ACCOUNT and source["region"] == REGION
    assert operations(endpoint.calls()) == READS
    config = source["config"]
    assert config["scanning"]["scan_type"] == "ENHANCED" and config["account_settings"]["BLOB_MOUNTING"] == "ENABLED"
    assert config["signing"]["rules"][0]["repository_filters"] == ["prod/*"]
    assert config["pull_time_update_exclusions"] == [f"arn:aws:iam::{OTHER_ACCOUNT}:role/backup", f"arn:aws:iam::{OTHER_ACCOUNT}:role/scanner"]
    assert [item["prefix"] for item in config["creation_templates"]] == ["ROOT", "k8s", "quay"]
    assert config["pull_through_rules"][0] == {"ecr_repository_prefix": "ecr-public", "upstream_registry_url": "public.ecr.aws",
                                               "upstream_registry": "ecr-public", "upstream_repository_prefix": None,
                                               "credential_arn": None, "custom_role_arn": None}

    # The role in the ROOT template names the source account: the copy goes to the same account in another region.
    copied = run_playbook(endpoint.url, [registry("overridden", config), info()], region="eu-central-1")
    assert copied[0]["changed"] is True
    assert copied[1]["registry"]["config"] == config

    # Into another account: everything but that template, which names the source account's role.
    portable = dict(config, creation_templates=[item for item in config["creation_templates"] if item["prefix"] != "ROOT"])
    other = run_playbook(endpoint.url, [registry("overridden", portable), info()], access_key=OTHER_ACCESS_KEY)
    assert other[1]["registry"]["registry_id"] == OTHER_ACCOUNT
    assert other[1]["registry"]["config"] == portable

    # Applied back to the source: no change, and only the reads.
    endpoint.clear_calls()
    back = run_playbook(endpoint.url, [registry("overridden", copied[1]["registry"]["config"])])[0]
    assert back["changed"] is False and back["actions"] == []
    assert operations(endpoint.calls()) == READS


def test_sections_limit_what_is_read(endpoint):
    seed_account_neutral(endpoint)
    result = run_playbook(endpoint.url, [info(sections=["pull_through_rules", "registry_policy"])])[0]
    assert result["changed"] is False
    assert set(result["registry"]["config"]) == {"registry_policy", "pull_through_rules"}
    assert operations(endpoint.calls()) == ["GetRegistryPolicy", "DescribePullThroughCacheRules", "DescribePullThroughCacheRules"]
    assert result["registry"]["registry_id"] == ACCOUNT


def test_an_empty_registry_reads_as_an_empty_config(endpoint):
    result = run_playbook(endpoint.url, [info()], access_key=ACCESS_KEY)[0]
    assert result["registry"]["config"] == {
        "registry_policy": {}, "replication": {"rules": []}, "creation_templates": [], "pull_through_rules": [],
        "scanning": {"scan_type": "BASIC", "rules": []}, "signing": {"rules": []}, "pull_time_update_exclusions": [],
        "account_settings": {"BASIC_SCAN_TYPE_VERSION": "AWS_NATIVE", "REGISTRY_POLICY_SCOPE": "V2", "BLOB_MOUNTING": "DISABLED"}}
