# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The whole registry as one object: ecr_registry and ecr_registry_info.

validate every section (no API call) -> read each section in scope once -> plan every item of
every section -> writes in dependency order, unless check mode -> result + diff. The states are
those of Ansible's network resource modules; the sections (registry_sections.py) do the
per-resource work through the resource files. A section absent from `config` is neither read nor
written. When a write fails, the task reports what was done, what failed and what was not done.
Writes go through verified_write like the single modules': a create that finds its item there is
resolved by reading again, and merged and replaced are read back and merged again after a
concurrent writer (see `verified_plan`).
"""

from collections import namedtuple

from ansible_collections.ecrkit.registry.plugins.module_utils import account_settings
from ansible_collections.ecrkit.registry.plugins.module_utils import creation_template
from ansible_collections.ecrkit.registry.plugins.module_utils import ecr
from ansible_collections.ecrkit.registry.plugins.module_utils import field_table
from ansible_collections.ecrkit.registry.plugins.module_utils import pull_through_rule
from ansible_collections.ecrkit.registry.plugins.module_utils import pull_time_exclusions
from ansible_collections.ecrkit.registry.plugins.module_utils import registry_policy
from ansible_collections.ecrkit.registry.plugins.module_utils import registry_scanning
from ansible_collections.ecrkit.registry.plugins.module_utils import replication
from ansible_collections.ecrkit.registry.plugins.module_utils import signing_configuration
from ansible_collections.ecrkit.registry.plugins.module_utils import verified_write
from ansible_collections.ecrkit.registry.plugins.module_utils.registry_sections import CONFIG_SPEC
from ansible_collections.ecrkit.registry.plugins.module_utils.registry_sections import SECTION_NAMES
from ansible_collections.ecrkit.registry.plugins.module_utils.registry_sections import SECTIONS
from ansible_collections.ecrkit.registry.plugins.module_utils.registry_sections import check_spec
from ansible_collections.ecrkit.registry.plugins.module_utils.registry_sections import rules_need_account
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Plan

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


def checked_config(config):
    """`config` with its sections checked against CONFIG_SPEC (None stays None). ansible-core gets
    no `options` for it: its nested validation raises a TypeError (a traceback) for a number or a
    list where a dict with options is expected; check_spec refuses those with a message."""
    return None if config is None else check_spec("config", CONFIG_SPEC, config)


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
    if isinstance(config.get("scanning"), dict):
        needs += field_table.botocore_requirements(registry_scanning.TABLE, config["scanning"], "scanning")
    if config.get("account_settings") is not None:
        needs.append((account_settings.ACCOUNT_SETTINGS_BOTOCORE, "to manage account_settings"))
    if config.get("signing") is not None:
        needs.append((signing_configuration.SIGNING_BOTOCORE, "to manage signing"))
    if config.get("pull_time_update_exclusions") is not None:
        needs.append((pull_time_exclusions.EXCLUSIONS_BOTOCORE, "to manage pull_time_update_exclusions"))
    return sorted(set(needs))


# The first botocore that can read a section, where it is newer than the oldest we support.
SECTION_BOTOCORE = {
    "account_settings": account_settings.ACCOUNT_SETTINGS_BOTOCORE,
    "signing": signing_configuration.SIGNING_BOTOCORE,
    "pull_time_update_exclusions": pull_time_exclusions.EXCLUSIONS_BOTOCORE,
}


def readable_sections(module, names, named):
    """`names` that the installed botocore can read. A section the task `named` needs its botocore
    (the task fails saying so); one read only because every section was asked for is left out, with
    a warning, so that an export keeps working on an older botocore."""
    readable = []
    for name in names:
        version = SECTION_BOTOCORE.get(name)
        if version and not module.botocore_at_least(version):
            if named:
                module.require_botocore_at_least(version, reason=f"to read {name}")  # fails the task
            module.warn(f"{name}: not read; botocore {version} or later is needed to read it.")
            continue
        readable.append(name)
    return readable


# Rendered: no API call

# The sections in the order of their writes (registry_sections' phases): the account settings first.
RENDER_ORDER = sorted(SECTION_NAMES, key=lambda name: name != "account_settings")


def render(declared):
    """The API requests that build the declared config on an empty registry, in write order."""
    return [request for name in RENDER_ORDER if name in declared for request in SECTIONS[name].render(declared[name])]


# Read


def read_sections(client, names, declared=None):
    """({section: current}, registry ID or None): one list read per section, every page. `declared`
    (none when gathering) narrows what a section of named values reads (account settings)."""
    current, account = {}, None
    for name in names:
        current[name], registry_id = SECTIONS[name].read(client, (declared or {}).get(name))
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
    """The write in words, naming section and key: creation_templates[prefix=team]: create ...,
    account_settings.BLOB_MOUNTING: set ..."""
    if write.key is None:
        where = write.section
    elif write.section in KEY_OPTIONS:
        where = f"{write.section}[{KEY_OPTIONS[write.section]}={write.key}]"
    else:
        where = f"{write.section}.{write.key}"
    return f"{where}: {write.action.description}"


def check_policy_scope(client, plan):
    """A policy write that needs REGISTRY_POLICY_SCOPE V2 on a V1 registry is refused before any
    write. The scope is the one this task sets, else one read: on the write path only."""
    if not any(write.section == "registry_policy" for write in plan.writes):
        return
    policy = plan.target["registry_policy"]
    if not registry_policy.needs_scope_check(policy):
        return
    scope = (plan.target.get("account_settings") or {}).get(registry_policy.SCOPE_SETTING)
    if scope is None:
        scope = ecr.get_account_setting(client, registry_policy.SCOPE_SETTING)
    registry_policy.check_scope("registry_policy", policy, scope)


def verify_sections(state, declared, context, names):
    """verify(current) over the sections `names` (see verified_write), or None. merged and replaced
    keep what the task does not own, so a concurrent writer's stale document can undo them; overridden
    and deleted own all they write (a section's whole content, or the items they delete): nothing
    to verify."""
    if state not in ("merged", "replaced"):
        return None
    verifiers = [(name, SECTIONS[name].verify(state, declared[name], context)) for name in names]
    verifiers = [(name, verify) for name, verify in verifiers if verify is not None]

    def verify(current):
        missing = [message for message in (check(current[name]) for name, check in verifiers) if message]
        return "; ".join(missing) or None

    return verify if verifiers else None


def verified_plan(client, state, declared, current, context, plan):
    """(plan, reread, replan) for verified_write.apply: `plan` over the sections it writes (before
    and after are those sections, actions its writes); reread() reads those sections again and
    replan(fresh) plans them again from that read."""
    names = [name for name in declared if any(write.section == name for write in plan.writes)]

    def as_plan(current, planned):
        return Plan({name: current[name] for name in names}, {name: planned.target[name] for name in names}, planned.writes,
                    verify=verify_sections(state, declared, context, names))

    def reread():
        return read_sections(client, names, declared)[0]

    def replan(fresh):
        return as_plan(fresh, plan_config(state, {name: declared[name] for name in names}, fresh, context))

    return as_plan(current, plan), reread, replan


# Apply


def write_all(client, plan):
    """verified_write's `write` for a registry plan: its writes in order, from its `after`."""
    return apply(client, plan.actions, plan.after)


def apply(client, writes, target):
    """Make the writes in order; the sections as the writes left them. Stops at the first failure."""
    after = dict(target)
    for index, write in enumerate(writes):
        try:
            result = write.action.apply(client)
        except ecr.AnsibleEcrError as error:
            if isinstance(error, ecr.already_exists()):
                raise  # verified_write reads again and plans again
            raise WriteFailed(
                [describe(done) for done in writes[:index]], describe(write), [describe(later) for later in writes[index + 1:]], error
            ) from error
        after[write.section] = SECTIONS[write.section].absorb(after[write.section], write.key, result)
    return after


def run(module):
    """ecr_registry: one task for the whole registry; exits the module."""
    params, state = module.params, module.params["state"]
    try:
        config = checked_config(params["config"])
        declared = validate_config(config, state) if state != "gathered" else {}
    except ParameterError as e:
        module.fail_json(msg=str(e))
    if state == "rendered":
        module.exit_json(changed=False, rendered=render(declared))
    for version, reason in botocore_requirements(config):
        module.require_botocore_at_least(version, reason=reason)

    names = readable_sections(module, sections_in_scope(config), config is not None) if state == "gathered" else list(declared)
    client = ecr.ecr_client(module)
    try:
        current, account = read_sections(client, names, declared)
        if state == "gathered":
            module.exit_json(changed=False, gathered=config_of(current), registry_id=account, region=module.region)
        if account is None and "pull_through_rules" in declared and rules_need_account(state, declared["pull_through_rules"]):
            account = ecr.describe_registry(client)["registryId"]
        context = {"account": account, "region": module.region, "allow_recreate": params["allow_recreate"], "check_mode": module.check_mode}
        plan = plan_config(state, declared, current, context)
        check_policy_scope(client, plan)
    except ParameterError as e:
        module.fail_json(msg=str(e))
    except ecr.AnsibleEcrError as e:
        module.fail_json_aws_error(e)

    for warning in plan.warnings:
        module.warn(warning)
    before = config_of(current)
    result = dict(changed=bool(plan.writes), before=before, actions=[describe(write) for write in plan.writes], registry_id=account,
                  region=module.region, recreate_reasons=plan.recreate_reasons)
    after = plan.target
    if not module.check_mode and plan.writes:
        verified, reread, replan = verified_plan(client, state, declared, current, context, plan)
        try:
            written, notes = verified_write.apply(client, verified, reread, replan, write=write_all)
        except WriteFailed as failure:
            failed = dict(result, msg=failure.message(), completed_actions=failure.completed, failed_action=failure.failed,
                          pending_actions=failure.pending)
            failed["changed"] = bool(failure.completed)
            if isinstance(failure.error, verified_write.WriteFailed):  # the failed write changed something: a recreate
                failed["changed"] = True
                failed.update({key: value for key, value in failure.error.result.items() if key == "restore_task"})
            if failure.error.exception is not None:
                module.fail_json_aws(failure.error.exception, **failed)
            module.fail_json(**failed)
        except verified_write.WriteFailed as failure:  # written, then undone by a concurrent writer each time
            module.fail_json(**dict(result, msg=failure.message, after=config_of(dict(after, **failure.after))))
        except ParameterError as e:  # planned again from a fresh read that a concurrent writer changed
            module.fail_json(**dict(result, msg=str(e)))
        except ecr.AnsibleEcrError as e:
            module.fail_json_aws_error(e)
        for note in notes:
            module.warn(note)
        after = dict(after, **written)  # the sections written, as read back when verified
    result["after"] = config_of(after)
    if module._diff:
        result["diff"] = {"before": before, "after": result["after"]}
    module.exit_json(**result)


def run_info(module):
    """ecr_registry_info: the registry's configuration in ecr_registry's `config` shape."""
    asked = [name for name in SECTION_NAMES if name in module.params["sections"]]
    names = readable_sections(module, asked, asked != SECTION_NAMES)
    try:
        config, account = gather(ecr.ecr_client(module), names)
    except ecr.AnsibleEcrError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, registry={"registry_id": account, "region": module.region, "config": config})
