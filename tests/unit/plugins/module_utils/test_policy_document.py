"""The IAM policy grammar of ECR resource policies: elements, effects, actions, principals."""

import pytest

from ansible_collections.ecrkit.registry.plugins.module_utils.policy_document import check_document
from ansible_collections.ecrkit.registry.plugins.module_utils.policy_document import check_statement
from ansible_collections.ecrkit.registry.plugins.module_utils.policy_document import statement_warnings
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError

GOOD = {
    "Sid": "Replication",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
    "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
    "Resource": "arn:aws:ecr:us-east-1:123456789012:repository/*",
    "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}},
}


def refused(statement, need_sid=False):
    with pytest.raises(ParameterError) as caught:
        check_statement("policy.Statement[0]", statement, need_sid=need_sid)
    return str(caught.value)


def document_refused(document):
    with pytest.raises(ParameterError) as caught:
        check_document("policy", document)
    return str(caught.value)


@pytest.mark.parametrize(
    "principal",
    [
        "*",
        {"AWS": "*"},
        {"AWS": "210987654321"},
        {"AWS": ["arn:aws:iam::210987654321:root", "arn:aws-cn:iam::210987654321:role/path/ci"]},
        {"AWS": "arn:aws:iam::210987654321:user/alice"},
        {"AWS": "arn:aws:sts::210987654321:assumed-role/ci/session"},
        {"Service": "ecr.amazonaws.com"},
    ],
)
def test_principal_forms_that_iam_takes(principal):
    check_statement("s", dict(GOOD, Principal=principal), need_sid=True)


@pytest.mark.parametrize(
    "principal, message",
    [
        ({"AWS": "21098765"}, "policy.Statement[0].Principal.AWS: '21098765' is not an AWS principal"),
        ({"AWS": "arn:aws:iam::210987654321:group/admins"}, "is not an AWS principal"),
        ({"AWS": "arn:aws:iam::2109876543:root"}, "is not an AWS principal"),
        ({"Aws": "210987654321"}, "policy.Statement[0].Principal: 'Aws' is not a principal type"),
        ({"Service": "ecr"}, "policy.Statement[0].Principal.Service: 'ecr' is not a service principal"),
        ({"AWS": []}, "policy.Statement[0].Principal.AWS: [] is not a list of principals"),
        ({}, "policy.Statement[0].Principal: {} is not a principal"),
        ("210987654321", "policy.Statement[0].Principal: '210987654321' is not a principal"),
        (None, "policy.Statement[0].Principal: None is not a principal"),
    ],
)
def test_malformed_principals(principal, message):
    assert message in refused(dict(GOOD, Principal=principal))


@pytest.mark.parametrize(
    "key",
    ["Efect", "Conditon", "Actions", "principal", "Resources"],
)
def test_misspelt_elements_are_refused(key):
    message = refused(dict(GOOD, **{key: "x"}))
    assert message.startswith(f"policy.Statement[0]: {key!r} is not a policy statement element")


def test_open_statement_with_misspelt_condition_is_refused():
    statement = {"Sid": "Org", "Effect": "Allow", "Principal": "*", "Action": "ecr:ReplicateImage",
                 "Conditon": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}}
    assert "'Conditon' is not a policy statement element" in refused(statement)


@pytest.mark.parametrize(
    "action, message",
    [
        ("s3:GetObject", "policy.Statement[0].Action: 's3:GetObject' is not an Amazon ECR action"),
        ("*", "'*' is not an Amazon ECR action"),
        (["ecr:CreateRepository", "iam:PassRole"], "'iam:PassRole' is not an Amazon ECR action"),
        ("ecr:", "'ecr:' is not an Amazon ECR action"),
        ([], "[] is not a list of actions"),
        (3, "3 is not a list of actions"),
    ],
)
def test_actions_outside_ecr(action, message):
    assert message in refused(dict(GOOD, Action=action))


@pytest.mark.parametrize("action", ["ecr:*", "ECR:ReplicateImage", "ecr:Batch*", ["ecr:CreateRepository"]])
def test_ecr_actions(action):
    check_statement("s", dict(GOOD, Action=action), need_sid=False)


