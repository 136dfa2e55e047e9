"""Writes that meet a lost response, a persistent 5xx or a concurrent writer: the task converges
or fails saying what the registry holds, never a silent loss or a false failure."""

import json

import boto3
import pytest
import yaml

from ansible_run import ACCESS_KEY, ACCOUNT, FAST_SLEEP, REGION, run_playbook, writes

ONCE = {"retries": {"total_max_attempts": 1}}  # one HTTP attempt per AWSRetry attempt


def ecr(endpoint):
    return boto3.client("ecr", endpoint_url=endpoint.url, region_name=REGION, aws_access_key_id=ACCESS_KEY, aws_secret_access_key="x")


def template_task(**args):
    return {"name": "template", "ecrkit.registry.ecr_creation_template": args}


def rule_task(name="rule", **args):
    return {"name": name, "ecrkit.registry.ecr_pull_through_rule": args}


def statuses(endpoint, operation):
    return [(call["status"], call["error_code"]) for call in endpoint.calls() if call["operation"] == operation]


def stored_rule(endpoint, prefix):
    client = ecr(endpoint)
    try:
        return client.describe_pull_through_cache_rules(ecrRepositoryPrefixes=[prefix])["pullThroughCacheRules"][0]
    except client.exceptions.PullThroughCacheRuleNotFoundException:
        return None


@pytest.mark.parametrize("response", ["reset", "500"])
def test_a_create_whose_response_is_lost_converges(endpoint, response):
    """The SDK retries the create, which finds the item there: read again, compare, changed."""
    for operation in ("CreateRepositoryCreationTemplate", "CreatePullThroughCacheRule"):
        endpoint.inject_fault("drop_response", 1, operations=[operation], response=response)
    run = run_playbook(endpoint.url, [
        template_task(prefix="team", applied_for=["REPLICATION"], description="team repositories"),
        rule_task(ecr_repository_prefix="quay", upstream_registry_url="quay.io"),
    ])
    template, rule = run[0], run[1]
    assert template["changed"] is True and template["repository_creation_template"]["description"] == "team repositories"
    assert rule["changed"] is True and rule["pull_through_cache_rule"]["upstream_registry"] == "quay"
    lost = (None, "ConnectionReset") if response == "reset" else (500, "ServerException")
    assert statuses(endpoint, "CreateRepositoryCreationTemplate") == [lost, (400, "TemplateAlreadyExistsException")]
    assert statuses(endpoint, "CreatePullThroughCacheRule") == [lost, (400, "PullThroughCacheRuleAlreadyExistsException")]
    assert "warnings" not in template and "warnings" not in rule  # our own create: nothing to warn about


def test_a_recreate_whose_create_response_is_lost_converges(endpoint):
    ecr(endpoint).create_pull_through_cache_rule(ecrRepositoryPrefix="mirror", upstreamRegistryUrl="public.ecr.aws")
    endpoint.inject_fault("drop_response", 1, operations=["CreatePullThroughCacheRule"])
    result = run_playbook(endpoint.url, [rule_task(ecr_repository_prefix="mirror", upstream_registry_url="quay.io", allow_recreate=True)])[0]
    assert result["changed"] is True and result["recreated"] is True
    assert result["pull_through_cache_rule"]["upstream_registry_url"] == "quay.io"
    assert stored_rule(endpoint, "mirror")["upstreamRegistryUrl"] == "quay.io"


