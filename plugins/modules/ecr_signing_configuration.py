#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecr_signing_configuration
short_description: Manage the managed signing configuration of an Amazon ECR private registry
version_added: 0.1.0
description:
  - Sets the rules with which Amazon ECR signs pushed images with an AWS Signer signing profile, for the
    registry of the calling account in one region (C(GetSigningConfiguration), C(PutSigningConfiguration),
    C(DeleteSigningConfiguration)).
  - The rules are the whole configuration. Rules compare as a set, and so do their filters - re-ordering
    them is not a change.
  - To manage signing together with the rest of the registry, use the C(signing) section of
    M(ecrkit.registry.ecr_registry).
author:
  - ecrkit maintainers (@ecrkit)
options:
  rules:
    description:
      - The signing rules, at most 10. Required with O(state=present); V([]) deletes the configuration.
      - The principals that push images need permission to sign with each rule's profile
        (C(signer:SignPayload)).
    type: list
    elements: dict
    suboptions:
      signing_profile_arn:
        description:
          - The AWS Signer signing profile, as C(arn:aws:signer:REGION:ACCOUNT:/signing-profiles/NAME).
        type: str
        required: true
      repository_filters:
        description:
          - Repository names whose pushed images the rule signs, with C(*) as a wildcard; at most 100.
          - Omitted or empty, every repository.
        type: list
        elements: str
  state:
    description:
      - V(present) makes the configuration the rules given.
      - V(absent) deletes the signing configuration.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Needs botocore 1.41.2 or later.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - ecrkit.registry.attributes
"""

EXAMPLES = r"""
- name: Sign every image pushed to prod repositories
  ecrkit.registry.ecr_signing_configuration:
    rules:
      - signing_profile_arn: arn:aws:signer:us-east-1:123456789012:/signing-profiles/prod_images
        repository_filters: ["prod/*"]

- name: Stop signing images
  ecrkit.registry.ecr_signing_configuration:
    state: absent
"""

RETURN = r"""
signing_configuration:
  description: The signing configuration after the task (predicted in check mode), valid as the module's options.
  returned: always
  type: dict
  contains:
    rules:
      description: The signing rules; empty when the registry has no signing configuration.
      type: list
      elements: dict
      contains:
        signing_profile_arn:
          description: The AWS Signer signing profile.
          type: str
        repository_filters:
          description: The repository name filters (C(*) is a wildcard); empty for every repository.
          type: list
          elements: str
  sample:
    rules:
      - signing_profile_arn: arn:aws:signer:us-east-1:123456789012:/signing-profiles/prod_images
        repository_filters: ["prod/*"]
registry_id:
  description: The registry (account) ID; null when the registry had no signing configuration and the task wrote none.
  returned: always
  type: str
  sample: "123456789012"
actions:
  description: The writes the task made, or would make in check mode, in words.
  returned: always
  type: list
  elements: str
  sample: ["put the signing configuration: prod_images for prod/*"]
"""

from ansible_collections.ecrkit.registry.plugins.module_utils.ecr import EcrkitModule
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import run
from ansible_collections.ecrkit.registry.plugins.module_utils.signing_configuration import ARGUMENT_SPEC
from ansible_collections.ecrkit.registry.plugins.module_utils.signing_configuration import RESOURCE


def main():
    module = EcrkitModule(
        argument_spec=dict(ARGUMENT_SPEC, state=dict(type="str", choices=["present", "absent"], default="present")),
        required_if=[("state", "present", ["rules"])],
        supports_check_mode=True,
    )
    run(module, RESOURCE)


if __name__ == "__main__":
    main()
