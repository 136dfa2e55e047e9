# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: with_replication_grants
short_description: Add to a registry's configuration the policy statements its fleet's replication needs
version_added: 0.1.0
author:
  - ecrkit maintainers (@ecrkit)
description:
  - Cross-account replication needs the destination registry's policy to allow the source account
    C(ecr:CreateRepository) and C(ecr:ReplicateImage). This filter computes those statements for
    one registry of a fleet (the destination) from the replication rules of the fleet's other
    registries (the sources), and merges them by C(Sid) into the destination's C(config) for
    M(ecrkit.registry.ecr_registry).
  - A source grants a statement when one of its rules has a destination whose C(registry_id) is
    the destination's account and whose C(region) is the destination's region, and the source is in
    another account. Same-account replication needs no policy.
  - One statement per source account, C(Sid) C(EcrkitReplicationFrom<account>), principal the source
    account's root, resource C(arn:aws:ecr:<region>:<account>:repository/*) of the destination.
  - A statement of C(config.registry_policy) with the same C(Sid) wins, so what the user declared is
    never overwritten.
  - Returns the input unchanged when no registry of the fleet replicates to this one, and with
    O(state=deleted) or O(state=gathered) (deleting the grants with the baseline would break the
    sources' replication).
  - With O(state=overridden) the policy is the whole set of statements, so grants can only be added to a
    declared C(registry_policy); without one the filter fails rather than reduce the policy to the grants.
options:
  _input:
    description:
      - The destination's configuration, as the O(ecrkit.registry.ecr_registry#module:config) option.
      - Its C(registry_policy), if any, is a policy document (dict or JSON text).
    type: dict
    required: true
  fleet:
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
      replication_rules:
        description: The replication rules the host applies (C(config.replication.rules)), or null.
        type: list
        elements: dict
  host:
    description: The destination's host in O(fleet).
    type: str
    required: true
  state:
    description: The O(ecrkit.registry.ecr_registry#module:state) the configuration is applied with.
    type: str
    default: merged
"""

EXAMPLES = r"""
- name: Prod (111111111111) replicates to backup (222222222222); backup's policy lets it
  ecrkit.registry.ecr_registry:
    config: "{{ baseline | ecrkit.registry.with_replication_grants(fleet, 'backup') }}"
  vars:
    baseline: {}
    fleet:
      - host: prod
        account: "111111111111"
        region: eu-west-1
        replication_rules:
          - destinations: [{region: eu-central-1, registry_id: "222222222222"}]
      - {host: backup, account: "222222222222", region: eu-central-1, replication_rules: null}
    # => {"registry_policy": {"Version": "2012-10-17", "Statement": [{
    #      "Sid": "EcrkitReplicationFrom111111111111", "Effect": "Allow",
    #      "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
    #      "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
    #      "Resource": "arn:aws:ecr:eu-central-1:222222222222:repository/*"}]}}
"""

RETURN = r"""
_value:
  description: The configuration with the statements merged into C(registry_policy) (a dict).
  type: dict
"""

import json

from ansible.errors import AnsibleFilterError

SID_PREFIX = "EcrkitReplicationFrom"
ACTIONS = ["ecr:CreateRepository", "ecr:ReplicateImage"]
# The states that write what the config declares (deleted removes it; gathered reads).
GRANTING_STATES = ("merged", "replaced", "overridden", "rendered")


def partition(region):
    """The ARN partition of a region (aws, aws-cn, aws-us-gov)."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def grant(source_account, account, region):
    """The statement letting `source_account` replicate into the registry `account`/`region`."""
    return {
        "Sid": f"{SID_PREFIX}{source_account}",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:{partition(region)}:iam::{source_account}:root"},
        "Action": list(ACTIONS),
        "Resource": f"arn:{partition(region)}:ecr:{region}:{account}:repository/*",
    }


def replicates_to(entry, account, region):
    """Whether `entry`'s rules name the registry `account`/`region` as a destination."""
    return any(
        str(destination.get("registry_id") or "") == account and destination.get("region") == region
        for rule in entry.get("replication_rules") or []
        for destination in rule.get("destinations") or []
    )


def replication_grants(fleet, host):
    """The statements the registry of `host` needs for the fleet's cross-account replication, by Sid."""
    target = next((entry for entry in fleet if entry["host"] == host), None)
    if target is None:
        return []
    account, region = str(target["account"]), target["region"]
    sources = sorted(
        {str(entry["account"]) for entry in fleet if str(entry["account"]) != account and replicates_to(entry, account, region)}
    )
    return [grant(source, account, region) for source in sources]


def merge_statements(policy, statements):
    """`policy` (dict, JSON text or None) with `statements` added, unless its own have their Sid."""
    if policy is None:
        document = {"Version": "2012-10-17", "Statement": []}
    elif isinstance(policy, dict):
        document = dict(policy)
    else:
        try:
            document = json.loads(policy)
        except ValueError as e:
            raise AnsibleFilterError(f"with_replication_grants: config.registry_policy is not valid JSON ({e}).") from e
    declared = document.get("Statement", [])
    declared = [declared] if isinstance(declared, dict) else list(declared)
    sids = {statement.get("Sid") for statement in declared if isinstance(statement, dict)}
    document["Statement"] = declared + [statement for statement in statements if statement["Sid"] not in sids]
    return document


def with_replication_grants(config, fleet, host, state="merged"):
    statements = replication_grants(fleet, host) if state in GRANTING_STATES else []
    if not statements:
        return config
    if state == "overridden" and "registry_policy" not in (config or {}):
        sids = ", ".join(statement["Sid"] for statement in statements)
        raise AnsibleFilterError(
            f"with_replication_grants: host {host} needs replication grants ({sids}) but its config has no registry_policy;"
            " with state overridden they would become the whole policy. Declare registry_policy, or use state merged."
        )
    return dict(config or {}, registry_policy=merge_statements((config or {}).get("registry_policy"), statements))


class FilterModule:
    def filters(self):
        return {"with_replication_grants": with_replication_grants}
