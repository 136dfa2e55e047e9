# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The whole registry as one object: ecr_registry and ecr_registry_info.

validate every section (no API call) -> read each section in scope once -> plan every item of
every section -> writes in dependency order, unless check mode -> result + diff. The states are
those of Ansible's network resource modules; the sections (registry_sections.py) do the
per-resource work through the resource files. A section absent from `config` is neither read nor
written. When a write fails, the task reports what was done, what failed and what was not done.
"""

from collections import namedtuple

from ansible_collections.ecrkit.registry.plugins.module_utils import creation_template
from ansible_collections.ecrkit.registry.plugins.module_utils import ecr
from ansible_collections.ecrkit.registry.plugins.module_utils import pull_through_rule
from ansible_collections.ecrkit.registry.plugins.module_utils import replication
from ansible_collections.ecrkit.registry.plugins.module_utils.registry_sections import SECTION_NAMES
from ansible_collections.ecrkit.registry.plugins.module_utils.registry_sections import SECTIONS
from ansible_collections.ecrkit.registry.plugins.module_utils.registry_sections import rules_need_account
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError

STATES = ["merged", "replaced", "overridden", "deleted", "gathered", "rendered"]
WRITING_STATES = ("merged", "replaced", "overridden", "deleted")
# How an item's key is named in actions and errors.
KEY_OPTIONS = {"creation_templates": "prefix", "pull_through_rules": "ecr_repository_prefix"}

# target: {section: internal form}; writes: [Write] in write order.
RegistryPlan = namedtuple("RegistryPlan", ["target", "writes", "warnings", "recreate_reasons"])


class WriteFailed(Exception):
    """A write failed after others were made: what was done, the failed write and what was not done."""

    def __init__(self, completed, failed, pending, error):
        super().__init__(error.message)
        self.completed, self.failed, self.pending, self.error = completed, failed, pending, error

    def message(self):
        return (
            f"{self.failed} failed: {self.error.message}. "
            f"Done before it: {'; '.join(self.completed) or 'nothing'}. "
            f"Not done: {'; '.join(self.pending) or 'nothing'}."
        )


# Validate


def sections_in_scope(config):
    """The sections `config` names (None values are not named), in read order; no config: all."""
    if config is None:
        return list(SECTION_NAMES)
    return [name for name in SECTION_NAMES if config.get(name) is not None]


def validate_config(config, state):
    """{section: declared} for the sections in `config`; raises ParameterError naming section,
    item key and option before any API call."""
    if state in WRITING_STATES + ("rendered",) and not sections_in_scope(config or {}):
        raise ParameterError(f"config: state={state} needs at least one section ({', '.join(SECTION_NAMES)}).")
    return {name: SECTIONS[name].validate(config[name], state) for name in sections_in_scope(config or {})}


def botocore_requirements(config):
    """(version, reason) for the newer API features the items of `config` use."""
    config = config or {}
    needs = replication.botocore_requirements(config.get("replication") or {})
    if config.get("creation_templates") is not None:
        needs += [need for item in config["creation_templates"] for need in creation_template.botocore_requirements(item)]
    for item in config.get("pull_through_rules") or []:
        needs += pull_through_rule.botocore_requirements(dict(item, state="present"))
    return sorted(set(needs))


# Rendered: no API call


def render(declared):
    """The API requests that build the declared config on an empty registry, in write order."""
    return [request for name in SECTION_NAMES if name in declared for request in SECTIONS[name].render(declared[name])]


# Read


def read_sections(client, names):
    """({section: current}, registry ID or None): one list read per section, every page."""
    current, account = {}, None
    for name in names:
        current[name], registry_id = SECTIONS[name].read(client)
        account = account or registry_id
    return current, account


def config_of(sections):
    """The sections (internal form) in the `config` shape."""
    return {name: SECTIONS[name].config(value) for name, value in sections.items()}


def gather(client, names):
    """(config, registry ID or None) of the registry, for the sections `names`."""
    current, account = read_sections(client, names)
    return config_of(current), account


# Plan


def plan_config(state, declared, current, context):
    """Every item of every section planned before the first write; writes in dependency order."""
    target, writes, warnings, reasons = {}, [], [], {}
    for name, value in declared.items():
        planned = SECTIONS[name].plan(state, value, current[name], context)
        target[name] = planned.target
        writes += planned.writes
        warnings += planned.warnings
        reasons.update(planned.recreate_reasons or {})
    return RegistryPlan(target, sorted(writes, key=lambda write: write.phase), warnings, reasons)


def describe(write):
    """The write in words, naming section and key: creation_templates[prefix=team]: create ..."""
    where = write.section if write.key is None else f"{write.section}[{KEY_OPTIONS[write.section]}={write.key}]"
    return f"{where}: {write.action.description}"


# Apply


def apply(client, writes, target):
    """Make the writes in order; the sections as the writes left them. Stops at the first failure."""
    after = dict(target)
    for index, write in enumerate(writes):
        try:
            result = write.action.apply(client)
        except ecr.AnsibleEcrError as error:
            raise WriteFailed(
                [describe(done) for done in writes[:index]], describe(write), [describe(later) for later in writes[index + 1:]], error
            ) from error
        after[write.section] = SECTIONS[write.section].absorb(after[write.section], write.key, result)
    return after


def run(module):
    """ecr_registry: one task for the whole registry; exits the module."""
    params, state = module.params, module.params["state"]
    try:
        declared = validate_config(params["config"], state) if state != "gathered" else {}
    except ParameterError as e:
        module.fail_json(msg=str(e))
    if state == "rendered":
        module.exit_json(changed=False, rendered=render(declared))
    for version, reason in botocore_requirements(params["config"]):
        module.require_botocore_at_least(version, reason=reason)

    names = sections_in_scope(params["config"]) if state == "gathered" else list(declared)
    client = ecr.ecr_client(module)
    try:
        current, account = read_sections(client, names)
        if state == "gathered":
            module.exit_json(changed=False, gathered=config_of(current), registry_id=account)
        if account is None and "pull_through_rules" in declared and rules_need_account(state, declared["pull_through_rules"]):
            account = ecr.describe_registry(client)["registryId"]
        context = {"account": account, "region": module.region, "allow_recreate": params["allow_recreate"], "check_mode": module.check_mode}
        plan = plan_config(state, declared, current, context)
    except ParameterError as e:
        module.fail_json(msg=str(e))
    except ecr.AnsibleEcrError as e:
        module.fail_json_aws_error(e)

    for warning in plan.warnings:
        module.warn(warning)
    before = config_of(current)
    result = dict(changed=bool(plan.writes), before=before, actions=[describe(write) for write in plan.writes], registry_id=account,
                  recreate_reasons=plan.recreate_reasons)
    after = plan.target
    if not module.check_mode:
        try:
            after = apply(client, plan.writes, plan.target)
        except WriteFailed as failure:
            failed = dict(result, msg=failure.message(), completed_actions=failure.completed, failed_action=failure.failed,
                          pending_actions=failure.pending)
            failed["changed"] = bool(failure.completed)
            if failure.error.exception is not None:
                module.fail_json_aws(failure.error.exception, **failed)
            module.fail_json(**failed)
    result["after"] = config_of(after)
    if module._diff:
        result["diff"] = {"before": before, "after": result["after"]}
    module.exit_json(**result)


def run_info(module):
    """ecr_registry_info: the registry's configuration in ecr_registry's `config` shape."""
    try:
        config, account = gather(ecr.ecr_client(module), [name for name in SECTION_NAMES if name in module.params["sections"]])
    except ecr.AnsibleEcrError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, registry={"registry_id": account, "region": module.region, "config": config})
