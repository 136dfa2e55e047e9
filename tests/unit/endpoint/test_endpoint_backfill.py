"""Replication backfills: start rules, deterministic progress through reads, stop, paged results."""

import datetime
import json

import pytest
from botocore.exceptions import ClientError

ACCOUNT = "111122223333"
OTHER_ACCOUNT = "444455556666"
WEST = {"region": "us-west-2", "registryId": ACCOUNT}
CROSS = {"region": "eu-west-1", "registryId": OTHER_ACCOUNT}
IMAGES = [
    {"repositoryName": "prod/api", "imageTag": "v1"},
    {"repositoryName": "prod/api", "imageDigest": "sha256:" + "a" * 64, "fail": "IMAGE_NOT_FOUND"},
    {"repositoryName": "prod/web", "imageTag": "latest", "fail": "ACCESS_DENIED"},
    {"repositoryName": "prod/web", "imageTag": "v2", "fail": "IMAGE_NOT_FOUND"},
    {"repositoryName": "dev/tool", "imageTag": "v9"},
]


def message_of(excinfo):
    return excinfo.value.response["Error"]["Message"]


def replicate_to(ecr, *destinations, filters=None):
    rule = {"destinations": list(destinations)}
    if filters:
        rule["repositoryFilters"] = [{"filter": prefix, "filterType": "PREFIX_MATCH"} for prefix in filters]
    ecr.put_replication_configuration(replicationConfiguration={"rules": [rule]})


def seed(raw, images=None, account=ACCOUNT, region="us-east-1", **extra):
    payload = {"account": account, "region": region, "images": IMAGES if images is None else images, **extra}
    status, _headers, data = raw("POST", "/_control/backfill_images", json.dumps(payload).encode(), {"Content-Type": "application/json"})
    return status, json.loads(data)


def describe(ecr, backfill_id, **kwargs):
    response = ecr.describe_replication_backfill_results(replicationBackfillId=backfill_id, **kwargs)
    del response["ResponseMetadata"]
    return response


def test_start_returns_a_preparing_backfill(ecr):
    replicate_to(ecr, WEST)
    response = ecr.start_replication_backfill(destination=WEST)
    del response["ResponseMetadata"]
    assert isinstance(response.pop("startedAt"), datetime.datetime)
    backfill_id = response.pop("replicationBackfillId")
    assert len(backfill_id) == 36 and backfill_id.count("-") == 4
    assert response == {"registryId": ACCOUNT, "destination": WEST, "status": "PREPARING"}


def test_progress_advances_one_step_per_read_and_results_match_the_seeded_images(ecr, raw):
    replicate_to(ecr, WEST)
    assert seed(raw) == (200, {"images": 5})
    backfill_id = ecr.start_replication_backfill(destination=WEST)["replicationBackfillId"]
    first = describe(ecr, backfill_id)
    assert (first["status"], first["progress"], first["results"]) == (
        "IN_PROGRESS", {"totalReplicationCount": 5, "completedReplicationCount": 0, "failedReplicationCount": 0, "failureCodes": []}, [])
    assert "endedAt" not in first
    done = describe(ecr, backfill_id)
    assert done["status"] == "COMPLETE"  # per-image failures do not fail the backfill
    assert "failureCode" not in done
    assert isinstance(done["endedAt"], datetime.datetime)
    assert done["progress"] == {
        "totalReplicationCount": 5, "completedReplicationCount": 2, "failedReplicationCount": 3,
        "failureCodes": ["IMAGE_NOT_FOUND", "ACCESS_DENIED"],
    }
    assert done["results"] == [
        {"repositoryName": "prod/api", "imageId": {"imageTag": "v1"}, "status": "COMPLETE"},
        {"repositoryName": "prod/api", "imageId": {"imageDigest": "sha256:" + "a" * 64}, "status": "FAILED", "failureCode": "IMAGE_NOT_FOUND"},
        {"repositoryName": "prod/web", "imageId": {"imageTag": "latest"}, "status": "FAILED", "failureCode": "ACCESS_DENIED"},
        {"repositoryName": "prod/web", "imageId": {"imageTag": "v2"}, "status": "FAILED", "failureCode": "IMAGE_NOT_FOUND"},
        {"repositoryName": "dev/tool", "imageId": {"imageTag": "v9"}, "status": "COMPLETE"},
    ]
    assert describe(ecr, backfill_id)["status"] == "COMPLETE"  # terminal: reads change nothing
    failed = describe(ecr, backfill_id, resultStatusFilter="FAILED")["results"]
    assert [result["imageId"] for result in failed] == [{"imageDigest": "sha256:" + "a" * 64}, {"imageTag": "latest"}, {"imageTag": "v2"}]
    assert len(describe(ecr, backfill_id, resultStatusFilter="COMPLETE")["results"]) == 2


