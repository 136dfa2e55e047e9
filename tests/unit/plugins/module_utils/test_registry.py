"""The whole registry as one object: states per section, write order, refusals, rendered requests,
error naming and partial failure. Pure: the sections' current state is given, no client."""

import json
import os
import re

import pytest
import yaml

from ansible_collections.ecrkit.registry.plugins.module_utils import registry_sections
from ansible_collections.ecrkit.registry.plugins.module_utils.creation_template import from_api as template_from_api
from ansible_collections.ecrkit.registry.plugins.module_utils.ecr import AnsibleEcrError
from ansible_collections.ecrkit.registry.plugins.module_utils.pull_through_rule import rule_from_api
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import WriteFailed
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import rules_need_account
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import apply
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import checked_config
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import config_of
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import describe
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import plan_config
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import render
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import sections_in_scope
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import validate_config
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Action
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError

ACCOUNT = "123456789012"
OTHER = "210987654321"
REGION = "us-east-1"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))

STATEMENT_A = {"Sid": "A", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"}, "Action": "ecr:BatchGetImage"}
STATEMENT_B = {"Sid": "B", "Effect": "Deny", "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"}, "Action": "ecr:PutImage"}
POLICY = {"Version": "2012-10-17", "Statement": [STATEMENT_A, STATEMENT_B]}


def template(prefix, **fields):
    return template_from_api(dict({"prefix": prefix, "appliedFor": ["PULL_THROUGH_CACHE"]}, **fields))


def rule(prefix, url, **fields):
    return rule_from_api(dict({"ecrRepositoryPrefix": prefix, "upstreamRegistryUrl": url, "registryId": ACCOUNT}, **fields))


def replication_rule(region, filters=(), registry_id=ACCOUNT, delete_replication=None):
    result = {
        "destinations": [{"region": region, "registry_id": registry_id}],
        "repository_filters": [{"filter": value, "filter_type": "PREFIX_MATCH"} for value in filters],
    }
    if delete_replication is not None:
        result["delete_replication"] = delete_replication
    return result


CURRENT = {
    "registry_policy": POLICY,
    "replication": [replication_rule("us-west-2", ["prod/"], delete_replication=True), replication_rule("eu-west-1")],
    "creation_templates": {"a": template("a", description="A", imageTagMutability="IMMUTABLE"), "b": template("b")},
    "pull_through_rules": {"quay": rule("quay", "quay.io"), "k8s": rule("k8s", "registry.k8s.io")},
}


def context(check_mode=False, allow_recreate=False):
    return {"account": ACCOUNT, "region": REGION, "check_mode": check_mode, "allow_recreate": allow_recreate}


def planned(state, config, current=None, **kwargs):
    declared = validate_config(config, state)
    current = current or {name: CURRENT[name] for name in declared}
    return plan_config(state, declared, current, context(**kwargs))


def after(state, config, **kwargs):
    return config_of(planned(state, config, **kwargs).target)


def actions(state, config, **kwargs):
    return [describe(write) for write in planned(state, config, **kwargs).writes]


def error(state, config):
    with pytest.raises(ParameterError) as caught:
        planned(state, config)
    return str(caught.value)


# Scope


@pytest.mark.parametrize(
    "config, message",
    [
        # ansible-core 2.17 names types as "<class 'int'>", 2.19 and later as "int".
        ({"replication": 5}, r"config: argument 'replication' is of type (<class ')?int\b"),
        ({"creation_templates": 5}, r"config: Elements value for option 'creation_templates'"),
        ({"pull_through_rules": [None]}, r"config: Elements value for option 'pull_through_rules' is of type (<class ')?NoneType\b"),
        ({"replicaton": {"rules": []}}, r"config: unsupported parameters"),
    ],
)
def test_config_sections_of_the_wrong_type_are_refused_with_a_message(config, message):
    # ansible-core's own nested validation raises a TypeError here; the module leaves these to checked_config.
    with pytest.raises(ParameterError) as error:
        checked_config(config)
    assert re.search(message, str(error.value)), str(error.value)


