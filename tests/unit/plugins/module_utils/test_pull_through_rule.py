"""Pure logic of pull through cache rules: URLs and upstreams, canonical forms, comparisons, the
in-place or recreate decision, plans, validation messages; and the read following nextToken."""

import boto3
import pytest
import yaml
from botocore.stub import Stubber

from ansible_collections.ecrkit.registry.plugins.module_utils.pull_through_rule import SETTINGS
from ansible_collections.ecrkit.registry.plugins.module_utils.pull_through_rule import botocore_requirements
from ansible_collections.ecrkit.registry.plugins.module_utils.pull_through_rule import finish
from ansible_collections.ecrkit.registry.plugins.module_utils.pull_through_rule import normalise_url
from ansible_collections.ecrkit.registry.plugins.module_utils.pull_through_rule import plan
from ansible_collections.ecrkit.registry.plugins.module_utils.pull_through_rule import read
from ansible_collections.ecrkit.registry.plugins.module_utils.pull_through_rule import rule_from_api
from ansible_collections.ecrkit.registry.plugins.module_utils.pull_through_rule import rule_to_create
from ansible_collections.ecrkit.registry.plugins.module_utils.pull_through_rule import upstream_of
from ansible_collections.ecrkit.registry.plugins.module_utils.pull_through_rule import validate
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Action
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Plan
from ansible_collections.ecrkit.registry.plugins.module_utils.verified_write import WriteFailed

ACCOUNT = "123456789012"
OTHER = "210987654321"
REGION = "us-east-1"
CONTEXT = {"region": REGION}
SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:ecr-pullthroughcache/docker-hub-AbCdEf"
SECRET_2 = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:ecr-pullthroughcache/docker-hub-2-GhIjKl"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/ptc"
ROLE_2 = f"arn:aws:iam::{ACCOUNT}:role/ptc-2"
ECR_URL = f"{OTHER}.dkr.ecr.us-west-2.amazonaws.com"
SAME_ACCOUNT_ECR_URL = f"{ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com"


def params(prefix="docker-hub", state="present", allow_recreate=False, validate=False, **options):
    base = dict.fromkeys(
        ("upstream_registry_url", "upstream_registry", "credential_arn", "custom_role_arn", "upstream_repository_prefix")
    )
    return dict(base, ecr_repository_prefix=prefix, state=state, allow_recreate=allow_recreate, validate=validate, **options)


def stored(prefix="docker-hub", url="registry-1.docker.io", **fields):
    """A rule as DescribePullThroughCacheRules returns it, in the result shape."""
    api = {"ecrRepositoryPrefix": prefix, "upstreamRegistryUrl": url, "registryId": ACCOUNT, "createdAt": "t", "updatedAt": "t"}
    api.update(fields)
    return rule_from_api(api)


def docker_hub(**fields):
    return stored(upstreamRegistry="docker-hub", credentialArn=SECRET, **fields)


def run(existing, account=None, **options):
    request = validate(params(**options))
    current = {"rule": existing, "account": existing["registry_id"] if existing else account}
    return request, plan(request, current, CONTEXT)


def error(**options):
    with pytest.raises(ParameterError) as caught:
        validate(params(**options))
    return str(caught.value)


def plan_error(existing, account=None, **options):
    with pytest.raises(ParameterError) as caught:
        run(existing, account, **options)
    return str(caught.value)


# URLs and upstreams


@pytest.mark.parametrize(
    "given, url",
    [
        ("https://registry-1.docker.io/", "registry-1.docker.io"),
        ("http://quay.io", "quay.io"),
        ("  GHCR.io//", "ghcr.io"),
        ("public.ecr.aws", "public.ecr.aws"),
    ],
)
def test_url_loses_scheme_trailing_slash_and_case(given, url):
    assert normalise_url(given) == url
    assert validate(params(upstream_registry_url=given, credential_arn=SECRET))["given"]["upstream_registry_url"] == url