def test_reads_per_step_lets_a_client_see_preparing(ecr, raw):
    replicate_to(ecr, WEST)
    seed(raw, reads_per_step=2)
    backfill_id = ecr.start_replication_backfill(destination=WEST)["replicationBackfillId"]
    statuses = [describe(ecr, backfill_id)["status"] for _read in range(4)]
    assert statuses == ["PREPARING", "IN_PROGRESS", "IN_PROGRESS", "COMPLETE"]


def test_progress_is_null_while_preparing(ecr, raw):
    replicate_to(ecr, WEST)
    seed(raw, reads_per_step=2)
    backfill_id = ecr.start_replication_backfill(destination=WEST)["replicationBackfillId"]
    preparing = describe(ecr, backfill_id)
    assert preparing["status"] == "PREPARING" and "progress" not in preparing and preparing["results"] == []


def test_only_images_the_replication_filters_send_there(ecr, raw):
    replicate_to(ecr, WEST, filters=["prod/web"])
    seed(raw)
    backfill_id = ecr.start_replication_backfill(destination=WEST)["replicationBackfillId"]
    describe(ecr, backfill_id)
    results = describe(ecr, backfill_id)["results"]
    assert [(result["repositoryName"], result["imageId"]) for result in results] == [
        ("prod/web", {"imageTag": "latest"}), ("prod/web", {"imageTag": "v2"})]


def test_seeded_backfill_failure_ends_failed_with_its_code(ecr, raw):
    replicate_to(ecr, WEST)
    seed(raw, images=IMAGES[:1], failure="INTERNAL_ERROR")
    backfill_id = ecr.start_replication_backfill(destination=WEST)["replicationBackfillId"]
    describe(ecr, backfill_id)
    done = describe(ecr, backfill_id)
    assert (done["status"], done["failureCode"]) == ("FAILED", "INTERNAL_ERROR")


def test_destination_must_be_configured(ecr):
    with pytest.raises(ecr.exceptions.InvalidParameterException) as excinfo:
        ecr.start_replication_backfill(destination=WEST)
    assert "not in the registry's replication configuration" in message_of(excinfo)
    replicate_to(ecr, WEST)
    with pytest.raises(ecr.exceptions.InvalidParameterException):
        ecr.start_replication_backfill(destination={"region": "us-west-2", "registryId": OTHER_ACCOUNT})
    assert ecr.list_replication_backfills()["backfills"] == []


def test_one_in_progress_per_destination_region(ecr):
    replicate_to(ecr, WEST, {"region": "us-west-2", "registryId": OTHER_ACCOUNT})
    backfill_id = ecr.start_replication_backfill(destination=WEST)["replicationBackfillId"]
    with pytest.raises(ecr.exceptions.ReplicationBackfillInProgressException):
        ecr.start_replication_backfill(destination={"region": "us-west-2", "registryId": OTHER_ACCOUNT})
    describe(ecr, backfill_id)
    describe(ecr, backfill_id)  # COMPLETE: the region is free again
    assert ecr.start_replication_backfill(destination=WEST)["status"] == "PREPARING"


