# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: fleet_registries
short_description: The registry of each host of a registry_config run
version_added: 0.1.0
author:
  - ecrkit maintainers (@ecrkit)
description:
  - Lists, for each host whose plan succeeded, the registry the role P(ecrkit.registry.registry_config#role)
    found for it - account, region and the replication rules it will have - in the shape the filters
    P(ecrkit.registry.same_registry_hosts#filter) and P(ecrkit.registry.with_replication_grants#filter) take.
  - Reads the results the role registers, C(registry_config_plan) (the M(ecrkit.registry.ecr_registry) plan
    - its C(registry_id), C(region) and C(after.replication.rules)) and C(registry_config_caller) (the account
    from STS when the plan could not name it), so it is meant for that role.
  - A host whose plan failed or did not run is left out. Its C(account) is null when neither names it.
options:
  _input:
    description: C(hostvars).
    type: dict
    required: true
  hosts:
    description: The hosts to list, for example C(ansible_play_hosts).
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: Find every registry of the play, once
  ansible.builtin.set_fact:
    fleet: "{{ hostvars | ecrkit.registry.fleet_registries(ansible_play_hosts) }}"
  run_once: true
"""

RETURN = r"""
_value:
  description: One entry per host, in the order of O(hosts).
  type: list
  elements: dict
  contains:
    host:
      description: The inventory host.
      type: str
    account:
      description: The registry's account ID, or null when nothing named it.
      type: str
    region:
      description: The registry's region.
      type: str
    replication_rules:
      description: The registry's replication rules once the baseline is applied, or null when the baseline has no replication section.
      type: list
      elements: dict
"""

from ansible_collections.ecrkit.registry.plugins.plugin_utils.role_results import host_registry


def fleet_registries(hostvars, hosts):
    """[{host, account, region, replication_rules}] for the hosts whose plan succeeded."""
    fleet = []
    for host in hosts:
        registry = host_registry(hostvars[host])
        if registry is not None:
            fleet.append(dict(registry, host=host))
    return fleet


class FilterModule:
    def filters(self):
        return {"fleet_registries": fleet_registries}
