"""Replication backfills: the checks before any call, the plan per state, the writes (through
botocore's Stubber, which also checks each request against the ECR model), and the wait loop with a
fake clock. No endpoint, no sleeping."""

import datetime

import boto3
import botocore.session
import pytest
from botocore.stub import Stubber

from ansible_collections.ecrkit.registry.plugins.module_utils import replication_backfill as backfill
from ansible_collections.ecrkit.registry.plugins.module_utils.ecr import AnsibleEcrError
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError

ACCOUNT = "123456789012"
OTHER = "210987654321"
WEST = {"region": "us-west-2", "registry_id": ACCOUNT}
ID = "0a1b2c3d-0000-4000-8000-000000000001"
OLD_ID = "0a1b2c3d-0000-4000-8000-000000000000"
STARTED = datetime.datetime(2026, 11, 29, 12, 0, tzinfo=datetime.timezone.utc)


def params(**given):
    return dict(
        {"destination_region": "us-west-2", "destination_registry_id": None, "state": "started", "wait": False, "wait_timeout": 600,
         "wait_delay": 10}, **given)


def request(**given):
    return backfill.validate(params(**given))


def summary(status, backfill_id=ID, destination=None, progress=None, started="2026-11-29T12:00:00+00:00", **more):
    """A backfill in the result shape (to WEST unless `destination` says)."""
    return dict({"replication_backfill_id": backfill_id, "destination": dict(destination or WEST), "status": status, "progress": progress,
                 "failure_code": None, "started_at": started, "ended_at": None}, **more)


def current(backfills=(), destinations=(WEST,)):
    rules = [{"destinations": [dict(d) for d in destinations], "repository_filters": []}] if destinations else []
    return {"registry_id": ACCOUNT, "rules": rules, "backfills": list(backfills)}


def model():
    return botocore.session.get_session().get_service_model("ecr")


# The model


def test_the_statuses_are_the_models_and_each_is_running_or_ended():
    statuses = model().shape_for("ReplicationBackfillStatus").enum
    assert sorted(backfill.ACTIVE + backfill.TERMINAL) == sorted(statuses)
    assert set(backfill.STOPPABLE) < set(backfill.ACTIVE)


def test_the_minimum_botocore_is_the_first_with_the_operations():
    # The installed botocore has them; the floor is the release that added them (1.43.119).
    assert "StartReplicationBackfill" in model().operation_names
    assert backfill.BOTOCORE == "1.43.119"


# Validate: no API call


def test_defaults_are_a_destination_in_this_registry_and_no_wait():
    assert request() == {"state": "started", "region": "us-west-2", "registry_id": None, "wait": False, "wait_timeout": 600,
                         "wait_delay": 10, "warnings": []}


@pytest.mark.parametrize("given, message", [
    ({"destination_region": "US-WEST-2"}, r"^destination_region: 'US-WEST-2' is not a region name \(a-z, 0-9 and -\)\.$"),
    ({"destination_region": "u"}, r"^destination_region: 'u' is not a region name .*: it is 1 characters long, not 2-25\.$"),
    ({"destination_region": "a" * 26}, r"^destination_region: 'a{26}' is not a region name .*: it is 26 characters long, not 2-25\.$"),
    ({"destination_registry_id": "12345"}, r"^destination_registry_id: '12345' is not an account ID \(12 digits\)\.$"),
    ({"destination_registry_id": "12345678901a"}, r"^destination_registry_id: '12345678901a' is not an account ID"),
    ({"wait_timeout": 0}, r"^wait_timeout: 0 is not a number of seconds above 0\.$"),
    ({"wait_timeout": -5}, r"^wait_timeout: -5 is not a number of seconds above 0\.$"),
    ({"wait_delay": -1}, r"^wait_delay: -1 is not a number of seconds of 0 or more\.$"),
])
def test_bad_input_is_refused_naming_the_option_and_the_rule(given, message):
    with pytest.raises(ParameterError, match=message):
        backfill.validate(params(**given))


def test_a_zero_wait_delay_is_allowed():
    assert request(wait_delay=0)["wait_delay"] == 0


