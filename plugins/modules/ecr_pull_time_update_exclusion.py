#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecr_pull_time_update_exclusion
short_description: Manage the principals whose image pulls do not update the last pull time in Amazon ECR
version_added: 0.1.0
description:
  - Registers and deregisters pull time update exclusions of the registry of the calling account in one
    region (C(ListPullTimeUpdateExclusions), C(RegisterPullTimeUpdateExclusion),
    C(DeregisterPullTimeUpdateExclusion)). ECR does not record an image's last pull time when an excluded
    principal pulls it, so that a scanner or a backup job does not keep images looking in use (for
    lifecycle rules and archival by last pull time).
  - Each principal is registered on its own, so several teams can each own their principals;
    O(purge_principal_arns=true) makes the list exactly O(principal_arns).
  - To manage the exclusions together with the rest of the registry, use the C(pull_time_update_exclusions)
    section of M(ecrkit.registry.ecr_registry).
author:
  - ecrkit maintainers (@ecrkit)
options:
  principal_arns:
    description:
      - IAM role or user ARNs (C(arn:aws:iam::ACCOUNT:role/NAME), C(arn:aws:iam::ACCOUNT:user/NAME)), each
        given once. A registry excludes at most 100 principals.
    type: list
    elements: str
    required: true
  purge_principal_arns:
    description:
      - With O(state=present), deregister the principals that are not listed.
      - With V(false), principals are only added, and the others are kept.
    type: bool
    default: false
  state:
    description:
      - V(present) registers the listed principals.
      - V(absent) deregisters the listed principals.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Needs botocore 1.41.0 or later.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - ecrkit.registry.attributes
"""

EXAMPLES = r"""
- name: Do not let the vulnerability scanner's pulls count as use
  ecrkit.registry.ecr_pull_time_update_exclusion:
    principal_arns:
      - arn:aws:iam::123456789012:role/image-scanner

- name: Exactly these principals, no others
  ecrkit.registry.ecr_pull_time_update_exclusion:
    principal_arns:
      - arn:aws:iam::123456789012:role/image-scanner
      - arn:aws:iam::123456789012:role/backup
    purge_principal_arns: true

- name: Let the backup role's pulls count again
  ecrkit.registry.ecr_pull_time_update_exclusion:
    principal_arns:
      - arn:aws:iam::123456789012:role/backup
    state: absent
"""

RETURN = r"""
pull_time_update_exclusions:
  description: The excluded principal ARNs after the task (predicted in check mode), sorted.
  returned: always
  type: list
  elements: str
  sample: ["arn:aws:iam::123456789012:role/image-scanner"]
actions:
  description: The writes the task made, or would make in check mode, in words.
  returned: always
  type: list
  elements: str
  sample: ["register a pull time update exclusion for arn:aws:iam::123456789012:role/image-scanner"]
"""

from ansible_collections.ecrkit.registry.plugins.module_utils.ecr import EcrkitModule
from ansible_collections.ecrkit.registry.plugins.module_utils.pull_time_exclusions import RESOURCE
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import run


def main():
    module = EcrkitModule(
        argument_spec=dict(
            principal_arns=dict(type="list", elements="str", required=True),
            purge_principal_arns=dict(type="bool", default=False),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        supports_check_mode=True,
    )
    run(module, RESOURCE)


if __name__ == "__main__":
    main()
