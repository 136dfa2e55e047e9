"""ecr_replication_backfill through real ansible-playbook runs against the local ECR endpoint.

The endpoint moves a backfill one status step per List/Describe read of it (each `reads_per_step`
reads, seeded with the images backfills find): PREPARING -> IN_PROGRESS -> COMPLETE (or FAILED when a
backfill failure is seeded); STOPPING -> STOPPED. So the calls each run makes are exact, and so is
the status it sees.
"""

import datetime

import boto3

from ansible_run import ACCESS_KEY, ACCOUNT, OTHER_ACCOUNT, REGION, operations, run_failing, run_playbook, writes

WEST = {"region": "us-west-2", "registryId": ACCOUNT}
DR = {"region": "eu-west-1", "registryId": OTHER_ACCOUNT}
IMAGES = [
    {"repositoryName": "prod/api", "imageTag": "v1"},
    {"repositoryName": "prod/api", "imageDigest": "sha256:" + "a" * 64, "fail": "IMAGE_NOT_FOUND"},
    {"repositoryName": "prod/web", "imageTag": "latest", "fail": "ACCESS_DENIED"},
    {"repositoryName": "prod/web", "imageTag": "v2", "fail": "IMAGE_NOT_FOUND"},
    {"repositoryName": "prod/web", "imageTag": "v3"},
    {"repositoryName": "dev/tool", "imageTag": "v9"},  # no rule sends dev/ anywhere
]
START = ["DescribeRegistry", "ListReplicationBackfills", "StartReplicationBackfill"]


def task(name="backfill", **args):
    return {"name": name, "ecrkit.registry.ecr_replication_backfill": dict({"destination_region": "us-west-2"}, **args)}


def ecr(endpoint):
    return boto3.client("ecr", endpoint_url=endpoint.url, region_name=REGION, aws_access_key_id=ACCESS_KEY, aws_secret_access_key="x")


def replicate(endpoint, *destinations, filters=("prod/",)):
    rule = {"destinations": list(destinations), "repositoryFilters": [{"filter": f, "filterType": "PREFIX_MATCH"} for f in filters]}
    ecr(endpoint).put_replication_configuration(replicationConfiguration={"rules": [rule]})


def prepare(endpoint, *destinations, reads_per_step=1, failure=None):
    """A registry replicating prod/ to `destinations` (WEST by default), with IMAGES to backfill."""
    replicate(endpoint, *(destinations or (WEST,)))
    endpoint.seed_backfill_images(ACCOUNT, REGION, IMAGES, reads_per_step=reads_per_step, failure=failure)
    endpoint.clear_calls()


def stored(endpoint):
    """The backfills as the service has them: (destination region, registry, status), oldest first.
    Reading moves them on, so tests read them last."""
    backfills = ecr(endpoint).get_paginator("list_replication_backfills").paginate().build_full_result()["backfills"]
    return [(b["destination"]["region"], b["destination"]["registryId"], b["status"]) for b in backfills]


def test_start_then_rerun_while_it_runs_starts_nothing(endpoint):
    prepare(endpoint, reads_per_step=10)
    run = run_playbook(endpoint.url, [task(), task()])
    started, rerun = run.tasks
    assert started["changed"] is True
    assert started["actions"] == [f"start a replication backfill to us-west-2 (registry {ACCOUNT})"]
    backfill = started["replication_backfill"]
    assert backfill["status"] == "PREPARING" and backfill["progress"] is None and backfill["ended_at"] is None
    assert backfill["destination"] == {"region": "us-west-2", "registry_id": ACCOUNT}
    assert datetime.datetime.fromisoformat(backfill["started_at"]).tzinfo is not None  # ISO 8601, with its zone
    assert started["registry_id"] == ACCOUNT
    assert "failures" not in started

    assert rerun["changed"] is False
    assert rerun["actions"] == []
    assert rerun["replication_backfill"]["replication_backfill_id"] == backfill["replication_backfill_id"]
    assert operations(endpoint.calls()) == START + ["DescribeRegistry", "ListReplicationBackfills"]
    assert stored(endpoint) == [("us-west-2", ACCOUNT, "PREPARING")]