def test_an_unknown_region_warns_but_the_service_decides():
    assert request(destination_region="xx-nowhere-9")["warnings"] == [
        f"destination_region: 'xx-nowhere-9' is not a region that botocore {botocore.__version__} knows; check the name "
        "(a region newer than botocore is fine: the service decides)."
    ]


# Read: API shapes to the result shape


def test_a_summary_becomes_the_result_shape_with_iso_timestamps():
    api = {"replicationBackfillId": ID, "destination": {"region": "us-west-2", "registryId": ACCOUNT}, "status": "COMPLETE",
           "progress": {"totalReplicationCount": 3, "completedReplicationCount": 2, "failedReplicationCount": 1, "failureCodes": ["X"]},
           "startedAt": STARTED, "endedAt": STARTED + datetime.timedelta(minutes=5)}
    assert backfill.backfill_from_api(api) == {
        "replication_backfill_id": ID, "destination": WEST, "status": "COMPLETE",
        "progress": {"total_replication_count": 3, "completed_replication_count": 2, "failed_replication_count": 1, "failure_codes": ["X"]},
        "failure_code": None, "started_at": "2026-11-29T12:00:00+00:00", "ended_at": "2026-11-29T12:05:00+00:00",
    }


def test_a_failed_result_becomes_a_failure():
    api = {"repositoryName": "prod/web", "imageId": {"imageDigest": "sha256:" + "a" * 64, "imageTag": "v1"}, "status": "FAILED",
           "failureCode": "IMAGE_TOO_LARGE", "subImageFailureCodes": ["A", "B"]}
    assert backfill.failure_from_api(api) == {"repository_name": "prod/web", "image_digest": "sha256:" + "a" * 64, "image_tag": "v1",
                                              "failure_code": "IMAGE_TOO_LARGE", "sub_image_failure_codes": ["A", "B"]}
    assert backfill.failure_from_api({"repositoryName": "r", "imageId": {"imageTag": "t"}, "status": "FAILED"})["sub_image_failure_codes"] == []


# Plan: state=started


def test_a_destination_not_in_the_replication_configuration_is_refused():
    with pytest.raises(ParameterError, match=r"^destination_region: eu-west-1 \(registry 123456789012\) is not a destination of the "
                                             r"registry's replication configuration \(its destinations: us-west-2 \(registry 123456789012\)\)"):
        backfill.plan(request(destination_region="eu-west-1"), current())
    with pytest.raises(ParameterError, match=r"its destinations: none: it has no rules"):
        backfill.plan(request(), current(destinations=()))
    # The same Region in another registry is another destination.
    with pytest.raises(ParameterError, match=r"us-west-2 \(registry 210987654321\) is not a destination"):
        backfill.plan(request(destination_registry_id=OTHER), current())


def test_no_backfill_running_plans_one_start_and_predicts_it_preparing():
    plan = backfill.plan(request(), current())
    assert [action.description for action in plan.actions] == ["start a replication backfill to us-west-2 (registry 123456789012)"]
    assert plan.before is None
    assert plan.after == {"replication_backfill_id": None, "destination": WEST, "status": "PREPARING", "progress": None,
                          "failure_code": None, "started_at": None, "ended_at": None}
    assert plan.extra == {"registry_id": ACCOUNT}


@pytest.mark.parametrize("status", ["PREPARING", "IN_PROGRESS", "STOPPING"])
def test_a_running_backfill_to_the_destination_is_the_aim_already(status):
    running = summary(status)
    plan = backfill.plan(request(), current([summary("COMPLETE", OLD_ID, started="2026-11-01T00:00:00+00:00"), running]))
    assert plan.actions == []
    assert plan.before == plan.after == running
    assert bool(plan.warnings) == (status == "STOPPING")


def test_an_ended_backfill_does_not_count_another_is_started():
    ended = summary("COMPLETE", OLD_ID)
    plan = backfill.plan(request(), current([ended, summary("FAILED", "0a1b2c3d-0000-4000-8000-000000000002", started="2026-01-01")]))
    assert len(plan.actions) == 1
    assert plan.before == ended  # the latest to the destination
    assert plan.after["status"] == "PREPARING"


