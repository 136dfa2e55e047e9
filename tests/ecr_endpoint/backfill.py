"""Replication backfills: replicate a registry's existing images to one destination of its
replication configuration, with a status that moves on as clients read it.

From the API reference (StartReplicationBackfill and the model's documentation):
- the destination must already be in the registry's replication configuration (the error is not
  named; InvalidParameterException, ECR's answer to a bad parameter, is assumed);
- one backfill in progress per destination Region (ReplicationBackfillInProgressException), at
  most 10 in progress per registry (LimitExceededException);
- a new backfill is PREPARING; `progress` is null until preparation has chosen the images, so it
  stays null for a backfill stopped while PREPARING; per-image results exist only once it is
  terminal (COMPLETE, FAILED, STOPPED);
- stopping answers STOPPED when nothing is replicating (a PREPARING backfill), else STOPPING until
  the replications under way finish; stopping a terminal or STOPPING backfill is
  ReplicationBackfillInvalidStatusException;
- ListReplicationBackfills pages 25 by default (at most 50, the model's FiftyMaxResults),
  DescribeReplicationBackfillResults 100.

Per-image failures (ReplicationError codes) are counted in `progress` and reported per result;
they do not fail the backfill, which ends COMPLETE. FAILED and the backfill's own `failureCode`
(a ReplicationBackfillError, a different shape) are for the backfill failing as a whole. That
reading of the two shapes is ours: the reference does not spell it out.

The endpoint stores no images, so tests seed the images a backfill finds (POST
/_control/backfill_images, see seed_images). Progress is deterministic: every List or Describe
read of an unfinished backfill counts, and each `reads_per_step` reads (1 by default) move it one
step: PREPARING -> IN_PROGRESS (the matching seeded images are chosen) -> COMPLETE, or FAILED when
a backfill failure was seeded; STOPPING -> STOPPED. The state shown is the one after the read's
step. All of a backfill's images replicate at that last step, so one stopped while IN_PROGRESS
replicated none.
"""

import uuid

from . import paging
from .errors import EcrError, invalid_parameter
from .state import now

MAX_IN_PROGRESS = 10
LIST_DEFAULT_PAGE = 25
RESULTS_DEFAULT_PAGE = 100
ACTIVE = ("PREPARING", "IN_PROGRESS", "STOPPING")
TERMINAL = ("COMPLETE", "FAILED", "STOPPED")
IMAGE_FIELDS = {"repositoryName", "imageTag", "imageDigest", "fail"}


def start_backfill(ctx, params):
    registry_id, registry = ctx.registry(params.get("registryId"))
    destination = params["destination"]
    if not _configured(registry, destination):
        raise invalid_parameter(
            "destination",
            f"The destination {destination['registryId']} in {destination['region']} is not in the registry's replication configuration",
        )
    active = [backfill for backfill in registry.backfills.values() if backfill["status"] in ACTIVE]
    if any(backfill["destination"]["region"] == destination["region"] for backfill in active):
        raise EcrError(
            "ReplicationBackfillInProgressException",
            f"A replication backfill is already in progress for the destination Region {destination['region']}",
        )
    if len(active) >= MAX_IN_PROGRESS:
        raise EcrError(
            "LimitExceededException",
            f"The registry with id '{registry_id}' already has {MAX_IN_PROGRESS} replication backfills in progress",
        )
    backfill = {
        "replicationBackfillId": str(uuid.uuid4()),
        "destination": {"region": destination["region"], "registryId": destination["registryId"]},
        "status": "PREPARING",
        "startedAt": now(),
        "endedAt": None,
        "failureCode": None,
        "images": None,  # chosen when preparation ends
        "failure": registry.backfill_failure,
        "reads": 0,
        "seq": len(registry.backfills),
    }
    registry.backfills[backfill["replicationBackfillId"]] = backfill
    return {"registryId": registry_id, **_pick(backfill, ("replicationBackfillId", "destination", "status", "startedAt"))}


def stop_backfill(ctx, params):
    registry_id, registry = ctx.registry(params.get("registryId"))
    backfill = _existing(registry_id, registry, params["replicationBackfillId"])
    if backfill["status"] == "PREPARING":
        _end(backfill, "STOPPED")
    elif backfill["status"] == "IN_PROGRESS":
        backfill.update(status="STOPPING", reads=0)
    else:
        raise EcrError(
            "ReplicationBackfillInvalidStatusException",
            f"The replication backfill {backfill['replicationBackfillId']} cannot be stopped in status {backfill['status']}",
        )
    return {"registryId": registry_id, **_pick(backfill, ("replicationBackfillId", "destination", "status", "startedAt"))}


def list_backfills(ctx, params):
    registry_id, registry = ctx.registry(params.get("registryId"))
    chunk, next_token = paging.page(
        list(registry.backfills.values()), _order, _with_default_page(params, LIST_DEFAULT_PAGE), ctx.page_size,
    )
    for backfill in chunk:
        _read(registry, backfill)
    result = {"registryId": registry_id, "backfills": [_summary(backfill) for backfill in chunk]}
    if next_token:
        result["nextToken"] = next_token
    return result


def describe_results(ctx, params):
    registry_id, registry = ctx.registry(params.get("registryId"))
    backfill = _existing(registry_id, registry, params["replicationBackfillId"])
    _read(registry, backfill)
    results = _results(backfill)
    wanted = params.get("resultStatusFilter")
    indexed = [(f"{index:08d}", result) for index, result in enumerate(results) if wanted is None or result["status"] == wanted]
    chunk, next_token = paging.page(indexed, lambda pair: pair[0], _with_default_page(params, RESULTS_DEFAULT_PAGE), ctx.page_size)
    out = {"registryId": registry_id, **_summary(backfill), "results": [result for _index, result in chunk]}
    if next_token:
        out["nextToken"] = next_token
    return out