def test_an_ended_backfill_does_not_count_and_every_page_is_read(endpoint):
    """Ended backfills (here 3, over two pages of 2) are history: the task starts a new one."""
    prepare(endpoint, WEST, DR, reads_per_step=10)
    client = ecr(endpoint)
    for destination in (WEST, DR, WEST):
        backfill_id = client.start_replication_backfill(destination=destination)["replicationBackfillId"]
        client.stop_replication_backfill(replicationBackfillId=backfill_id)  # PREPARING: STOPPED at once
    endpoint.clear_calls()
    result = run_playbook(endpoint.url, [task()], diff=True)[0]
    assert result["changed"] is True
    assert operations(endpoint.calls()) == ["DescribeRegistry", "ListReplicationBackfills", "ListReplicationBackfills", "StartReplicationBackfill"]
    assert result["diff"]["before"]["replication_backfill"]["status"] == "STOPPED"  # the latest to us-west-2
    assert result["diff"]["after"]["replication_backfill"]["status"] == "PREPARING"
    assert stored(endpoint) == [("us-west-2", ACCOUNT, "STOPPED"), ("eu-west-1", OTHER_ACCOUNT, "STOPPED"), ("us-west-2", ACCOUNT, "STOPPED"),
                                ("us-west-2", ACCOUNT, "PREPARING")]


def test_check_mode_writes_nothing_and_predicts_the_backfill(endpoint):
    prepare(endpoint)
    result = run_playbook(endpoint.url, [task(wait=True)], check=True, diff=True)[0]
    assert result["changed"] is True
    assert result["replication_backfill"] == {
        "replication_backfill_id": None, "destination": {"region": "us-west-2", "registry_id": ACCOUNT}, "status": "PREPARING",
        "progress": None, "failure_code": None, "started_at": None, "ended_at": None,
    }
    assert result["diff"] == {"before": {"replication_backfill": None}, "after": {"replication_backfill": result["replication_backfill"]}}
    assert "failures" not in result  # no wait in check mode
    assert writes(endpoint.calls()) == []
    assert operations(endpoint.calls()) == ["DescribeRegistry", "ListReplicationBackfills"]
    assert stored(endpoint) == []


def test_a_destination_not_in_the_replication_configuration_is_refused_before_any_write(endpoint):
    prepare(endpoint)  # us-west-2 in this registry only
    run = run_failing(endpoint.url, [
        (task(destination_region="eu-west-1"), f"destination_region: eu-west-1 (registry {ACCOUNT}) is not a destination of the registry's "
                                               f"replication configuration (its destinations: us-west-2 (registry {ACCOUNT}))"),
        (task(destination_registry_id=OTHER_ACCOUNT), f"us-west-2 (registry {OTHER_ACCOUNT}) is not a destination"),
    ])
    assert all(result["changed"] is False for result in run.tasks)
    assert writes(endpoint.calls()) == []
    ecr(endpoint).put_replication_configuration(replicationConfiguration={"rules": []})
    run_failing(endpoint.url, [(task(), "(its destinations: none: it has no rules)")])
    assert stored(endpoint) == []


def test_a_backfill_running_to_the_region_for_another_registry_is_refused_before_any_write(endpoint):
    other = {"region": "us-west-2", "registryId": OTHER_ACCOUNT}
    prepare(endpoint, WEST, other, reads_per_step=10)
    backfill_id = ecr(endpoint).start_replication_backfill(destination=other)["replicationBackfillId"]
    endpoint.clear_calls()
    run_failing(endpoint.url, [(task(), f"a replication backfill to us-west-2 (registry {OTHER_ACCOUNT}) is PREPARING "
                                        f"(replication_backfill_id {backfill_id}); the service runs one backfill per destination Region")])
    assert writes(endpoint.calls()) == []