@pytest.mark.parametrize(
    "host, upstream, account",
    [
        ("public.ecr.aws", "ecr-public", None),
        ("registry.k8s.io", "k8s", None),
        ("quay.io", "quay", None),
        ("registry-1.docker.io", "docker-hub", None),
        ("ghcr.io", "github-container-registry", None),
        ("registry.gitlab.com", "gitlab-container-registry", None),
        ("cgr.dev", "chainguard", None),
        ("myteam.azurecr.io", "azure-container-registry", None),
        (ECR_URL, "ecr", OTHER),
        (f"{OTHER}.dkr.ecr.cn-north-1.amazonaws.com.cn", None, None),  # no pull through cache in China
        ("docker.io", None, None),
        ("example.com", None, None),
    ],
)
def test_upstream_is_derived_from_the_host(host, upstream, account):
    assert upstream_of(host) == (upstream, account)


def test_upstream_registry_is_derived_when_omitted_and_accepted_when_it_matches():
    assert validate(params(upstream_registry_url="quay.io"))["given"]["upstream_registry"] == "quay"
    given = validate(params(upstream_registry_url="quay.io", upstream_registry="quay"))["given"]
    assert given == {"upstream_registry_url": "quay.io", "upstream_registry": "quay"}


# Canonical forms


def test_api_rule_to_result_shape_drops_timestamps_and_fills_implicit_fields():
    rule = rule_from_api(
        {"ecrRepositoryPrefix": "shared", "upstreamRegistryUrl": f"https://{ECR_URL}/", "registryId": ACCOUNT,
         "customRoleArn": ROLE, "createdAt": "t", "updatedAt": "t"}
    )
    assert rule == {
        "ecr_repository_prefix": "shared",
        "upstream_registry_url": ECR_URL,
        "upstream_registry": "ecr",  # rules older than the field lack it
        "upstream_repository_prefix": "ROOT",  # the service's default for ECR upstreams
        "credential_arn": None,
        "custom_role_arn": ROLE,
        "registry_id": ACCOUNT,
    }


def test_create_arguments_leave_out_what_is_unset_and_the_default_root_upstream_prefix():
    _request, outcome = run(None, account=ACCOUNT, prefix="mine", upstream_registry_url=SAME_ACCOUNT_ECR_URL)
    assert rule_to_create(outcome.after) == {
        "ecrRepositoryPrefix": "mine",
        "upstreamRegistryUrl": SAME_ACCOUNT_ECR_URL,
        "upstreamRegistry": "ecr",
    }
    _request, outcome = run(None, account=ACCOUNT, prefix="shared", upstream_registry_url=ECR_URL, custom_role_arn=ROLE,
                            upstream_repository_prefix="team")
    assert rule_to_create(outcome.after) == {
        "ecrRepositoryPrefix": "shared",
        "upstreamRegistryUrl": ECR_URL,
        "upstreamRegistry": "ecr",
        "customRoleArn": ROLE,
        "upstreamRepositoryPrefix": "team",
    }


# Compare and plan


def test_create_predicts_the_rule():
    _request, outcome = run(None, upstream_registry_url="https://registry-1.docker.io", credential_arn=SECRET)
    assert outcome.before is None
    assert outcome.after == {
        "ecr_repository_prefix": "docker-hub",
        "upstream_registry_url": "registry-1.docker.io",
        "upstream_registry": "docker-hub",
        "upstream_repository_prefix": None,
        "credential_arn": SECRET,
        "custom_role_arn": None,
        "registry_id": None,  # not known before the create for non-ECR upstreams
    }
    assert [a.description for a in outcome.actions] == ["create the pull through cache rule 'docker-hub'"]
    assert outcome.extra == {"recreated": False, "recreate_reasons": []}


def test_same_rule_in_another_spelling_is_no_change():
    existing = docker_hub()
    _request, outcome = run(existing, upstream_registry_url="HTTPS://Registry-1.Docker.io/", credential_arn=SECRET)
    assert not outcome.changed
    assert outcome.after == existing


def test_omitted_options_keep_what_the_rule_has():
    existing = stored(prefix="shared", url=ECR_URL, upstreamRegistry="ecr", customRoleArn=ROLE, upstreamRepositoryPrefix="team")
    _request, outcome = run(existing, prefix="shared")
    assert not outcome.changed


