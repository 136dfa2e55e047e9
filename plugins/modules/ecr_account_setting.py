#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecr_account_setting
short_description: Manage an account setting of an Amazon ECR private registry
version_added: 0.1.0
description:
  - Sets one account setting of the registry of the calling account in one region
    (C(GetAccountSetting), C(PutAccountSetting)). Every setting always has a value, so the module has no C(state).
  - Some changes cannot be undone - the service takes only the newer value of a setting, so a
    registry that moves from V(CLAIR) to V(AWS_NATIVE) (O(name=BASIC_SCAN_TYPE_VERSION)) or from V(V1)
    to V(V2) (O(name=REGISTRY_POLICY_SCOPE)) cannot move back. The module warns when it makes such a
    change, and refuses to set V(CLAIR) or V(V1) on a registry that has left them, before any write.
  - To manage the settings together with the rest of the registry, use the C(account_settings)
    section of M(ecrkit.registry.ecr_registry).
author:
  - ecrkit maintainers (@ecrkit)
options:
  name:
    description:
      - V(BASIC_SCAN_TYPE_VERSION) - the engine of basic scanning, V(AWS_NATIVE) (V(CLAIR) was the older one).
      - V(REGISTRY_POLICY_SCOPE) - V(V2) lets the registry policy grant every ECR action on the
        registry's repositories; V(V1) (older registries) lets it grant only C(ecr:ReplicateImage),
        C(ecr:BatchImportUpstreamImage) and C(ecr:CreateRepository).
      - V(BLOB_MOUNTING) - V(ENABLED) lets image pushes mount layers that other repositories of the
        registry already hold, V(DISABLED) does not.
    type: str
    required: true
    choices: [BASIC_SCAN_TYPE_VERSION, REGISTRY_POLICY_SCOPE, BLOB_MOUNTING]
  value:
    description:
      - The value, checked against O(name) before any call - V(AWS_NATIVE) for V(BASIC_SCAN_TYPE_VERSION),
        V(V2) for V(REGISTRY_POLICY_SCOPE), V(ENABLED) or V(DISABLED) for V(BLOB_MOUNTING).
      - V(CLAIR) and V(V1) are accepted only where the registry has them already (nothing to change), so
        that a result can be given back.
    type: str
    required: true
notes:
  - Needs botocore 1.34.154 or later.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - ecrkit.registry.attributes
"""

EXAMPLES = r"""
- name: Let the registry policy grant every ECR action (cannot be set back to V1)
  ecrkit.registry.ecr_account_setting:
    name: REGISTRY_POLICY_SCOPE
    value: V2

- name: Let pushes mount layers the registry already holds
  ecrkit.registry.ecr_account_setting:
    name: BLOB_MOUNTING
    value: ENABLED
"""

RETURN = r"""
account_setting:
  description: The setting after the task (predicted in check mode), valid as the module's options.
  returned: always
  type: dict
  contains:
    name:
      description: The setting.
      type: str
    value:
      description: Its value.
      type: str
  sample:
    name: BLOB_MOUNTING
    value: ENABLED
actions:
  description: The writes the task made, or would make in check mode, in words.
  returned: always
  type: list
  elements: str
  sample: ["set the account setting BLOB_MOUNTING to ENABLED"]
"""

from ansible_collections.ecrkit.registry.plugins.module_utils.account_settings import NAMES
from ansible_collections.ecrkit.registry.plugins.module_utils.account_settings import RESOURCE
from ansible_collections.ecrkit.registry.plugins.module_utils.ecr import EcrkitModule
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import run


def main():
    module = EcrkitModule(
        argument_spec=dict(name=dict(type="str", required=True, choices=NAMES), value=dict(type="str", required=True)),
        supports_check_mode=True,
    )
    run(module, RESOURCE)


if __name__ == "__main__":
    main()