def test_a_backfill_running_to_the_same_region_in_another_registry_is_refused_before_any_write():
    other = {"region": "us-west-2", "registry_id": OTHER}
    with pytest.raises(ParameterError, match=r"^destination_region: a replication backfill to us-west-2 \(registry 210987654321\) is "
                                             r"IN_PROGRESS .*one backfill per destination Region at a time.*destination_registry_id=210987654321"):
        backfill.plan(request(), current([summary("IN_PROGRESS", destination=other)], destinations=(WEST, other)))
    # Ended, it is no obstacle; another Region never is.
    assert backfill.plan(request(), current([summary("STOPPED", destination=other)], destinations=(WEST, other))).actions
    east = {"region": "us-east-2", "registry_id": ACCOUNT}
    assert backfill.plan(request(), current([summary("IN_PROGRESS", destination=east)], destinations=(WEST, east))).actions


# Plan: state=stopped


@pytest.mark.parametrize("status, predicted", [("PREPARING", "STOPPED"), ("IN_PROGRESS", "STOPPING")])
def test_a_stoppable_backfill_is_stopped(status, predicted):
    running = summary(status)
    plan = backfill.plan(request(state="stopped"), {"registry_id": ACCOUNT, "rules": None, "backfills": [running]})
    assert [action.description for action in plan.actions] == [f"stop the replication backfill {ID} to us-west-2 (registry 123456789012)"]
    assert plan.before == running
    assert plan.after == dict(running, status=predicted)


@pytest.mark.parametrize("backfills, after", [
    ([], None),
    ([summary("COMPLETE")], summary("COMPLETE")),
    ([summary("STOPPING")], summary("STOPPING")),
    ([summary("IN_PROGRESS", destination={"region": "us-west-2", "registry_id": OTHER})], None),  # not this destination
])
def test_nothing_to_stop_is_no_write(backfills, after):
    plan = backfill.plan(request(state="stopped"), {"registry_id": ACCOUNT, "rules": None, "backfills": backfills})
    assert plan.actions == []
    assert plan.after == after


def test_stopping_does_not_need_the_destination_in_the_replication_configuration():
    """A destination removed from the configuration can still have its backfill stopped."""
    running = summary("IN_PROGRESS", destination={"region": "eu-west-1", "registry_id": ACCOUNT})
    plan = backfill.plan(request(state="stopped", destination_region="eu-west-1"), {"registry_id": ACCOUNT, "rules": None, "backfills": [running]})
    assert len(plan.actions) == 1


# The writes, through a stubbed client


@pytest.fixture
def client():
    ecr = boto3.client("ecr", region_name="us-east-1", aws_access_key_id="AKIAEXAMPLE", aws_secret_access_key="x")
    with Stubber(ecr) as stubber:
        ecr.stubber = stubber
        yield ecr
        stubber.assert_no_pending_responses()


def api_backfill(status, backfill_id=ID, region="us-west-2", registry_id=ACCOUNT, **more):
    return dict({"replicationBackfillId": backfill_id, "destination": {"region": region, "registryId": registry_id}, "status": status,
                 "startedAt": STARTED}, **more)


def test_start_sends_the_destination_and_returns_the_new_backfill(client):
    client.stubber.add_response("start_replication_backfill", dict(api_backfill("PREPARING"), registryId=ACCOUNT),
                                {"destination": {"region": "us-west-2", "registryId": ACCOUNT}})
    plan = backfill.plan(request(), current())
    assert plan.actions[0].apply(client) == summary("PREPARING")


def test_a_start_that_finds_its_backfill_in_progress_returns_it(client):
    """A retried start whose first answer was lost: the service says in progress; the list has it."""
    client.stubber.add_client_error("start_replication_backfill", "ReplicationBackfillInProgressException", "in progress")
    client.stubber.add_response("list_replication_backfills", {"registryId": ACCOUNT, "backfills": [api_backfill("PREPARING")]}, {})
    plan = backfill.plan(request(), current())
    assert plan.actions[0].apply(client) == summary("PREPARING")
    assert "found a backfill to us-west-2 (registry 123456789012) in progress" in plan.warnings[0]


