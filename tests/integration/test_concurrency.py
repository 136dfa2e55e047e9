"""Concurrent writers of one registry: no silent loss.

One play with WRITERS inventory hosts and as many forks, all on the same account and region: each
host's task runs in its own module process at the same time, and each adds its own registry policy
statement (purge_statements: false) or replication rule (purge_rules: false), as separate teams'
pipelines do. ECR has no conditional write, so without verification some of them vanish while
their task reports success. A run may fail (naming the concurrent writer); it may not report success
while its item is missing at the end. Losses are printed per trial (pytest -s shows them).
"""

import json

import boto3
import pytest

from ansible_run import ACCESS_KEY, REGION, run_playbook

WRITERS = 10
TRIALS = 3
FORKS = {"ANSIBLE_FORKS": str(WRITERS)}


def inventory():
    return {f"writer{index}": {"access_key": ACCESS_KEY, "region": REGION, "index": index} for index in range(WRITERS)}


def ecr(endpoint):
    return boto3.client("ecr", endpoint_url=endpoint.url, region_name=REGION, aws_access_key_id=ACCESS_KEY, aws_secret_access_key="x")


def statement_task():
    statement = {
        "Sid": "Writer{{ index }}",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
        "Action": ["ecr:ReplicateImage"],
        "Resource": "*",
    }
    return {"name": "add my statement", "ecrkit.registry.ecr_registry_policy": {"statements": [statement], "purge_statements": False}}


def stored_sids(endpoint):
    return {statement["Sid"] for statement in json.loads(ecr(endpoint).get_registry_policy()["policyText"])["Statement"]}


def rule_task():
    rule = {"destinations": [{"region": "us-west-2"}], "repository_filters": ["team{{ index }}"]}
    return {"name": "add my rule", "ecrkit.registry.ecr_replication": {"rules": [rule], "purge_rules": False}}


def stored_filters(endpoint):
    rules = ecr(endpoint).describe_registry()["replicationConfiguration"]["rules"]
    return {item["filter"] for rule in rules for item in rule.get("repositoryFilters", [])}


CASES = {  # name: (task, what the registry holds at the end, the item of writer N)
    "statements": (statement_task, stored_sids, "Writer{}"),
    "replication rules": (rule_task, stored_filters, "team{}"),
}
BASE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "Base", "Effect": "Deny", "Principal": "*", "Action": "ecr:DeleteRepository", "Resource": "*"}],
}


def losses(run, task_index, present, name):
    """(succeeded, failed {host: msg}, merges redone, silent losses) of one task across the writers."""
    results = {host: tasks[task_index] for host, tasks in run.results.items()}
    succeeded = [host for host, result in results.items() if not result.get("failed")]
    failed = {host: result["msg"] for host, result in results.items() if result.get("failed")}
    redone = sum(1 for host in succeeded for warning in results[host].get("warnings", []) if "concurrent writer" in warning)
    lost = [host for host in succeeded if name.format(host[len("writer"):]) not in present]
    return succeeded, failed, redone, lost


@pytest.mark.slow
def test_concurrent_writers_lose_nothing_silently(endpoint):
    """Per trial, one play: every writer adds its statement, then (next task) its replication rule."""
    report = {case: [] for case in CASES}
    silent = {case: [] for case in CASES}
    for trial in range(1, TRIALS + 1):
        endpoint.reset()
        ecr(endpoint).put_registry_policy(policyText=json.dumps(BASE_POLICY))  # another team's, there before them all
        tasks = [dict(make_task(), ignore_errors=True) for make_task, _stored, _name in CASES.values()]
        run = run_playbook(endpoint.url, tasks, inventory=inventory(), env=FORKS, expect_ok=False)
        assert len(run.results) == WRITERS and all(len(results) == len(CASES) for results in run.results.values()), run.stderr[-3000:]
        for index, (case, (_task, stored, name)) in enumerate(CASES.items()):
            present = stored(endpoint)
            succeeded, failed, redone, lost = losses(run, index, present, name)
            for host, message in failed.items():
                assert "another writer of the same registry at the same time" in message, (case, host, message)
            report[case].append(f"trial {trial}: {len(succeeded)} succeeded, {len(failed)} failed naming a concurrent writer, "
                                f"{redone} merges redone, {len(lost)} silent losses")
            silent[case].extend(lost)
        assert "Base" in stored_sids(endpoint)  # the statement nobody in this play owns is kept
    print("".join(f"\n{case}: " + "; ".join(lines) for case, lines in report.items()))
    assert silent == {case: [] for case in CASES}, report