@pytest.mark.parametrize(
    "statement, message",
    [
        (dict(GOOD, Effect="allow"), "policy.Statement[0].Effect: 'allow'; it must be 'Allow' or 'Deny'."),
        ({k: v for k, v in GOOD.items() if k != "Effect"}, "policy.Statement[0].Effect: required"),
        ({k: v for k, v in GOOD.items() if k != "Action"}, "policy.Statement[0].Action: required (Action or NotAction)"),
        ({k: v for k, v in GOOD.items() if k != "Principal"}, "policy.Statement[0].Principal: required (Principal or NotPrincipal)"),
        (dict(GOOD, NotAction="ecr:PutImage"), "policy.Statement[0]: has both Action and NotAction"),
        (dict(GOOD, NotPrincipal={"AWS": "*"}), "has both Principal and NotPrincipal"),
        (dict(GOOD, Resource="bucket"), "policy.Statement[0].Resource: 'bucket' is not a resource"),
        (dict(GOOD, Condition="aws:PrincipalOrgID"), "policy.Statement[0].Condition: 'aws:PrincipalOrgID' is not a Condition block"),
        (dict(GOOD, Condition={"StringEquals": "o-abc"}), "policy.Statement[0].Condition.StringEquals: 'o-abc' is not a condition"),
        (dict(GOOD, Condition={"StringEquals": {"k": {"x": 1}}}), "Condition.StringEquals.k: {'x': 1} is not a condition value"),
        (dict(GOOD, Sid="a b"), "policy.Statement[0].Sid: 'a b' is not a valid Sid"),
        (None, "policy.Statement[0]: a statement must be a dict, got null"),
        ("Allow", "policy.Statement[0]: a statement must be a dict, got string"),
    ],
)
def test_statement_rules(statement, message):
    assert message in refused(statement)


def test_a_sid_is_required_when_statements_are_managed_by_sid():
    assert "policy.Statement[0].Sid: None is not a valid Sid (letters and digits only, required here)" in refused(
        {k: v for k, v in GOOD.items() if k != "Sid"}, need_sid=True
    )


def test_partial_statements_need_only_a_sid():
    check_statement("statements[0]", {"Sid": "Old"}, need_sid=True, partial=True)


@pytest.mark.parametrize("statements", [None, 3, True, "Allow everything"])
def test_statement_of_the_wrong_type(statements):
    message = document_refused({"Version": "2012-10-17", "Statement": statements})
    assert message.startswith("policy.Statement: ") and "give a list of statements" in message


def test_document_rules():
    assert "policy: 'Statements' is not a policy element" in document_refused({"Statements": [GOOD]})
    assert "policy.Version: '2020-01-01' must be one of 2012-10-17, 2008-10-17" in document_refused({"Version": "2020-01-01", "Statement": [GOOD]})
    assert "policy: a policy document needs a 'Statement' element" in document_refused({"Version": "2012-10-17"})
    assert "policy.Statement: empty" in document_refused({"Version": "2012-10-17", "Statement": []})
    duplicate = document_refused({"Version": "2012-10-17", "Statement": [GOOD, dict(GOOD, Action="ecr:PutImage")]})
    assert duplicate == "policy.Statement[1].Sid: 'Replication' is used by more than one statement; a Sid must be unique in a policy."


def test_version_defaults_with_a_warning():
    document, warnings = check_document("policy", {"Statement": GOOD})
    assert document == {"Version": "2012-10-17", "Statement": GOOD}
    assert warnings == ["policy: no Version given; using '2012-10-17', the current policy language."]
    assert check_document("policy", {"Version": "2008-10-17", "Statement": [GOOD]})[1] == []
    assert check_document("repository_policy", {"Statement": [GOOD]}, default_version=False) == ({"Statement": [GOOD]}, [])


def test_not_principal_with_allow_warns():
    statement = {k: v for k, v in GOOD.items() if k != "Principal"}
    allow = dict(statement, NotPrincipal={"AWS": "210987654321"})
    [warning] = statement_warnings({"Statement": [allow]}, "registry policy")
    assert warning.startswith("registry policy statement Replication uses NotPrincipal with Allow")
    assert statement_warnings({"Statement": [dict(allow, Effect="Deny")]}, "registry policy") == []
