# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The ECR lifecycle policy grammar (ECR user guide, Lifecycle policy properties), checked before
the policy is sent: a misspelt key or value would otherwise be refused by the service with no
name, or break the comparison of rules."""

from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError
from ansible_collections.ecrkit.registry.plugins.module_utils.validators import show
from ansible_collections.ecrkit.registry.plugins.module_utils.validators import type_name

RULE_KEYS = ("rulePriority", "description", "selection", "action")
SELECTION_KEYS = ("tagStatus", "tagPatternList", "tagPrefixList", "storageClass", "countType", "countUnit", "countNumber")
ACTION_KEYS = ("type", "targetStorageClass")
TAG_STATUSES = ("tagged", "untagged", "any")
COUNT_TYPES = ("imageCountMoreThan", "sinceImagePushed", "sinceImagePulled", "sinceImageTransitioned")
AGE_COUNT_TYPES = COUNT_TYPES[1:]  # counted in days
COUNT_UNITS = ("days",)
STORAGE_CLASSES = ("standard", "archive")
ACTION_TYPES = ("expire", "transition")
TARGET_STORAGE_CLASSES = ("archive",)
MAX_PATTERN_WILDCARDS = 4


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def check_keys(where, value, allowed):
    if not isinstance(value, dict):
        raise ParameterError(f"{where}: {show(value)} is a {type_name(value)}; give a dict.")
    unknown = [key for key in value if key not in allowed]
    if unknown:
        raise ParameterError(f"{where}: {unknown[0]!r} is not a key here; use {', '.join(allowed)}.")


def check_choice(where, value, choices, required=True):
    if value is None and not required:
        return
    if value not in choices:
        raise ParameterError(f"{where}: {'required' if value is None else show(value)}; it must be one of {', '.join(choices)}.")


def check_tag_lists(where, selection):
    status = selection.get("tagStatus")
    given = [name for name in ("tagPrefixList", "tagPatternList") if name in selection]
    if status != "tagged" and given:
        raise ParameterError(f"{where}.{given[0]}: only with tagStatus 'tagged', not {status!r}.")
    if status == "tagged" and len(given) != 1:
        raise ParameterError(f"{where}: tagStatus 'tagged' needs one of tagPrefixList and tagPatternList (not both).")
    for name in given:
        values = selection[name]
        if not isinstance(values, list) or not values or not all(isinstance(value, str) and value for value in values):
            raise ParameterError(f"{where}.{name}: {show(values)} must be a non-empty list of non-empty strings.")
        for value in values if name == "tagPatternList" else []:
            if value.count("*") > MAX_PATTERN_WILDCARDS:
                raise ParameterError(f"{where}.{name}: {value!r} has more than {MAX_PATTERN_WILDCARDS} wildcards (*).")


def check_selection(where, selection):
    check_keys(where, selection, SELECTION_KEYS)
    check_choice(f"{where}.tagStatus", selection.get("tagStatus"), TAG_STATUSES)
    check_tag_lists(where, selection)
    count_type = selection.get("countType")
    check_choice(f"{where}.countType", count_type, COUNT_TYPES)
    if count_type in AGE_COUNT_TYPES:
        check_choice(f"{where}.countUnit", selection.get("countUnit"), COUNT_UNITS)
    elif "countUnit" in selection:
        raise ParameterError(f"{where}.countUnit: only with countType {', '.join(AGE_COUNT_TYPES)}, not {count_type!r}.")
    number = selection.get("countNumber")
    if not is_int(number) or number < 1:
        raise ParameterError(f"{where}.countNumber: {'required' if number is None else show(number)}; it must be a positive integer.")
    storage = selection.get("storageClass")
    check_choice(f"{where}.storageClass", storage, STORAGE_CLASSES, required=False)
    if count_type == "sinceImageTransitioned" and storage != "archive":
        raise ParameterError(f"{where}.storageClass: countType sinceImageTransitioned needs storageClass 'archive'.")
    if count_type != "sinceImageTransitioned" and storage == "archive":
        raise ParameterError(f"{where}.storageClass: 'archive' only with countType sinceImageTransitioned.")


def check_action(where, action):
    check_keys(where, action, ACTION_KEYS)
    kind = action.get("type")
    check_choice(f"{where}.type", kind, ACTION_TYPES)
    if kind == "transition":
        check_choice(f"{where}.targetStorageClass", action.get("targetStorageClass"), TARGET_STORAGE_CLASSES)
    elif "targetStorageClass" in action:
        raise ParameterError(f"{where}.targetStorageClass: only with type 'transition'.")


def check_rule(where, rule):
    check_keys(where, rule, RULE_KEYS)
    priority = rule.get("rulePriority")
    if not is_int(priority) or priority < 1:
        raise ParameterError(f"{where}.rulePriority: {'required' if priority is None else show(priority)}; it must be a positive integer.")
    if "description" in rule and not isinstance(rule["description"], str):
        raise ParameterError(f"{where}.description: {show(rule['description'])} must be a string.")
    for key in ("selection", "action"):
        if key not in rule:
            raise ParameterError(f"{where}.{key}: required.")
    check_selection(f"{where}.selection", rule["selection"])
    check_action(f"{where}.action", rule["action"])


def check_lifecycle_policy(option, document):
    """A lifecycle policy document (a dict): its rules, each rule, and what rules say together."""
    check_keys(option, document, ("rules",))
    rules = document.get("rules")
    if not isinstance(rules, list) or not rules:
        raise ParameterError(f"{option}.rules: {show(rules)}; a lifecycle policy needs a non-empty list of rules.")
    priorities = {}
    for index, rule in enumerate(rules):
        where = f"{option}.rules[{index}]"
        check_rule(where, rule)
        # Rules are compared by priority, and the service rejects duplicates: both need it unique.
        if rule["rulePriority"] in priorities:
            raise ParameterError(f"{where}.rulePriority: {rule['rulePriority']} is used by more than one rule; it must be unique.")
        priorities[rule["rulePriority"]] = rule
    highest = max(priorities)
    for priority, rule in priorities.items():
        if rule["selection"]["tagStatus"] == "any" and priority != highest:
            raise ParameterError(
                f"{option}: the rule with rulePriority {priority} selects tagStatus 'any', so it must have the highest "
                f"rulePriority (evaluated last); {highest} is higher."
            )