@pytest.mark.parametrize(
    "existing, options, fields",
    [
        (docker_hub(), {"credential_arn": SECRET_2}, ["credential_arn"]),
        (stored(prefix="shared", url=ECR_URL, upstreamRegistry="ecr", customRoleArn=ROLE), {"custom_role_arn": ROLE_2},
         ["custom_role_arn"]),
        # a role is removed in place (the API takes an empty customRoleArn)
        (stored(prefix="mine", url=SAME_ACCOUNT_ECR_URL, customRoleArn=ROLE), {"custom_role_arn": ""}, ["custom_role_arn"]),
        # a credential can be added in place
        (stored(prefix="quay", url="quay.io"), {"credential_arn": SECRET}, ["credential_arn"]),
    ],
)
def test_credential_and_role_change_in_place(existing, options, fields):
    prefix = existing["ecr_repository_prefix"]
    _request, outcome = run(existing, prefix=prefix, **options)
    assert [a.description for a in outcome.actions] == [f"update {' and '.join(fields)} of the pull through cache rule {prefix!r}"]
    assert outcome.extra == {"recreated": False, "recreate_reasons": []}
    for field in fields:
        assert outcome.after[field] == (options[field] or None)


@pytest.mark.parametrize(
    "existing, options, reasons",
    [
        (stored(prefix="public", url="public.ecr.aws"), {"upstream_registry_url": "quay.io"},
         ["upstream_registry_url: 'public.ecr.aws' -> 'quay.io'", "upstream_registry: 'ecr-public' -> 'quay'"]),
        # a credential cannot be removed in place (quay works without one)
        (stored(prefix="quay", url="quay.io", credentialArn=SECRET), {"credential_arn": ""}, [f"credential_arn: {SECRET!r} -> None"]),
        (stored(prefix="shared", url=ECR_URL, customRoleArn=ROLE), {"upstream_repository_prefix": "team"},
         ["upstream_repository_prefix: 'ROOT' -> 'team'"]),
        # moving to an ECR upstream drops the kept secret: an ECR upstream takes none
        (stored(prefix="quay", url="quay.io", credentialArn=SECRET), {"upstream_registry_url": SAME_ACCOUNT_ECR_URL},
         [f"upstream_registry_url: 'quay.io' -> {SAME_ACCOUNT_ECR_URL!r}", "upstream_registry: 'quay' -> 'ecr'",
          "upstream_repository_prefix: None -> 'ROOT'", f"credential_arn: {SECRET!r} -> None"]),
    ],
)
def test_other_changes_need_a_recreate(existing, options, reasons):
    prefix = existing["ecr_repository_prefix"]
    message = plan_error(existing, prefix=prefix, **options)
    assert f"pull through cache rule {prefix!r} cannot change in place" in message
    assert all(reason in message for reason in reasons)
    assert "allow_recreate: true" in message

    _request, outcome = run(existing, prefix=prefix, allow_recreate=True, **options)
    assert [a.description for a in outcome.actions] == [f"delete the pull through cache rule {prefix!r} and create it again"]
    assert outcome.extra == {"recreated": True, "recreate_reasons": reasons}


def test_recreate_keeps_omitted_settings_the_new_upstream_takes():
    existing = docker_hub()
    _request, outcome = run(existing, upstream_registry_url="ghcr.io", allow_recreate=True)
    assert outcome.after["credential_arn"] == SECRET
    assert outcome.after["upstream_registry"] == "github-container-registry"


def test_a_credential_change_alongside_a_recreate_goes_into_the_create():
    existing = docker_hub()
    _request, outcome = run(existing, upstream_registry_url="ghcr.io", credential_arn=SECRET_2, allow_recreate=True)
    assert outcome.extra["recreate_reasons"] == [
        "upstream_registry_url: 'registry-1.docker.io' -> 'ghcr.io'",
        "upstream_registry: 'docker-hub' -> 'github-container-registry'",
    ]
    assert outcome.after["credential_arn"] == SECRET_2


def test_delete():
    existing = docker_hub()
    _request, outcome = run(existing, state="absent")
    assert outcome.before == existing and outcome.after is None
    assert [a.description for a in outcome.actions] == ["delete the pull through cache rule 'docker-hub'"]
    _request, outcome = run(None, state="absent")
    assert not outcome.changed and outcome.after is None


def test_absent_uses_only_the_prefix():
    request = validate(params(state="absent", upstream_registry_url="not a host"))
    assert request == {"ecr_repository_prefix": "docker-hub", "state": "absent"}


# Validation messages: before any call (validate) ...


