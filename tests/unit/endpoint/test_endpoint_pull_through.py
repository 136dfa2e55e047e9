"""Pull through cache rules: upstream derivation, credentials and roles, update, describe, validate."""

import datetime

import pytest

ACCOUNT = "111122223333"
OTHER_ACCOUNT = "444455556666"
SECRET = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:ecr-pullthroughcache/docker-hub-AbCdEf"
OTHER_SECRET = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:ecr-pullthroughcache/docker-hub-2-XyZ123"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/ecr-pull-through"


def message_of(excinfo):
    return excinfo.value.response["Error"]["Message"]


def test_create_derives_the_upstream_registry(ecr):
    response = ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws")
    assert isinstance(response.pop("createdAt"), datetime.datetime)
    del response["ResponseMetadata"]
    assert response == {
        "ecrRepositoryPrefix": "ecr-public",
        "upstreamRegistryUrl": "public.ecr.aws",
        "registryId": ACCOUNT,
        "upstreamRegistry": "ecr-public",
    }


@pytest.mark.parametrize("url, upstream, needs_secret", [
    ("public.ecr.aws", "ecr-public", False),
    ("registry.k8s.io", "k8s", False),
    ("quay.io", "quay", False),
    ("registry-1.docker.io", "docker-hub", True),
    ("ghcr.io", "github-container-registry", True),
    ("registry.gitlab.com", "gitlab-container-registry", True),
    ("myregistry.azurecr.io", "azure-container-registry", True),
    ("cgr.dev", "chainguard", True),
    (f"{ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com", "ecr", False),
])
def test_upstream_registry_of_each_supported_host(ecr, url, upstream, needs_secret):
    extra = {"credentialArn": SECRET} if needs_secret else {}
    response = ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="cache", upstreamRegistryUrl=url, upstreamRegistry=upstream, **extra)
    assert response["upstreamRegistry"] == upstream
    if needs_secret:
        ecr.delete_pull_through_cache_rule(ecrRepositoryPrefix="cache")
        with pytest.raises(ecr.exceptions.InvalidParameterException) as excinfo:
            ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="cache", upstreamRegistryUrl=url)
        assert message_of(excinfo).startswith("Invalid parameter at 'credentialArn' failed to satisfy constraint: ")


@pytest.mark.parametrize("url", ["docker.example.com", f"{ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com.cn"])
def test_unsupported_host(ecr, url):
    """China hosts included: the reference's ECR upstream syntax is <account>.dkr.ecr.<region>.amazonaws.com."""
    with pytest.raises(ecr.exceptions.UnsupportedUpstreamRegistryException):
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="cache", upstreamRegistryUrl=url)


def test_upstream_registry_must_match_the_url(ecr):
    with pytest.raises(ecr.exceptions.InvalidParameterException) as excinfo:
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="cache", upstreamRegistryUrl="quay.io", upstreamRegistry="k8s")
    assert "upstreamRegistry" in message_of(excinfo)


def test_secret_names_must_start_with_the_ecr_prefix(ecr):
    with pytest.raises(ecr.exceptions.ValidationException) as excinfo:
        ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="docker", upstreamRegistryUrl="registry-1.docker.io",
            credentialArn=f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:dockerhub-credentials-AbC",
        )
    assert "at 'credentialArn' failed to satisfy constraint: Member must satisfy regular expression pattern" in message_of(excinfo)


def test_ecr_upstream_in_another_account_needs_a_role(ecr):
    url = f"{OTHER_ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com"
    with pytest.raises(ecr.exceptions.InvalidParameterException) as excinfo:
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="shared", upstreamRegistryUrl=url)
    assert "customRoleArn" in message_of(excinfo)
    with pytest.raises(ecr.exceptions.InvalidParameterException):
        ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="shared", upstreamRegistryUrl=url, customRoleArn=f"arn:aws:iam::{OTHER_ACCOUNT}:role/x"
        )
    rule = ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="shared", upstreamRegistryUrl=url, customRoleArn=ROLE, upstreamRepositoryPrefix="team-a"
    )
    assert (rule["upstreamRegistry"], rule["customRoleArn"], rule["upstreamRepositoryPrefix"]) == ("ecr", ROLE, "team-a")


def test_upstream_repository_prefix_rules(ecr):
    url = f"{ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com"
    assert ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="mirror", upstreamRegistryUrl=url)["upstreamRepositoryPrefix"] == "ROOT"
    with pytest.raises(ecr.exceptions.InvalidParameterException):
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="ROOT", upstreamRegistryUrl=url, upstreamRepositoryPrefix="team")
    with pytest.raises(ecr.exceptions.InvalidParameterException):
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="k8s", upstreamRegistryUrl="registry.k8s.io", upstreamRepositoryPrefix="team")
    with pytest.raises(ecr.exceptions.InvalidParameterException):
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="k8s", upstreamRegistryUrl="registry.k8s.io", customRoleArn=ROLE)
    root = ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="ROOT", upstreamRegistryUrl=url)
    assert root["upstreamRepositoryPrefix"] == "ROOT"


