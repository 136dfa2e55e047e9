"""Registry scanning configuration: the BASIC default, put/get round trips, the service's frequency rules."""

import pytest
from botocore.exceptions import ClientError

ACCOUNT = "111122223333"
OTHER_ACCOUNT = "444455556666"
ALL = [{"filter": "*", "filterType": "WILDCARD"}]


def message_of(excinfo):
    return excinfo.value.response["Error"]["Message"]


def scanning_of(ecr):
    response = ecr.get_registry_scanning_configuration()
    return response["registryId"], response["scanningConfiguration"]


def test_default_is_basic_with_no_rules(ecr):
    assert scanning_of(ecr) == (ACCOUNT, {"scanType": "BASIC", "rules": []})


def test_put_returns_and_stores_the_whole_configuration(ecr):
    rules = [
        {"scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [{"filter": "prod-*", "filterType": "WILDCARD"}]},
        {"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": ALL},
    ]
    response = ecr.put_registry_scanning_configuration(scanType="ENHANCED", rules=rules)
    assert response["registryScanningConfiguration"] == {"scanType": "ENHANCED", "rules": rules}
    assert scanning_of(ecr) == (ACCOUNT, {"scanType": "ENHANCED", "rules": rules})
    # A put replaces everything: the rules are gone when left out.
    ecr.put_registry_scanning_configuration(scanType="BASIC")
    assert scanning_of(ecr)[1] == {"scanType": "BASIC", "rules": []}


def test_scan_type_defaults_to_basic(ecr):
    rules = [{"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": ALL}]
    assert ecr.put_registry_scanning_configuration(rules=rules)["registryScanningConfiguration"] == {"scanType": "BASIC", "rules": rules}


@pytest.mark.parametrize("scan_type, frequency", [
    ("BASIC", "CONTINUOUS_SCAN"), ("BASIC", "MANUAL"), ("ENHANCED", "MANUAL"),
])
def test_unsupported_frequency_for_the_scan_type(ecr, scan_type, frequency):
    with pytest.raises(ecr.exceptions.InvalidParameterException) as excinfo:
        ecr.put_registry_scanning_configuration(scanType=scan_type, rules=[{"scanFrequency": frequency, "repositoryFilters": ALL}])
    assert f"Scan frequency {frequency} is not supported for scan type {scan_type}" in message_of(excinfo)
    assert scanning_of(ecr)[1] == {"scanType": "BASIC", "rules": []}


def test_two_rules_with_one_frequency_are_refused(ecr):
    rules = [{"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": ALL}] * 2
    with pytest.raises(ecr.exceptions.InvalidParameterException):
        ecr.put_registry_scanning_configuration(scanType="ENHANCED", rules=rules)


def test_at_most_two_rules_from_the_model(ecr):
    rules = [{"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": ALL}] * 3
    with pytest.raises(ecr.exceptions.ValidationException) as excinfo:
        ecr.put_registry_scanning_configuration(scanType="ENHANCED", rules=rules)
    assert "at 'rules' failed to satisfy constraint: Member must have length less than or equal to 2" in message_of(excinfo)


def test_filter_pattern_from_the_model(ecr):
    with pytest.raises(ecr.exceptions.ValidationException) as excinfo:
        ecr.put_registry_scanning_configuration(rules=[{"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [
            {"filter": "Prod", "filterType": "WILDCARD"}]}])
    assert "rules.1.member.repositoryFilters.1.member.filter" in message_of(excinfo)


def test_isolated_per_account_and_region(ecr, make_client):
    ecr.put_registry_scanning_configuration(scanType="ENHANCED")
    assert scanning_of(make_client(region="eu-west-1"))[1]["scanType"] == "BASIC"
    assert scanning_of(make_client(account=OTHER_ACCOUNT)) == (OTHER_ACCOUNT, {"scanType": "BASIC", "rules": []})


def test_throttled_put_changes_nothing(ecr, endpoint):
    endpoint.inject_fault(kind="throttle", count=1, operations=["PutRegistryScanningConfiguration"])
    with pytest.raises(ClientError) as excinfo:
        ecr.put_registry_scanning_configuration(scanType="ENHANCED")
    assert excinfo.value.response["Error"]["Code"] == "ThrottlingException"
    assert scanning_of(ecr)[1] == {"scanType": "BASIC", "rules": []}
