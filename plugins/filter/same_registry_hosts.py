# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: same_registry_hosts
short_description: The hosts of a fleet that resolve to the same ECR registry
version_added: 0.1.0
author:
  - ecrkit maintainers (@ecrkit)
description:
  - A registry is an account and a region. Two inventory hosts that resolve to the same registry
    would write the same singletons concurrently, so the role P(ecrkit.registry.registry_config#role)
    refuses them before any write.
  - Returns, for each host that shares its registry with another, the other hosts.
options:
  _input:
    description: The fleet, one entry per host.
    type: list
    elements: dict
    required: true
    suboptions:
      host:
        description: The inventory host.
        type: str
        required: true
      account:
        description: The registry's account ID.
        type: str
        required: true
      region:
        description: The registry's region.
        type: str
        required: true
"""

EXAMPLES = r"""
- name: Refuse hosts that share a registry
  ansible.builtin.debug:
    msg: "{{ fleet | ecrkit.registry.same_registry_hosts }}"
  vars:
    fleet:
      - {host: prod-a, account: "111111111111", region: eu-west-1}
      - {host: prod-b, account: "111111111111", region: eu-west-1}
      - {host: prod-c, account: "111111111111", region: us-east-1}
    # => {"prod-a": ["prod-b"], "prod-b": ["prod-a"]}
"""

RETURN = r"""
_value:
  description: Each host that shares its registry, with the other hosts on that registry (sorted).
    Hosts alone on their registry are not listed, so an empty dict means no conflict.
  type: dict
"""


def same_registry_hosts(fleet):
    """{host: [other hosts on the same account and region]} for the hosts that share a registry."""
    by_registry = {}
    for entry in fleet:
        by_registry.setdefault((str(entry["account"]), entry["region"]), []).append(entry["host"])
    return {
        host: sorted(other for other in hosts if other != host)
        for hosts in by_registry.values()
        if len(hosts) > 1
        for host in hosts
    }


class FilterModule:
    def filters(self):
        return {"same_registry_hosts": same_registry_hosts}