def test_one_rule_per_prefix(ecr):
    ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="quay", upstreamRegistryUrl="quay.io")
    with pytest.raises(ecr.exceptions.PullThroughCacheRuleAlreadyExistsException):
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="quay", upstreamRegistryUrl="public.ecr.aws")


def test_update_changes_only_credentials_and_role(ecr):
    created = ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="docker", upstreamRegistryUrl="registry-1.docker.io", credentialArn=SECRET
    )
    updated = ecr.update_pull_through_cache_rule(ecrRepositoryPrefix="docker", credentialArn=OTHER_SECRET)
    assert updated["credentialArn"] == OTHER_SECRET
    assert updated["registryId"] == ACCOUNT
    assert updated["updatedAt"] >= created["createdAt"]
    rule = ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"][0]
    assert (rule["credentialArn"], rule["upstreamRegistryUrl"], rule["createdAt"]) == (
        OTHER_SECRET, "registry-1.docker.io", created["createdAt"]
    )
    with pytest.raises(ecr.exceptions.PullThroughCacheRuleNotFoundException):
        ecr.update_pull_through_cache_rule(ecrRepositoryPrefix="missing", credentialArn=SECRET)


def test_delete_returns_the_rule(ecr):
    ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="k8s", upstreamRegistryUrl="registry.k8s.io")
    deleted = ecr.delete_pull_through_cache_rule(ecrRepositoryPrefix="k8s")
    assert (deleted["ecrRepositoryPrefix"], deleted["upstreamRegistryUrl"], deleted["registryId"]) == ("k8s", "registry.k8s.io", ACCOUNT)
    with pytest.raises(ecr.exceptions.PullThroughCacheRuleNotFoundException):
        ecr.delete_pull_through_cache_rule(ecrRepositoryPrefix="k8s")


def test_describe_with_an_unknown_prefix_fails(ecr):
    ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="quay", upstreamRegistryUrl="quay.io")
    described = ecr.describe_pull_through_cache_rules(ecrRepositoryPrefixes=["quay"])["pullThroughCacheRules"]
    assert [rule["upstreamRegistry"] for rule in described] == ["quay"]
    assert set(described[0]) >= {"createdAt", "updatedAt", "registryId"}
    with pytest.raises(ecr.exceptions.PullThroughCacheRuleNotFoundException) as excinfo:
        ecr.describe_pull_through_cache_rules(ecrRepositoryPrefixes=["quay", "nope"])
    assert "'nope'" in message_of(excinfo)


def test_pagination_with_page_size_one(endpoint, ecr):
    prefixes = ["aa", "bb", "cc", "dd"]
    for prefix in prefixes:
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix=prefix, upstreamRegistryUrl="public.ecr.aws")
    endpoint.set_page_size(1)
    pages = list(ecr.get_paginator("describe_pull_through_cache_rules").paginate())
    assert [len(page["pullThroughCacheRules"]) for page in pages] == [1, 1, 1, 1]
    assert [rule["ecrRepositoryPrefix"] for page in pages for rule in page["pullThroughCacheRules"]] == prefixes
    two = list(ecr.get_paginator("describe_pull_through_cache_rules").paginate(ecrRepositoryPrefixes=["dd", "aa"]))
    assert [rule["ecrRepositoryPrefix"] for page in two for rule in page["pullThroughCacheRules"]] == ["aa", "dd"]


def test_validate_needs_a_readable_secret(endpoint, ecr):
    ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="docker", upstreamRegistryUrl="registry-1.docker.io", credentialArn=SECRET)
    result = ecr.validate_pull_through_cache_rule(ecrRepositoryPrefix="docker")
    assert result["isValid"] is False
    assert SECRET in result["failure"]
    assert (result["ecrRepositoryPrefix"], result["credentialArn"], result["upstreamRegistryUrl"]) == (
        "docker", SECRET, "registry-1.docker.io"
    )
    endpoint.add_secret(SECRET)
    result = ecr.validate_pull_through_cache_rule(ecrRepositoryPrefix="docker")
    assert result["isValid"] is True
    assert "failure" not in result


def test_validate_a_rule_without_credentials_and_an_unknown_rule(ecr):
    ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="ROOT", upstreamRegistryUrl="public.ecr.aws")
    assert ecr.validate_pull_through_cache_rule(ecrRepositoryPrefix="ROOT")["isValid"] is True
    with pytest.raises(ecr.exceptions.PullThroughCacheRuleNotFoundException):
        ecr.validate_pull_through_cache_rule(ecrRepositoryPrefix="nope")


def test_registry_id_names_another_accounts_registry(make_client):
    mine, theirs = make_client(), make_client(account=OTHER_ACCOUNT)
    created = mine.create_pull_through_cache_rule(ecrRepositoryPrefix="quay", upstreamRegistryUrl="quay.io", registryId=OTHER_ACCOUNT)
    assert created["registryId"] == OTHER_ACCOUNT
    assert mine.describe_pull_through_cache_rules()["pullThroughCacheRules"] == []
    assert [rule["registryId"] for rule in theirs.describe_pull_through_cache_rules()["pullThroughCacheRules"]] == [OTHER_ACCOUNT]
