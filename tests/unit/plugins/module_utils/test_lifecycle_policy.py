"""The ECR lifecycle policy grammar."""

import pytest

from ansible_collections.ecrkit.registry.plugins.module_utils.lifecycle_policy import check_lifecycle_policy
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError


def rule(priority=1, action=None, **selection):
    chosen = {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14}
    chosen.update(selection)
    return {"rulePriority": priority, "selection": {k: v for k, v in chosen.items() if v is not None}, "action": action or {"type": "expire"}}


def refused(document):
    with pytest.raises(ParameterError) as caught:
        check_lifecycle_policy("lifecycle_policy", document)
    return str(caught.value)


@pytest.mark.parametrize(
    "rules",
    [
        [rule()],
        [rule(1, tagStatus="tagged", tagPrefixList=["v"], countType="imageCountMoreThan", countUnit=None, countNumber=5), rule(2, tagStatus="any")],
        [rule(tagStatus="tagged", tagPatternList=["prod*", "*a*b*c*d"])],
        [rule(countType="sinceImagePulled")],
        [rule(countType="sinceImageTransitioned", storageClass="archive")],
        [rule(storageClass="standard", action={"type": "transition", "targetStorageClass": "archive"})],
        [dict(rule(), description="untagged after 14 days")],
    ],
)
def test_valid_policies(rules):
    check_lifecycle_policy("lifecycle_policy", {"rules": rules})


@pytest.mark.parametrize(
    "document, message",
    [
        ({"rules": [{"rulePriority": 1, "selektion": {}, "action": {"type": "expire"}}]}, "lifecycle_policy.rules[0]: 'selektion' is not a key here"),
        ({"rules": [rule(tagStatus="untaged")]}, "lifecycle_policy.rules[0].selection.tagStatus: 'untaged'; it must be one of tagged, untagged, any."),
        ({"rules": [rule(countNumber="five")]}, "lifecycle_policy.rules[0].selection.countNumber: 'five'; it must be a positive integer."),
        ({"rules": [rule(countNumber=0)]}, "countNumber: 0; it must be a positive integer"),
        ({"rules": [rule(countNumber=True)]}, "countNumber: True; it must be a positive integer"),
        ({"rules": [rule(action={"type": "delete"})]}, "lifecycle_policy.rules[0].action.type: 'delete'; it must be one of expire, transition."),
        ({"rules": [rule(action={"type": "transition"})]}, "action.targetStorageClass: required; it must be one of archive"),
        ({"rules": [rule(action={"type": "expire", "targetStorageClass": "archive"})]}, "targetStorageClass: only with type 'transition'"),
        ({"rules": [dict(rule(), selection="untagged")]}, "lifecycle_policy.rules[0].selection: 'untagged' is a string; give a dict."),
        ({"rules": [dict(rule(), action=["expire"])]}, "lifecycle_policy.rules[0].action: ['expire'] is a list; give a dict."),
        ({"rules": ["rule"]}, "lifecycle_policy.rules[0]: 'rule' is a string; give a dict."),
        ({"rules": [rule(countType="imageCountMoreThan")]}, "selection.countUnit: only with countType sinceImagePushed"),
        ({"rules": [rule(countUnit="hours")]}, "selection.countUnit: 'hours'; it must be one of days"),
        ({"rules": [rule(countUnit=None)]}, "selection.countUnit: required"),
        ({"rules": [rule(countType="sinceImageDeleted")]}, "selection.countType: 'sinceImageDeleted'"),
        ({"rules": [rule(tagStatus="tagged")]}, "tagStatus 'tagged' needs one of tagPrefixList and tagPatternList (not both)"),
        ({"rules": [rule(tagStatus="tagged", tagPrefixList=["a"], tagPatternList=["b*"])]}, "(not both)"),
        ({"rules": [rule(tagPrefixList=["v"])]}, "selection.tagPrefixList: only with tagStatus 'tagged', not 'untagged'"),
        ({"rules": [rule(tagStatus="tagged", tagPrefixList="v")]}, "selection.tagPrefixList: 'v' must be a non-empty list"),
        ({"rules": [rule(tagStatus="tagged", tagPatternList=["*a*b*c*d*"])]}, "has more than 4 wildcards"),
        ({"rules": [rule(storageClass="glacier")]}, "selection.storageClass: 'glacier'"),
        ({"rules": [rule(countType="sinceImageTransitioned")]}, "sinceImageTransitioned needs storageClass 'archive'"),
        ({"rules": [rule(storageClass="archive")]}, "'archive' only with countType sinceImageTransitioned"),
        ({"rules": [rule(1), rule(1, tagStatus="any")]}, "lifecycle_policy.rules[1].rulePriority: 1 is used by more than one rule"),
        ({"rules": [rule("1")]}, "lifecycle_policy.rules[0].rulePriority: '1'; it must be a positive integer."),
        ({"rules": [rule(2, tagStatus="any"), rule(3)]}, "the rule with rulePriority 2 selects tagStatus 'any', so it must have the highest"),
        ({"rules": [{"rulePriority": 1, "action": {"type": "expire"}}]}, "lifecycle_policy.rules[0].selection: required."),
        ({"rules": [dict(rule(), description=5)]}, "rules[0].description: 5 must be a string"),
        ({"rules": []}, "lifecycle_policy.rules: []; a lifecycle policy needs a non-empty list of rules."),
        ({"rules": None}, "lifecycle_policy.rules: None"),
        ({"rules": [rule()], "version": 1}, "lifecycle_policy: 'version' is not a key here"),
    ],
)
def test_invalid_policies_name_the_key_and_the_rule(document, message):
    assert message in refused(document)