def test_a_recreate_whose_restore_fails_returns_the_previous_rule(endpoint):
    ecr(endpoint).create_pull_through_cache_rule(ecrRepositoryPrefix="mirror", upstreamRegistryUrl="public.ecr.aws")
    previous = run_playbook(endpoint.url, [rule_task(ecr_repository_prefix="mirror")])[0]["pull_through_cache_rule"]
    endpoint.inject_fault("server_error", 1000, operations=["CreatePullThroughCacheRule"])
    recreate = rule_task(ecr_repository_prefix="mirror", upstream_registry_url="quay.io", allow_recreate=True, aws_config=ONCE)
    failed = run_playbook(endpoint.url, [recreate], expect_ok=False, diff=True, env=FAST_SLEEP)[0]
    assert failed["failed"] is True and failed["changed"] is True and failed["recreated"] is True
    assert "ServerException" in failed["msg"] and "the previous rule 'mirror' was deleted and could not be restored" in failed["msg"]
    assert failed["before"] == previous
    assert failed["diff"] == {"before": {"pull_through_cache_rule": previous}, "after": {"pull_through_cache_rule": None}}
    assert failed["pull_through_cache_rule"] is None and stored_rule(endpoint, "mirror") is None
    # The task in the message and in the result recreates the previous rule as it was.
    from_message = yaml.safe_load(failed["msg"][failed["msg"].index("- name:"):])
    assert from_message == [failed["restore_task"]]
    endpoint.clear_faults()
    restored = run_playbook(endpoint.url, from_message)[0]
    assert restored["changed"] is True and restored["pull_through_cache_rule"] == previous


def test_a_restore_whose_response_is_lost_is_reported_restored(endpoint):
    ecr(endpoint).create_pull_through_cache_rule(ecrRepositoryPrefix="mirror", upstreamRegistryUrl="public.ecr.aws")
    endpoint.inject_fault("server_error", 10, operations=["CreatePullThroughCacheRule"])  # the new rule: every attempt
    endpoint.inject_fault("drop_response", 1, operations=["CreatePullThroughCacheRule"])  # the restore: lands, answer lost
    recreate = rule_task(ecr_repository_prefix="mirror", upstream_registry_url="quay.io", allow_recreate=True, aws_config=ONCE)
    failed = run_playbook(endpoint.url, [recreate], expect_ok=False, env=FAST_SLEEP)[0]
    assert failed["failed"] is True and failed["changed"] is True
    assert "the previous rule 'mirror' was restored" in failed["msg"] and "could not be restored" not in failed["msg"]
    assert failed["pull_through_cache_rule"]["upstream_registry_url"] == "public.ecr.aws"
    assert stored_rule(endpoint, "mirror")["upstreamRegistryUrl"] == "public.ecr.aws"


def test_a_persistent_5xx_gets_the_budget_of_throttling_then_fails_with_the_code(endpoint):
    endpoint.inject_fault("server_error", 1000, operations=["DescribeRegistry"])
    endpoint.inject_fault("throttle", 1000, operations=["GetRegistryPolicy"])
    run = run_playbook(endpoint.url, [
        dict(name="replication", ignore_errors=True, **{"ecrkit.registry.ecr_replication": {"rules": []}}),
        dict(name="policy", ignore_errors=True, **{"ecrkit.registry.ecr_registry_policy": {"state": "absent"}}),
    ], expect_ok=False, env=FAST_SLEEP)
    assert run[0]["failed"] is True and "ServerException" in run[0]["msg"]
    assert run[1]["failed"] is True and "ThrottlingException" in run[1]["msg"]
    server_errors, throttles = statuses(endpoint, "DescribeRegistry"), statuses(endpoint, "GetRegistryPolicy")
    assert set(server_errors) == {(500, "ServerException")} and set(throttles) == {(400, "ThrottlingException")}
    assert len(server_errors) == len(throttles) > 3
    assert writes(endpoint.calls()) == []


def test_two_writers_of_different_template_fields_both_survive(endpoint):
    """Each update sends the whole template built from its read; the one that read first would
    put back the other's field. The writes are held 0.8 s (less than the verify pause) to make the
    windows overlap."""
    ecr(endpoint).create_repository_creation_template(prefix="shared", appliedFor=["REPLICATION"])
    endpoint.inject_fault("delay", 2, operations=["UpdateRepositoryCreationTemplate"], seconds=0.8)
    inventory = {
        "description_writer": {"access_key": ACCESS_KEY, "region": REGION, "fields": {"description": "owned by team a"}},
        "tags_writer": {"access_key": ACCESS_KEY, "region": REGION, "fields": {"repository_tags": {"team": "b"}}},
    }
    task = {"name": "my field", "ecrkit.registry.ecr_creation_template": "{{ fields | combine({'prefix': 'shared'}) }}"}
    run = run_playbook(endpoint.url, [task], inventory=inventory, env={"ANSIBLE_FORKS": "2"})
    assert all(results[0]["changed"] is True for results in run.results.values())
    template = ecr(endpoint).describe_repository_creation_templates(prefixes=["shared"])["repositoryCreationTemplates"][0]
    assert template["description"] == "owned by team a"
    assert template["resourceTags"] == [{"Key": "team", "Value": "b"}]