def seed_images(registry, images, reads_per_step=1, failure=None):
    """Replace the images backfills of `registry` will find, and how they progress (control API).

    images: [{"repositoryName", "imageTag" and/or "imageDigest", "fail": ReplicationError code or None}].
    failure: a ReplicationBackfillError code that fails backfills started afterwards, or None.
    """
    if not isinstance(images, list):
        raise ValueError("images must be a list")
    seeded = [_seeded_image(image) for image in images]
    if not isinstance(reads_per_step, int) or isinstance(reads_per_step, bool) or reads_per_step < 1:
        raise ValueError(f"reads_per_step must be a positive integer, not {reads_per_step!r}")
    if failure is not None and not (isinstance(failure, str) and failure):
        raise ValueError(f"failure must be a failure code or null, not {failure!r}")
    registry.backfill_images = seeded
    registry.backfill_reads_per_step = reads_per_step
    registry.backfill_failure = failure


def _seeded_image(image):
    if not isinstance(image, dict) or not set(image) <= IMAGE_FIELDS:
        raise ValueError(f"an image is an object with {', '.join(sorted(IMAGE_FIELDS))}, not {image!r}")
    image_id = {key: image[key] for key in ("imageDigest", "imageTag") if image.get(key) is not None}
    if not isinstance(image.get("repositoryName"), str) or not image_id or not all(isinstance(value, str) for value in image_id.values()):
        raise ValueError(f"an image needs a repositoryName and an imageTag or imageDigest: {image!r}")
    fail = image.get("fail")
    if fail is not None and not (isinstance(fail, str) and fail):
        raise ValueError(f"an image's fail is a ReplicationError code or null, not {fail!r}")
    return {"repositoryName": image["repositoryName"], "imageId": image_id, "fail": fail}


def _configured(registry, destination):
    return any(
        (dest["region"], dest["registryId"]) == (destination["region"], destination["registryId"])
        for rule in registry.replication_rules for dest in rule["destinations"]
    )


def _matching_images(registry, destination):
    """The seeded images the replication configuration sends to `destination`: those of rules
    naming it, through their repository filters (PREFIX_MATCH; no filter means every repository)."""
    rules = [rule for rule in registry.replication_rules if any(
        (dest["region"], dest["registryId"]) == (destination["region"], destination["registryId"]) for dest in rule["destinations"])]

    def replicated(image):
        return any(
            not rule.get("repositoryFilters")
            or any(image["repositoryName"].startswith(item["filter"]) for item in rule["repositoryFilters"])
            for rule in rules
        )

    return [dict(image) for image in registry.backfill_images if replicated(image)]


def _read(registry, backfill):
    """Count one read of an unfinished backfill; each `reads_per_step` reads move it one step."""
    if backfill["status"] in TERMINAL:
        return
    backfill["reads"] += 1
    if backfill["reads"] < registry.backfill_reads_per_step:
        return
    backfill["reads"] = 0
    if backfill["status"] == "PREPARING":
        backfill.update(status="IN_PROGRESS", images=_matching_images(registry, backfill["destination"]))
    elif backfill["status"] == "IN_PROGRESS":
        _end(backfill, "FAILED" if backfill["failure"] else "COMPLETE", backfill["failure"])
    else:  # STOPPING
        _end(backfill, "STOPPED")


def _end(backfill, status, failure_code=None):
    backfill.update(status=status, endedAt=now(), failureCode=failure_code)


def _progress(backfill):
    """Null until preparation ends; the counts once the images have replicated."""
    images = backfill["images"]
    if images is None:
        return None
    replicated = images if backfill["status"] in ("COMPLETE", "FAILED") else []
    failures = [image["fail"] for image in replicated if image["fail"]]
    return {
        "totalReplicationCount": len(images),
        "completedReplicationCount": len(replicated) - len(failures),
        "failedReplicationCount": len(failures),
        "failureCodes": list(dict.fromkeys(failures)),  # distinct, in order of first failure
    }


def _results(backfill):
    if backfill["status"] not in ("COMPLETE", "FAILED"):
        return []
    results = []
    for image in backfill["images"]:
        result = {"repositoryName": image["repositoryName"], "imageId": image["imageId"], "status": "FAILED" if image["fail"] else "COMPLETE"}
        if image["fail"]:
            result["failureCode"] = image["fail"]
        results.append(result)
    return results


def _summary(backfill):
    out = _pick(backfill, ("replicationBackfillId", "destination", "status", "failureCode"))
    progress = _progress(backfill)
    if progress is not None:
        out["progress"] = progress
    out.update(_pick(backfill, ("startedAt", "endedAt")))
    return out


def _order(backfill):
    """Oldest first (the order they were started), as a string key for paging.py."""
    return f"{backfill['seq']:08d}"


def _with_default_page(params, default):
    return {**params, "maxResults": params.get("maxResults") or default}


def _existing(registry_id, registry, backfill_id):
    if backfill_id not in registry.backfills:
        raise EcrError(
            "ReplicationBackfillNotFoundException",
            f"The replication backfill with id '{backfill_id}' does not exist in the registry with id '{registry_id}'",
        )
    return registry.backfills[backfill_id]


def _pick(backfill, names):
    return {name: backfill[name] for name in names if backfill.get(name) is not None}


HANDLERS = {
    "StartReplicationBackfill": start_backfill,
    "StopReplicationBackfill": stop_backfill,
    "ListReplicationBackfills": list_backfills,
    "DescribeReplicationBackfillResults": describe_results,
}