def test_at_most_10_in_progress(ecr):
    regions = ["us-west-1", "us-west-2", "us-east-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1",
               "eu-north-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2"]
    replicate_to(ecr, *({"region": region, "registryId": ACCOUNT} for region in regions))
    started = [ecr.start_replication_backfill(destination={"region": region, "registryId": ACCOUNT}) for region in regions[:10]]
    with pytest.raises(ecr.exceptions.LimitExceededException):
        ecr.start_replication_backfill(destination={"region": regions[10], "registryId": ACCOUNT})
    ecr.stop_replication_backfill(replicationBackfillId=started[0]["replicationBackfillId"])
    assert ecr.start_replication_backfill(destination={"region": regions[10], "registryId": ACCOUNT})["status"] == "PREPARING"


def test_stop_while_preparing_is_stopped_at_once(ecr):
    replicate_to(ecr, WEST)
    backfill_id = ecr.start_replication_backfill(destination=WEST)["replicationBackfillId"]
    response = ecr.stop_replication_backfill(replicationBackfillId=backfill_id)
    assert (response["status"], response["replicationBackfillId"], response["destination"]) == ("STOPPED", backfill_id, WEST)
    stopped = describe(ecr, backfill_id)
    assert stopped["status"] == "STOPPED" and "progress" not in stopped and isinstance(stopped["endedAt"], datetime.datetime)


def test_stop_in_progress_is_stopping_then_stopped(ecr, raw):
    replicate_to(ecr, WEST)
    seed(raw)
    backfill_id = ecr.start_replication_backfill(destination=WEST)["replicationBackfillId"]
    describe(ecr, backfill_id)
    assert ecr.stop_replication_backfill(replicationBackfillId=backfill_id)["status"] == "STOPPING"
    with pytest.raises(ecr.exceptions.ReplicationBackfillInvalidStatusException):
        ecr.stop_replication_backfill(replicationBackfillId=backfill_id)
    stopped = describe(ecr, backfill_id)
    assert stopped["status"] == "STOPPED"
    assert stopped["progress"]["totalReplicationCount"] == 5 and stopped["results"] == []
    with pytest.raises(ecr.exceptions.ReplicationBackfillInvalidStatusException) as excinfo:
        ecr.stop_replication_backfill(replicationBackfillId=backfill_id)
    assert "STOPPED" in message_of(excinfo)


def test_unknown_backfill(ecr):
    unknown = "0b9e8e2a-4d9e-4a55-9c1f-3f2a1b0c9d8e"
    with pytest.raises(ecr.exceptions.ReplicationBackfillNotFoundException):
        ecr.stop_replication_backfill(replicationBackfillId=unknown)
    with pytest.raises(ecr.exceptions.ReplicationBackfillNotFoundException):
        ecr.describe_replication_backfill_results(replicationBackfillId=unknown)


def test_list_pages_and_advances_what_it_serves(ecr, endpoint):
    regions = ["us-west-1", "us-west-2", "us-east-2"]
    replicate_to(ecr, *({"region": region, "registryId": ACCOUNT} for region in regions))
    ids = [ecr.start_replication_backfill(destination={"region": region, "registryId": ACCOUNT})["replicationBackfillId"]
           for region in regions]
    endpoint.set_page_size(2)
    first = ecr.list_replication_backfills()
    assert [backfill["replicationBackfillId"] for backfill in first["backfills"]] == ids[:2]
    assert [backfill["status"] for backfill in first["backfills"]] == ["IN_PROGRESS", "IN_PROGRESS"]
    second = ecr.list_replication_backfills(nextToken=first["nextToken"])
    assert [(backfill["replicationBackfillId"], backfill["status"]) for backfill in second["backfills"]] == [(ids[2], "IN_PROGRESS")]
    assert "nextToken" not in second
    paged = [backfill["replicationBackfillId"] for page in ecr.get_paginator("list_replication_backfills").paginate(
        PaginationConfig={"PageSize": 1}) for backfill in page["backfills"]]
    assert paged == ids