def test_checked_config_keeps_a_valid_config_and_none():
    assert checked_config(None) is None
    assert checked_config({"creation_templates": [{"prefix": "team"}]})["creation_templates"] == [{"prefix": "team"}]


def test_sections_in_scope_are_those_given_in_read_order():
    assert sections_in_scope(None) == [
        "registry_policy", "replication", "creation_templates", "pull_through_rules", "scanning", "account_settings", "signing",
        "pull_time_update_exclusions"]
    assert sections_in_scope({"pull_through_rules": [], "registry_policy": None, "creation_templates": []}) == [
        "creation_templates", "pull_through_rules"]


def test_a_section_not_given_is_not_planned():
    plan = planned("overridden", {"creation_templates": [{"prefix": "a", "applied_for": ["PULL_THROUGH_CACHE"]}]})
    assert set(plan.target) == {"creation_templates"}


# registry_policy


def test_policy_merged_lays_statement_elements_over_the_current_statement():
    result = after("merged", {"registry_policy": {"Statement": [{"Sid": "A", "Action": "ecr:*"}, dict(STATEMENT_B, Sid="C")]}})
    statements = {statement["Sid"]: statement for statement in result["registry_policy"]["Statement"]}
    assert statements["A"] == dict(STATEMENT_A, Action="ecr:*")  # Effect and Principal kept
    assert statements["B"] == STATEMENT_B and statements["C"]["Effect"] == "Deny"


def test_policy_merged_new_statement_needs_an_effect():
    message = error("merged", {"registry_policy": {"Statement": [{"Sid": "New", "Action": "ecr:*"}]}})
    assert message.startswith("registry_policy.Statement[Sid=New].Effect: required; it must be 'Allow' or 'Deny'")


def test_policy_replaced_takes_the_statement_whole_and_keeps_others():
    replacement = {"Sid": "A", "Effect": "Allow", "Principal": "*", "Action": "ecr:BatchGetImage", "Condition": {"StringEquals": {"x": "y"}}}
    result = after("replaced", {"registry_policy": {"Statement": [replacement]}})
    assert result["registry_policy"]["Statement"] == [replacement, STATEMENT_B]


def test_policy_overridden_is_the_document_and_empty_deletes_it():
    assert after("overridden", {"registry_policy": {"Statement": [STATEMENT_B]}})["registry_policy"]["Statement"] == [STATEMENT_B]
    assert after("overridden", {"registry_policy": {}})["registry_policy"] == {}
    assert actions("overridden", {"registry_policy": {"Version": "2012-10-17"}}) == ["registry_policy: delete the registry policy"]


def test_policy_deleted_removes_statements_and_the_policy_when_none_is_left():
    assert after("deleted", {"registry_policy": {"Statement": [{"Sid": "A"}]}})["registry_policy"]["Statement"] == [STATEMENT_B]
    assert actions("deleted", {"registry_policy": {"Statement": [{"Sid": "A"}, {"Sid": "B"}]}}) == ["registry_policy: delete the registry policy"]
    assert actions("deleted", {"registry_policy": {"Statement": [{"Sid": "Gone"}]}}) == []


def test_policy_equal_in_meaning_is_no_write():
    reordered = {"Version": "2012-10-17", "Statement": [STATEMENT_B, dict(STATEMENT_A, Action=["ecr:BatchGetImage"])]}
    assert actions("overridden", {"registry_policy": json.dumps(reordered)}) == []


# replication


def test_replication_merged_keeps_undeclared_rules_and_omitted_settings():
    rules = [{"destinations": [{"region": "us-west-2"}], "repository_filters": ["prod/"]}, {"destinations": [{"region": "ap-south-1"}]}]
    result = after("merged", {"replication": {"rules": rules}})
    assert result["replication"]["rules"] == CURRENT["replication"] + [replication_rule("ap-south-1")]


