"""ecr_replication through real ansible-playbook runs against the local ECR endpoint."""

import boto3

from ansible_run import ACCESS_KEY, ACCOUNT, FAST_SLEEP, OTHER_ACCOUNT, REGION, operations, run_failing, run_playbook, writes

WEST = {"destinations": [{"region": "us-west-2"}]}
DR = {"destinations": [{"region": "eu-west-1", "registry_id": OTHER_ACCOUNT}], "repository_filters": ["prod/", "release"]}
SYDNEY = {"destinations": [{"region": "ap-southeast-2"}], "repository_filters": ["team-b/"]}


def task(**args):
    return {"name": "replication", "ecrkit.registry.ecr_replication": args}


def ecr(endpoint):
    return boto3.client("ecr", endpoint_url=endpoint.url, region_name=REGION, aws_access_key_id=ACCESS_KEY, aws_secret_access_key="x")


def stored_rules(endpoint):
    """The stored rules as order-free sets, the way the service means them."""
    rules = ecr(endpoint).describe_registry()["replicationConfiguration"]["rules"]
    return {
        (frozenset((d["region"], d["registryId"]) for d in rule["destinations"]), frozenset(f["filter"] for f in rule.get("repositoryFilters", [])))
        for rule in rules
    }


def as_set(*rules):
    return {
        (frozenset((d["region"], d.get("registry_id", ACCOUNT)) for d in rule["destinations"]), frozenset(rule.get("repository_filters", [])))
        for rule in rules
    }


def test_lifecycle_create_rerun_check_update_delete(endpoint):
    created = run_playbook(endpoint.url, [task(rules=[WEST, DR])], diff=True)[0]
    assert created["changed"] is True
    assert created["registry_id"] == ACCOUNT
    assert created["diff"]["before"] == {"replication_configuration": {"rules": []}}
    assert created["replication_configuration"]["rules"][0] == {
        "destinations": [{"region": "us-west-2", "registry_id": ACCOUNT}],
        "repository_filters": [],
    }
    assert stored_rules(endpoint) == as_set(WEST, DR)

    # Reordered rules, destinations and filters are the same configuration.
    reordered_dr = dict(DR, repository_filters=list(reversed(DR["repository_filters"])))
    endpoint.clear_calls()
    rerun = run_playbook(endpoint.url, [task(rules=[reordered_dr, WEST])])[0]
    assert rerun["changed"] is False
    assert operations(endpoint.calls()) == ["DescribeRegistry"]

    endpoint.clear_calls()
    checked = run_playbook(endpoint.url, [task(rules=[WEST, SYDNEY])], check=True, diff=True)[0]
    assert checked["changed"] is True
    assert writes(endpoint.calls()) == []
    assert stored_rules(endpoint) == as_set(WEST, DR)
    predicted = {(r["destinations"][0]["region"], tuple(f["filter"] for f in r["repository_filters"])) for r in checked["replication_configuration"]["rules"]}
    assert predicted == {("us-west-2", ()), ("ap-southeast-2", ("team-b/",))}
    assert "eu-west-1" in str(checked["diff"]["before"]) and "eu-west-1" not in str(checked["diff"]["after"])

    updated = run_playbook(endpoint.url, [task(rules=[WEST, SYDNEY])])[0]
    assert updated["changed"] is True
    assert stored_rules(endpoint) == as_set(WEST, SYDNEY)

    deleted = run_playbook(endpoint.url, [task(state="absent"), task(state="absent")], diff=True)
    assert deleted[0]["changed"] is True
    assert deleted[0]["replication_configuration"] == {"rules": []}
    assert deleted[1]["changed"] is False
    assert stored_rules(endpoint) == set()


def test_purge_rules_false_keeps_other_teams_rules(endpoint):
    ecr(endpoint).put_replication_configuration(
        replicationConfiguration={"rules": [{"destinations": [{"region": "us-west-2", "registryId": ACCOUNT}]}]}
    )
    run = run_playbook(endpoint.url, [task(rules=[SYDNEY], purge_rules=False), task(rules=[SYDNEY], purge_rules=False)])
    assert [r["changed"] for r in run.tasks] == [True, False]
    assert stored_rules(endpoint) == as_set(WEST, SYDNEY)

    removed = run_playbook(endpoint.url, [task(state="absent", rules=[SYDNEY])])[0]
    assert removed["changed"] is True
    assert stored_rules(endpoint) == as_set(WEST)


