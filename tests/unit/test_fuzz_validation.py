"""Property-based fuzzing of every module's input handling (issue #7).

Each module's options are given malformed values of every JSON type (null, booleans, numbers,
strings, lists, objects, deep nesting) and near-valid documents with one part broken. Through the
module's own argument spec and then its resource's validate() and plan(), the only outcomes allowed
are a clean refusal (an argument spec error or ParameterError) or success: never another
exception. ecr_registry's `config` gets the same items as sections, through validate_config and
plan_config on an empty and a populated registry. A smaller sample runs through the real module entry against the local ECR endpoint:
no traceback, and a failed task sends no write.

Seeds are fixed (derandomize) and examples bounded, so the run is the same in CI and takes seconds.
"""

import contextlib
import functools
import importlib
import io
import json

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from ansible.module_utils import basic
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.arg_spec import ModuleArgumentSpecValidator

from ansible_collections.ecrkit.registry.plugins.module_utils import creation_template
from ansible_collections.ecrkit.registry.plugins.module_utils import lifecycle_policy
from ansible_collections.ecrkit.registry.plugins.module_utils import policy_document
from ansible_collections.ecrkit.registry.plugins.module_utils import pull_through_rule
from ansible_collections.ecrkit.registry.plugins.module_utils import registry
from ansible_collections.ecrkit.registry.plugins.module_utils import registry_policy
from ansible_collections.ecrkit.registry.plugins.module_utils import replication
from ansible_collections.ecrkit.registry.plugins.module_utils import validators
from ansible_collections.ecrkit.registry.plugins.module_utils.registry_sections import CONFIG_SPEC
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Plan
from ecr_endpoint import EcrEndpoint

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19: a module reads its arguments from basic._ANSIBLE_ARGS

    @contextlib.contextmanager
    def patch_module_args(args):
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved


ACCOUNT, OTHER, REGION = "123456789012", "210987654321", "us-east-1"
CONTEXT = {"region": REGION}
FUZZ = settings(
    derandomize=True, database=None, max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

# Values of every JSON type, nested a little; and nested far past any valid document. Text from a
# small alphabet of the characters that matter here (Hypothesis's full Unicode table costs seconds).
text = st.text(alphabet="abzAZ09:*?-_/. =@\"\\{}[]é\u2603\n", max_size=20)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**63), st.floats(), text,
    st.sampled_from(["", "*", "ROOT", "ecr:*", "Allow", "tagged", "expire", "us-west-2", ACCOUNT, "aws:x", "é" * 3]),
)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
                           max_leaves=12)


def nest(levels, leaf):
    for level in range(levels):
        leaf = [leaf] if level % 2 else {"k": leaf}
    return leaf


deep_values = st.builds(nest, st.integers(min_value=30, max_value=120), scalars)
any_value = st.one_of(json_values, deep_values)


def near(valid):
    """`valid`, or it with one part replaced by any value, removed, duplicated or misspelt."""
    options = [st.just(valid), any_value]
    if isinstance(valid, dict) and valid:
        for key, child in valid.items():
            options.append(near(child).map(lambda value, key=key: dict(valid, **{key: value})))
        options.append(st.sampled_from(sorted(valid)).map(lambda key: {k: v for k, v in valid.items() if k != key}))
        options.append(st.sampled_from(sorted(valid)).map(lambda key: dict(valid, **{key[:-1] + "x": valid[key]})))
    if isinstance(valid, list) and valid:
        for index, child in enumerate(valid):
            options.append(near(child).map(lambda value, index=index: valid[:index] + [value] + valid[index + 1:]))
        options.append(st.just(valid + valid))
    return st.one_of(options)


