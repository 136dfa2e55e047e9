#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecr_registry_scanning
short_description: Manage the image scanning configuration of an Amazon ECR private registry
version_added: 0.1.0
description:
  - Sets the scan type and the scanning rules of the registry of the calling account in one region
    (C(GetRegistryScanningConfiguration), C(PutRegistryScanningConfiguration)).
  - The options are the whole configuration - an omitted O(scan_type) is V(BASIC) and omitted O(rules)
    are none. Repositories that no rule matches are scanned only when asked (manual scans).
  - Rules compare as a set, and so do their filters - re-ordering them is not a change.
  - Each rule's O(rules[].scan_frequency) is checked against O(scan_type) before any call.
  - To manage the scanning configuration together with the rest of the registry, use the C(scanning)
    section of M(ecrkit.registry.ecr_registry).
author:
  - ecrkit maintainers (@ecrkit)
options:
  scan_type:
    description:
      - V(BASIC) is Amazon ECR's own scanning; V(ENHANCED) is Amazon Inspector's (billed by Inspector).
      - When omitted with O(state=present), V(BASIC).
    type: str
    choices: [BASIC, ENHANCED]
  rules:
    description:
      - The scanning rules, at most 2, one per scan frequency.
      - Omitted or empty with O(state=present), no rule - every image is scanned only when asked.
    type: list
    elements: dict
    suboptions:
      scan_frequency:
        description:
          - When the matching repositories are scanned.
          - With O(scan_type=BASIC), only V(SCAN_ON_PUSH). With O(scan_type=ENHANCED), V(SCAN_ON_PUSH) or
            V(CONTINUOUS_SCAN).
          - V(MANUAL) is what the service reports for repositories no rule matches; it is refused in a rule.
        type: str
        choices: [SCAN_ON_PUSH, CONTINUOUS_SCAN, MANUAL]
        required: true
      repository_filters:
        description:
          - Repository names the rule applies to, with C(*) as a wildcard (V(*) for every repository).
          - At most 100, each given once.
        type: list
        elements: str
        required: true
  state:
    description:
      - V(present) makes the configuration the one given.
      - V(absent) returns the registry to V(BASIC) scanning with no rules (the service has no delete call).
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - ecrkit.registry.attributes
"""

EXAMPLES = r"""
- name: Scan every image on push, with Amazon ECR's basic scanning
  ecrkit.registry.ecr_registry_scanning:
    scan_type: BASIC
    rules:
      - scan_frequency: SCAN_ON_PUSH
        repository_filters: ["*"]

- name: Enhanced scanning - prod repositories continuously, the others on push
  ecrkit.registry.ecr_registry_scanning:
    scan_type: ENHANCED
    rules:
      - scan_frequency: CONTINUOUS_SCAN
        repository_filters: ["prod/*"]
      - scan_frequency: SCAN_ON_PUSH
        repository_filters: ["*"]

- name: Back to basic scanning with no rules
  ecrkit.registry.ecr_registry_scanning:
    state: absent
"""

RETURN = r"""
scanning_configuration:
  description: The scanning configuration after the task (predicted in check mode), valid as the module's options.
  returned: always
  type: dict
  contains:
    scan_type:
      description: V(BASIC) or V(ENHANCED).
      type: str
    rules:
      description: The scanning rules.
      type: list
      elements: dict
      contains:
        scan_frequency:
          description: When the matching repositories are scanned.
          type: str
        repository_filters:
          description: The repository name filters (C(*) is a wildcard).
          type: list
          elements: str
  sample:
    scan_type: ENHANCED
    rules:
      - scan_frequency: CONTINUOUS_SCAN
        repository_filters: ["prod/*"]
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
  sample: ["put the registry scanning configuration: ENHANCED, CONTINUOUS_SCAN for prod/*"]
"""

from ansible_collections.ecrkit.registry.plugins.module_utils.ecr import EcrkitModule
from ansible_collections.ecrkit.registry.plugins.module_utils.registry_scanning import ARGUMENT_SPEC
from ansible_collections.ecrkit.registry.plugins.module_utils.registry_scanning import RESOURCE
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import run


def main():
    module = EcrkitModule(
        argument_spec=dict(ARGUMENT_SPEC, state=dict(type="str", choices=["present", "absent"], default="present")),
        supports_check_mode=True,
    )
    run(module, RESOURCE)


if __name__ == "__main__":
    main()
