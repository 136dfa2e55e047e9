"""Issue #7: every case the fault and fuzz campaign found, through the resource files' validate()
and plan(), so each fails with the option, the value and the rule, before any write."""

import json

import pytest

from ansible_collections.ecrkit.registry.plugins.module_utils import creation_template
from ansible_collections.ecrkit.registry.plugins.module_utils import pull_through_rule
from ansible_collections.ecrkit.registry.plugins.module_utils import registry_policy
from ansible_collections.ecrkit.registry.plugins.module_utils import replication
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError
from ansible_collections.ecrkit.registry.plugins.module_utils.validators import document_text

ACCOUNT, OTHER, REGION = "123456789012", "210987654321", "us-east-1"
CONTEXT = {"region": REGION}
STATEMENT = {
    "Sid": "Replication",
    "Effect": "Allow",
    "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"},
    "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
    "Resource": f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/*",
}
LIFECYCLE_RULE = {"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days",
                                                   "countNumber": 14}, "action": {"type": "expire"}}


def refused(function, *args):
    with pytest.raises(ParameterError) as caught:
        function(*args)
    return str(caught.value)


def policy_params(**given):
    return dict({"policy": None, "statements": None, "purge_statements": False, "state": "present"}, **given)


def template_params(**given):
    params = dict.fromkeys(creation_template.TEMPLATE_SPEC)
    params.update(prefix="team", state="present")
    for option in ("repository_policy", "lifecycle_policy"):
        if isinstance(given.get(option), (dict, list)):
            given[option] = json.dumps(given[option])
    return dict(params, **given)


def doc(*statements, **extra):
    return dict({"Version": "2012-10-17", "Statement": list(statements)}, **extra)


def sized_policy(length):
    """A valid policy whose compact text is `length` characters, and whose spaced text is longer."""
    statements, index = [], 0
    while len(document_text(doc(*statements))) < length - 400:
        statements.append(dict(STATEMENT, Sid=f"S{index}"))
        index += 1
    document = doc(*statements)
    document["Statement"][0]["Resource"] += "x" * (length - len(document_text(document)))
    assert len(document_text(document)) == length
    return document


# Registry policy


@pytest.mark.parametrize("statements", [None, 3, True, 2.5, "ecr:*"])
def test_statement_of_any_scalar_type_is_refused_not_a_crash(statements):
    message = refused(registry_policy.validate, policy_params(policy=json.dumps({"Version": "2012-10-17", "Statement": statements})))
    assert message.startswith("policy.Statement: ") and "give a list of statements" in message


def test_deep_json_is_refused_not_a_recursion_error():
    message = refused(registry_policy.validate, policy_params(policy="[" * 50000 + "]" * 50000))
    assert message == "policy: nests lists and objects more than 32 levels deep; no valid document does."


@pytest.mark.parametrize(
    "policy, message",
    [
        (doc(STATEMENT, STATEMENT), "policy.Statement[1].Sid: 'Replication' is used by more than one statement"),
        (doc(dict(STATEMENT, Efect="Allow")), "policy.Statement[0]: 'Efect' is not a policy statement element"),
        (doc(dict(STATEMENT, Principal="*", Conditon={"StringEquals": {"aws:PrincipalOrgID": "o-1"}})), "'Conditon' is not a policy statement"),
        (doc(dict(STATEMENT, Action="s3:GetObject")), "policy.Statement[0].Action: 's3:GetObject' is not an Amazon ECR action"),
        (doc(dict(STATEMENT, Principal={"AWS": "21098765"})), "policy.Statement[0].Principal.AWS: '21098765' is not an AWS principal"),
    ],
)
def test_whole_policy_rules(policy, message):
    assert message in refused(registry_policy.validate, policy_params(policy=json.dumps(policy)))


def test_statements_get_the_same_checks():
    message = refused(registry_policy.validate, policy_params(statements=[dict(STATEMENT, Action=["ecr:PutImage", "sts:AssumeRole"])]))
    assert message.startswith("statements[0].Action: 'sts:AssumeRole' is not an Amazon ECR action")


def test_a_policy_without_version_gets_the_default_and_a_warning():
    request = registry_policy.validate(policy_params(policy=json.dumps({"Statement": [STATEMENT]})))
    assert request["policy"] == doc(STATEMENT)
    outcome = registry_policy.plan(request, None, CONTEXT)
    assert "policy: no Version given; using '2012-10-17'" in outcome.warnings[0]


def test_not_principal_with_allow_warns():
    statement = dict({k: v for k, v in STATEMENT.items() if k != "Principal"}, NotPrincipal={"AWS": OTHER})
    outcome = registry_policy.plan(registry_policy.validate(policy_params(statements=[statement])), None, CONTEXT)
    assert any("uses NotPrincipal with Allow" in warning for warning in outcome.warnings)


def test_purge_leaving_no_statement_deletes_the_policy():
    request = registry_policy.validate(policy_params(statements=[], purge_statements=True))
    outcome = registry_policy.plan(request, {"registry_id": ACCOUNT, "policy": doc(STATEMENT)}, CONTEXT)
    assert [action.description for action in outcome.actions] == ["delete the registry policy"]
    assert outcome.after is None
    assert not registry_policy.plan(request, None, CONTEXT).changed


def test_size_is_counted_on_the_compact_text_that_is_sent():
    document = sized_policy(10220)
    assert len(json.dumps(document)) > 10240  # the old, spaced measure refused it
    request = registry_policy.validate(policy_params(policy=json.dumps(document)))
    outcome = registry_policy.plan(request, None, CONTEXT)
    assert outcome.changed
    message = refused(registry_policy.validate, policy_params(policy=json.dumps(sized_policy(10241))))
    assert message == "policy: the policy is 10241 characters long as sent (compact JSON); the API takes at most 10240."


def test_the_merged_policy_is_held_to_the_limit_before_the_write():
    stored = sized_policy(10000)
    request = registry_policy.validate(policy_params(statements=[dict(STATEMENT, Sid="Extra", Resource="arn:" + "r" * 300)]))
    message = refused(registry_policy.plan, request, {"registry_id": ACCOUNT, "policy": stored}, CONTEXT)
    assert message.startswith("statements: the resulting policy (the registry's statements with these) is ")
    assert "the API takes at most 10240" in message


def test_what_is_put_is_the_measured_text():
    sent = []

    class Client:
        def put_registry_policy(self, policyText):
            sent.append(policyText)
            return {"registryId": ACCOUNT, "policyText": policyText}

    document = doc(dict(STATEMENT, Resource="arn:aws:ecr:us-east-1:123456789012:repository/é"))
    outcome = registry_policy.plan(registry_policy.validate(policy_params(policy=json.dumps(document))), None, CONTEXT)
    outcome.actions[0].apply(Client())
    assert sent == [document_text(document)]


# Replication


def destination(region="us-west-2"):
    return {"region": region, "registry_id": None}


def replication_params(*rules):
    return {"rules": list(rules), "purge_rules": True, "state": "present"}


@pytest.mark.parametrize(
    "rule, message",
    [
        ({"destinations": [destination()], "repository_filters": [f"team{i}" for i in range(101)]},
         "rules[0].repository_filters: 101 filters given; a rule takes at most 100."),
        ({"destinations": [destination(), destination()]}, "rules[0].destinations[1]: {'region': 'us-west-2', 'registry_id': None} is given more than once"),
        ({"destinations": [destination()], "repository_filters": ["prod", "prod"]}, "rules[0].repository_filters[1]: 'prod' is given more than once"),
    ],
)
def test_replication_rule_limits(rule, message):
    assert message in refused(replication.validate, replication_params(rule))


def test_replication_takes_the_models_rule_limit():
    assert replication.max_rules() == 25
    rules = [{"destinations": [destination()], "repository_filters": [f"team{i}"]} for i in range(25)]
    replication.validate(replication_params(*rules))


def test_an_unknown_region_warns():
    request = replication.validate(replication_params({"destinations": [destination("us-wset-2")]}))
    outcome = replication.plan(request, {"registry_id": ACCOUNT, "rules": []}, CONTEXT)
    assert outcome.warnings and outcome.warnings[0].startswith("rules[0].destinations[0].region: 'us-wset-2' is not a region")


# Creation templates


@pytest.mark.parametrize(
    "given, message",
    [
        ({"lifecycle_policy": {"rules": [dict(LIFECYCLE_RULE, selection="untagged")]}}, "lifecycle_policy.rules[0].selection: 'untagged' is a string"),
        ({"lifecycle_policy": {"rules": [{"rulePriority": 1, "selektion": {}, "action": {"type": "expire"}}]}}, "'selektion' is not a key here"),
        ({"lifecycle_policy": {"rules": [dict(LIFECYCLE_RULE, selection=dict(LIFECYCLE_RULE["selection"], tagStatus="untaged"))]}}, "tagStatus: 'untaged'"),
        ({"lifecycle_policy": {"rules": [dict(LIFECYCLE_RULE, selection=dict(LIFECYCLE_RULE["selection"], countNumber="five"))]}}, "countNumber: 'five'"),
        ({"lifecycle_policy": {"rules": [dict(LIFECYCLE_RULE, action={"type": "delete"})]}}, "action.type: 'delete'"),
        ({"repository_tags": {f"k{i}": "v" for i in range(51)}}, "repository_tags: 51 tags given; a resource holds at most 50."),
        ({"repository_tags": {"aws:cost": "1"}}, "repository_tags: the tag key 'aws:cost' starts with 'aws:'"),
        ({"repository_policy": {"Statement": [dict(STATEMENT, Efect="Allow")]}}, "repository_policy.Statement[0]: 'Efect' is not a policy statement element"),
        ({"repository_policy": "[" * 50000 + "]" * 50000}, "repository_policy: nests lists and objects more than 32 levels deep"),
    ],
)
def test_template_options(given, message):
    assert message in refused(creation_template.validate, template_params(**given))


def test_lifecycle_selection_that_is_not_a_dict_never_reaches_the_update():
    """It used to crash the comparison with `dictionary update sequence element #0 has length 1`."""
    bad = {"rules": [dict(LIFECYCLE_RULE, selection="untagged")]}
    with pytest.raises(ParameterError):
        creation_template.validate(template_params(lifecycle_policy=bad))


def test_template_kms_key_in_another_region_and_role_in_another_account():
    key = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    request = creation_template.validate(template_params(applied_for=["REPLICATION"], encryption_type="KMS", kms_key=key))
    message = refused(creation_template.plan, request, None, CONTEXT)
    assert message == f"kms_key: {key!r} is in region eu-west-1; it must be in the registry's region {REGION}."

    role = f"arn:aws:iam::{OTHER}:role/ecr-create"
    request = dict(creation_template.validate(template_params(applied_for=["REPLICATION"], custom_role_arn=role)), account=ACCOUNT)
    message = refused(creation_template.plan, request, None, CONTEXT)
    assert message == f"custom_role_arn: {role!r} is in account {OTHER}; it must be in the registry's account {ACCOUNT}."


def test_template_read_learns_the_account_only_for_a_role():
    calls = []

    class Client:
        def get_paginator(self, name):
            calls.append(name)
            return self

        def paginate(self, **_kwargs):
            return self

        def build_full_result(self):
            return {"repositoryCreationTemplates": []}

        def describe_registry(self):
            calls.append("describe_registry")
            return {"registryId": ACCOUNT, "replicationConfiguration": {"rules": []}}

    request = creation_template.validate(template_params(custom_role_arn=f"arn:aws:iam::{ACCOUNT}:role/r"))
    creation_template.read(Client(), request)
    assert calls == ["describe_repository_creation_templates", "describe_registry"] and request["account"] == ACCOUNT
    calls.clear()
    creation_template.read(Client(), creation_template.validate(template_params(description="d")))
    assert calls == ["describe_repository_creation_templates"]


# Pull through cache rules


def test_pull_through_secret_in_another_account():
    secret = f"arn:aws:secretsmanager:{REGION}:{OTHER}:secret:ecr-pullthroughcache/docker-hub-AbCdEf"
    params = dict.fromkeys(("upstream_registry", "custom_role_arn", "upstream_repository_prefix"))
    params.update(ecr_repository_prefix="docker-hub", state="present", allow_recreate=False, validate=False,
                  upstream_registry_url="registry-1.docker.io", credential_arn=secret)
    request = pull_through_rule.validate(params)
    message = refused(pull_through_rule.plan, request, {"rule": None, "account": ACCOUNT}, CONTEXT)
    assert message == f"credential_arn: {secret!r} is in account {OTHER}; the secret must be in the registry's account {ACCOUNT}."
