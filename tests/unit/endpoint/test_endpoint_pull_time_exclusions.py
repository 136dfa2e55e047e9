"""Pull time update exclusions: register, deregister, the limit of 100, and paged listing."""

import datetime

import pytest
from botocore.exceptions import ClientError

ACCOUNT = "111122223333"
OTHER_ACCOUNT = "444455556666"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/scanner"
USER = f"arn:aws:iam::{ACCOUNT}:user/ci/robot"


def listed(ecr, **kwargs):
    """Every exclusion, following nextToken; also the number of pages."""
    arns, pages, token = [], 0, None
    while True:
        response = ecr.list_pull_time_update_exclusions(**kwargs, **({"nextToken": token} if token else {}))
        arns += response["pullTimeUpdateExclusions"]
        pages += 1
        token = response.get("nextToken")
        if not token:
            return arns, pages


def test_register_list_deregister(ecr):
    assert listed(ecr) == ([], 1)
    response = ecr.register_pull_time_update_exclusion(principalArn=ROLE)
    assert response["principalArn"] == ROLE
    assert isinstance(response["createdAt"], datetime.datetime)
    ecr.register_pull_time_update_exclusion(principalArn=USER)
    assert listed(ecr) == ([ROLE, USER], 1)
    assert ecr.deregister_pull_time_update_exclusion(principalArn=ROLE)["principalArn"] == ROLE
    assert listed(ecr) == ([USER], 1)


def test_register_twice(ecr):
    ecr.register_pull_time_update_exclusion(principalArn=ROLE)
    with pytest.raises(ecr.exceptions.ExclusionAlreadyExistsException):
        ecr.register_pull_time_update_exclusion(principalArn=ROLE)
    assert listed(ecr)[0] == [ROLE]


def test_deregister_missing(ecr):
    with pytest.raises(ecr.exceptions.ExclusionNotFoundException):
        ecr.deregister_pull_time_update_exclusion(principalArn=ROLE)


def test_principal_pattern_from_the_model(ecr):
    with pytest.raises(ecr.exceptions.ValidationException):
        ecr.register_pull_time_update_exclusion(principalArn=f"arn:aws:iam::{ACCOUNT}:group/admins")


def test_at_most_100(ecr):
    arns = [f"arn:aws:iam::{ACCOUNT}:role/r{index:03d}" for index in range(100)]
    for arn in arns:
        ecr.register_pull_time_update_exclusion(principalArn=arn)
    with pytest.raises(ecr.exceptions.LimitExceededException):
        ecr.register_pull_time_update_exclusion(principalArn=ROLE)
    ecr.deregister_pull_time_update_exclusion(principalArn=arns[0])
    ecr.register_pull_time_update_exclusion(principalArn=ROLE)
    assert len(listed(ecr)[0]) == 100


def test_pages_by_max_results_and_by_the_endpoint_page_size(ecr, endpoint):
    arns = [f"arn:aws:iam::{ACCOUNT}:role/r{index}" for index in range(5)]
    for arn in arns:
        ecr.register_pull_time_update_exclusion(principalArn=arn)
    assert listed(ecr, maxResults=2) == (arns, 3)
    endpoint.set_page_size(1)
    assert listed(ecr) == (arns, 5)
    assert listed(ecr, maxResults=1000) == (arns, 5)


def test_isolated_per_account_and_region(ecr, make_client):
    ecr.register_pull_time_update_exclusion(principalArn=ROLE)
    assert listed(make_client(region="eu-west-1")) == ([], 1)
    other = make_client(account=OTHER_ACCOUNT)
    assert listed(other) == ([], 1)
    other.register_pull_time_update_exclusion(principalArn=ROLE)  # no conflict with the first account's
    assert listed(ecr)[0] == [ROLE]


def test_throttled_register_changes_nothing(ecr, endpoint):
    endpoint.inject_fault(kind="throttle", count=1, operations=["RegisterPullTimeUpdateExclusion"])
    with pytest.raises(ClientError) as excinfo:
        ecr.register_pull_time_update_exclusion(principalArn=ROLE)
    assert excinfo.value.response["Error"]["Code"] == "ThrottlingException"
    assert listed(ecr) == ([], 1)