STATEMENT = {
    "Sid": "Replication", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"},
    "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"], "Resource": f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/*",
    "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}},
}
POLICY = {"Version": "2012-10-17", "Statement": [STATEMENT]}
LIFECYCLE = {"rules": [
    {"rulePriority": 1, "description": "untagged", "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days",
                                                                 "countNumber": 14}, "action": {"type": "expire"}},
    {"rulePriority": 2, "selection": {"tagStatus": "tagged", "tagPrefixList": ["v"], "countType": "imageCountMoreThan", "countNumber": 5},
     "action": {"type": "expire"}},
]}
SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:ecr-pullthroughcache/docker-hub-AbCdEf"

# Per module: a valid value of each option (mutated by near()), and the states plan() meets.
MODULES = {
    "ecr_registry_policy": {
        "resource": registry_policy,
        "valid": {"policy": POLICY, "statements": [STATEMENT], "purge_statements": True, "state": "present"},
        "currents": [None, {"registry_id": ACCOUNT, "policy": {"Version": "2012-10-17", "Statement": [dict(STATEMENT, Sid="Other")]}}],
    },
    "ecr_replication": {
        "resource": replication,
        "valid": {"rules": [{"destinations": [{"region": "us-west-2", "registry_id": OTHER}], "repository_filters": ["prod"],
                             "delete_replication": True}], "purge_rules": False, "state": "present"},
        "currents": [{"registry_id": ACCOUNT, "rules": []}, {"registry_id": ACCOUNT, "rules": [replication.rule_from_api(
            {"destinations": [{"region": "eu-west-1", "registryId": ACCOUNT}], "repositoryFilters": [{"filter": "team", "filterType": "PREFIX_MATCH"}]}
        )]}],
    },
    "ecr_creation_template": {
        "resource": creation_template,
        "valid": {
            "prefix": "team", "description": "team repositories", "applied_for": ["REPLICATION"], "encryption_type": "KMS",
            "kms_key": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab", "image_tag_mutability": "IMMUTABLE_WITH_EXCLUSION",
            "image_tag_mutability_exclusion_filters": ["latest"], "repository_policy": POLICY, "lifecycle_policy": LIFECYCLE,
            "repository_tags": {"owner": "platform"}, "custom_role_arn": f"arn:aws:iam::{ACCOUNT}:role/create", "state": "present",
        },
        "currents": [None, dict(creation_template.defaults("team"), applied_for=["REPLICATION"], lifecycle_policy=LIFECYCLE)],
    },
    "ecr_pull_through_rule": {
        "resource": pull_through_rule,
        "valid": {
            "ecr_repository_prefix": "docker-hub", "upstream_registry_url": "registry-1.docker.io", "upstream_registry": "docker-hub",
            "credential_arn": SECRET, "custom_role_arn": f"arn:aws:iam::{ACCOUNT}:role/pull", "upstream_repository_prefix": "team",
            "allow_recreate": True, "validate": False, "state": "present",
        },
        "currents": [{"rule": None, "account": ACCOUNT}, {"rule": pull_through_rule.rule_from_api(
            {"ecrRepositoryPrefix": "docker-hub", "upstreamRegistryUrl": "registry-1.docker.io", "upstreamRegistry": "docker-hub",
             "credentialArn": SECRET, "registryId": ACCOUNT}
        ), "account": ACCOUNT}],
    },
}


def without_keys(mapping, keys):
    return {key: value for key, value in mapping.items() if key not in keys}


class _Captured(Exception):
    pass


@functools.lru_cache(maxsize=None)
def module_spec(name):
    """The keyword arguments the module's main() gives its module class: its argument spec."""
    module = importlib.import_module(f"ansible_collections.ecrkit.registry.plugins.modules.{name}")
    captured = {}

    def capture(**kwargs):
        captured.update(kwargs)
        raise _Captured()

    original = module.EcrkitModule
    module.EcrkitModule = capture
    try:
        module.main()
    except _Captured:
        pass
    finally:
        module.EcrkitModule = original
    return captured


def params_strategy(name):
    return st.fixed_dictionaries({}, optional={option: near(value) for option, value in MODULES[name]["valid"].items()})


def check_one(name, params):
    """Argument spec, then validate() and plan() on each current state: a clean refusal or a Plan."""
    spec = module_spec(name)
    checker = ModuleArgumentSpecValidator(
        spec["argument_spec"], mutually_exclusive=spec.get("mutually_exclusive"), required_if=spec.get("required_if")
    )
    result = checker.validate(params)
    if result.error_messages:
        return "argument spec"
    resource = MODULES[name]["resource"].RESOURCE
    parameters = result.validated_parameters
    if resource.botocore_requirements:
        resource.botocore_requirements(parameters)
    try:
        request = resource.validate(parameters)
    except ParameterError as e:
        assert ": " in str(e), e  # "option: what is wrong"
        return "validate"
    for current in MODULES[name]["currents"]:
        try:
            outcome = resource.plan(dict(request), current, CONTEXT)
        except ParameterError:
            continue
        assert isinstance(outcome, Plan)
    return "accepted"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_option_refuses_cleanly_or_succeeds(name):
    outcomes = []

    @FUZZ
    @given(params_strategy(name))
    def fuzz(params):
        outcomes.append(check_one(name, params))

    fuzz()
    # The fuzzing reached the module's own checks, not only the argument spec.
    assert "validate" in outcomes, outcomes


# ecr_registry: the same items, as sections of its `config`, through validate_config and plan_config.

CONFIG = {
    "registry_policy": POLICY,
    "replication": {"rules": [without_keys(MODULES["ecr_replication"]["valid"]["rules"][0], ())]},
    "creation_templates": [without_keys(MODULES["ecr_creation_template"]["valid"], ("state",))],
    "pull_through_rules": [without_keys(MODULES["ecr_pull_through_rule"]["valid"], ("state", "allow_recreate", "validate"))],
}
# The registry each plan meets: empty, and holding an item of every section (the modules' currents).
REGISTRIES = [
    {"registry_policy": None, "replication": [], "creation_templates": {}, "pull_through_rules": {}},
    {
        "registry_policy": MODULES["ecr_registry_policy"]["currents"][1]["policy"],
        "replication": MODULES["ecr_replication"]["currents"][1]["rules"],
        "creation_templates": {"team": MODULES["ecr_creation_template"]["currents"][1]},
        "pull_through_rules": {"docker-hub": MODULES["ecr_pull_through_rule"]["currents"][1]["rule"]},
    },
]
# The account is known from the reads, or not (no section named it and no write needed it).
CONTEXTS = [dict(CONTEXT, account=account, allow_recreate=False, check_mode=False) for account in (ACCOUNT, None)]
config_strategy = st.fixed_dictionaries({}, optional={section: near(value) for section, value in CONFIG.items()})


def check_config(state, config):
    """The config through Ansible's check of the option, then as ecr_registry.run() takes it:
    validate_config, botocore_requirements, render or plan_config on each registry."""
    result = ArgumentSpecValidator(dict(config=dict(type="dict", options=CONFIG_SPEC))).validate({"config": config})
    if result.error_messages:
        return "argument spec"
    config = result.validated_parameters["config"]
    try:
        declared = registry.validate_config(config, state)
    except ParameterError as e:
        assert ": " in str(e), e  # "section[key=...].option: what is wrong"
        return "validate"
    registry.botocore_requirements(config)
    if state == "rendered":
        assert isinstance(registry.render(declared), list)
        return "accepted"
    for current in REGISTRIES:
        for context in CONTEXTS:
            try:
                planned = registry.plan_config(state, declared, {name: current[name] for name in declared}, context)
            except ParameterError as e:
                assert ": " in str(e), e
                continue
            assert isinstance(planned, registry.RegistryPlan)
            assert all(isinstance(warning, str) for warning in planned.warnings)
    return "accepted"


def test_registry_config_refuses_cleanly_or_succeeds():
    outcomes = []

    @settings(FUZZ, max_examples=150)
    @given(st.sampled_from([state for state in registry.STATES if state != "gathered"]), config_strategy)
    def fuzz(state, config):
        outcomes.append(check_config(state, config))

    fuzz()
    # Both the item checks (refusals) and whole plans (acceptances) were reached.
    assert "validate" in outcomes and "accepted" in outcomes, outcomes


@FUZZ
@given(any_value)
def test_document_validators_take_any_json_value(value):
    for check in (
        lambda: policy_document.check_document("policy", value),
        lambda: policy_document.check_statement("statements[0]", value, need_sid=True),
        lambda: lifecycle_policy.check_lifecycle_policy("lifecycle_policy", value),
        lambda: validators.check_tags("repository_tags", value),
        lambda: validators.parse_json("policy", value),
        lambda: validators.parse_json("policy", json.dumps(value)),
        lambda: validators.check_string("region", value, 25, 2, r"[a-z0-9-]+"),
    ):
        try:
            check()
        except ParameterError:
            pass


@FUZZ
@given(near(POLICY))
def test_policy_documents_near_valid(document):
    try:
        policy_document.check_document("policy", document)
    except ParameterError:
        pass


@FUZZ
@given(near(LIFECYCLE))
def test_lifecycle_documents_near_valid(document):
    try:
        lifecycle_policy.check_lifecycle_policy("lifecycle_policy", document)
    except ParameterError:
        pass


# Through the real module entry, against the local endpoint


@pytest.fixture(scope="module")
def endpoint():
    server = EcrEndpoint(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.stop()


def run_module(name, endpoint, params):
    """main() of the module with `params`: its result dict, and whether it left by exit or fail."""
    module = importlib.import_module(f"ansible_collections.ecrkit.registry.plugins.modules.{name}")
    connection = dict(endpoint_url=endpoint.url, region=REGION, access_key=f"AKIA{ACCOUNT}", secret_key="local-secret")
    output = io.StringIO()
    with patch_module_args(dict(params, **connection)), contextlib.redirect_stdout(output):
        with pytest.raises(SystemExit):
            module.main()  # any other exception is a traceback: the test fails with it
    return json.loads(output.getvalue())


ENTRY = settings(FUZZ, max_examples=25)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_entry_never_tracebacks_and_a_failure_writes_nothing(name, endpoint):
    outcomes = []

    @ENTRY
    @given(params_strategy(name))
    def fuzz(params):
        endpoint.reset()
        # JSON-safe params, as a playbook would give them (the controller serialises them).
        try:
            params = json.loads(json.dumps(params, allow_nan=False))
        except (ValueError, RecursionError):
            return
        result = run_module(name, endpoint, params)
        outcomes.append("failed" if result.get("failed") else "ok")
        assert "exception" not in result, result
        calls = endpoint.calls()
        if result.get("failed"):
            assert result["msg"]
            assert [call for call in calls if call["write"]] == [], (result["msg"], calls)
        # Whatever was written, the service took: no bad input reached a write.
        assert [call for call in calls if call["write"] and call["status"] >= 400] == [], calls

    fuzz()
    assert "failed" in outcomes, outcomes  # the module's checks were reached and refused something
