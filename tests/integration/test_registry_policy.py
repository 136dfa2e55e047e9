"""ecr_registry_policy through real ansible-playbook runs against the local ECR endpoint."""

import json

import boto3

from ansible_run import ACCESS_KEY, ACCOUNT, FAST_SLEEP, REGION, operations, run_failing, run_playbook, writes

ORG_STATEMENT = {
    "Sid": "ReplicationFromOrg",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
    "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
    "Resource": f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/*",
}
CI_STATEMENT = {
    "Sid": "PullThroughCacheForCi",
    "Effect": "Allow",
    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/ci"},
    "Action": ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
    "Resource": f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/*",
}


def policy(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def task(**args):
    return {"name": "registry policy", "ecrkit.registry.ecr_registry_policy": args}


def ecr(endpoint):
    """A boto3 client of our own, to set up state and read it back as the service holds it."""
    return boto3.client("ecr", endpoint_url=endpoint.url, region_name=REGION, aws_access_key_id=ACCESS_KEY, aws_secret_access_key="x")


def stored_policy(endpoint):
    try:
        return json.loads(ecr(endpoint).get_registry_policy()["policyText"])
    except ecr(endpoint).exceptions.RegistryPolicyNotFoundException:
        return None


def test_lifecycle_create_rerun_check_update_delete(endpoint):
    created = run_playbook(endpoint.url, [task(policy=policy(ORG_STATEMENT))], diff=True)[0]
    assert created["changed"] is True
    assert created["registry_policy"] == policy(ORG_STATEMENT)
    assert created["registry_id"] == ACCOUNT
    assert created["diff"]["before"] == {"registry_policy": None}
    assert created["diff"]["after"]["registry_policy"]["Statement"][0]["Sid"] == "ReplicationFromOrg"

    # The service hands the policy back re-formatted; comparing by meaning keeps this a no-op.
    assert ecr(endpoint).get_registry_policy()["policyText"] != json.dumps(policy(ORG_STATEMENT))
    endpoint.clear_calls()
    rerun = run_playbook(endpoint.url, [task(policy=policy(ORG_STATEMENT))])[0]
    assert rerun["changed"] is False
    assert operations(endpoint.calls()) == ["GetRegistryPolicy"]

    endpoint.clear_calls()
    checked = run_playbook(endpoint.url, [task(policy=policy(ORG_STATEMENT, CI_STATEMENT))], check=True, diff=True)[0]
    assert checked["changed"] is True
    assert checked["registry_policy"] == policy(ORG_STATEMENT, CI_STATEMENT)
    assert writes(endpoint.calls()) == []
    assert stored_policy(endpoint) == policy(ORG_STATEMENT)
    assert [s["Sid"] for s in checked["diff"]["after"]["registry_policy"]["Statement"]] == ["ReplicationFromOrg", "PullThroughCacheForCi"]

    updated = run_playbook(endpoint.url, [task(policy=policy(ORG_STATEMENT, CI_STATEMENT))])[0]
    assert updated["changed"] is True
    assert stored_policy(endpoint) == policy(ORG_STATEMENT, CI_STATEMENT)

    deleted = run_playbook(endpoint.url, [task(state="absent"), task(state="absent")], diff=True)
    assert deleted[0]["changed"] is True
    assert deleted[0]["registry_policy"] is None
    assert deleted[0]["diff"]["after"] == {"registry_policy": None}
    assert deleted[1]["changed"] is False
    assert stored_policy(endpoint) is None


def test_reordered_statements_and_actions_are_not_a_change(endpoint):
    ecr(endpoint).put_registry_policy(policyText=json.dumps(policy(ORG_STATEMENT, CI_STATEMENT)))
    reordered = dict(ORG_STATEMENT, Action=list(reversed(ORG_STATEMENT["Action"])))
    result = run_playbook(endpoint.url, [task(policy=json.dumps(policy(CI_STATEMENT, reordered)))])[0]
    assert result["changed"] is False


def test_statements_keep_other_sids_unless_purged(endpoint):
    ecr(endpoint).put_registry_policy(policyText=json.dumps(policy(ORG_STATEMENT)))
    changed_ci = dict(CI_STATEMENT, Action=["ecr:CreateRepository"])
    run = run_playbook(endpoint.url, [task(statements=[CI_STATEMENT]), task(statements=[CI_STATEMENT]), task(statements=[changed_ci])])
    assert [r["changed"] for r in run.tasks] == [True, False, True]
    assert stored_policy(endpoint) == policy(ORG_STATEMENT, changed_ci)

    removed = run_playbook(endpoint.url, [task(state="absent", statements=[{"Sid": "PullThroughCacheForCi"}])])[0]
    assert removed["changed"] is True
    assert stored_policy(endpoint) == policy(ORG_STATEMENT)

    purged = run_playbook(endpoint.url, [task(statements=[CI_STATEMENT], purge_statements=True)])[0]
    assert purged["changed"] is True
    assert stored_policy(endpoint) == policy(CI_STATEMENT)

    # Removing the last statement deletes the policy: the service has no empty policy.
    run_playbook(endpoint.url, [task(state="absent", statements=[{"Sid": "PullThroughCacheForCi"}])])
    assert stored_policy(endpoint) is None


def test_open_principal_warns(endpoint):
    open_statement = {"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "ecr:ReplicateImage", "Resource": "*"}
    result = run_playbook(endpoint.url, [task(statements=[open_statement])])[0]
    assert result["changed"] is True
    assert any("Anyone" in warning and "any principal" in warning for warning in result.get("warnings", []))


def test_throttled_calls_are_retried(endpoint):
    endpoint.inject_fault("throttle", 2)
    result = run_playbook(endpoint.url, [task(policy=policy(ORG_STATEMENT))])[0]
    assert result["changed"] is True
    statuses = [(call["operation"], call["error_code"]) for call in endpoint.calls()]
    assert statuses[:2] == [("GetRegistryPolicy", "ThrottlingException")] * 2
    assert stored_policy(endpoint) == policy(ORG_STATEMENT)


def test_failing_write_fails_the_task_and_keeps_the_policy(endpoint):
    ecr(endpoint).put_registry_policy(policyText=json.dumps(policy(ORG_STATEMENT)))
    endpoint.inject_fault("server_error", 100, operations=["PutRegistryPolicy"])
    result = run_playbook(endpoint.url, [task(policy=policy(CI_STATEMENT))], expect_ok=False, env=FAST_SLEEP)
    assert not result.ok
    assert result[0]["failed"] is True
    assert "ServerException" in result[0]["msg"]
    endpoint.clear_faults()
    assert stored_policy(endpoint) == policy(ORG_STATEMENT)


BAD_INPUTS = [
    ({"policy": "{not json"}, "policy: not valid JSON"),
    ({"policy": "[1, 2]"}, "policy: a policy document must be a JSON object"),
    ({"policy": {"Version": "2012-10-17"}}, "policy: a policy document needs a 'Statement'"),
    ({"policy": policy(dict(ORG_STATEMENT, Effect="Maybe"))}, "policy.Statement[0].Effect: 'Maybe'"),
    ({"policy": policy(dict(ORG_STATEMENT, Resource=["arn:" + "x" * 20] * 600))}, "(compact JSON); the API takes at most 10240"),
    ({"statements": [{"Effect": "Allow", "Action": "ecr:*"}]}, "statements[0].Sid: None is not a valid Sid"),
    ({"statements": [dict(CI_STATEMENT, Sid="has spaces")]}, "statements[0].Sid: 'has spaces'"),
    ({"statements": [CI_STATEMENT, CI_STATEMENT]}, "statements[1].Sid: 'PullThroughCacheForCi' is used by more than one"),
    ({"statements": [{"Sid": "NoEffect", "Action": "ecr:*"}]}, "statements[0].Effect: required"),
    ({"state": "absent", "policy": policy(ORG_STATEMENT)}, "policy: cannot be used with state=absent"),
    ({"policy": policy(ORG_STATEMENT), "statements": [CI_STATEMENT]}, "mutually exclusive: policy|statements"),
    ({}, "state is present but any of the following are missing: policy, statements"),
]


def test_bad_input_fails_before_any_call(endpoint):
    run_failing(endpoint.url, [(task(**args), message) for args, message in BAD_INPUTS])
    assert endpoint.calls() == []