def test_list_max_results_is_the_models_fifty(ecr):
    with pytest.raises(ecr.exceptions.ValidationException) as excinfo:
        ecr.list_replication_backfills(maxResults=51)
    assert "Member must have value less than or equal to 50" in message_of(excinfo)


def test_results_page_through_the_paginator(ecr, raw, endpoint):
    replicate_to(ecr, WEST)
    seed(raw)
    backfill_id = ecr.start_replication_backfill(destination=WEST)["replicationBackfillId"]
    describe(ecr, backfill_id)
    describe(ecr, backfill_id)
    endpoint.set_page_size(2)
    pages = list(ecr.get_paginator("describe_replication_backfill_results").paginate(replicationBackfillId=backfill_id))
    assert [len(page["results"]) for page in pages] == [2, 2, 1]
    assert [result["imageId"] for page in pages for result in page["results"]][-1] == {"imageTag": "v9"}
    failed_pages = list(ecr.get_paginator("describe_replication_backfill_results").paginate(
        replicationBackfillId=backfill_id, resultStatusFilter="FAILED"))
    assert [len(page["results"]) for page in failed_pages] == [2, 1]


@pytest.mark.parametrize("images, extra", [
    ("not a list", {}),
    ([{"repositoryName": "a"}], {}),
    ([{"repositoryName": "a", "imageTag": "v1", "colour": "red"}], {}),
    ([{"repositoryName": "a", "imageTag": "v1", "fail": ""}], {}),
    (IMAGES, {"reads_per_step": 0}),
    (IMAGES, {"failure": 5}),
])
def test_seed_refuses_malformed_requests(raw, endpoint, images, extra):
    status, body = seed(raw, images=images, **extra)
    assert status == 400 and body["error"]
    assert endpoint.state()["registries"].get(f"{ACCOUNT}/us-east-1", {}).get("backfillImages", {}).get("images", []) == []


def test_isolated_per_account_and_region(ecr, make_client, raw):
    replicate_to(ecr, WEST)
    seed(raw)
    backfill_id = ecr.start_replication_backfill(destination=WEST)["replicationBackfillId"]
    for other in (make_client(region="eu-west-1"), make_client(account=OTHER_ACCOUNT)):
        assert other.list_replication_backfills()["backfills"] == []
        with pytest.raises(other.exceptions.ReplicationBackfillNotFoundException):
            other.describe_replication_backfill_results(replicationBackfillId=backfill_id)
    # Naming the registry reaches it from another account (the endpoint checks no permissions).
    assert make_client(account=OTHER_ACCOUNT).list_replication_backfills(registryId=ACCOUNT)["backfills"][0]["replicationBackfillId"] == backfill_id


def test_throttled_start_changes_nothing(ecr, endpoint):
    replicate_to(ecr, WEST)
    endpoint.inject_fault(kind="throttle", count=1, operations=["StartReplicationBackfill"])
    with pytest.raises(ClientError) as excinfo:
        ecr.start_replication_backfill(destination=WEST)
    assert excinfo.value.response["Error"]["Code"] == "ThrottlingException"
    assert ecr.list_replication_backfills()["backfills"] == []


def test_reset_forgets_backfills_and_seeded_images(ecr, raw, endpoint):
    replicate_to(ecr, WEST)
    seed(raw)
    ecr.start_replication_backfill(destination=WEST)
    endpoint.reset()
    replicate_to(ecr, WEST)
    assert ecr.list_replication_backfills()["backfills"] == []
    backfill_id = ecr.start_replication_backfill(destination=WEST)["replicationBackfillId"]
    assert describe(ecr, backfill_id)["progress"]["totalReplicationCount"] == 0
