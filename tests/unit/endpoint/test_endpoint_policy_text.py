"""The service-style (Jackson DefaultPrettyPrinter) re-serialisation of policy texts."""

import json

import pytest

from ecr_endpoint import policy_text
from ecr_endpoint.errors import EcrError


def test_registry_policy_in_the_service_style():
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "A", "Effect": "Allow", "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"]}],
    }
    assert policy_text.pretty(document) == (
        '{\n  "Version" : "2012-10-17",\n  "Statement" : [ {\n    "Sid" : "A",\n    "Effect" : "Allow",\n'
        '    "Action" : [ "ecr:CreateRepository", "ecr:ReplicateImage" ]\n  } ]\n}'
    )


def test_several_objects_in_an_array_and_nested_objects():
    document = {"Statement": [{"Sid": "A", "Principal": {"AWS": "arn:aws:iam::1:root"}}, {"Sid": "B"}]}
    assert policy_text.pretty(document) == (
        '{\n  "Statement" : [ {\n    "Sid" : "A",\n    "Principal" : {\n      "AWS" : "arn:aws:iam::1:root"\n'
        '    }\n  }, {\n    "Sid" : "B"\n  } ]\n}'
    )


def test_empty_containers_scalars_and_key_order():
    document = {"z": {}, "a": [], "n": 1, "f": 1.5, "t": True, "no": None, "nested": [[1, 2], []]}
    assert policy_text.pretty(document) == (
        '{\n  "z" : { },\n  "a" : [ ],\n  "n" : 1,\n  "f" : 1.5,\n  "t" : true,\n  "no" : null,\n'
        '  "nested" : [ [ 1, 2 ], [ ] ]\n}'
    )


def test_strings_are_escaped_like_jackson():
    assert policy_text.pretty({"k": 'quote " slash \\ tab \t nl \n ctrl \x01 é /'}) == (
        '{\n  "k" : "quote \\" slash \\\\ tab \\t nl \\n ctrl \\u0001 é /"\n}'
    )


def test_pretty_text_parses_back_to_the_same_document():
    document = {"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countNumber": 14}}]}
    assert json.loads(policy_text.pretty(document)) == document


@pytest.mark.parametrize("text", ["not json", "[]", '{"Version": "2012-10-17"}', '{"Statement": NaN}', ""])
def test_parse_rejects_what_ecr_rejects(text):
    with pytest.raises(EcrError) as error:
        policy_text.parse(text, "PolicyText", "Invalid registry policy provided", "Statement")
    assert error.value.code == "InvalidParameterException"
    assert error.value.message == "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid registry policy provided'"


def test_parse_keeps_key_order():
    document = policy_text.parse('{"Statement": [], "Version": "2012-10-17"}', "PolicyText", "bad", "Statement")
    assert list(document) == ["Statement", "Version"]
