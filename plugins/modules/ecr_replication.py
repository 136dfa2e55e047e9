#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecr_replication
short_description: Manage the replication configuration of an Amazon ECR private registry
version_added: 0.1.0
description:
  - Sets the replication rules of the registry of the calling account in one region
    (C(DescribeRegistry), C(PutReplicationConfiguration)).
  - The configuration is a singleton per account and region. By default the listed rules are the
    whole configuration; with O(purge_rules=false) the module only adds the listed rules and keeps
    the others, so several teams can each own their rules.
  - A rule is identified by its destinations and its repository filters. Rules, destinations and
    filters are compared as sets, so re-ordering them is not a change.
author:
  - ecrkit maintainers (@ecrkit)
options:
  rules:
    description:
      - Replication rules. At most 25 rules in the registry (the limit the installed botocore's ECR
        model states; older releases of botocore state 10), naming at most 25 unique destinations.
      - Required with O(state=present); use an empty list with O(purge_rules=true) to remove every rule.
      - A rule names each destination and each filter once.
    type: list
    elements: dict
    suboptions:
      destinations:
        description: Where the matching repositories are replicated to.
        type: list
        elements: dict
        required: true
        suboptions:
          region:
            description:
              - The destination region. It may not be the source region when O(rules[].destinations[].registry_id)
                is this registry.
              - The module warns about a region name that the installed botocore does not know for ECR.
            type: str
            required: true
          registry_id:
            description:
              - The destination registry (12-digit account ID).
              - Defaults to this registry, for replication to another region of the same account.
            type: str
      repository_filters:
        description:
          - Repository name prefixes (C(PREFIX_MATCH)); only repositories whose names start with one of
            them are replicated.
          - Each is a prefix string, or a dict with C(filter) (the prefix) and C(filter_type) (only
            V(PREFIX_MATCH), the default), the form RV(replication_configuration.rules[].repository_filters)
            returns, so a result can be given back as O(rules).
          - Omit, or give an empty list, to replicate every repository.
          - At most 100 filters per rule.
        type: list
        elements: raw
      delete_replication:
        description:
          - Whether image deletions and tag removals in the source are replicated too.
          - Omitted keeps the rule's current setting (disabled on a new rule).
          - Needs botocore 1.44.4 or later.
        type: bool
  purge_rules:
    description:
      - With O(state=present), remove the rules that are not listed.
      - With V(false), rules are only added, and the registry's other rules are kept.
    type: bool
    default: true
  state:
    description:
      - V(present) makes the listed rules exist.
      - V(absent) without O(rules) removes every rule. The service has no delete call, so the
        configuration is put with no rules.
      - V(absent) with O(rules) removes only those rules.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Registries in other accounts must allow replication in their registry policy (see
    M(ecrkit.registry.ecr_registry_policy)).
  - With botocore older than 1.44.4, the delete replication setting of existing rules is invisible to
    the module and is reset when the configuration is written. Use botocore 1.44.4 or later.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - ecrkit.registry.attributes
"""

EXAMPLES = r"""
- name: Replicate every repository to another region and to the DR account (the whole configuration)
  ecrkit.registry.ecr_replication:
    rules:
      - destinations:
          - region: us-west-2
          - region: eu-west-1
            registry_id: "210987654321"

- name: Add a rule for the prod/ repositories and keep the other teams' rules
  ecrkit.registry.ecr_replication:
    purge_rules: false
    rules:
      - destinations:
          - region: ap-southeast-2
        repository_filters:
          - prod/

- name: Remove that rule only
  ecrkit.registry.ecr_replication:
    state: absent
    rules:
      - destinations:
          - region: ap-southeast-2
        repository_filters:
          - prod/

- name: Stop all replication
  ecrkit.registry.ecr_replication:
    state: absent
"""

RETURN = r"""
replication_configuration:
  description: The replication configuration after the task (predicted in check mode).
  returned: always
  type: dict
  contains:
    rules:
      description: The replication rules.
      type: list
      elements: dict
      contains:
        destinations:
          description: The destinations, each with C(region) and C(registry_id).
          type: list
          elements: dict
        repository_filters:
          description: The filters, each with C(filter) and C(filter_type) (C(PREFIX_MATCH)). Empty when every repository replicates.
          type: list
          elements: dict
        delete_replication:
          description: Whether deletions replicate. Present when the service reports the setting.
          type: bool
  sample:
    rules:
      - destinations:
          - region: us-west-2
            registry_id: "123456789012"
        repository_filters:
          - filter: prod/
            filter_type: PREFIX_MATCH
registry_id:
  description: The registry (account) ID.
  returned: always
  type: str
  sample: "123456789012"
actions:
  description: The writes the task made, or would make in check mode, in words.
  returned: always
  type: list
  elements: str
  sample: ["put the replication configuration"]
"""

from ansible_collections.ecrkit.registry.plugins.module_utils.ecr import EcrkitModule
from ansible_collections.ecrkit.registry.plugins.module_utils.replication import RESOURCE
from ansible_collections.ecrkit.registry.plugins.module_utils.replication import RULE_SPEC
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import run


def main():
    module = EcrkitModule(
        argument_spec=dict(
            rules=dict(type="list", elements="dict", options=RULE_SPEC),
            purge_rules=dict(type="bool", default=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        required_if=[("state", "present", ["rules"])],
        supports_check_mode=True,
    )
    run(module, RESOURCE)


if __name__ == "__main__":
    main()