def test_a_start_in_progress_elsewhere_in_the_region_still_fails(client):
    client.stubber.add_client_error("start_replication_backfill", "ReplicationBackfillInProgressException", "in progress")
    client.stubber.add_response("list_replication_backfills", {"registryId": ACCOUNT, "backfills": [api_backfill("PREPARING", registry_id=OTHER)]}, {})
    with pytest.raises(AnsibleEcrError, match="start the replication backfill"):
        backfill.plan(request(), current()).actions[0].apply(client)


def test_stop_keeps_the_last_progress_read(client):
    progress = {"total_replication_count": 4, "completed_replication_count": 1, "failed_replication_count": 0, "failure_codes": []}
    client.stubber.add_response("stop_replication_backfill", dict(api_backfill("STOPPING"), registryId=ACCOUNT), {"replicationBackfillId": ID})
    plan = backfill.plan(request(state="stopped"), {"registry_id": ACCOUNT, "rules": None, "backfills": [summary("IN_PROGRESS", progress=progress)]})
    assert plan.actions[0].apply(client) == summary("STOPPING", progress=progress)


def test_a_stop_of_a_backfill_that_ended_meanwhile_returns_it(client):
    client.stubber.add_client_error("stop_replication_backfill", "ReplicationBackfillInvalidStatusException", "cannot be stopped")
    client.stubber.add_response("list_replication_backfills", {"backfills": [api_backfill("COMPLETE", endedAt=STARTED)]}, {})
    plan = backfill.plan(request(state="stopped"), {"registry_id": ACCOUNT, "rules": None, "backfills": [summary("IN_PROGRESS")]})
    assert plan.actions[0].apply(client)["status"] == "COMPLETE"
    assert "was COMPLETE when stopped" in plan.warnings[0]


def test_read_follows_every_page_and_takes_the_destinations(client):
    client.stubber.add_response("describe_registry", {"registryId": ACCOUNT, "replicationConfiguration": {"rules": [
        {"destinations": [{"region": "us-west-2", "registryId": ACCOUNT}]}]}}, {})
    client.stubber.add_response("list_replication_backfills", {"registryId": ACCOUNT, "backfills": [api_backfill("COMPLETE", OLD_ID)],
                                                               "nextToken": "t1"}, {})
    client.stubber.add_response("list_replication_backfills", {"registryId": ACCOUNT, "backfills": [api_backfill("IN_PROGRESS")]},
                                {"nextToken": "t1"})
    read = backfill.read(client, request())
    assert [b["replication_backfill_id"] for b in read["backfills"]] == [OLD_ID, ID]
    assert read["rules"][0]["destinations"] == [WEST]
    assert read["registry_id"] == ACCOUNT


def test_read_for_a_stop_does_not_read_the_replication_configuration(client):
    client.stubber.add_response("list_replication_backfills", {"registryId": ACCOUNT, "backfills": []}, {})
    assert backfill.read(client, request(state="stopped")) == {"registry_id": ACCOUNT, "rules": None, "backfills": []}


def test_failures_are_read_with_the_failed_filter_on_every_page(client):
    failed = {"repositoryName": "prod/web", "imageId": {"imageTag": "v1"}, "status": "FAILED", "failureCode": "X"}
    expected = {"replicationBackfillId": ID, "resultStatusFilter": "FAILED"}
    client.stubber.add_response("describe_replication_backfill_results", {"results": [failed], "nextToken": "n"}, expected)
    client.stubber.add_response("describe_replication_backfill_results", {"results": [dict(failed, repositoryName="prod/api")]},
                                dict(expected, nextToken="n"))
    from ansible_collections.ecrkit.registry.plugins.module_utils import ecr
    assert [r["repositoryName"] for r in ecr.describe_replication_backfill_failures(client, ID)] == ["prod/web", "prod/api"]


# Wait


class Clock:
    """A fake clock that sleep moves on; records the sleeps."""

    def __init__(self):
        self.now, self.sleeps = 1000.0, []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def reader(*statuses, progress=None):
    reads = []

    def read(backfill_id):
        reads.append(backfill_id)
        return summary(statuses[min(len(reads), len(statuses)) - 1], progress=progress)

    read.reads = reads
    return read


def test_wait_reads_every_delay_until_the_backfill_ends():
    clock, read = Clock(), reader("IN_PROGRESS", "IN_PROGRESS", "COMPLETE")
    ended = backfill.wait_for(read, summary("PREPARING"), timeout=600, delay=10, sleep=clock.sleep, clock=clock)
    assert ended["status"] == "COMPLETE"
    assert read.reads == [ID, ID, ID]
    assert clock.sleeps == [10, 10, 10]


