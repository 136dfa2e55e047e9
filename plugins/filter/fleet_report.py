# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: fleet_report
short_description: The report of a registry_config run over a fleet of ECR registries
version_added: 0.1.0
author:
  - ecrkit maintainers (@ecrkit)
description:
  - Builds the report the role P(ecrkit.registry.registry_config#role) writes with C(registry_config_report),
    per registry (host, account, region) its status, the sections that differ and how many items
    in each (added, removed, changed), the writes in words, and for a failed host why it failed.
  - Differences are counted from the M(ecrkit.registry.ecr_registry) result's C(before) and C(after) -
    registry policy statements by C(Sid), replication rules as a set, creation templates by
    C(prefix), pull through cache rules by C(ecr_repository_prefix). Under C(--check) they are the
    registry's drift from the baseline.
  - Reads, for each host, the variables the role leaves behind - C(registry_config_plan) and
    C(registry_config_apply) (the module's results - the plan, which names the account and region, and
    the apply when it ran), C(registry_config_caller) (the account from STS when the plan could not name
    it) and C(registry_config_failure) (why it failed) - so it is meant for that role.
options:
  _input:
    description: C(hostvars).
    type: dict
    required: true
  hosts:
    description: The hosts to report on, for example C(ansible_play_hosts_all).
    type: list
    elements: str
    required: true
  active:
    description:
      - The hosts still in the play (C(ansible_play_hosts)). A host of O(hosts) that is not among them failed
        earlier - in an earlier task or role of the play - and is reported as failed even with no record of why.
      - Null reports every host from its own results only.
    type: list
    elements: str
  check_mode:
    description: Whether the run was a check (C(ansible_check_mode)).
    type: bool
    default: false
  state:
    description: The O(ecrkit.registry.ecr_registry#module:state) of the run.
    type: str
    default: merged
"""

EXAMPLES = r"""
- name: Write the fleet report as JSON
  ansible.builtin.copy:
    dest: fleet.json
    content: "{{ hostvars | ecrkit.registry.fleet_report(ansible_play_hosts_all, active=ansible_play_hosts, check_mode=ansible_check_mode) | to_nice_json }}"
  run_once: true
  delegate_to: localhost
"""

RETURN = r"""
_value:
  description: The report.
  type: dict
  contains:
    check_mode:
      description: Whether the run was a check; then C(changed) means the registry differs and would change.
      type: bool
    state:
      description: The state the run applied.
      type: str
    summary:
      description: How many registries there are, and how many have each status.
      type: dict
    registries:
      description:
        - One entry per host, sorted by host, with C(host), C(account), C(region), C(status)
          (V(changed), V(unchanged), V(failed)), C(sections) (section name to C(added), C(removed),
          C(changed) item counts, only the sections that differ), C(actions) (the writes in words) and
          C(msg) (why the host failed, else null).
      type: list
      elements: dict
"""

import json

from ansible_collections.ecrkit.registry.plugins.plugin_utils.role_results import host_registry

# How the items of each section are told apart; replication rules have no key: they are a set.
ITEM_KEYS = {
    "registry_policy": "Sid",
    "creation_templates": "prefix",
    "pull_through_rules": "ecr_repository_prefix",
}


def canonical(value):
    """A comparable form: one-item lists unwrapped, lists sorted (policies and filters are sets)."""
    if isinstance(value, dict):
        return {key: canonical(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        items = [canonical(item) for item in value]
        if len(items) == 1:
            return items[0]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value


def fingerprint(value):
    return json.dumps(canonical(value), sort_keys=True)


def section_items(section, value):
    """{key: fingerprint} of one section of a configuration."""
    if value is None:
        return {}
    if section == "registry_policy":
        statements = value.get("Statement", []) if isinstance(value, dict) else []
        statements = [statements] if isinstance(statements, dict) else statements
        return {statement.get("Sid") or fingerprint(statement): fingerprint(statement) for statement in statements}
    if section in ("replication", "signing"):  # rules are a set: a rule is all it has
        rules = value.get("rules", []) if isinstance(value, dict) else value
        return {fingerprint(rule): fingerprint(rule) for rule in rules or []}
    if section == "scanning":  # the scan type, and a rule per frequency
        items = {"scan_type": value.get("scan_type")}
        items.update({rule.get("scan_frequency"): fingerprint(rule) for rule in value.get("rules") or []})
        return items
    if section == "account_settings":
        return dict(value)
    if section == "pull_time_update_exclusions":
        return {arn: arn for arn in value}
    if section in ITEM_KEYS:
        return {item.get(ITEM_KEYS[section]): fingerprint(item) for item in value}
    return {section: fingerprint(value)}


def section_drift(section, before, after):
    """{added, removed, changed} item counts of one section between `before` and `after`."""
    old, new = section_items(section, before), section_items(section, after)
    return {
        "added": len(new.keys() - old.keys()),
        "removed": len(old.keys() - new.keys()),
        "changed": sum(1 for key in old.keys() & new.keys() if old[key] != new[key]),
    }


def drift(before, after):
    """{section: counts} for the sections whose items differ between two configurations."""
    before, after = before or {}, after or {}
    counts = {section: section_drift(section, before.get(section), after.get(section)) for section in sorted(set(before) | set(after))}
    return {section: count for section, count in counts.items() if any(count.values())}


def host_entry(host, variables, active=True):
    registry = host_registry(variables) or {}
    failure = variables.get("registry_config_failure")
    applied = variables.get("registry_config_apply") or {}
    result = (applied if applied and not applied.get("skipped") else variables.get("registry_config_plan")) or {}
    entry = {
        "host": host,
        "account": registry.get("account"),  # a failure records no account: the plan that would name it failed
        "region": registry.get("region") or (failure or {}).get("region"),
        "status": "unchanged",
        "sections": {},
        "actions": list(result.get("actions") or []),
        "msg": None,
    }
    if failure or not result or result.get("failed") or not active:
        failure = failure or {"msg": "failed before the registry task; see the play output"}
        entry.update(status="failed", msg=failure.get("msg"), actions=[])
    elif result.get("changed"):
        entry.update(status="changed", sections=drift(result.get("before"), result.get("after")))
    return entry


def fleet_report(hostvars, hosts, check_mode=False, state="merged", active=None):
    registries = [host_entry(host, hostvars[host], active is None or host in active) for host in sorted(hosts)]
    summary = {"registries": len(registries)}
    for status in ("changed", "unchanged", "failed"):
        summary[status] = sum(1 for entry in registries if entry["status"] == status)
    return {"check_mode": bool(check_mode), "state": state, "summary": summary, "registries": registries}


class FilterModule:
    def filters(self):
        return {"fleet_report": fleet_report}
