"""Pure logic of the registry policy: parsing, statement merge, the plan and its messages."""

import json

import pytest

from ansible_collections.ecrkit.registry.plugins.module_utils.registry_policy import desired_policy
from ansible_collections.ecrkit.registry.plugins.module_utils.registry_policy import merge_statements
from ansible_collections.ecrkit.registry.plugins.module_utils.registry_policy import open_statement_warnings
from ansible_collections.ecrkit.registry.plugins.module_utils.registry_policy import plan
from ansible_collections.ecrkit.registry.plugins.module_utils.registry_policy import validate
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError

A = {
    "Sid": "A",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
    "Action": ["ecr:ReplicateImage", "ecr:CreateRepository"],
    "Resource": "*",
}
B = {"Sid": "B", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/ci"}, "Action": "ecr:CreateRepository", "Resource": "*"}
NO_SID = {"Effect": "Deny", "Principal": "*", "Action": "ecr:*", "Resource": "*"}


def params(**overrides):
    base = {"policy": None, "statements": None, "purge_statements": False, "state": "present"}
    base.update(overrides)
    return base


def doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def current(document):
    return {"registry_id": "123456789012", "policy": document}


def test_policy_accepts_json_text_and_dict_alike():
    assert validate(params(policy=json.dumps(doc(A))))["policy"] == validate(params(policy=doc(A)))["policy"] == doc(A)


def test_merge_replaces_in_place_appends_new_and_keeps_others():
    changed_a = dict(A, Action="ecr:ReplicateImage")
    assert merge_statements([A, NO_SID, B], [changed_a], purge=False) == [changed_a, NO_SID, B]
    assert merge_statements([A], [B], purge=False) == [A, B]
    assert merge_statements([A, NO_SID], [B], purge=True) == [B]


def test_absent_statements_remove_only_those_and_delete_when_empty():
    request = validate(params(state="absent", statements=[{"Sid": "A"}]))
    assert desired_policy(request, doc(A, B)) == doc(B)
    assert desired_policy(request, doc(A)) is None


def test_single_statement_object_is_read_as_a_list():
    request = validate(params(statements=[B]))
    assert desired_policy(request, {"Version": "2012-10-17", "Statement": A}) == doc(A, B)


def test_same_meaning_is_no_change_and_reports_what_the_registry_holds():
    stored = doc(dict(A, Action=list(reversed(A["Action"]))))
    outcome = plan(validate(params(policy=doc(A))), current(stored), {})
    assert not outcome.changed
    assert outcome.after == stored


def test_plan_put_delete_and_noop():
    put = plan(validate(params(policy=doc(A, B))), current(doc(A)), {})
    assert [a.description for a in put.actions] == ["put the registry policy"]
    assert put.before == doc(A) and put.after == doc(A, B)

    created = plan(validate(params(statements=[A])), None, {})
    assert created.after == doc(A) and created.changed and created.extra == {"registry_id": None}

    deleted = plan(validate(params(state="absent")), current(doc(A)), {})
    assert [a.description for a in deleted.actions] == ["delete the registry policy"]
    assert deleted.after is None

    assert not plan(validate(params(state="absent")), None, {}).changed


@pytest.mark.parametrize("principal", ["*", {"AWS": "*"}, {"AWS": ["arn:aws:iam::1:root", "*"]}])
def test_warns_on_any_principal_without_condition(principal):
    statement = dict(A, Principal=principal)
    assert "statement A allows any principal" in open_statement_warnings(doc(statement))[0]
    assert open_statement_warnings(doc(dict(statement, Condition={"StringEquals": {"aws:PrincipalOrgID": "o-1"}}))) == []
    assert open_statement_warnings(doc(dict(statement, Effect="Deny"))) == []


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"policy": "{"}, "policy: not valid JSON"),
        ({"policy": "3"}, "policy: a policy document must be a JSON object, got number"),
        ({"policy": {"Version": "2012-10-17"}}, "policy: a policy document needs a 'Statement' element"),
        ({"policy": doc("not a dict")}, "policy.Statement[0]: a statement must be a dict"),
        ({"policy": doc(dict(A, Sid="a-b"))}, "policy.Statement[0].Sid: 'a-b' is not a valid Sid"),
        ({"policy": doc(dict(A, Resource="arn:" + "r" * 10300))}, "(compact JSON); the API takes at most 10240"),
        ({"statements": [dict(A, Effect="allow")]}, "statements[0].Effect: 'allow'; it must be 'Allow' or 'Deny'"),
        ({"statements": [A, dict(B, Sid="A")]}, "statements[1].Sid: 'A' is used by more than one statement"),
        ({"statements": [{"Sid": "C", "Action": "ecr:*"}]}, "statements[0].Effect: required"),
        ({"state": "absent", "statements": [{"Effect": "Allow"}]}, "statements[0].Sid: None is not a valid Sid"),
        ({"state": "absent", "policy": doc(A)}, "policy: cannot be used with state=absent"),
    ],
)
def test_validation_names_the_option_and_the_rule(overrides, message):
    with pytest.raises(ParameterError) as error:
        validate(params(**overrides))
    assert message in str(error.value)
