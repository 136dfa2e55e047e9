#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecr_registry_policy
short_description: Manage the permissions policy of an Amazon ECR private registry
version_added: 0.1.0
description:
  - Sets, updates or deletes the registry permissions policy of the registry of the calling account
    in one region (C(PutRegistryPolicy), C(GetRegistryPolicy), C(DeleteRegistryPolicy)).
  - The policy is a singleton per account and region. Manage it whole with O(policy), or manage
    only some of its statements with O(statements), keyed by C(Sid), and keep the statements that
    other teams own.
  - Policies are compared by meaning, not as text, so the service re-formatting the policy or
    re-ordering statements and actions is not a change.
  - Warns when a statement allows any principal (C(*)) with no C(Condition), and when a statement
    uses C(NotPrincipal) with C(Allow).
  - Every statement is checked before any call, and the task fails naming the statement and the
    element. A statement takes only C(Sid), C(Effect), C(Principal), C(NotPrincipal), C(Action),
    C(NotAction), C(Resource), C(NotResource) and C(Condition), so a misspelt C(Conditon) is refused,
    not ignored. C(Effect) is V(Allow) or V(Deny). Actions are of the C(ecr:) namespace only
    (wildcards such as V(ecr:*) allowed). A principal is C(*), or a dict of C(AWS) (a 12-digit
    account ID, C(arn:aws:iam::ACCOUNT:root), an IAM role or user ARN, or C(*)) and C(Service)
    (for example V(ecr.amazonaws.com)). Sids are unique in the policy.
  - The policy text the module sends is compact JSON in UTF-8, and is at most 10240 characters (the
    limit the installed botocore's ECR model states). With O(statements), the policy that results from
    the merge is checked before it is written.
author:
  - ecrkit maintainers (@ecrkit)
options:
  policy:
    description:
      - The whole registry policy document, as a dict or a JSON string.
      - Statements not in it are removed.
      - Without C(Version), the module uses V(2012-10-17) and warns.
      - Mutually exclusive with O(statements). Not allowed with O(state=absent).
    type: json
  statements:
    description:
      - Policy statements to manage, each a dict with a unique C(Sid) (letters and digits).
      - With O(state=present), each listed statement is added, or replaces the statement with the
        same C(Sid); statements with other Sids are kept unless O(purge_statements=true).
      - With O(state=absent), the statements with these Sids are removed (only C(Sid) is needed);
        the policy is deleted when no statement is left.
      - Mutually exclusive with O(policy).
    type: list
    elements: dict
  purge_statements:
    description:
      - With O(statements) and O(state=present), remove the statements whose Sid is not listed.
      - When no statement is left (for example with O(statements=[])), the registry policy is
        deleted, as the service has no empty policy.
    type: bool
    default: false
  state:
    description:
      - V(present) puts the policy or the statements.
      - V(absent) without O(statements) deletes the whole registry policy; with O(statements) it
        removes only those statements.
    type: str
    choices: [present, absent]
    default: present
notes:
  - The registry policy governs the registry (replication into it, pull through cache, creation of
    repositories), not the policies of single repositories.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - ecrkit.registry.attributes
"""

EXAMPLES = r"""
- name: Let the organisation's accounts replicate into this registry (the whole policy)
  ecrkit.registry.ecr_registry_policy:
    policy:
      Version: "2012-10-17"
      Statement:
        - Sid: ReplicationFromOrg
          Effect: Allow
          Principal:
            AWS: "arn:aws:iam::210987654321:root"
          Action:
            - ecr:CreateRepository
            - ecr:ReplicateImage
          Resource: "arn:aws:ecr:us-east-1:123456789012:repository/*"

- name: Add or update one team's statement and keep everyone else's
  ecrkit.registry.ecr_registry_policy:
    statements:
      - Sid: PullThroughCacheForCi
        Effect: Allow
        Principal:
          AWS: "arn:aws:iam::123456789012:role/ci"
        Action:
          - ecr:BatchImportUpstreamImage
          - ecr:CreateRepository
        Resource: "arn:aws:ecr:us-east-1:123456789012:repository/*"

- name: Remove that statement only
  ecrkit.registry.ecr_registry_policy:
    state: absent
    statements:
      - Sid: PullThroughCacheForCi

- name: Delete the whole registry policy
  ecrkit.registry.ecr_registry_policy:
    state: absent
"""

RETURN = r"""
registry_policy:
  description: The registry policy after the task (predicted in check mode), or null when there is none.
  returned: always
  type: dict
  sample:
    Version: "2012-10-17"
    Statement:
      - Sid: ReplicationFromOrg
        Effect: Allow
        Principal:
          AWS: "arn:aws:iam::210987654321:root"
        Action: ["ecr:CreateRepository", "ecr:ReplicateImage"]
        Resource: "arn:aws:ecr:us-east-1:123456789012:repository/*"
registry_id:
  description:
    - The registry (account) ID.
    - Null when the registry has no policy and none was written (the service names no registry then).
  returned: always
  type: str
  sample: "123456789012"
actions:
  description: The writes the task made, or would make in check mode, in words.
  returned: always
  type: list
  elements: str
  sample: ["put the registry policy"]
"""

from ansible_collections.ecrkit.registry.plugins.module_utils.ecr import EcrkitModule
from ansible_collections.ecrkit.registry.plugins.module_utils.registry_policy import RESOURCE
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import run


def main():
    module = EcrkitModule(
        argument_spec=dict(
            policy=dict(type="json"),
            statements=dict(type="list", elements="dict"),
            purge_statements=dict(type="bool", default=False),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        mutually_exclusive=[("policy", "statements")],
        required_if=[("state", "present", ("policy", "statements"), True)],
        supports_check_mode=True,
    )
    run(module, RESOURCE)


if __name__ == "__main__":
    main()