def test_stop_then_rerun_changes_nothing(endpoint):
    prepare(endpoint, reads_per_step=10)
    started = run_playbook(endpoint.url, [task()])[0]["replication_backfill"]
    endpoint.clear_calls()
    run = run_playbook(endpoint.url, [task(state="stopped"), task(state="stopped")], diff=True)
    stopped, rerun = run.tasks
    assert stopped["changed"] is True
    assert stopped["actions"] == [f"stop the replication backfill {started['replication_backfill_id']} to us-west-2 (registry {ACCOUNT})"]
    assert stopped["replication_backfill"]["status"] == "STOPPED"  # it was PREPARING: nothing was replicating
    assert stopped["diff"]["before"]["replication_backfill"]["status"] == "PREPARING"
    assert rerun["changed"] is False
    assert rerun["replication_backfill"]["status"] == "STOPPED"  # the latest, ended
    # A stop reads no replication configuration.
    assert operations(endpoint.calls()) == ["ListReplicationBackfills", "StopReplicationBackfill", "ListReplicationBackfills"]
    assert stored(endpoint) == [("us-west-2", ACCOUNT, "STOPPED")]


def test_stop_with_wait_waits_for_stopping_to_end(endpoint):
    prepare(endpoint)
    client = ecr(endpoint)
    backfill_id = client.start_replication_backfill(destination=WEST)["replicationBackfillId"]
    endpoint.clear_calls()
    # The module's list read moves it to IN_PROGRESS, so the stop answers STOPPING; a read ends it.
    result = run_playbook(endpoint.url, [task(state="stopped", wait=True, wait_delay=0)])[0]
    assert result["changed"] is True
    assert result["replication_backfill"]["replication_backfill_id"] == backfill_id
    assert result["replication_backfill"]["status"] == "STOPPED"
    assert result["replication_backfill"]["ended_at"]
    assert result["failures"] == []
    assert operations(endpoint.calls()) == [
        "ListReplicationBackfills", "StopReplicationBackfill", "DescribeReplicationBackfillResults", "DescribeReplicationBackfillResults",
    ]


def test_wait_until_complete_returns_the_failed_images(endpoint):
    prepare(endpoint)
    result = run_playbook(endpoint.url, [task(wait=True, wait_delay=0)])[0]
    assert result["changed"] is True
    backfill = result["replication_backfill"]
    assert backfill["status"] == "COMPLETE"
    assert backfill["ended_at"] and backfill["failure_code"] is None
    assert backfill["progress"] == {"total_replication_count": 5, "completed_replication_count": 2, "failed_replication_count": 3,
                                    "failure_codes": ["IMAGE_NOT_FOUND", "ACCESS_DENIED"]}
    assert result["failures"] == [
        {"repository_name": "prod/api", "image_digest": "sha256:" + "a" * 64, "image_tag": None, "failure_code": "IMAGE_NOT_FOUND",
         "sub_image_failure_codes": []},
        {"repository_name": "prod/web", "image_digest": None, "image_tag": "latest", "failure_code": "ACCESS_DENIED", "sub_image_failure_codes": []},
        {"repository_name": "prod/web", "image_digest": None, "image_tag": "v2", "failure_code": "IMAGE_NOT_FOUND", "sub_image_failure_codes": []},
    ]
    assert any("is COMPLETE, but 3 replication(s) failed (ACCESS_DENIED, IMAGE_NOT_FOUND)" in w for w in result["warnings"])
    # Two reads to end it (PREPARING -> IN_PROGRESS -> COMPLETE), then the 3 failures on pages of 2.
    assert operations(endpoint.calls()) == START + ["DescribeReplicationBackfillResults"] * 4


def test_a_failed_backfill_fails_the_task_with_its_code_and_failures(endpoint):
    prepare(endpoint, failure="REPLICATION_FAILURE_THRESHOLD_EXCEEDED")
    result = run_playbook(endpoint.url, [task(wait=True, wait_delay=0)], expect_ok=False)[0]
    assert result["failed"] is True
    assert result["changed"] is True  # it started the backfill
    assert "FAILED with REPLICATION_FAILURE_THRESHOLD_EXCEEDED: 2 of 5 replications completed, 3 failed" in result["msg"]
    assert "3 failed replication(s) (ACCESS_DENIED, IMAGE_NOT_FOUND); they are in `failures`" in result["msg"]
    assert result["replication_backfill"]["status"] == "FAILED"
    assert result["replication_backfill"]["failure_code"] == "REPLICATION_FAILURE_THRESHOLD_EXCEEDED"
    assert len(result["failures"]) == 3
    assert writes(endpoint.calls()) == [call for call in endpoint.calls() if call["operation"] == "StartReplicationBackfill"]