def test_replication_replaced_takes_declared_rules_whole():
    config = {"replication": {"rules": [{"destinations": [{"region": "us-west-2"}], "repository_filters": ["prod/"]}]}}
    assert after("replaced", config)["replication"]["rules"] == [replication_rule("us-west-2", ["prod/"]), replication_rule("eu-west-1")]
    assert actions("replaced", config) == ["replication: put the replication configuration"]


def test_replication_overridden_and_deleted():
    assert after("overridden", {"replication": {"rules": []}})["replication"] == {"rules": []}
    assert actions("overridden", {"replication": {"rules": []}}) == ["replication: clear the replication configuration"]
    # A rule is named by its identity; filters may be given as results give them.
    by_identity = {"destinations": [{"region": "us-west-2", "registry_id": ACCOUNT}],
                   "repository_filters": [{"filter": "prod/", "filter_type": "PREFIX_MATCH"}]}
    assert after("deleted", {"replication": {"rules": [by_identity]}})["replication"]["rules"] == [replication_rule("eu-west-1")]


def test_replication_to_itself_is_refused_naming_the_rule():
    message = error("merged", {"replication": {"rules": [{"destinations": [{"region": REGION}]}]}})
    assert message.startswith("replication.rules[0].destinations[0]: region 'us-east-1' in registry 123456789012 is the source registry")


# creation_templates


def test_templates_merged_keeps_omitted_options_and_other_templates():
    result = after("merged", {"creation_templates": [{"prefix": "a", "description": "new"}]})
    assert [(t["prefix"], t["description"], t["image_tag_mutability"]) for t in result["creation_templates"]] == [
        ("a", "new", "IMMUTABLE"), ("b", None, "MUTABLE")]


def test_templates_replaced_resets_omitted_options():
    result = after("replaced", {"creation_templates": [{"prefix": "a", "applied_for": ["REPLICATION"]}]})
    assert [(t["prefix"], t["description"], t["image_tag_mutability"], t["applied_for"]) for t in result["creation_templates"]] == [
        ("a", None, "MUTABLE", ["REPLICATION"]), ("b", None, "MUTABLE", ["PULL_THROUGH_CACHE"])]
    assert error("replaced", {"creation_templates": [{"prefix": "a", "description": "x"}]}).startswith(
        "creation_templates[prefix=a].applied_for: required to create the repository creation template for prefix 'a', which is replaced whole")


def test_templates_overridden_deletes_undeclared_and_empty_deletes_all():
    assert actions("overridden", {"creation_templates": [{"prefix": "b", "applied_for": ["PULL_THROUGH_CACHE"]}]}) == [
        "creation_templates[prefix=a]: delete the repository creation template for prefix 'a'"]
    assert after("overridden", {"creation_templates": []})["creation_templates"] == []


def test_templates_deleted_by_prefix():
    assert actions("deleted", {"creation_templates": [{"prefix": "b"}, {"prefix": "missing"}]}) == [
        "creation_templates[prefix=b]: delete the repository creation template for prefix 'b'"]


# pull_through_rules


def test_rules_states():
    secret = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:ecr-pullthroughcache/gh-AbCdEf"
    assert actions("merged", {"pull_through_rules": [{"ecr_repository_prefix": "ghcr", "upstream_registry_url": "ghcr.io", "credential_arn": secret}]}) == [
        "pull_through_rules[ecr_repository_prefix=ghcr]: create the pull through cache rule 'ghcr'"]
    assert actions("overridden", {"pull_through_rules": [{"ecr_repository_prefix": "quay", "upstream_registry_url": "quay.io"}]}) == [
        "pull_through_rules[ecr_repository_prefix=k8s]: delete the pull through cache rule 'k8s'"]
    assert actions("deleted", {"pull_through_rules": [{"ecr_repository_prefix": "quay"}]}) == [
        "pull_through_rules[ecr_repository_prefix=quay]: delete the pull through cache rule 'quay'"]
    # merged: an item with only its key changes nothing; replaced needs the URL.
    assert actions("merged", {"pull_through_rules": [{"ecr_repository_prefix": "quay"}]}) == []
    assert error("replaced", {"pull_through_rules": [{"ecr_repository_prefix": "quay"}]}) == (
        "pull_through_rules[ecr_repository_prefix=quay].upstream_registry_url: required to create the pull through cache rule 'quay', "
        "which is replaced whole.")


