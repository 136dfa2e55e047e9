"""The fleet role ecrkit.registry.registry_config over two registries (two accounts, two regions)."""

import boto3

from ansible_run import run_playbook, writes

FLEET = {
    "registry-a": {"access_key": "AKIA111111111111", "region": "us-east-1"},
    "registry-b": {"access_key": "AKIA222222222222", "region": "eu-west-1"},
}
BASELINE = {
    "ecr_replication_rules": [{"destinations": [{"region": "us-west-2"}], "repository_filters": ["prod/"]}],
    "ecr_creation_templates": [{"prefix": "docker-hub", "applied_for": ["PULL_THROUGH_CACHE"], "image_tag_mutability": "IMMUTABLE"}],
    "ecr_pull_through_rules": [{"ecr_repository_prefix": "ecr-public", "upstream_registry_url": "public.ecr.aws"}],
}


def apply_role(endpoint, **kwargs):
    role = {"name": "registry baseline", "ansible.builtin.import_role": {"name": "ecrkit.registry.registry_config"}, "vars": BASELINE}
    return run_playbook(endpoint.url, [role], inventory=FLEET, **kwargs)


def ecr(endpoint, host):
    settings = FLEET[host]
    return boto3.client(
        "ecr", endpoint_url=endpoint.url, region_name=settings["region"], aws_access_key_id=settings["access_key"], aws_secret_access_key="x"
    )


def changed(run, host):
    """The role's tasks that changed on `host`, by name ("ecrkit.registry.registry_config : NAME")."""
    return [result["name"].split(" : ")[-1] for result in run.results[host] if result.get("changed")]


def test_role_configures_each_registry_of_the_fleet_and_reports_drift(endpoint):
    ecr(endpoint, "registry-a").put_registry_policy(policyText='{"Version": "2012-10-17", "Statement": []}')

    first = apply_role(endpoint)
    for host, account in (("registry-a", "111111111111"), ("registry-b", "222222222222")):
        assert changed(first, host) == ["Replication rules", "Repository creation templates", "Pull through cache rules"]
        client = ecr(endpoint, host)
        rules = client.describe_registry()["replicationConfiguration"]["rules"]
        prod_filter = [{"filter": "prod/", "filterType": "PREFIX_MATCH"}]
        assert rules == [{"destinations": [{"region": "us-west-2", "registryId": account}], "repositoryFilters": prod_filter}]
        assert client.describe_repository_creation_templates()["repositoryCreationTemplates"][0]["imageTagMutability"] == "IMMUTABLE"
        assert client.describe_pull_through_cache_rules()["pullThroughCacheRules"][0]["upstreamRegistry"] == "ecr-public"
    # The policy was not part of the baseline: the role neither read nor touched it.
    assert "GetRegistryPolicy" not in [call["operation"] for call in endpoint.calls()]
    assert ecr(endpoint, "registry-a").get_registry_policy()["policyText"]

    assert changed(apply_role(endpoint), "registry-a") == changed(apply_role(endpoint), "registry-b") == []

    # A console user changes one registry; a fleet dry run reports that registry only, writing nothing.
    ecr(endpoint, "registry-b").put_replication_configuration(replicationConfiguration={"rules": []})
    endpoint.clear_calls()
    dry_run = apply_role(endpoint, check=True, diff=True)
    assert changed(dry_run, "registry-a") == []
    assert changed(dry_run, "registry-b") == ["Replication rules"]
    assert writes(endpoint.calls()) == []
