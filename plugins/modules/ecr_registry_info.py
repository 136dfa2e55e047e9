#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecr_registry_info
short_description: Read the whole configuration of an Amazon ECR private registry
version_added: 0.1.0
description:
  - Reads the registry-level configuration of the registry of the calling account in one region - the
    registry policy, the replication configuration, the repository creation templates, the pull
    through cache rules, the image scanning configuration, the account settings, the signing
    configuration and the pull time update exclusions - and returns it in exactly the shape of M(ecrkit.registry.ecr_registry)'s
    C(config), to export a registry, adopt one into code or copy it to another registry.
  - One list read per section (every page), and one read per account setting; it never writes.
  - Account settings are read as they are; a registry that still has C(CLAIR) or C(V1) cannot give
    them to a registry that has left them (M(ecrkit.registry.ecr_registry) refuses before any write).
  - With the default O(sections), a section the installed botocore cannot read (account settings before
    botocore 1.34.154, pull time update exclusions before 1.41.0, signing before 1.41.2) is left out with
    a warning; a section named in O(sections) needs its botocore.
author:
  - ecrkit maintainers (@ecrkit)
options:
  sections:
    description: The sections to read; the others are neither read nor returned.
    type: list
    elements: str
    choices: [registry_policy, replication, creation_templates, pull_through_rules, scanning, account_settings, signing, pull_time_update_exclusions]
    default: [registry_policy, replication, creation_templates, pull_through_rules, scanning, account_settings, signing, pull_time_update_exclusions]
notes:
  - Registry-level configuration is per account and region.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: The module only reads; it runs the same in check mode.
  diff_mode:
    support: none
    description: The module changes nothing, so there is nothing to diff.
"""

EXAMPLES = r"""
- name: Export the registry's configuration
  ecrkit.registry.ecr_registry_info:
  register: source

- name: Build the same configuration in another region
  ecrkit.registry.ecr_registry:
    region: eu-west-1
    state: overridden
    config: "{{ source.registry.config }}"

- name: Read only the pull through cache rules
  ecrkit.registry.ecr_registry_info:
    sections:
      - pull_through_rules
  register: rules
"""

RETURN = r"""
registry:
  description: The registry and its configuration.
  returned: always
  type: dict
  contains:
    registry_id:
      description: The registry (account) ID; null when no section read names it (for example only a registry with no policy).
      type: str
      sample: "123456789012"
    region:
      description: The region of the registry.
      type: str
      sample: us-east-1
    config:
      description:
        - The sections read, in exactly the shape of M(ecrkit.registry.ecr_registry)'s O(ecrkit.registry.ecr_registry#module:config)
          (its C(gathered) result), so it can be given back as C(config).
        - A registry with no policy has V(registry_policy={}). Pull through cache rules leave out C(registry_id).
      type: dict
      sample:
        registry_policy: {}
        replication:
          rules: []
        creation_templates: []
        pull_through_rules:
          - ecr_repository_prefix: ecr-public
            upstream_registry_url: public.ecr.aws
            upstream_registry: ecr-public
            upstream_repository_prefix: null
            credential_arn: null
            custom_role_arn: null
        scanning:
          scan_type: BASIC
          rules: []
        account_settings:
          BASIC_SCAN_TYPE_VERSION: AWS_NATIVE
          REGISTRY_POLICY_SCOPE: V2
          BLOB_MOUNTING: DISABLED
        signing:
          rules: []
        pull_time_update_exclusions: []
"""

from ansible_collections.ecrkit.registry.plugins.module_utils.ecr import EcrkitModule
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import run_info
from ansible_collections.ecrkit.registry.plugins.module_utils.registry_sections import SECTION_NAMES


def main():
    module = EcrkitModule(
        argument_spec=dict(sections=dict(type="list", elements="str", choices=SECTION_NAMES, default=SECTION_NAMES)),
        supports_check_mode=True,
    )
    run_info(module)


if __name__ == "__main__":
    main()