def test_rules_registry_id_must_be_this_registry():
    config = {"pull_through_rules": [{"ecr_repository_prefix": "quay", "registry_id": OTHER}]}
    assert error("merged", config).startswith("pull_through_rules[ecr_repository_prefix=quay].registry_id: '210987654321' is not this registry")
    assert actions("merged", {"pull_through_rules": [{"ecr_repository_prefix": "quay", "registry_id": ACCOUNT}]}) == []


def test_recreate_is_a_change_in_check_mode_and_refused_otherwise():
    config = {"pull_through_rules": [{"ecr_repository_prefix": "quay", "upstream_registry_url": "public.ecr.aws"}]}
    checked = planned("merged", config, check_mode=True)
    assert [describe(write) for write in checked.writes] == [
        "pull_through_rules[ecr_repository_prefix=quay]: delete the pull through cache rule 'quay' and create it again"]
    assert checked.recreate_reasons == {"quay": ["upstream_registry_url: 'quay.io' -> 'public.ecr.aws'", "upstream_registry: 'quay' -> 'ecr-public'"]}
    with pytest.raises(ParameterError, match=r"^pull_through_rules\[ecr_repository_prefix=quay\]: pull through cache rule 'quay' cannot change in place"):
        planned("merged", config)
    assert planned("merged", config, allow_recreate=True).recreate_reasons == checked.recreate_reasons


# Across sections


def test_writes_go_in_dependency_order():
    config = {
        "registry_policy": {"Statement": [STATEMENT_A]},
        "replication": {"rules": [{"destinations": [{"region": "us-west-2"}]}]},
        "creation_templates": [{"prefix": "new", "applied_for": ["REPLICATION"]}],
        "pull_through_rules": [{"ecr_repository_prefix": "ecr-public", "upstream_registry_url": "public.ecr.aws"}],
    }
    assert actions("overridden", config) == [
        "registry_policy: put the registry policy",
        "replication: put the replication configuration",
        "creation_templates[prefix=new]: create the repository creation template for prefix 'new'",
        "pull_through_rules[ecr_repository_prefix=k8s]: delete the pull through cache rule 'k8s'",
        "pull_through_rules[ecr_repository_prefix=quay]: delete the pull through cache rule 'quay'",
        "pull_through_rules[ecr_repository_prefix=ecr-public]: create the pull through cache rule 'ecr-public'",
        "creation_templates[prefix=a]: delete the repository creation template for prefix 'a'",
        "creation_templates[prefix=b]: delete the repository creation template for prefix 'b'",
    ]


def test_deleted_that_names_nothing_is_refused():
    for config, section in (
        ({"creation_templates": []}, "creation_templates"),
        ({"pull_through_rules": []}, "pull_through_rules"),
        ({"replication": {"rules": []}}, "replication.rules"),
        ({"replication": {}}, "replication.rules"),
        ({"registry_policy": {}}, "registry_policy"),
    ):
        with pytest.raises(ParameterError, match=rf"^{section.replace('.', '[.]')}: state=deleted names nothing to delete"):
            validate_config(config, "deleted")
    with pytest.raises(ParameterError, match=r"^config: state=deleted needs at least one section"):
        validate_config({}, "deleted")