@pytest.mark.parametrize(
    "options, message",
    [
        ({"prefix": "a"}, "ecr_repository_prefix: 'a' is not a valid repository prefix (2-30 characters"),
        ({"prefix": "x" * 31}, f"ecr_repository_prefix: {'x' * 31!r} is not a valid"),
        ({"prefix": "Upper"}, "ecr_repository_prefix: 'Upper' is not a valid"),
        ({"prefix": "root"}, None),  # lowercase root is an ordinary prefix
        ({"prefix": "a--b/c_d.e/"}, None),
        ({"upstream_registry_url": "docker.io"},
         "upstream_registry_url: 'docker.io' is not an upstream registry that pull through cache supports"),
        ({"upstream_registry_url": "docker.io"}, "Did you mean 'registry-1.docker.io'?"),
        ({"upstream_registry_url": "ghcr.io/owner"}, "upstream_registry_url: 'ghcr.io/owner' has a path; give the registry host only, e.g. 'ghcr.io'"),
        ({"upstream_registry_url": "quay.io", "upstream_registry": "docker-hub"},
         "upstream_registry: 'docker-hub' does not match upstream_registry_url 'quay.io', a 'quay' registry"),
        ({"upstream_registry_url": "registry-1.docker.io", "credential_arn": ""},
         "credential_arn: the upstream registry 'docker-hub' needs one, and the rule would have none"),
        ({"upstream_registry_url": "ghcr.io", "credential_arn": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:github-AbCdEf"},
         "credential_arn: the secret name 'github-AbCdEf' must start with 'ecr-pullthroughcache/'"),
        ({"credential_arn": f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/ecr-pullthroughcache/x"},
         "credential_arn: 'arn:aws:ssm:us-east-1:123456789012:parameter/ecr-pullthroughcache/x' is not the ARN of a Secrets Manager secret"),
        ({"credential_arn": SECRET[:-9] + "x" * 600}, "characters long; the API takes 50-612"),
        ({"custom_role_arn": f"arn:aws:iam::{ACCOUNT}:user/bob"}, f"custom_role_arn: 'arn:aws:iam::{ACCOUNT}:user/bob' is not the ARN of an IAM role"),
        ({"upstream_registry_url": "quay.io", "custom_role_arn": ROLE},
         f"custom_role_arn: {ROLE!r} is only used with an Amazon ECR upstream registry, not 'quay'"),
        ({"upstream_registry_url": ECR_URL, "credential_arn": SECRET},
         f"credential_arn: {SECRET!r} cannot be used with an Amazon ECR upstream registry"),
        ({"upstream_registry_url": "public.ecr.aws", "upstream_repository_prefix": "team"},
         "upstream_repository_prefix: 'team' is only used with an Amazon ECR upstream registry, not 'ecr-public'"),
        ({"prefix": "ROOT", "upstream_registry_url": ECR_URL, "upstream_repository_prefix": "team"},
         "upstream_repository_prefix: 'team' cannot be used with ecr_repository_prefix ROOT"),
        ({"prefix": "ROOT", "upstream_registry_url": ECR_URL, "upstream_repository_prefix": "ROOT"}, None),
        ({"upstream_registry_url": ECR_URL, "upstream_repository_prefix": "Team!"},
         "upstream_repository_prefix: 'Team!' is not a valid repository prefix"),
    ],
)
def test_bad_input_is_named_before_any_call(options, message):
    if message is None:
        validate(params(**options))
    else:
        assert message in error(**options)


# ... and, for what needs the current rule or the account, after the read and before any write


def test_url_is_required_to_create():
    message = plan_error(None, credential_arn=SECRET)
    assert message == "upstream_registry_url: required to create the pull through cache rule 'docker-hub', which does not exist."


def test_missing_credential_is_found_on_the_merged_rule():
    message = plan_error(None, upstream_registry_url="registry.gitlab.com")
    assert "credential_arn: the upstream registry 'gitlab-container-registry' needs one" in message
    # clearing the credential of an existing rule, named by prefix only
    assert "credential_arn: the upstream registry 'docker-hub' needs one" in plan_error(docker_hub(), credential_arn="")


def test_upstream_registry_alone_is_checked_against_the_rules_url():
    message = plan_error(docker_hub(), upstream_registry="quay")
    assert message == "upstream_registry: 'quay' does not match upstream_registry_url 'registry-1.docker.io', a 'docker-hub' registry."


def test_role_and_upstream_prefix_alone_are_checked_against_the_rules_upstream():
    assert "custom_role_arn: " in plan_error(docker_hub(), custom_role_arn=ROLE)
    assert "upstream_repository_prefix: 'team' is only used with an Amazon ECR upstream" in plan_error(
        docker_hub(), upstream_repository_prefix="team"
    )


def test_cross_account_ecr_upstream_needs_a_role():
    message = plan_error(None, account=ACCOUNT, prefix="shared", upstream_registry_url=ECR_URL)
    assert message.startswith(f"custom_role_arn: required, because upstream_registry_url {ECR_URL!r} is in account {OTHER}")
    # the same account needs none
    _request, outcome = run(None, account=ACCOUNT, prefix="mine", upstream_registry_url=SAME_ACCOUNT_ECR_URL)
    assert outcome.after["upstream_repository_prefix"] == "ROOT"
    assert outcome.after["registry_id"] == ACCOUNT
    # removing the role of a cross-account rule
    existing = stored(prefix="shared", url=ECR_URL, customRoleArn=ROLE)
    assert "custom_role_arn: required" in plan_error(existing, prefix="shared", custom_role_arn="")


def test_role_and_secret_must_be_in_the_registrys_account_and_region():
    role = f"arn:aws:iam::{OTHER}:role/ptc"
    message = plan_error(None, account=ACCOUNT, prefix="shared", upstream_registry_url=ECR_URL, custom_role_arn=role)
    assert message == f"custom_role_arn: {role!r} is in account {OTHER}; the role must be in the registry's account {ACCOUNT}."
    elsewhere = SECRET.replace(REGION, "eu-west-1")
    assert f"credential_arn: {elsewhere!r} is in region eu-west-1; the secret must be in the rule's region {REGION}." == plan_error(
        None, upstream_registry_url="registry-1.docker.io", credential_arn=elsewhere
    )
    other_account = SECRET.replace(ACCOUNT, OTHER)
    assert f"is in account {OTHER}; the secret must be in the registry's account {ACCOUNT}." in plan_error(
        docker_hub(), credential_arn=other_account
    )


# botocore requirements


@pytest.mark.parametrize(
    "options, reasons",
    [
        ({"upstream_registry_url": "registry-1.docker.io", "credential_arn": SECRET}, []),
        ({"custom_role_arn": ""}, ["to set custom_role_arn"]),
        ({"upstream_repository_prefix": "team"}, ["to set upstream_repository_prefix"]),
        ({"upstream_registry_url": f"https://{ECR_URL}/"}, ["for an Amazon ECR upstream registry"]),
        ({"state": "absent", "custom_role_arn": ROLE}, []),
    ],
)
def test_newer_botocore_only_for_the_options_that_need_it(options, reasons):
    needs = botocore_requirements(params(**options))
    assert [reason for _version, reason in needs] == reasons
    assert all(version == "1.37.11" for version, _reason in needs)


# Read: one prefix, every page


def stubbed_client():
    client = boto3.client("ecr", region_name=REGION, aws_access_key_id="a", aws_secret_access_key="b")
    return client, Stubber(client)


def test_read_follows_next_token():
    client, stubber = stubbed_client()
    api_rule = {"ecrRepositoryPrefix": "docker-hub", "upstreamRegistryUrl": "registry-1.docker.io", "registryId": ACCOUNT,
                "upstreamRegistry": "docker-hub", "credentialArn": SECRET}
    stubber.add_response("describe_pull_through_cache_rules", {"pullThroughCacheRules": [], "nextToken": "page-2"},
                         {"ecrRepositoryPrefixes": ["docker-hub"]})
    stubber.add_response("describe_pull_through_cache_rules", {"pullThroughCacheRules": [api_rule]},
                         {"ecrRepositoryPrefixes": ["docker-hub"], "nextToken": "page-2"})
    with stubber:
        current = read(client, validate(params(credential_arn=SECRET)))
    stubber.assert_no_pending_responses()
    assert current == {"rule": rule_from_api(api_rule), "account": ACCOUNT}


def test_read_of_a_missing_rule_is_none_and_asks_the_account_only_for_ecr_upstreams():
    client, stubber = stubbed_client()
    stubber.add_client_error("describe_pull_through_cache_rules", "PullThroughCacheRuleNotFoundException")
    with stubber:
        assert read(client, validate(params(upstream_registry_url="quay.io"))) == {"rule": None, "account": None}
    client, stubber = stubbed_client()
    stubber.add_client_error("describe_pull_through_cache_rules", "PullThroughCacheRuleNotFoundException")
    stubber.add_response("describe_registry", {"registryId": ACCOUNT, "replicationConfiguration": {"rules": []}})
    with stubber:
        assert read(client, validate(params(upstream_registry_url=ECR_URL))) == {"rule": None, "account": ACCOUNT}
    stubber.assert_no_pending_responses()


# Finish: validation


def finish_with(response, check_mode=False, writes_planned=False, plan=None, **options):
    client, stubber = stubbed_client()
    request = validate(params(validate=True, **options))
    plan = plan or Plan(None, None, [Action("a write", None)] if writes_planned else [])
    if response is not None:
        stubber.add_response("validate_pull_through_cache_rule", response, {"ecrRepositoryPrefix": "docker-hub"})
    with stubber:
        outcome = finish(client, request, plan, None, check_mode)
    stubber.assert_no_pending_responses()
    return outcome


def test_validation_result_and_failure():
    valid = {"ecrRepositoryPrefix": "docker-hub", "isValid": True}
    assert finish_with(valid) == ({"validation": {"is_valid": True, "failure": None}}, None)
    invalid = {"ecrRepositoryPrefix": "docker-hub", "isValid": False, "failure": "Unable to access the secret"}
    extra, failure = finish_with(invalid)
    assert extra == {"validation": {"is_valid": False, "failure": "Unable to access the secret"}}
    assert failure == "pull through cache rule 'docker-hub' is not valid: Unable to access the secret"
    # check mode validates a rule the task leaves as it is
    assert finish_with(valid, check_mode=True)[0] == {"validation": {"is_valid": True, "failure": None}}


def test_check_mode_with_pending_writes_skips_validation_with_a_warning():
    plan = Plan(None, None, [Action("a write", None)])
    assert finish_with(None, check_mode=True, plan=plan) == ({"validation": None}, None)
    assert len(plan.warnings) == 1 and "'docker-hub' was not validated: in check mode" in plan.warnings[0]


def test_no_validation_unless_asked():
    client, stubber = stubbed_client()
    with stubber:  # any call would fail: nothing is stubbed
        assert finish(client, validate(params()), Plan(None, None), None, False) == ({"validation": None}, None)
        assert finish(client, validate(params(state="absent", validate=True)), Plan(None, None), None, False) == ({"validation": None}, None)


def test_a_recreate_whose_create_and_restore_fail_says_the_rule_is_gone():
    existing = docker_hub()
    _request, outcome = run(existing, upstream_registry_url="ghcr.io", allow_recreate=True)
    client, stubber = stubbed_client()
    gone = ("describe_pull_through_cache_rules", "PullThroughCacheRuleNotFoundException", "not found")
    stubber.add_response("delete_pull_through_cache_rule", {}, {"ecrRepositoryPrefix": "docker-hub"})
    stubber.add_client_error("create_pull_through_cache_rule", "InvalidParameterException", "new rule refused")
    stubber.add_client_error(*gone)  # read back: the create did not land
    stubber.add_client_error("create_pull_through_cache_rule", "LimitExceededException", "old rule refused")
    stubber.add_client_error(*gone)  # read back: the restore did not land either
    with stubber, pytest.raises(WriteFailed) as error:
        outcome.actions[0].apply(client)
    stubber.assert_no_pending_responses()
    message = error.value.message
    assert message.startswith("Failed to create the pull through cache rule: ") and "new rule refused" in message
    assert "the previous rule 'docker-hub' was deleted and could not be restored" in message and "old rule refused" in message
    assert error.value.after is None
    assert error.value.result["before"] == existing
    task = error.value.result["restore_task"]["ecrkit.registry.ecr_pull_through_rule"]
    assert task == {key: value for key, value in existing.items() if key in SETTINGS + ("ecr_repository_prefix",) and value is not None}
    # The task in the message is YAML that gives the same arguments.
    assert yaml.safe_load(message[message.index("- name:"):])[0]["ecrkit.registry.ecr_pull_through_rule"] == task