def test_a_wait_timeout_fails_with_the_last_progress_and_the_backfill_goes_on(endpoint):
    # Two reads per step: the two reads the wait makes in 2 seconds (1 s apart) see IN_PROGRESS at most.
    prepare(endpoint, reads_per_step=2)
    run = run_playbook(endpoint.url, [dict(task(wait=True, wait_timeout=2, wait_delay=1), ignore_errors=True), task()], expect_ok=False)
    timed_out, rerun = run.tasks
    assert timed_out["failed"] is True
    assert timed_out["changed"] is True
    backfill = timed_out["replication_backfill"]
    assert backfill["status"] == "IN_PROGRESS"
    assert f"the replication backfill {backfill['replication_backfill_id']} to us-west-2 (registry {ACCOUNT}) is still IN_PROGRESS " \
           "after wait_timeout=2 seconds: 0 of 5 replications completed, 0 failed. It goes on" in timed_out["msg"]
    assert "failures" not in timed_out
    # Run again, it finds the backfill running.
    assert rerun["changed"] is False
    assert rerun["replication_backfill"]["replication_backfill_id"] == backfill["replication_backfill_id"]
    assert operations(endpoint.calls()) == START + ["DescribeReplicationBackfillResults"] * 2 + ["DescribeRegistry", "ListReplicationBackfills"]


def test_bad_input_is_refused_before_any_call(endpoint):
    prepare(endpoint)
    run_failing(endpoint.url, [
        (task(destination_region="US-WEST-2"), "destination_region: 'US-WEST-2' is not a region name (a-z, 0-9 and -)."),
        (task(destination_region="x" * 26), "destination_region: 'xxxxxxxxxxxxxxxxxxxxxxxxxx' is not a region name (a-z, 0-9 and -): "
                                            "it is 26 characters long, not 2-25."),
        (task(destination_registry_id="12345"), "destination_registry_id: '12345' is not an account ID (12 digits)."),
        (task(wait=True, wait_timeout=0), "wait_timeout: 0 is not a number of seconds above 0."),
        (task(wait=True, wait_delay=-1), "wait_delay: -1 is not a number of seconds of 0 or more."),
        (task(state="paused"), "value of state must be one of: started, stopped"),
    ])
    assert endpoint.calls() == []


def test_throttled_calls_are_retried(endpoint):
    prepare(endpoint)
    endpoint.inject_fault("throttle", 2, operations=["StartReplicationBackfill"])
    endpoint.inject_fault("throttle", 1, operations=["ListReplicationBackfills", "DescribeReplicationBackfillResults"])
    result = run_playbook(endpoint.url, [task(wait=True, wait_delay=0)])[0]
    assert result["changed"] is True
    assert result["replication_backfill"]["status"] == "COMPLETE"
    assert len(result["failures"]) == 3
    starts = [call["error_code"] for call in endpoint.calls() if call["operation"] == "StartReplicationBackfill"]
    assert starts == ["ThrottlingException", "ThrottlingException", None]
    lists = [call["error_code"] for call in endpoint.calls() if call["operation"] == "ListReplicationBackfills"]
    assert lists == ["ThrottlingException", None]
    assert stored(endpoint) == [("us-west-2", ACCOUNT, "COMPLETE")]


def test_a_start_whose_answer_was_lost_finds_its_backfill(endpoint):
    """The start lands, its answer is lost (500), the retry hears "in progress": the task has its backfill."""
    prepare(endpoint, reads_per_step=10)
    endpoint.inject_fault("drop_response", 1, operations=["StartReplicationBackfill"], response="500")
    result = run_playbook(endpoint.url, [task()])[0]
    assert result["changed"] is True
    assert result["replication_backfill"]["status"] == "PREPARING"
    assert any("StartReplicationBackfill found a backfill to us-west-2" in w for w in result["warnings"])
    starts = [call["error_code"] for call in endpoint.calls() if call["operation"] == "StartReplicationBackfill"]
    assert starts == ["ServerException", "ReplicationBackfillInProgressException"]
    assert stored(endpoint) == [("us-west-2", ACCOUNT, "PREPARING")]