@pytest.mark.parametrize("config, message", [
    ({"creation_templates": [{"prefix": "team-a", "image_tag_mutability": "SOMETIMES"}]},
     "creation_templates[prefix=team-a]: value of image_tag_mutability must be one of: MUTABLE, IMMUTABLE"),
    ({"creation_templates": [{"prefix": "team-a", "imagetag_mutability": "MUTABLE"}]},
     "creation_templates[prefix=team-a]: unsupported parameters: imagetag_mutability."),
    ({"creation_templates": [{"description": "no prefix"}]}, "creation_templates[0]: missing required arguments: prefix"),
    ({"creation_templates": [{"prefix": "team-a", "kms_key": "alias/x", "encryption_type": "KMS"}]},
     "creation_templates[prefix=team-a].kms_key: 'alias/x' is not a KMS key ARN"),
    ({"creation_templates": [{"prefix": "a", "applied_for": ["REPLICATION"]}, {"prefix": "a", "applied_for": ["REPLICATION"]}]},
     "creation_templates[prefix=a]: declared more than once"),
    ({"pull_through_rules": [{"ecr_repository_prefix": "hub", "upstream_registry_url": "docker.io"}]},
     "pull_through_rules[ecr_repository_prefix=hub].upstream_registry_url: 'docker.io' is not an upstream registry"),
    ({"pull_through_rules": [{"ecr_repository_prefix": "hub", "upstream_registry": "dockerhub"}]},
     "pull_through_rules[ecr_repository_prefix=hub]: value of upstream_registry must be one of"),
    ({"pull_through_rules": ["quay"]}, "pull_through_rules[0]: 'quay' is not a dict."),
    ({"replication": {"rules": [{"destinations": [{"region": "us-west-2"}], "repository_filters": ["Bad"]}]}},
     "replication.rules[0].repository_filters[0]: 'Bad' is not a repository name prefix"),
    ({"replication": {"rules": [{"destinations": [{"region": "us-west-2", "account": "1"}]}]}},
     "replication.rules[0]: unsupported parameters: destinations.account."),
    ({"replication": {"rules": [{"destinations": [{"region": "us-west-2"}], "repository_filters": [{"filter": "a/", "filter_type": "X"}]}]}},
     "replication.rules[0].repository_filters[0].filter_type: 'X' is not supported"),
    ({"registry_policy": {"Statement": [{"Effect": "Allow"}]}}, "registry_policy.Statement[0].Sid: None is not a valid Sid"),
    ({"registry_policy": "{not json"}, "registry_policy: not valid JSON"),
    # The shared validation reaches ecr_registry's items as it reaches the single modules.
    ({"registry_policy": '{"Statement": [], "Statement": []}'}, "registry_policy: not valid JSON (key 'Statement' appears more than once"),
    ({"registry_policy": {"Statement": [dict(STATEMENT_A, Conditon={})]}},
     "registry_policy.Statement[0]: 'Conditon' is not a policy statement element"),
    ({"registry_policy": {"Version": "2020-01-01", "Statement": [STATEMENT_A]}}, "registry_policy.Version: '2020-01-01' must be one of"),
    ({"replication": 5}, "replication: 5 is not a dict."),
    ({"replication": [None]}, "replication: [None] is not a dict."),
    ({"replication": {"rules": [{"destinations": [{"region": "us-west-2"}, {"region": "us-west-2"}]}]}},
     "replication.rules[0].destinations[1]: {'region': 'us-west-2', 'registry_id': None} is given more than once"),
    ({"creation_templates": [{"prefix": "a", "applied_for": ["REPLICATION"], "repository_tags": {"aws:team": "x"}}]},
     "creation_templates[prefix=a].repository_tags: the tag key 'aws:team' starts with 'aws:'"),
    ({"creation_templates": [{"prefix": "a", "applied_for": ["REPLICATION"], "lifecycle_policy": {"rules": [{"rulePriority": 1}]}}]},
     "creation_templates[prefix=a].lifecycle_policy.rules[0]"),
])
def test_bad_input_names_section_key_and_option(config, message):
    with pytest.raises(ParameterError) as caught:
        validate_config(config, "merged")
    assert str(caught.value).startswith(message), str(caught.value)


# Rendered