def test_delete_replication_is_updated_in_place_and_kept_when_omitted(endpoint):
    with_deletes = dict(WEST, delete_replication=True)
    run = run_playbook(endpoint.url, [task(rules=[with_deletes]), task(rules=[WEST]), task(rules=[dict(WEST, delete_replication=False)])])
    assert [r["changed"] for r in run.tasks] == [True, False, True]
    assert run[0]["replication_configuration"]["rules"][0]["delete_replication"] is True
    assert run[1]["replication_configuration"]["rules"][0]["delete_replication"] is True
    rules = ecr(endpoint).describe_registry()["replicationConfiguration"]["rules"]
    assert rules[0].get("deleteReplication", {"enabled": False}) == {"enabled": False}


def test_throttled_calls_are_retried(endpoint):
    endpoint.inject_fault("throttle", 2, operations=["PutReplicationConfiguration"])
    result = run_playbook(endpoint.url, [task(rules=[WEST])])[0]
    assert result["changed"] is True
    puts = [call["error_code"] for call in endpoint.calls() if call["operation"] == "PutReplicationConfiguration"]
    assert puts == ["ThrottlingException", "ThrottlingException", None]
    assert stored_rules(endpoint) == as_set(WEST)


def test_failing_write_fails_the_task_and_keeps_the_configuration(endpoint):
    ecr(endpoint).put_replication_configuration(
        replicationConfiguration={"rules": [{"destinations": [{"region": "us-west-2", "registryId": ACCOUNT}]}]}
    )
    endpoint.inject_fault("server_error", 100, operations=["PutReplicationConfiguration"])
    result = run_playbook(endpoint.url, [task(rules=[SYDNEY])], expect_ok=False, env=FAST_SLEEP)
    assert result[0]["failed"] is True
    assert "ServerException" in result[0]["msg"]
    endpoint.clear_faults()
    assert stored_rules(endpoint) == as_set(WEST)


def test_destination_equal_to_source_is_rejected_before_any_write(endpoint):
    same = {"destinations": [{"region": "us-west-2"}, {"region": REGION, "registry_id": ACCOUNT}]}
    result = run_playbook(endpoint.url, [task(rules=[WEST, same])], expect_ok=False)[0]
    assert result["failed"] is True
    assert f"rules[1].destinations[1]: region '{REGION}' in registry {ACCOUNT} is the source registry" in result["msg"]
    assert operations(endpoint.calls()) == ["DescribeRegistry"]


def test_merging_past_the_rule_limit_is_rejected_before_any_write(endpoint):
    existing = [
        {"destinations": [{"region": "us-west-2", "registryId": ACCOUNT}], "repositoryFilters": [{"filter": f"team{i}", "filterType": "PREFIX_MATCH"}]}
        for i in range(24)
    ]
    ecr(endpoint).put_replication_configuration(replicationConfiguration={"rules": existing})
    endpoint.clear_calls()
    result = run_playbook(endpoint.url, [task(rules=[WEST, SYDNEY], purge_rules=False)], expect_ok=False)[0]
    assert "rules: the result would hold 26 replication rules (24 in the registry now); a registry holds at most 25" in result["msg"]
    assert writes(endpoint.calls()) == []


def many_destinations(count):
    return [{"region": "us-west-2", "registry_id": f"{100000000000 + i}"} for i in range(count)]


BAD_INPUTS = [
    ({"rules": [WEST] * 26}, "rules: 26 rules given; a registry holds at most 25"),
    ({"rules": [{"destinations": many_destinations(26)}]}, "rules: the given rules name 26 unique destinations"),
    ({"rules": [{"destinations": []}]}, "rules[0].destinations: a rule needs at least one destination"),
    ({"rules": [WEST, {"destinations": [{"region": "US_EAST_1"}]}]}, "rules[1].destinations[0].region: 'US_EAST_1' is not a region name"),
    ({"rules": [{"destinations": [{"region": "us-west-2", "registry_id": "12345"}]}]}, "rules[0].destinations[0].registry_id: '12345' is not an account ID"),
    ({"rules": [dict(WEST, repository_filters=["Prod/"])]}, "rules[0].repository_filters[0]: 'Prod/' is not a repository name prefix"),
    ({"rules": [dict(WEST, repository_filters=["p"])]}, "rules[0].repository_filters[0]: 'p' is not a repository name prefix"),
    ({"rules": [{"destinations": [{"registry_id": ACCOUNT}]}]}, "missing required arguments: region found in rules -> destinations"),
    ({"rules": [{"repository_filters": ["prod"]}]}, "missing required arguments: destinations found in rules"),
    ({}, "state is present but all of the following are missing: rules"),
]


def test_bad_input_fails_before_any_call(endpoint):
    run_failing(endpoint.url, [(task(**args), message) for args, message in BAD_INPUTS])
    assert endpoint.calls() == []
