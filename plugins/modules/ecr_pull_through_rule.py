#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecr_pull_through_rule
short_description: Manage Amazon ECR pull through cache rules
version_added: 0.1.0
description:
  - Creates, updates, deletes and validates a pull through cache rule of the registry of the calling
    account in one region (C(CreatePullThroughCacheRule), C(UpdatePullThroughCacheRule),
    C(DeletePullThroughCacheRule), C(DescribePullThroughCacheRules), C(ValidatePullThroughCacheRule)).
  - A rule maps a repository prefix of this registry to an upstream registry. Pulling
    C(<registry>/<prefix>/<image>) then caches C(<image>) from the upstream.
  - Only O(credential_arn) and O(custom_role_arn) change in place. Any other difference (the upstream
    URL, the upstream registry, the upstream repository prefix, removing the credential) needs the
    rule deleted and created again. The module refuses that, naming what differs, unless
    O(allow_recreate=true).
  - An option left out keeps what the rule has.
author:
  - ecrkit maintainers (@ecrkit)
options:
  ecr_repository_prefix:
    description:
      - The repository prefix in this registry that the rule serves, 2 to 30 characters (lowercase
        letters and digits, separated by V(.), V(_), V(-) or V(/)), or V(ROOT) for every repository.
      - One rule per prefix; the service treats the prefix as ending in V(/).
    type: str
    required: true
  upstream_registry_url:
    description:
      - The upstream registry host. A scheme and a trailing V(/) are stripped, so V(https://quay.io/)
        is V(quay.io).
      - One of V(public.ecr.aws), V(registry-1.docker.io) (Docker Hub), V(ghcr.io),
        V(registry.gitlab.com), V(quay.io), V(registry.k8s.io), V(cgr.dev) (Chainguard),
        C(<name>.azurecr.io) or C(<account>.dkr.ecr.<region>.amazonaws.com) (Amazon ECR).
      - Required to create the rule. Changing it recreates the rule (see O(allow_recreate)).
    type: str
  upstream_registry:
    description:
      - The kind of upstream registry. Derived from O(upstream_registry_url) when left out; when given,
        it must match the URL.
    type: str
    choices:
      - ecr
      - ecr-public
      - quay
      - k8s
      - docker-hub
      - github-container-registry
      - azure-container-registry
      - gitlab-container-registry
      - chainguard
  credential_arn:
    description:
      - The ARN of the Secrets Manager secret that holds the credentials for the upstream registry. Its
        name must start with C(ecr-pullthroughcache/), and it must be in the rule's account and region.
      - Required for Docker Hub, GitHub, GitLab, Azure and Chainguard upstreams; not used with an
        Amazon ECR upstream.
      - Changed in place. V("") removes the credential, which recreates the rule (see O(allow_recreate)).
      - The secret is not checked when the rule is created; use O(validate) for that.
    type: str
  custom_role_arn:
    description:
      - The ARN of the IAM role, in this registry's account, that ECR assumes to pull from an Amazon ECR
        upstream registry. Required when that registry is in another account.
      - Only for Amazon ECR upstreams. Changed in place; V("") removes it.
      - Needs botocore 1.37.11 or later.
    type: str
  upstream_repository_prefix:
    description:
      - For an Amazon ECR upstream, the repository prefix in the upstream registry that this rule pulls
        from. The service uses V(ROOT) (every repository) when it is not set.
      - Only for Amazon ECR upstreams, and not with O(ecr_repository_prefix=ROOT) (other than V(ROOT)).
      - Changing it recreates the rule (see O(allow_recreate)). Needs botocore 1.37.11 or later.
    type: str
  registry_id:
    description:
      - The registry (account) ID of the rule, as RV(pull_through_cache_rule.registry_id) returns it, so a
        result can be given back as task arguments.
      - The rule is always managed in the registry of the calling account; when given, this must be that
        registry's ID. It is checked after the read (which may then call C(DescribeRegistry) for a new rule).
    type: str
  allow_recreate:
    description:
      - Allow deleting the rule and creating it again when a setting that cannot change in place
        differs. Images already cached stay, but pulls through the prefix fail between the two calls.
      - Without it, the task fails and names the settings that differ, and nothing is written.
      - Should the create fail, the module creates the previous rule again and the task fails, saying
        whether the previous rule was restored.
    type: bool
    default: false
  validate:
    description:
      - After the writes, ask the service whether the rule works, that is whether ECR can read the
        secret or assume the role (C(ValidatePullThroughCacheRule)), and return RV(validation). The task
        fails when the rule is not valid.
      - In check mode, the rule is validated only when it exists and the task would not change it;
        otherwise validation is skipped with a warning.
    type: bool
    default: false
  state:
    description:
      - V(present) creates or updates the rule; V(absent) deletes it.
      - With V(absent), only O(ecr_repository_prefix) is used.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Creating a rule with an Amazon ECR upstream or a credential also calls C(DescribeRegistry), to learn
    whether the upstream is in another account, and to refuse a secret in another account.
  - An Amazon ECR upstream needs botocore 1.37.11 or later.
  - Pulling through a rule also needs the registry's permissions to create repositories and import
    images (M(ecrkit.registry.ecr_registry_policy)), and a repository creation template lets you set
    what the cached repositories get (M(ecrkit.registry.ecr_creation_template)).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - ecrkit.registry.attributes
"""

EXAMPLES = r"""
- name: Cache images from Amazon ECR Public under ecr-public/ and check that ECR can use the rule
  ecrkit.registry.ecr_pull_through_rule:
    ecr_repository_prefix: ecr-public
    upstream_registry_url: public.ecr.aws
    validate: true

- name: Cache Docker Hub images under docker-hub/ (Docker Hub needs a secret)
  ecrkit.registry.ecr_pull_through_rule:
    ecr_repository_prefix: docker-hub
    upstream_registry_url: registry-1.docker.io
    credential_arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf"

- name: Rotate the Docker Hub rule to another secret (in place; the other settings are kept)
  ecrkit.registry.ecr_pull_through_rule:
    ecr_repository_prefix: docker-hub
    credential_arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-2-GhIjKl"

- name: Cache the team/ repositories of another account's registry under shared-team/, through a role
  ecrkit.registry.ecr_pull_through_rule:
    ecr_repository_prefix: shared-team
    upstream_registry_url: 210987654321.dkr.ecr.us-east-1.amazonaws.com
    upstream_repository_prefix: team
    custom_role_arn: "arn:aws:iam::123456789012:role/ecr-pull-through-cross-account"

- name: Point the ecr-public prefix at Quay instead (a delete and a create)
  ecrkit.registry.ecr_pull_through_rule:
    ecr_repository_prefix: ecr-public
    upstream_registry_url: quay.io
    allow_recreate: true

- name: Delete a rule
  ecrkit.registry.ecr_pull_through_rule:
    ecr_repository_prefix: ecr-public
    state: absent
"""

RETURN = r"""
pull_through_cache_rule:
  description: The rule after the task (predicted in check mode), or null when there is none.
  returned: always
  type: dict
  contains:
    ecr_repository_prefix:
      description: The repository prefix in this registry.
      type: str
      sample: docker-hub
    upstream_registry_url:
      description: The upstream registry host.
      type: str
      sample: registry-1.docker.io
    upstream_registry:
      description: The kind of upstream registry.
      type: str
      sample: docker-hub
    upstream_repository_prefix:
      description: For an Amazon ECR upstream, the upstream repository prefix (V(ROOT) for all); otherwise null.
      type: str
      sample: ROOT
    credential_arn:
      description: The Secrets Manager secret used for the upstream, or null.
      type: str
      sample: "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf"
    custom_role_arn:
      description: The IAM role ECR assumes for an Amazon ECR upstream, or null.
      type: str
      sample: null
    registry_id:
      description:
        - The registry (account) ID.
        - Null in check mode when a rule would be created and the account is not known yet.
      type: str
      sample: "123456789012"
recreated:
  description: Whether the rule was (in check mode, would be) deleted and created again.
  returned: always
  type: bool
  sample: false
recreate_reasons:
  description: The differences that made the rule be recreated, each naming the field and its value before and after.
  returned: always
  type: list
  elements: str
  sample: ["upstream_registry_url: 'public.ecr.aws' -> 'quay.io'"]
validation:
  description:
    - The outcome of C(ValidatePullThroughCacheRule) when O(validate=true); null when not validated.
  returned: always
  type: dict
  contains:
    is_valid:
      description: Whether ECR can use the rule.
      type: bool
      sample: false
    failure:
      description: Why not, as the service says; null when valid.
      type: str
      sample: "Unable to access the secret ..."
before:
  description:
    - The rule before the task, in the shape of RV(pull_through_cache_rule).
    - Returned when a recreate failed after deleting the rule, whether the previous rule was restored or not.
  returned: when a recreate failed
  type: dict
  sample: {"ecr_repository_prefix": "mirror", "upstream_registry_url": "public.ecr.aws", "upstream_registry": "ecr-public"}
restore_task:
  description:
    - A task (name and this module's arguments) that creates the previous rule again. The failure message gives it as YAML.
  returned: when a recreate failed and the previous rule could not be restored
  type: dict
  sample: {"name": "Restore the pull through cache rule mirror",
           "ecrkit.registry.ecr_pull_through_rule": {"ecr_repository_prefix": "mirror", "upstream_registry_url": "public.ecr.aws"}}
actions:
  description: The writes the task made, or would make in check mode, in words.
  returned: always
  type: list
  elements: str
  sample: ["update credential_arn of the pull through cache rule 'docker-hub'"]
"""

from ansible_collections.ecrkit.registry.plugins.module_utils.ecr import EcrkitModule
from ansible_collections.ecrkit.registry.plugins.module_utils.pull_through_rule import RESOURCE
from ansible_collections.ecrkit.registry.plugins.module_utils.pull_through_rule import RULE_SPEC
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import run


def main():
    module = EcrkitModule(
        argument_spec=dict(
            RULE_SPEC,
            allow_recreate=dict(type="bool", default=False),
            validate=dict(type="bool", default=False),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        supports_check_mode=True,
    )
    run(module, RESOURCE)


if __name__ == "__main__":
    main()
