# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The sections of a registry's configuration, for ecr_registry and ecr_registry_info.

Each section is a thin adapter over its resource file, which owns validation, canonical forms,
comparison and the writes; a section only adds what the whole-registry view needs:

- validate(value, state) -> declared: the section's `config` value checked (no API call). Every
  error names the section, the item key and the option: creation_templates[prefix=team].kms_key: ...
- read(client, declared) -> (current, registry ID or None): one list read, every page (account
  settings: one read per declared setting, every setting when `declared` is None).
- config(current) -> the section in the `config` shape (gathered, before, after).
- plan(state, declared, current, context) -> SectionPlan: the target and the writes, each with its
  phase (the order of writes across sections).
- render(declared) -> the API requests that build the declared section on an empty registry.
- absorb(after, key, result): the section after one write, from what the write returned.
- verify(state, declared, context) -> verify(current) or None: for merged and replaced, which keep
  what the task does not own, what the declared items lack in a fresh read (see verified_write).
"""

import re
from collections import namedtuple

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError

from ansible_collections.ecrkit.registry.plugins.module_utils import account_settings
from ansible_collections.ecrkit.registry.plugins.module_utils import creation_template
from ansible_collections.ecrkit.registry.plugins.module_utils import ecr
from ansible_collections.ecrkit.registry.plugins.module_utils import field_table
from ansible_collections.ecrkit.registry.plugins.module_utils import policy_document
from ansible_collections.ecrkit.registry.plugins.module_utils import pull_through_rule
from ansible_collections.ecrkit.registry.plugins.module_utils import pull_time_exclusions
from ansible_collections.ecrkit.registry.plugins.module_utils import registry_policy
from ansible_collections.ecrkit.registry.plugins.module_utils import registry_scanning
from ansible_collections.ecrkit.registry.plugins.module_utils import replication
from ansible_collections.ecrkit.registry.plugins.module_utils import service_model
from ansible_collections.ecrkit.registry.plugins.module_utils import signing_configuration
from ansible_collections.ecrkit.registry.plugins.module_utils import validators
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError

# The order of writes: who depends on whom. The account settings go first (REGISTRY_POLICY_SCOPE
# decides what a policy may name); a policy lets replication and pull through cache in; templates
# exist before the rules that create repositories from them, and go last when deleted. Scanning,
# signing and pull time update exclusions depend on nothing.
SETTINGS, POLICY, REPLICATION, TEMPLATE_WRITE, RULE_DELETE, RULE_WRITE, TEMPLATE_DELETE, SCANNING, SIGNING, EXCLUSIONS = range(10)

Write = namedtuple("Write", ["phase", "section", "key", "action"])
# target: the section as the task would leave it (internal form, see `config`); writes: [Write];
# recreate_reasons: {item key: [reason]} for pull through rules that need a delete and create.
SectionPlan = namedtuple("SectionPlan", ["target", "writes", "warnings", "recreate_reasons"], defaults=[(), None])


# Naming errors: section, item key, option.


def item_name(section, key_option, index, item):
    """creation_templates[prefix=team-a], or creation_templates[2] while the key is unknown."""
    key = item.get(key_option) if isinstance(item, dict) else None
    return f"{section}[{key_option}={key}]" if isinstance(key, str) and key else f"{section}[{index}]"


def prefixed(where, error):
    """The resource's message ("option: ...") under the item's name (where.option: ...)."""
    message = str(error)
    joiner = "." if re.match(r"^[a-z_]+[\[.:]", message) else ": "
    return ParameterError(f"{where}{joiner}{message}")


def call_named(where, function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except ParameterError as e:
        raise prefixed(where, e) from e


def check_spec(where, spec, value):
    """An item checked against its module's argument spec, with Ansible's own validator (types,
    choices, required and unknown keys), so each message names the item; the validated item."""
    if not isinstance(value, dict):
        raise ParameterError(f"{where}: {value!r} is not a dict.")
    result = ArgumentSpecValidator(spec).validate(value)
    if result.error_messages:
        messages = [f"unsupported parameters: {error.msg}" if isinstance(error, UnsupportedError) else error.msg for error in result.errors]
        raise ParameterError(f"{where}: {'; '.join(messages)}")
    return result.validated_parameters


def keyed_items(section, key_option, spec, items, validate_item):
    """{key: validate_item(validated params)} in the given order; a key given twice is an error."""
    declared = {}
    for index, item in enumerate(items):
        where = item_name(section, key_option, index, item)
        params = check_spec(where, spec, item)
        key = params[key_option]
        if key in declared:
            raise ParameterError(f"{where}: declared more than once; each {key_option} names one item.")
        declared[key] = call_named(where, validate_item, params)
    return declared


def check_names_something(section, state, declared):
    if state == "deleted" and not declared:
        raise ParameterError(
            f"{section}: state=deleted names nothing to delete in this section. List the items to delete, or use "
            f"state=overridden with an empty {section} to delete everything in it."
        )


def without(mapping, key):
    return {k: v for k, v in mapping.items() if k != key}


# registry_policy: a policy document; statements keyed by Sid.


def validate_policy(value, state):
    """{document, statements, warnings}. merged, replaced and deleted name statements by Sid;
    overridden and rendered take the document whole (no Statement, or none: no policy). Parsed and
    checked as ecr_registry_policy checks its options: strict JSON, the statement grammar, the size
    of the compact text sent."""
    where = "registry_policy"
    empty = value is None or (isinstance(value, str) and not value.strip())
    document = {} if empty else validators.parse_json_object(where, value)
    statements = policy_document.statement_list(document) if document.get("Statement") else []
    if state in ("overridden", "rendered"):
        if not statements:
            policy_document.check_document_elements(where, document)
            return {"document": None, "statements": [], "warnings": []}
        document, warnings = registry_policy.parse_policy(where, document)
        return {"document": document, "statements": statements, "warnings": warnings}
    policy_document.check_document_elements(where, document)
    sids = set()
    for index, statement in enumerate(statements):
        statement_where = f"{where}.Statement[{index}]"
        # merged lays each statement over the registry's one with its Sid: the whole statement is
        # checked once merged (desired_policy); replaced takes it whole; deleted needs only the Sid.
        policy_document.check_statement(statement_where, statement, need_sid=True, partial=state != "replaced")
        if statement["Sid"] in sids:
            raise ParameterError(f"{statement_where}.Sid: {statement['Sid']!r} is used by more than one statement; a Sid must be unique.")
        sids.add(statement["Sid"])
    check_names_something(where, state, statements)
    if state != "deleted":
        registry_policy.check_policy_length(where, document)
    return {"document": document, "statements": statements, "warnings": []}


def read_policy(client, declared):
    current = registry_policy.read(client, None)
    return (current["policy"] if current else None), (current["registry_id"] if current else None)


def policy_config(current):
    return current or {}  # {} is "no policy" in config: overridden with it deletes the policy


def desired_policy(state, declared, current):
    if state == "overridden":
        return declared["document"]
    base = current or dict(without(declared["document"], "Statement"), Version=declared["document"].get("Version", registry_policy.DEFAULT_VERSION))
    statements = policy_document.statement_list(base)
    if state == "deleted":
        left = registry_policy.remove_statements(statements, {statement["Sid"] for statement in declared["statements"]})
        return dict(base, Statement=left) if left else None
    if not declared["statements"]:
        return current
    if state == "merged":
        merged = registry_policy.merge_statement_fields(statements, declared["statements"])
        sids = {statement["Sid"] for statement in declared["statements"]}
        for statement in merged:  # the declared statements, whole once merged (a new one has no current one to take its Effect from)
            if statement.get("Sid") in sids:
                policy_document.check_statement(f"registry_policy.Statement[Sid={statement['Sid']}]", statement, need_sid=False)
    else:
        merged = registry_policy.merge_statements(statements, declared["statements"], purge=False)
    return dict(base, Statement=merged)


def plan_policy(state, declared, current, context):
    desired = desired_policy(state, declared, current)
    warnings = list(declared["warnings"])
    if desired is not None and state != "overridden":
        # The registry's statements with the declared ones may outgrow what the declared ones did.
        registry_policy.check_policy_length("registry_policy", desired, what="resulting policy (the registry's statements with these)")
        if current is None and "Version" not in declared["document"]:
            warnings.append(policy_document.version_warning("registry_policy"))
    target, actions = registry_policy.write_actions(current, desired)
    return SectionPlan(target, [Write(POLICY, "registry_policy", None, action) for action in actions], warnings + registry_policy.policy_warnings(target))


def verify_policy(state, declared, context):
    if not declared["statements"]:
        return None
    verify = registry_policy.verify_statements(declared["statements"], keep_elements=state == "merged")
    return lambda current: verify({"policy": current})


def render_policy(declared):
    if declared["document"] is None:
        return []
    return [{"operation": "PutRegistryPolicy", "parameters": {"policyText": validators.document_text(declared["document"])}}]


# replication: {rules}; a rule is identified by its destinations and filters.


def validate_replication(value, state):
    value = check_spec("replication", REPLICATION_SPEC, value)
    rules = [check_spec(f"replication.rules[{index}]", replication.RULE_SPEC, rule) for index, rule in enumerate(value.get("rules") or [])]
    rules = replication.validate_rules("replication.rules", rules)
    check_names_something("replication.rules", state, rules)
    return rules


def read_replication(client, declared):
    current = replication.read(client, None)
    return current["rules"], current["registry_id"]


def replication_config(current):
    return {"rules": current}


def plan_replication(state, declared, current, context):
    account = context["account"]
    given = [replication.rule_from_params(rule, account) for rule in declared]
    if state == "deleted":
        rules = replication.remove_rules(current, given)
    else:
        replication.check_not_source("replication.rules", declared, account, context["region"])
        rules = replication.merge_rules(current, given, keep_settings=state == "merged", keep_undeclared=state != "overridden")
    replication.check_result("replication.rules", rules, current, hint="Remove some, or use state=overridden.")
    actions = replication.put_actions(current, rules)
    warnings = replication.region_warnings("replication.rules", declared) if state != "deleted" else []
    return SectionPlan(rules if actions else current, [Write(REPLICATION, "replication", None, action) for action in actions], warnings)


def verify_replication(state, declared, context):
    given = [replication.rule_from_params(rule, context["account"]) for rule in declared]
    verify = replication.verify_rules(given, keep_settings=state == "merged")
    return lambda current: verify({"rules": current})


def render_replication(declared):
    rules = [replication.rule_to_api(replication.rule_from_params(rule, None)) for rule in declared]
    if not rules:
        return []
    for rule in rules:  # a destination in the caller's own account: the registry ID is not known without a call
        rule["destinations"] = [destination if destination["registryId"] else without(destination, "registryId") for destination in rule["destinations"]]
    return [{"operation": "PutReplicationConfiguration", "parameters": {"replicationConfiguration": {"rules": rules}}}]


# creation_templates: keyed by prefix.


def validate_templates(value, state):
    declared = keyed_items("creation_templates", "prefix", creation_template.TEMPLATE_SPEC, value, creation_template.validate_item)
    check_names_something("creation_templates", state, declared)
    return {prefix: given for prefix, (_prefix, given) in declared.items()}


def read_templates(client, declared):
    result = ecr.describe_repository_creation_templates(client)
    return {template["prefix"]: creation_template.from_api(template) for template in result["templates"]}, result["registryId"]


def templates_config(current):
    return [current[prefix] for prefix in sorted(current)]


def plan_templates(state, declared, current, context):
    target, writes, warnings = dict(current), [], []
    deleted = sorted(prefix for prefix in current if prefix not in declared) if state == "overridden" else []
    for prefix, given in declared.items():
        where = f"creation_templates[prefix={prefix}]"
        if state == "deleted":
            planned = creation_template.plan_delete(prefix, current.get(prefix))
        else:
            # The account and region are known from the reads: no call per item.
            call_named(where, creation_template.check_location, given, context["account"], context["region"])
            desired = call_named(where, creation_template.desired_template, prefix, given, current.get(prefix), replace=state != "merged")
            planned = creation_template.plan_template(current.get(prefix), desired)
        phase = TEMPLATE_DELETE if state == "deleted" else TEMPLATE_WRITE
        writes += [Write(phase, "creation_templates", prefix, action) for action in planned.actions]
        warnings += planned.warnings
        target = absorb_item(target, prefix, planned.after)
    for prefix in deleted:
        planned = creation_template.plan_delete(prefix, current[prefix])
        writes += [Write(TEMPLATE_DELETE, "creation_templates", prefix, action) for action in planned.actions]
        target = absorb_item(target, prefix, None)
    return SectionPlan(target, writes, warnings)


def verify_templates(state, declared, context):
    """merged: the fields each item sets; replaced: each template whole (as plan_templates made it)."""
    verifiers = [
        creation_template.verify_fields(prefix, given if state == "merged" else creation_template.desired_template(prefix, given, None, replace=True))
        for prefix, given in declared.items()
    ]

    def verify(current):
        missing = [message for message in (verify_item(current.get(prefix)) for prefix, verify_item in zip(declared, verifiers)) if message]
        return "; ".join(missing) or None

    return verify


def render_templates(declared):
    return [
        {"operation": "CreateRepositoryCreationTemplate", "parameters": creation_template.to_api(
            call_named(f"creation_templates[prefix={prefix}]", creation_template.desired_template, prefix, given, None))}
        for prefix, given in declared.items()
    ]


# pull_through_rules: keyed by ecr_repository_prefix.

RULE_KEY = "ecr_repository_prefix"


def validate_rules(value, state):
    def validate_item(params):
        prefix, given, registry_id = pull_through_rule.validate_item(params)
        return {"given": given, "registry_id": registry_id}

    declared = keyed_items("pull_through_rules", RULE_KEY, pull_through_rule.RULE_SPEC, value, validate_item)
    check_names_something("pull_through_rules", state, declared)
    return declared


def read_rules(client, declared):
    rules = [pull_through_rule.rule_from_api(rule) for rule in ecr.describe_pull_through_cache_rules(client)]
    return {rule[RULE_KEY]: rule for rule in rules}, next((rule["registry_id"] for rule in rules if rule["registry_id"]), None)


def rules_need_account(state, declared):
    return state != "deleted" and any(pull_through_rule.needs_account(item["given"], item["registry_id"]) for item in declared.values())


def rules_config(current):
    # registry_id is left out: it names the registry the config is read from, not an option to carry elsewhere.
    return [without(current[prefix], "registry_id") for prefix in sorted(current)]


def plan_rule_item(state, prefix, item, current, context):
    where = f"pull_through_rules[{RULE_KEY}={prefix}]"
    if state == "deleted":
        return pull_through_rule.plan_delete(prefix, current)
    call_named(where, pull_through_rule.check_registry_id, item["registry_id"], context["account"])
    desired = call_named(
        where, pull_through_rule.desired_item, prefix, item["given"], current, context["account"], context["region"], replace=state != "merged"
    )
    planned = pull_through_rule.plan_rule(current, desired)
    if planned.extra["recreated"] and not context["allow_recreate"] and not context["check_mode"]:
        raise prefixed(where, pull_through_rule.refuse_recreate(prefix, planned.extra["recreate_reasons"]))
    return planned


def plan_rules(state, declared, current, context):
    target, writes, reasons = dict(current), [], {}
    deleted = sorted(prefix for prefix in current if prefix not in declared) if state == "overridden" else []
    for prefix, item in declared.items():
        planned = plan_rule_item(state, prefix, item, current.get(prefix), context)
        phase = RULE_DELETE if state == "deleted" else RULE_WRITE
        writes += [Write(phase, "pull_through_rules", prefix, action) for action in planned.actions]
        if planned.extra["recreate_reasons"]:
            reasons[prefix] = planned.extra["recreate_reasons"]
        target = absorb_item(target, prefix, planned.after)
    for prefix in deleted:
        planned = pull_through_rule.plan_delete(prefix, current[prefix])
        writes += [Write(RULE_DELETE, "pull_through_rules", prefix, action) for action in planned.actions]
        target = absorb_item(target, prefix, None)
    return SectionPlan(target, writes, [], reasons)


def verify_rules(state, declared, context):
    """None: a rule's writes send only that rule's fields (no document built from a read that a
    concurrent writer could put back stale)."""
    return None


def render_rules(declared):
    requests = []
    for prefix, item in declared.items():
        where = f"pull_through_rules[{RULE_KEY}={prefix}]"
        desired = call_named(where, pull_through_rule.desired_item, prefix, item["given"], None, item["registry_id"], None)
        requests.append({"operation": "CreatePullThroughCacheRule", "parameters": pull_through_rule.rule_to_create(desired)})
    return requests


# scanning: {scan_type, rules}; a rule is keyed by its scan_frequency.


def validate_scanning(value, state):
    """{scan_type or None, rules}: checked by the resource's table. deleted removes the rules given
    (whole, as replication's), and cannot delete a scan type."""
    value = check_table_item("scanning", registry_scanning.TABLE, value)
    registry_scanning.check_rules("scanning.rules", value["rules"])
    if state == "deleted":
        if value["scan_type"] is not None:
            raise ParameterError(
                "scanning.scan_type: state=deleted deletes the rules given; a scan type cannot be deleted. Use state=merged "
                "with scan_type BASIC, or state=overridden."
            )
        check_names_something("scanning.rules", state, value["rules"])
    return value


def read_scanning(client, declared):
    return registry_scanning.read_configuration(client)


def plan_scanning(state, declared, current, context):
    target = registry_scanning.merge(current, declared, state)
    registry_scanning.check_frequencies("scanning", target)
    actions = registry_scanning.put_actions(current, target)
    return SectionPlan(target if actions else current, [Write(SCANNING, "scanning", None, action) for action in actions], [])


def verify_scanning(state, declared, context):
    """merged and replaced keep the rules of other frequencies: the declared ones, and the scan
    type when declared, must be there."""
    def verify(current):
        there = {rule["scan_frequency"]: rule for rule in current["rules"]}
        missing = [rule["scan_frequency"] for rule in declared["rules"]
                   if rule["scan_frequency"] not in there or not field_table.same(registry_scanning.RULE_TABLE, rule, there[rule["scan_frequency"]])]
        if declared["scan_type"] not in (None, current["scan_type"]):
            missing.insert(0, f"scan_type {declared['scan_type']}")
        return f"scanning {', '.join(missing)} missing or changed" if missing else None

    return verify


def render_scanning(declared):
    target = registry_scanning.merge(registry_scanning.EMPTY, declared, "overridden")
    return [{"operation": "PutRegistryScanningConfiguration", "parameters": field_table.to_api(registry_scanning.TABLE, target)}]


# account_settings: {name: value}. Every setting always has a value: nothing to delete.


def validate_settings(value, state):
    if not isinstance(value, dict):
        raise ParameterError(f"account_settings: {validators.show(value)} is a {validators.type_name(value)}; give a dict of setting names and values.")
    if state == "deleted":
        raise ParameterError(
            "account_settings: state=deleted cannot delete account settings; every setting always has a value. Set the value you want "
            "with state=merged."
        )
    return {name: account_settings.check_value(f"account_settings.{name}", name, setting) for name, setting in value.items()}


def read_settings(client, declared):
    """Only the declared settings (every setting when gathering): one read each."""
    names = account_settings.NAMES if declared is None else [name for name in account_settings.NAMES if name in declared]
    return {name: account_settings.read_setting(client, name) for name in names}, None


def plan_settings(state, declared, current, context):
    target, writes, warnings = dict(current), [], []
    for name, value in declared.items():
        account_settings.check_change(f"account_settings.{name}", name, current[name], value)
        if value != current[name]:
            writes.append(Write(SETTINGS, "account_settings", name, account_settings.put_action(name, value)))
            warnings += [warning for warning in [account_settings.one_way_warning(name, current[name], value)] if warning]
            target[name] = value
    return SectionPlan(target, writes, warnings)


def render_settings(declared):
    return [{"operation": "PutAccountSetting", "parameters": {"name": name, "value": value}} for name, value in declared.items()]


# signing: {rules}; a rule is identified by its profile and its filters, as a set.


def validate_signing(value, state):
    value = check_table_item("signing", signing_configuration.TABLE, value)
    check_names_something("signing.rules", state, value["rules"])
    return value


def read_signing(client, declared):
    return signing_configuration.read_configuration(client)


def plan_signing(state, declared, current, context):
    target = signing_configuration.merge(current, declared, state)
    maximum = service_model.limit("SigningRuleList", "max", 10)
    if len(target["rules"]) > maximum:
        raise ParameterError(f"signing.rules: the registry would hold {len(target['rules'])} signing rules; it holds at most {maximum}.")
    actions = signing_configuration.write_actions(current, target)
    return SectionPlan(target if actions else current, [Write(SIGNING, "signing", None, action) for action in actions], [])


def verify_signing(state, declared, context):
    return signing_configuration.verify(declared)


def render_signing(declared):
    if not declared["rules"]:
        return []
    return [{"operation": "PutSigningConfiguration", "parameters": {"signingConfiguration": signing_configuration.to_api(declared)}}]


# pull_time_update_exclusions: a set of principal ARNs, each registered on its own.


def validate_exclusions(value, state):
    if not isinstance(value, list):
        raise ParameterError(f"pull_time_update_exclusions: {validators.show(value)} is a {validators.type_name(value)}; give a list of principal ARNs.")
    arns = pull_time_exclusions.check_arns("pull_time_update_exclusions", value)
    check_names_something("pull_time_update_exclusions", state, arns)
    return arns


def read_exclusions(client, declared):
    return pull_time_exclusions.read(client, None), None


def plan_exclusions(state, declared, current, context):
    target = pull_time_exclusions.desired_arns(current, declared, "absent" if state == "deleted" else "present", purge=state == "overridden")
    pull_time_exclusions.check_count("pull_time_update_exclusions", target)
    actions = pull_time_exclusions.write_actions(current, target)
    return SectionPlan(sorted(target) if actions else current, [Write(EXCLUSIONS, "pull_time_update_exclusions", None, action) for action in actions], [])


def render_exclusions(declared):
    return [{"operation": "RegisterPullTimeUpdateExclusion", "parameters": {"principalArn": arn}} for arn in declared]


# Items checked by their resource's table


def check_table_item(where, table, value):
    """An item checked against the table's argument spec with Ansible's validator (types, choices,
    unknown keys; a list's items one by one, so that each error names its item), then by the
    table's own checks."""
    params = check_spec(where, {field.option: without(field.spec, "options") for field in table}, value)
    for field in table:
        if field.items and params.get(field.option) is not None:
            params[field.option] = [
                check_spec(f"{where}.{field.option}[{index}]", field_table.argument_spec(field.items), item) for index, item in enumerate(params[field.option])
            ]
    return field_table.check(table, where, params)


# After a write


def absorb_item(items, key, item):
    """Keyed items with `key` set to `item` (None: gone)."""
    items = dict(items)
    if item is None:
        items.pop(key, None)
    else:
        items[key] = item
    return items


Section = namedtuple("Section", ["validate", "read", "config", "plan", "render", "absorb", "verify"])

SECTIONS = {
    "registry_policy": Section(
        validate_policy, read_policy, policy_config, plan_policy, render_policy, lambda after, key, result: result, verify_policy
    ),
    "replication": Section(
        validate_replication, read_replication, replication_config, plan_replication, render_replication,
        lambda after, key, result: result["rules"], verify_replication,
    ),
    "creation_templates": Section(
        validate_templates, read_templates, templates_config, plan_templates, render_templates, absorb_item, verify_templates
    ),
    "pull_through_rules": Section(validate_rules, read_rules, rules_config, plan_rules, render_rules, absorb_item, verify_rules),
    "scanning": Section(
        validate_scanning, read_scanning, lambda current: current, plan_scanning, render_scanning, lambda after, key, result: result, verify_scanning
    ),
    "account_settings": Section(
        validate_settings, read_settings, lambda current: current, plan_settings, render_settings, absorb_item, lambda state, declared, context: None
    ),
    "signing": Section(
        validate_signing, read_signing, lambda current: current, plan_signing, render_signing, lambda after, key, result: result, verify_signing
    ),
    "pull_time_update_exclusions": Section(
        validate_exclusions, read_exclusions, lambda current: current, plan_exclusions, render_exclusions, lambda after, key, result: result,
        lambda state, declared, context: None,
    ),
}
# In the order the module reads them (and the config shows them).
SECTION_NAMES = list(SECTIONS)

# ecr_registry's `config` as Ansible checks it. The items are checked by check_spec against their
# modules' specs (replication.RULE_SPEC, creation_template.TEMPLATE_SPEC, pull_through_rule.RULE_SPEC),
# so that each error names its item; the module's DOCUMENTATION lists those suboptions in full.
REPLICATION_SPEC = dict(rules=dict(type="list", elements="dict"))
# replication has no `options` here: ansible-core's nested validation raises a TypeError (a
# traceback) for a dict option with options given a list of non-dicts or a number; check_spec
# refuses those with a message.
CONFIG_SPEC = dict(
    registry_policy=dict(type="json"),
    replication=dict(type="dict"),
    creation_templates=dict(type="list", elements="dict"),
    pull_through_rules=dict(type="list", elements="dict"),
    scanning=dict(type="dict"),
    account_settings=dict(type="dict"),
    signing=dict(type="dict"),
    pull_time_update_exclusions=dict(type="list", elements="str"),
)
# The full nested spec, item options included: what DOCUMENTATION must show.
DOCUMENTED_CONFIG_SPEC = dict(
    CONFIG_SPEC,
    replication=dict(type="dict", options=dict(rules=dict(type="list", elements="dict", options=replication.RULE_SPEC))),
    creation_templates=dict(type="list", elements="dict", options=creation_template.TEMPLATE_SPEC),
    pull_through_rules=dict(type="list", elements="dict", options=pull_through_rule.RULE_SPEC),
    scanning=dict(type="dict", options=registry_scanning.ARGUMENT_SPEC),
    account_settings=dict(type="dict"),
    signing=dict(type="dict", options=signing_configuration.ARGUMENT_SPEC),
    pull_time_update_exclusions=dict(type="list", elements="str"),
)