def test_rendered_builds_the_config_on_an_empty_registry_in_write_order():
    config = {
        "pull_through_rules": [{"ecr_repository_prefix": "quay", "upstream_registry_url": "https://quay.io/"}],
        "creation_templates": [{"prefix": "quay", "applied_for": ["PULL_THROUGH_CACHE"], "lifecycle_policy": {"rules": [
            {"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 5}, "action": {"type": "expire"}}]}}],
        "replication": {"rules": [{"destinations": [{"region": "us-west-2"}, {"region": "eu-west-1", "registry_id": OTHER}],
                                   "repository_filters": ["prod/"]}]},
        "registry_policy": {"Version": "2012-10-17", "Statement": [STATEMENT_A]},
    }
    requests = render(validate_config(config, "rendered"))
    assert [request["operation"] for request in requests] == [
        "PutRegistryPolicy", "PutReplicationConfiguration", "CreateRepositoryCreationTemplate", "CreatePullThroughCacheRule"]
    assert json.loads(requests[0]["parameters"]["policyText"]) == config["registry_policy"]
    assert requests[1]["parameters"] == {"replicationConfiguration": {"rules": [{
        "destinations": [{"region": "us-west-2"}, {"region": "eu-west-1", "registryId": OTHER}],
        "repositoryFilters": [{"filter": "prod/", "filterType": "PREFIX_MATCH"}]}]}}
    assert requests[2]["parameters"]["prefix"] == "quay" and requests[2]["parameters"]["appliedFor"] == ["PULL_THROUGH_CACHE"]
    assert json.loads(requests[2]["parameters"]["lifecyclePolicy"])["rules"][0]["rulePriority"] == 1
    assert requests[3]["parameters"] == {"ecrRepositoryPrefix": "quay", "upstreamRegistryUrl": "quay.io", "upstreamRegistry": "quay"}


def test_rendered_needs_what_a_create_needs():
    with pytest.raises(ParameterError, match=r"^creation_templates\[prefix=x\]\.applied_for: required to create"):
        render(validate_config({"creation_templates": [{"prefix": "x"}]}, "rendered"))


# Partial failure


def test_a_failed_write_reports_done_failed_and_not_done():
    config = {
        "creation_templates": [{"prefix": "new", "applied_for": ["REPLICATION"]}],
        "pull_through_rules": [{"ecr_repository_prefix": "ecr-public", "upstream_registry_url": "public.ecr.aws"}],
    }
    plan = planned("merged", config)
    made = []

    def succeed(client):
        made.append("template")
        return template("new")

    def fail(client):
        raise AnsibleEcrError(message="Failed to create the pull through cache rule")

    writes = [plan.writes[0]._replace(action=Action(plan.writes[0].action.description, succeed)),
              plan.writes[1]._replace(action=Action(plan.writes[1].action.description, fail)),
              plan.writes[1]._replace(key="later", action=Action("never", succeed))]
    with pytest.raises(WriteFailed) as caught:
        apply(None, writes, plan.target)
    failure = caught.value
    assert made == ["template"]
    assert failure.completed == ["creation_templates[prefix=new]: create the repository creation template for prefix 'new'"]
    assert failure.failed == "pull_through_rules[ecr_repository_prefix=ecr-public]: create the pull through cache rule 'ecr-public'"
    assert failure.pending == ["pull_through_rules[ecr_repository_prefix=later]: never"]
    assert failure.message().startswith(f"{failure.failed} failed: Failed to create the pull through cache rule. Done before it: {failure.completed[0]}")


# The documentation shows the items' options exactly as their specs take them.


def documented_options(module):
    with open(os.path.join(ROOT, "plugins", "modules", f"{module}.py"), encoding="utf-8") as handle:
        source = handle.read()
    start = source.index('DOCUMENTATION = r"""') + len('DOCUMENTATION = r"""')
    return yaml.safe_load(source[start:source.index('"""', start)])["options"]


def spec_shape(spec):
    return {
        name: {key: option.get(key) for key in ("type", "elements", "choices", "required")} | (
            {"options": spec_shape(option["options"])} if option.get("options") else {})
        for name, option in spec.items()
    }


def doc_shape(options):
    return {
        name: {key: option.get(key) for key in ("type", "elements", "choices", "required")} | (
            {"options": doc_shape(option["suboptions"])} if option.get("suboptions") else {})
        for name, option in options.items()
    }


def test_ecr_registry_documents_the_shared_item_specs():
    shape = spec_shape(registry_sections.DOCUMENTED_CONFIG_SPEC)
    for option in shape.values():  # documentation leaves out what is false or empty
        for item in [option] + list(option.get("options", {}).values()):
            if not item.get("required"):
                item["required"] = None
    documented = doc_shape(documented_options("ecr_registry")["config"]["suboptions"])

    def normal(tree):
        return {name: {key: (value if key != "options" else normal(value)) for key, value in option.items() if value not in (None, False)}
                for name, option in tree.items()}

    assert normal(documented) == normal(shape)


# Checks that need the registry: the account and region the reads gave, no call per item


def test_template_kms_key_and_role_must_be_in_the_registrys_region_and_account():
    kms = {"prefix": "a", "applied_for": ["REPLICATION"], "encryption_type": "KMS", "kms_key": f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/k"}
    assert error("merged", {"creation_templates": [kms]}).startswith(
        f"creation_templates[prefix=a].kms_key: 'arn:aws:kms:eu-west-1:{ACCOUNT}:key/k' is in region eu-west-1; it must be in the registry's region"
    )
    role = {"prefix": "a", "applied_for": ["REPLICATION"], "custom_role_arn": f"arn:aws:iam::{OTHER}:role/r"}
    assert error("replaced", {"creation_templates": [role]}).startswith(
        f"creation_templates[prefix=a].custom_role_arn: 'arn:aws:iam::{OTHER}:role/r' is in account"
    )


def test_pull_through_credential_in_another_account_is_refused():
    secret = f"arn:aws:secretsmanager:{REGION}:{OTHER}:secret:ecr-pullthroughcache/hub-AbCdEf"
    config = {"pull_through_rules": [{"ecr_repository_prefix": "hub", "upstream_registry_url": "registry-1.docker.io", "credential_arn": secret}]}
    assert error("merged", config).startswith(f"pull_through_rules[ecr_repository_prefix=hub].credential_arn: {secret!r} is in account {OTHER}")


def test_a_new_rule_with_a_credential_needs_the_account():
    secret = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:ecr-pullthroughcache/hub-AbCdEf"
    config = {"pull_through_rules": [{"ecr_repository_prefix": "hub", "upstream_registry_url": "registry-1.docker.io", "credential_arn": secret}]}
    assert rules_need_account("merged", validate_config(config, "merged")["pull_through_rules"])


def test_warnings_reach_the_registry_plan():
    no_version = {"Statement": [dict(STATEMENT_A, Sid="Open", Principal="*")]}
    warnings = planned("overridden", {"registry_policy": no_version}).warnings
    assert any(warning.startswith("registry_policy: no Version given") for warning in warnings), warnings
    assert any("allows any principal" in warning for warning in warnings), warnings
    merged = planned("merged", {"registry_policy": no_version}, current={"registry_policy": None}).warnings
    assert any(warning.startswith("registry_policy: no Version given") for warning in merged), merged
    region = planned("merged", {"replication": {"rules": [{"destinations": [{"region": "mars-north-1"}]}]}}).warnings
    assert any(warning.startswith("replication.rules[0].destinations[0].region: 'mars-north-1' is not a region") for warning in region), region


def test_merged_statements_are_measured_as_the_resulting_policy():
    big = dict(STATEMENT_A, Sid="Big", Condition={"StringEquals": {"aws:PrincipalOrgID": ["o-" + "a" * 30] * 200}})
    current = {"registry_policy": {"Version": "2012-10-17", "Statement": [big]}}
    other = dict(big, Sid="Other")
    assert error_with("merged", {"registry_policy": {"Statement": [other]}}, current).startswith(
        "registry_policy: the resulting policy (the registry's statements with these) is"
    )


def error_with(state, config, current):
    with pytest.raises(ParameterError) as caught:
        planned(state, config, current=current)
    return str(caught.value)


def test_the_policy_sent_is_compact_json():
    [request] = render(validate_config({"registry_policy": POLICY}, "rendered"))
    assert request["parameters"]["policyText"] == json.dumps(POLICY, separators=(",", ":"))