def test_two_ecr_registry_writers_of_different_statements_both_survive(endpoint):
    """Both read the policy before either put lands (the puts are held 0.8 s, less than the verify
    pause): the put that lands last drops the other's statement, whose writer reads it back, finds
    it gone and merges it again."""
    endpoint.inject_fault("delay", 2, operations=["PutRegistryPolicy"], seconds=0.8)
    inventory = {
        writer: {"access_key": ACCESS_KEY, "region": REGION, "sid": writer.replace("_", "").capitalize()}
        for writer in ("team_a", "team_b")
    }
    statement = {"Sid": "{{ sid }}", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "ecr:ReplicateImage"}
    task = {"name": "my statement", "ecrkit.registry.ecr_registry": {"state": "merged", "config": {"registry_policy": {"Statement": [statement]}}}}
    run = run_playbook(endpoint.url, [task], inventory=inventory, env={"ANSIBLE_FORKS": "2"})
    policy = json.loads(ecr(endpoint).get_registry_policy()["policyText"])
    assert sorted(item["Sid"] for item in policy["Statement"]) == ["Teama", "Teamb"]
    results = [results[0] for results in run.results.values()]
    assert all(result["changed"] is True for result in results)
    # Each result's `after` is the policy read back: it holds the writer's own statement.
    for host, result in zip(run.results, results):
        assert inventory[host]["sid"] in [item["Sid"] for item in result["after"]["registry_policy"]["Statement"]]
    redone = [warning for result in results for warning in result.get("warnings", []) if "concurrent writer" in warning]
    assert len(redone) == 1 and "registry policy statements" in redone[0]
    assert [call["status"] for call in endpoint.calls() if call["operation"] == "PutRegistryPolicy"] == [200, 200, 200]


def test_an_ecr_registry_recreate_whose_restore_fails_returns_the_restore_task(endpoint):
    """ecr_registry plans pull through rules with the module's recreate, so it reports the same."""
    ecr(endpoint).create_pull_through_cache_rule(ecrRepositoryPrefix="mirror", upstreamRegistryUrl="public.ecr.aws")
    endpoint.inject_fault("server_error", 1000, operations=["CreatePullThroughCacheRule"])
    config = {"pull_through_rules": [{"ecr_repository_prefix": "mirror", "upstream_registry_url": "quay.io"}]}
    registry = {"name": "registry", "ecrkit.registry.ecr_registry": {"config": config, "allow_recreate": True, "aws_config": ONCE}}
    failed = run_playbook(endpoint.url, [registry], expect_ok=False, env=FAST_SLEEP)[0]
    assert failed["failed"] is True and failed["changed"] is True
    assert failed["failed_action"] == "pull_through_rules[ecr_repository_prefix=mirror]: delete the pull through cache rule 'mirror' and create it again"
    assert "the previous rule 'mirror' was deleted and could not be restored" in failed["msg"]
    assert failed["restore_task"]["ecrkit.registry.ecr_pull_through_rule"]["upstream_registry_url"] == "public.ecr.aws"
    assert stored_rule(endpoint, "mirror") is None


def test_an_ecr_registry_create_whose_response_is_lost_converges(endpoint):
    endpoint.inject_fault("drop_response", 1, operations=["CreateRepositoryCreationTemplate"], response="reset")
    config = {"creation_templates": [{"prefix": "team", "applied_for": ["REPLICATION"], "description": "team repositories"}]}
    result = run_playbook(endpoint.url, [{"name": "registry", "ecrkit.registry.ecr_registry": {"config": config}}])[0]
    assert result["changed"] is True and "warnings" not in result
    assert [template["description"] for template in result["after"]["creation_templates"]] == ["team repositories"]
    assert statuses(endpoint, "CreateRepositoryCreationTemplate") == [(None, "ConnectionReset"), (400, "TemplateAlreadyExistsException")]