def test_an_ended_backfill_needs_no_wait():
    clock, read = Clock(), reader("COMPLETE")
    assert backfill.wait_for(read, summary("STOPPED"), 600, 10, clock.sleep, clock)["status"] == "STOPPED"
    assert read.reads == [] and clock.sleeps == []


def test_wait_times_out_with_the_last_progress_after_a_last_read_at_the_deadline():
    progress = {"total_replication_count": 10, "completed_replication_count": 3, "failed_replication_count": 1, "failure_codes": ["E1"]}
    clock, read = Clock(), reader("IN_PROGRESS", progress=progress)
    with pytest.raises(backfill.WaitTimedOut) as raised:
        backfill.wait_for(read, summary("PREPARING"), timeout=25, delay=10, sleep=clock.sleep, clock=clock)
    assert clock.sleeps == [10, 10, 5]  # the last sleep ends at the deadline, and the state is read then
    assert len(read.reads) == 3
    assert raised.value.backfill["progress"] == progress
    assert str(raised.value) == (
        f"the replication backfill {ID} to us-west-2 (registry 123456789012) is still IN_PROGRESS after wait_timeout=25 seconds: "
        "3 of 10 replications completed, 1 failed (E1). It goes on; run the task again to wait more "
        "(it finds this backfill running and starts no other)."
    )


def test_a_timeout_while_preparing_says_the_progress_is_not_known_yet():
    clock = Clock()
    with pytest.raises(backfill.WaitTimedOut, match="is still PREPARING after wait_timeout=1 seconds: its progress is not known until"):
        backfill.wait_for(reader("PREPARING"), summary("PREPARING"), 1, 1, clock.sleep, clock)


def test_a_zero_delay_still_ends_at_the_timeout():
    clock, read = Clock(), reader("IN_PROGRESS")
    clock.sleep = lambda seconds: setattr(clock, "now", clock.now + 0.25)  # each read takes a while
    with pytest.raises(backfill.WaitTimedOut):
        backfill.wait_for(read, summary("PREPARING"), 1, 0, clock.sleep, clock)
    assert len(read.reads) == 4


# The outcome of a waited task


FAILURE = {"repository_name": "prod/web", "image_digest": None, "image_tag": "v1", "failure_code": "IMAGE_TOO_LARGE", "sub_image_failure_codes": []}
ENDED_PROGRESS = {"total_replication_count": 4, "completed_replication_count": 3, "failed_replication_count": 1, "failure_codes": ["IMAGE_TOO_LARGE"]}


def test_a_complete_backfill_succeeds_and_warns_of_its_failed_images():
    warnings = []
    assert backfill.outcome(request(), summary("COMPLETE", progress=ENDED_PROGRESS), [FAILURE], warnings) is None
    assert warnings == [f"the replication backfill {ID} to us-west-2 (registry 123456789012) is COMPLETE, but 1 replication(s) failed "
                        "(IMAGE_TOO_LARGE); they are in `failures`."]
    warnings = []
    assert backfill.outcome(request(), summary("COMPLETE"), [], warnings) is None
    assert warnings == []


def test_a_failed_backfill_fails_the_task_with_its_code_and_failures():
    message = backfill.outcome(request(), summary("FAILED", progress=ENDED_PROGRESS, failure_code="REPLICATION_FAILURE_THRESHOLD"), [FAILURE], [])
    assert message == (f"the replication backfill {ID} to us-west-2 (registry 123456789012) FAILED with REPLICATION_FAILURE_THRESHOLD: "
                       "3 of 4 replications completed, 1 failed (IMAGE_TOO_LARGE). 1 failed replication(s) (IMAGE_TOO_LARGE); they are in `failures`.")


def test_a_backfill_stopped_under_a_started_task_fails_it_but_not_a_stopped_task():
    assert "was STOPPED before it completed" in backfill.outcome(request(), summary("STOPPED"), [], [])
    assert backfill.outcome(request(state="stopped"), summary("STOPPED"), [], []) is None
