# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Replication backfills: a registry's existing images replicated to one destination of its
replication configuration (Start/Stop/ListReplicationBackfills, DescribeReplicationBackfillResults).

A backfill is a job, not a configuration. The task's resource is "the backfill to the destination"
(a Region and a registry):

- state=started: a backfill to the destination that is running (PREPARING, IN_PROGRESS, STOPPING)
  is already the task's aim: no write. Otherwise one is started. One that has ended does not count:
  the task run again after a backfill ended starts another (that is what a backfill is for).
- state=stopped: a running backfill to the destination is stopped, if it can be (PREPARING,
  IN_PROGRESS); one STOPPING is left to stop.

From the API reference (StartReplicationBackfill, StopReplicationBackfill, the shapes' docs, and
the ECR user guide's "Replication backfill"):

- the destination must already be in the registry's replication configuration: checked here, from
  DescribeRegistry, before any write;
- one backfill in progress per destination Region (ReplicationBackfillInProgressException), whatever
  its registry: a running backfill to the same Region and another registry is refused here, before
  any write; a registry runs at most 10 at once (LimitExceededException, left to the service);
- a new backfill is PREPARING; `progress` is null until it has prepared the images it replicates;
- stopping answers STOPPED, or STOPPING while replications under way finish; only PREPARING and
  IN_PROGRESS backfills can be stopped (ReplicationBackfillInvalidStatusException);
- per-image results exist once the backfill has ended (COMPLETE, FAILED, STOPPED); a backfill fails
  as a whole (FAILED, with its failureCode) when half or more of its replications fail;
- ended backfills are listed for 90 days.

Waiting (`wait`) is read-only and runs outside check mode: it reads the backfill
(DescribeReplicationBackfillResults) every `wait_delay` seconds until it ends or `wait_timeout`
passes, then reads its failed replications (all pages). `run` takes `sleep` and `clock`, so tests
wait without sleeping.
"""

import time

from ansible_collections.ecrkit.registry.plugins.module_utils import ecr
from ansible_collections.ecrkit.registry.plugins.module_utils import field_table
from ansible_collections.ecrkit.registry.plugins.module_utils import replication
from ansible_collections.ecrkit.registry.plugins.module_utils import service_model
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Action
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Plan

RESULT_KEY = "replication_backfill"
# botocore learnt the four backfill operations in this release.
BOTOCORE = "1.43.119"
BOTOCORE_REASON = "to manage replication backfills (StartReplicationBackfill and the other backfill operations)"

# The model's ReplicationBackfillStatus, by what it means to a task (a unit test compares them).
ACTIVE = ("PREPARING", "IN_PROGRESS", "STOPPING")
STOPPABLE = ("PREPARING", "IN_PROGRESS")
TERMINAL = ("COMPLETE", "FAILED", "STOPPED")

# The destination options and the API's ReplicationDestination, with the model's constraints.
DESTINATION_TABLE = [
    field_table.string("destination_region", "region", "Region", "a region name (a-z, 0-9 and -)", required=True),
    field_table.string("destination_registry_id", "registryId", "RegistryId", "an account ID (12 digits)"),
]
ARGUMENT_SPEC = dict(
    field_table.argument_spec(DESTINATION_TABLE),
    state=dict(type="str", choices=["started", "stopped"], default="started"),
    wait=dict(type="bool", default=False),
    wait_timeout=dict(type="int", default=600),
    wait_delay=dict(type="int", default=10),
)


class WaitTimedOut(Exception):
    """The backfill had not ended when `wait_timeout` passed; `backfill` is the last read."""

    def __init__(self, message, backfill):
        super().__init__(message)
        self.backfill = backfill


# Validate


def validate(params):
    """The request, checked with no API call; raises ParameterError naming the option and the rule."""
    destination = field_table.check(DESTINATION_TABLE, "", params)
    if params["wait_timeout"] < 1:
        raise ParameterError(f"wait_timeout: {params['wait_timeout']} is not a number of seconds above 0.")
    if params["wait_delay"] < 0:
        raise ParameterError(f"wait_delay: {params['wait_delay']} is not a number of seconds of 0 or more.")
    return {
        "state": params["state"],
        "region": destination["destination_region"],
        "registry_id": destination["destination_registry_id"],
        "wait": params["wait"],
        "wait_timeout": params["wait_timeout"],
        "wait_delay": params["wait_delay"],
        "warnings": service_model.region_warning("destination_region", destination["destination_region"]),
    }


# Read: the API shapes into the result shape (snake_case, timestamps as ISO 8601 strings)


def timestamp(value):
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def progress_from_api(progress):
    if progress is None:
        return None
    return {
        "total_replication_count": progress.get("totalReplicationCount"),
        "completed_replication_count": progress.get("completedReplicationCount"),
        "failed_replication_count": progress.get("failedReplicationCount"),
        "failure_codes": list(progress.get("failureCodes") or []),
    }


def backfill_from_api(backfill):
    """A ReplicationBackfillSummary, a Start or Stop response, or a DescribeReplicationBackfillResults
    response, as the task returns a backfill."""
    destination = backfill.get("destination") or {}
    return {
        "replication_backfill_id": backfill.get("replicationBackfillId"),
        "destination": {"region": destination.get("region"), "registry_id": destination.get("registryId")},
        "status": backfill.get("status"),
        "progress": progress_from_api(backfill.get("progress")),
        "failure_code": backfill.get("failureCode"),
        "started_at": timestamp(backfill.get("startedAt")),
        "ended_at": timestamp(backfill.get("endedAt")),
    }


def failure_from_api(result):
    """A failed ReplicationBackfillResult: one image (and tag) that did not replicate."""
    image = result.get("imageId") or {}
    return {
        "repository_name": result.get("repositoryName"),
        "image_digest": image.get("imageDigest"),
        "image_tag": image.get("imageTag"),
        "failure_code": result.get("failureCode"),
        "sub_image_failure_codes": list(result.get("subImageFailureCodes") or []),
    }


def list_backfills(client):
    """(registry ID or None, every listed backfill in the result shape)."""
    listed = ecr.list_replication_backfills(client)
    return listed["registryId"], [backfill_from_api(backfill) for backfill in listed["backfills"]]


def read(client, request):
    """{registry_id, rules (state=started only, else None), backfills}. state=started reads the
    replication configuration first: its destinations are what a backfill may target."""
    rules = registry_id = None
    if request["state"] == "started":
        configuration = replication.read(client, None)
        registry_id, rules = configuration["registry_id"], configuration["rules"]
    listed_registry_id, backfills = list_backfills(client)
    registry_id = registry_id or listed_registry_id
    if registry_id is None and request["registry_id"] is None:
        registry_id = ecr.describe_registry(client)["registryId"]  # the default destination registry
    return {"registry_id": registry_id, "rules": rules, "backfills": backfills}


# Plan


def describe_destination(destination):
    return f"{destination['region']} (registry {destination['registry_id']})"


def running_to(destination, backfills):
    """The running backfill to `destination` (the latest, should there be more), or None."""
    running = [backfill for backfill in backfills if backfill["destination"] == destination and backfill["status"] in ACTIVE]
    return latest(running)


def latest(backfills):
    return max(backfills, key=lambda backfill: backfill["started_at"] or "") if backfills else None


def check_configured(destination, rules):
    """A backfill replicates to a destination of the replication configuration only."""
    configured = [
        {"region": d["region"], "registry_id": d["registry_id"]} for rule in rules for d in rule["destinations"]
    ]
    if destination not in configured:
        named = ", ".join(sorted({describe_destination(d) for d in configured})) or "none: it has no rules"
        raise ParameterError(
            f"destination_region: {describe_destination(destination)} is not a destination of the registry's replication "
            f"configuration (its destinations: {named}); a backfill replicates only to a configured destination. "
            "Add it first (ecrkit.registry.ecr_replication)."
        )


def check_region_free(destination, backfills):
    """The service runs one backfill per destination Region at a time, whatever the registry."""
    for backfill in backfills:
        if backfill["status"] in ACTIVE and backfill["destination"]["region"] == destination["region"]:
            other = backfill["destination"]["registry_id"]
            raise ParameterError(
                f"destination_region: a replication backfill to {describe_destination(backfill['destination'])} is {backfill['status']} "
                f"(replication_backfill_id {backfill['replication_backfill_id']}); the service runs one backfill per destination "
                f"Region at a time. Run the task again once it has ended, or stop it (state=stopped, destination_registry_id={other})."
            )


def predicted_start(destination):
    """A backfill as StartReplicationBackfill answers it, before it is started (check mode)."""
    return {
        "replication_backfill_id": None,
        "destination": dict(destination),
        "status": "PREPARING",
        "progress": None,
        "failure_code": None,
        "started_at": None,
        "ended_at": None,
    }


def start_action(destination, warnings):
    def start(client):
        try:
            return backfill_from_api(ecr.start_replication_backfill(client, field_table.to_api(DESTINATION_TABLE, {
                "destination_region": destination["region"], "destination_registry_id": destination["registry_id"]})))
        except ecr.backfill_in_progress():
            # A retried start whose first response was lost, or another task that started it at the
            # same time: either way the destination has its backfill.
            found = running_to(destination, list_backfills(client)[1])
            if found is None:
                raise
            warnings.append(
                f"StartReplicationBackfill found a backfill to {describe_destination(destination)} in progress "
                f"({found['replication_backfill_id']}): an earlier attempt of this task whose answer was lost, or another writer."
            )
            return found

    return Action(f"start a replication backfill to {describe_destination(destination)}", start)


def stop_action(running, warnings):
    backfill_id = running["replication_backfill_id"]

    def stop(client):
        try:
            stopped = backfill_from_api(ecr.stop_replication_backfill(client, backfill_id))
        except ecr.backfill_invalid_status():
            # It ended or is stopping since it was read (or a retried stop's first attempt landed).
            found = [backfill for backfill in list_backfills(client)[1] if backfill["replication_backfill_id"] == backfill_id]
            if not found or found[0]["status"] in STOPPABLE:
                raise
            warnings.append(f"the replication backfill {backfill_id} was {found[0]['status']} when stopped: it had ended or was stopping already.")
            return found[0]
        # The stop answer has no progress: keep the last one read.
        return dict(running, **{key: value for key, value in stopped.items() if value is not None and key != "destination"})

    return Action(f"stop the replication backfill {backfill_id} to {describe_destination(running['destination'])}", stop)


def plan(request, current):
    """The Plan of the task: before and after are "the backfill to the destination" (result shape)."""
    destination = {"region": request["region"], "registry_id": request["registry_id"] or current["registry_id"]}
    mine = [backfill for backfill in current["backfills"] if backfill["destination"] == destination]
    running = running_to(destination, mine)
    before = running or latest(mine)
    warnings = list(request.get("warnings", []))
    extra = {"registry_id": current["registry_id"]}

    if request["state"] == "started":
        check_configured(destination, current["rules"])
        if running:
            if running["status"] == "STOPPING":
                warnings.append(
                    f"the replication backfill {running['replication_backfill_id']} to {describe_destination(destination)} is STOPPING; "
                    "a new one can start once it has STOPPED: run the task again then."
                )
            return Plan(before, running, [], extra=extra, warnings=warnings)
        check_region_free(destination, current["backfills"])
        started = Plan(before, predicted_start(destination), extra=extra, warnings=warnings)
        started.actions = [start_action(destination, started.warnings)]  # its notes are the plan's warnings
        return started

    if running and running["status"] in STOPPABLE:
        # The service stops a backfill with nothing replicating at once; else it is STOPPING a while.
        predicted = dict(running, status="STOPPED" if running["status"] == "PREPARING" else "STOPPING")
        stopped = Plan(before, predicted, extra=extra, warnings=warnings)
        stopped.actions = [stop_action(running, stopped.warnings)]
        return stopped
    return Plan(before, before, [], extra=extra, warnings=warnings)


# Wait


def describe_progress(backfill):
    progress = backfill["progress"]
    if progress is None:
        return "its progress is not known until it has prepared the images it replicates"
    codes = f" ({', '.join(progress['failure_codes'])})" if progress["failure_codes"] else ""
    return (
        f"{progress['completed_replication_count']} of {progress['total_replication_count']} replications completed, "
        f"{progress['failed_replication_count']} failed{codes}"
    )


def wait_for(read_backfill, backfill, timeout, delay, sleep=time.sleep, clock=time.monotonic):
    """The backfill once it has ended: read with `read_backfill(id)` every `delay` seconds. Raises
    WaitTimedOut, with the last read, when it is still running after `timeout` seconds."""
    deadline = clock() + timeout
    while backfill["status"] not in TERMINAL:
        remaining = deadline - clock()
        if remaining <= 0:
            raise WaitTimedOut(
                f"the replication backfill {backfill['replication_backfill_id']} to {describe_destination(backfill['destination'])} "
                f"is still {backfill['status']} after wait_timeout={timeout} seconds: {describe_progress(backfill)}. It goes on; "
                "run the task again to wait more (it finds this backfill running and starts no other).",
                backfill,
            )
        sleep(min(delay, remaining))
        backfill = read_backfill(backfill["replication_backfill_id"])
    return backfill


def outcome(request, backfill, failures, warnings):
    """The failure message of a waited task, or None; per-image failures of a COMPLETE backfill warn."""
    name = f"the replication backfill {backfill['replication_backfill_id']} to {describe_destination(backfill['destination'])}"
    codes = sorted({failure["failure_code"] for failure in failures if failure["failure_code"]})
    named = f" ({', '.join(codes)})" if codes else ""
    listed = f"{named}; they are in `failures`" if failures else ""
    if request["state"] == "started" and backfill["status"] == "FAILED":
        code = f" with {backfill['failure_code']}" if backfill["failure_code"] else ""
        return f"{name} FAILED{code}: {describe_progress(backfill)}. {len(failures)} failed replication(s){listed}."
    if request["state"] == "started" and backfill["status"] == "STOPPED":
        return f"{name} was STOPPED before it completed: {describe_progress(backfill)}. Run the task again to start another."
    if failures:
        warnings.append(f"{name} is {backfill['status']}, but {len(failures)} replication(s) failed{listed}.")
    return None


# Run


def result_of(module, plan, after, extra):
    """The task's result (and its warnings), in the runner's conventions."""
    for warning in plan.warnings:
        module.warn(warning)
    result = dict(changed=plan.changed, **plan.extra, **extra)
    result[RESULT_KEY] = after
    result["actions"] = [action.description for action in plan.actions]
    if module._diff:
        result["diff"] = {"before": {RESULT_KEY: plan.before}, "after": {RESULT_KEY: after}}
    return result


def run(module, sleep=time.sleep, clock=time.monotonic):
    """The runner's flow (validate, read, plan, write unless check mode, result and diff), then the
    optional wait; exits the module."""
    module.require_botocore_at_least(BOTOCORE, reason=BOTOCORE_REASON)
    try:
        request = validate(module.params)
    except ParameterError as e:
        module.fail_json(msg=str(e))

    plan_ = after = None
    extra, wrote, failure = {}, False, None
    try:
        client = ecr.ecr_client(module)
        plan_ = plan(request, read(client, request))
        after = plan_.after
        if plan_.actions and not module.check_mode:
            for action in plan_.actions:
                after = action.apply(client)
            wrote = True
        # Wait for the backfill the task started, stopped or found running; not for one that had ended.
        if request["wait"] and not module.check_mode and after is not None and (plan_.actions or after["status"] not in TERMINAL):
            after = wait_for(
                lambda backfill_id: backfill_from_api(ecr.describe_replication_backfill(client, backfill_id)),
                after, request["wait_timeout"], request["wait_delay"], sleep, clock,
            )
            extra["failures"] = [failure_from_api(result) for result in ecr.describe_replication_backfill_failures(client, after["replication_backfill_id"])]
            failure = outcome(request, after, extra["failures"], plan_.warnings)
    except ParameterError as e:
        module.fail_json(msg=str(e))
    except WaitTimedOut as e:
        module.fail_json(msg=str(e), **result_of(module, plan_, e.backfill, extra))
    except ecr.AnsibleEcrError as e:
        # After a write, say what it did: the task changed the registry even though it failed.
        partial = result_of(module, plan_, after, extra) if wrote else {}
        if e.exception:
            module.fail_json_aws(e.exception, msg=e.message, **partial)
        module.fail_json(msg=e.message, **partial)

    result = result_of(module, plan_, after, extra)
    if failure:
        module.fail_json(msg=failure, **result)
    module.exit_json(**result)
