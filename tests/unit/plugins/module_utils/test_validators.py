"""Shared checks: strict JSON with bounded depth, the text as sent, tags, ARNs, the service model."""

import json

import botocore
import botocore.session
import pytest

from ansible_collections.ecrkit.registry.plugins.module_utils import service_model
from ansible_collections.ecrkit.registry.plugins.module_utils import validators
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError


def refused(function, *args, **kwargs):
    with pytest.raises(ParameterError) as caught:
        function(*args, **kwargs)
    return str(caught.value)


def nested(levels):
    value = "leaf"
    for _level in range(levels):
        value = [value]
    return value


@pytest.mark.parametrize("text", ["[" * 100000 + "]" * 100000, '{"a":' * 100000 + "1" + "}" * 100000])
def test_json_nested_beyond_the_stack_is_refused_not_a_recursion_error(text):
    assert "more than 32 levels deep" in refused(validators.parse_json, "policy", text)


def test_depth_is_bounded_for_parsed_values_too():
    assert validators.parse_json("p", nested(32)) == nested(32)
    assert refused(validators.parse_json, "statements", nested(33)).startswith("statements: nests lists and objects more than 32")
    assert validators.depth({"a": [{"b": 1}]}) == 3 and validators.depth("x") == 0


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"a": NaN}', "NaN is not JSON"),
        ('{"a": Infinity}', "Infinity is not JSON"),
        ('{"Effect": "Allow", "Effect": "Deny"}', "key 'Effect' appears more than once"),
        ("{not json", "not valid JSON"),
    ],
)
def test_json_is_parsed_strictly(text, message):
    assert message in refused(validators.parse_json, "policy", text)


@pytest.mark.parametrize("value", ["[1]", "3", "true", "null", '"text"'])
def test_a_document_must_be_an_object(value):
    assert refused(validators.parse_json_object, "lifecycle_policy", value).startswith("lifecycle_policy: must be a JSON object, got ")


def test_empty_documents_mean_none_only_when_asked():
    assert validators.parse_json_object("p", "", empty_is_none=True) is None
    assert validators.parse_json_object("p", "{}", empty_is_none=True) is None
    assert validators.parse_json_object("p", "{}") == {}


def test_the_text_sent_is_compact_utf8_and_is_what_is_measured():
    document = {"Statement": [{"Sid": "A", "Resource": "é" * 10}]}
    text = validators.document_text(document)
    assert text == '{"Statement":[{"Sid":"A","Resource":"' + "é" * 10 + '"}]}'
    assert json.loads(text) == document
    filler = "r" * (100 - len(validators.document_text({"R": ""})))
    validators.check_text_length("policy", {"R": filler}, 100)  # exactly at the limit
    assert "101 characters long as sent (compact JSON); the API takes at most 100" in refused(
        validators.check_text_length, "policy", {"R": filler + "r"}, 100
    )
    # Non-ASCII counts as one character, as the service counts it (ASCII escapes would count 6).
    validators.check_text_length("policy", {"R": "é" * (len(filler))}, 100)


@pytest.mark.parametrize(
    "tags, message",
    [
        ({f"k{i}": "v" for i in range(51)}, "repository_tags: 51 tags given; a resource holds at most 50."),
        ({"aws:owner": "x"}, "repository_tags: the tag key 'aws:owner' starts with 'aws:'"),
        ({"AWS:Owner": "x"}, "starts with 'aws:'"),
        ({"k" * 129: "v"}, "is 129 characters long; tag keys are 1-128"),
        ({"": "v"}, "tag keys are 1-128"),
        ({"k": "v" * 257}, "repository_tags.k: the value is 257 characters long"),
        ({"k": None}, "repository_tags.k: None is not a tag value"),
        ({"k": ["a"]}, "repository_tags.k: ['a'] is not a tag value"),
        (["k"], "repository_tags: ['k'] is a list; give a dict"),
    ],
)
def test_tags(tags, message):
    assert message in refused(validators.check_tags, "repository_tags", tags)


def test_fifty_tags_are_fine_and_come_back_as_strings():
    tags = {f"k{i}": i for i in range(50)}
    assert validators.check_tags("t", tags) == {f"k{i}": str(i) for i in range(50)}


def test_unique():
    validators.check_unique("f", ["a", "b"])
    assert refused(validators.check_unique, "rules[0].repository_filters", ["a", "b", "a"]) == (
        "rules[0].repository_filters[2]: 'a' is given more than once; each must be unique."
    )


def test_check_string_names_type_length_and_pattern():
    assert "is a number; give a string" in refused(validators.check_string, "region", 5)
    assert "region: 'x' is not valid: it is 1 characters long, not 2-25." in refused(validators.check_string, "region", "x", 25, 2)
    assert "is not a region name" in refused(validators.check_string, "region", "US", 25, 2, "[a-z-]+", "a region name")


def test_arns():
    assert validators.parse_arn("arn:aws:kms:eu-west-1:123456789012:key/abc")["region"] == "eu-west-1"
    assert validators.parse_arn("not an arn") is None and validators.parse_arn(None) is None
    validators.check_arn_account("r", "arn:aws:iam::123456789012:role/x", "123456789012")
    assert "is in account 210987654321; it must be in the registry's account 123456789012" in refused(
        validators.check_arn_account, "custom_role_arn", "arn:aws:iam::210987654321:role/x", "123456789012"
    )
    assert "is in region eu-west-1; it must be in the registry's region us-east-1" in refused(
        validators.check_arn_region, "kms_key", "arn:aws:kms:eu-west-1:123456789012:key/abc", "us-east-1"
    )
    validators.check_arn_region("kms_key", "arn:aws:kms:us-east-1:123456789012:key/abc", "us-east-1")


def test_limits_come_from_the_installed_botocore_model():
    model = botocore.session.get_session().get_service_model("ecr")
    assert service_model.limit("ReplicationRuleList", "max", 0) == model.shape_for("ReplicationRuleList").metadata["max"]
    assert service_model.limit("RegistryPolicyText", "max", 0) == model.shape_for("RegistryPolicyText").metadata["max"]
    assert service_model.limit("NoSuchShape", "max", 7) == 7
    assert service_model.shape_metadata("NoSuchShape") == {}


def test_unknown_regions_warn_and_known_ones_do_not():
    assert service_model.region_warning("region", "us-west-2") == []
    assert service_model.region_warning("region", "cn-north-1") == []  # other partitions count too
    assert service_model.region_warning("region", "mx-central-1") == []  # a region of 2025
    assert service_model.region_warning("region", "aws-global") != []  # a partition's pseudo-region, not a region
    [warning] = service_model.region_warning("rules[0].destinations[0].region", "us-wset-2")
    assert warning.startswith(f"rules[0].destinations[0].region: 'us-wset-2' is not a region that botocore {botocore.__version__} knows")
