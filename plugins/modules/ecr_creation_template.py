#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecr_creation_template
short_description: Manage Amazon ECR repository creation templates
version_added: 0.1.0
description:
  - Creates, updates or deletes a repository creation template of the registry of the calling
    account in one region (C(CreateRepositoryCreationTemplate), C(UpdateRepositoryCreationTemplate),
    C(DeleteRepositoryCreationTemplate), C(DescribeRepositoryCreationTemplates)).
  - A template holds the settings ECR gives the repositories it creates for you, through
    replication, pull through cache or create on push, whose names start with the template's
    prefix. There is one template per prefix.
  - An option you omit keeps the template's current value. An empty value (V(""), V({}))
    clears the setting where the service allows it.
  - The service replaces the whole template on update, so the module always sends the current
    template with your options laid over it.
  - Policies are compared by meaning, not as text, lifecycle rules by their C(rulePriority), and
    O(applied_for) and O(image_tag_mutability_exclusion_filters) as sets, so the service
    re-formatting or re-ordering them is not a change.
author:
  - ecrkit maintainers (@ecrkit)
options:
  prefix:
    description:
      - The repository name prefix the template applies to, for example V(docker-hub) or
        V(team/app), or V(ROOT) for every repository that no other template matches.
      - 1 to 256 characters of lowercase letters and digits, separated by C(.), C(_), C(__), C(-) or C(/).
    type: str
    required: true
  description:
    description:
      - A description of the template, at most 256 characters. V("") removes it.
    type: str
  applied_for:
    description:
      - What the template applies to. Required to create a template; when given, it is the whole set.
      - V(CREATE_ON_PUSH) needs botocore 1.42.13 or later.
    type: list
    elements: str
    choices: [REPLICATION, PULL_THROUGH_CACHE, CREATE_ON_PUSH]
  encryption_type:
    description:
      - How created repositories are encrypted. A new template defaults to V(AES256).
      - Changing it to V(AES256) removes O(kms_key); V(KMS) and V(KMS_DSSE) keep the current key unless O(kms_key) is given.
    type: str
    choices: [AES256, KMS, KMS_DSSE]
  kms_key:
    description:
      - The full ARN of the KMS key, in the region of the registry (a key in another region is refused
        before any write). Key IDs and aliases are not accepted.
      - Needs O(encryption_type=KMS) or O(encryption_type=KMS_DSSE) in the same task.
      - V("") removes the key, so the AWS managed key for ECR is used.
    type: str
  image_tag_mutability:
    description:
      - Whether image tags of created repositories can be overwritten. A new template defaults to V(MUTABLE).
      - V(IMMUTABLE_WITH_EXCLUSION) and V(MUTABLE_WITH_EXCLUSION) need O(image_tag_mutability_exclusion_filters)
        and botocore 1.39.11 or later; the other values remove the filters.
    type: str
    choices: [MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION]
  image_tag_mutability_exclusion_filters:
    description:
      - Tags that are exempt from O(image_tag_mutability), as 1 to 5 wildcard filters (letters, digits,
        C(.), C(_), C(-) and C(*)), for example V(latest) or V(dev-*).
      - Given together with O(image_tag_mutability). Needs botocore 1.39.11 or later.
    type: list
    elements: str
  repository_policy:
    description:
      - The repository permissions policy of created repositories, as a dict or a JSON string, at most
        10240 characters as sent (compact JSON). V("") or V({}) removes it.
      - Its statements are checked as M(ecrkit.registry.ecr_registry_policy) checks them (known
        elements, C(Effect), C(ecr:) actions, principal forms, unique Sids).
    type: json
  lifecycle_policy:
    description:
      - The lifecycle policy of created repositories, as a dict or a JSON string with a C(rules) list,
        at most 30720 characters as sent (compact JSON).
      - Checked against the ECR lifecycle policy grammar before any call. Each rule takes
        C(rulePriority) (a unique positive integer), C(description), C(selection) and C(action).
        C(selection) takes C(tagStatus) (V(tagged), V(untagged) or V(any); an V(any) rule has the
        highest priority), C(tagPrefixList) or C(tagPatternList) (one of them, only with V(tagged)),
        C(storageClass) (V(standard), or V(archive) with V(sinceImageTransitioned)), C(countType)
        (V(imageCountMoreThan), V(sinceImagePushed), V(sinceImagePulled), V(sinceImageTransitioned)),
        C(countUnit) (V(days), only with the C(since*) count types) and C(countNumber) (a positive
        integer). C(action) takes C(type) (V(expire) or V(transition)) and, with V(transition),
        C(targetStorageClass) V(archive).
      - V("") or V({}) removes it.
    type: json
  repository_tags:
    description:
      - Tags that ECR puts on the repositories it creates. When given, this is the whole set;
        V({}) removes them all.
      - ECR needs O(custom_role_arn) to tag created repositories; the module warns when it is not set.
      - At most 50 tags; keys of 1-128 characters that do not start with C(aws:) (AWS reserves it),
        values of at most 256.
    type: dict
  custom_role_arn:
    description:
      - The ARN of an IAM role in the same account that ECR assumes to create repositories from the template.
      - A role not already on the template is checked to be in the registry's account, which costs one
        C(DescribeRegistry) call.
      - Needed for O(repository_tags) and for KMS encryption. V("") removes it, so ECR uses its service-linked role.
    type: str
  state:
    description:
      - V(present) creates or updates the template.
      - V(absent) deletes it; only O(prefix) is used then.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Templates are per account and region.
  - Needs botocore 1.34.149 or later, the first release with the repository creation template API.
  - Registries that ECR creates repositories in through replication or pull through cache may also need a
    registry policy (see M(ecrkit.registry.ecr_registry_policy)).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - ecrkit.registry.attributes
"""

EXAMPLES = r"""
- name: Settings for the repositories that the Docker Hub pull through cache creates
  ecrkit.registry.ecr_creation_template:
    prefix: docker-hub
    description: Images cached from Docker Hub
    applied_for:
      - PULL_THROUGH_CACHE
    image_tag_mutability: IMMUTABLE
    lifecycle_policy:
      rules:
        - rulePriority: 1
          description: Expire untagged images after 14 days
          selection:
            tagStatus: untagged
            countType: sinceImagePushed
            countUnit: days
            countNumber: 14
          action:
            type: expire

- name: Default for every other repository ECR creates, encrypted with a KMS key and tagged
  ecrkit.registry.ecr_creation_template:
    prefix: ROOT
    applied_for:
      - REPLICATION
      - PULL_THROUGH_CACHE
    encryption_type: KMS
    kms_key: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    repository_tags:
      owner: platform
    custom_role_arn: "arn:aws:iam::123456789012:role/ecr-repository-creation"
    repository_policy:
      Version: "2012-10-17"
      Statement:
        - Sid: PullFromTheOrganisation
          Effect: Allow
          Principal:
            AWS: "arn:aws:iam::210987654321:root"
          Action:
            - ecr:BatchGetImage
            - ecr:GetDownloadUrlForLayer

- name: Repositories created on push keep their tags, except latest and dev builds
  ecrkit.registry.ecr_creation_template:
    prefix: apps
    applied_for:
      - CREATE_ON_PUSH
    image_tag_mutability: IMMUTABLE_WITH_EXCLUSION
    image_tag_mutability_exclusion_filters:
      - latest
      - dev-*

- name: Change only the description; every other setting of the template is kept
  ecrkit.registry.ecr_creation_template:
    prefix: docker-hub
    description: Images cached from Docker Hub (expire untagged after 14 days)

- name: Remove the tags that created repositories get
  ecrkit.registry.ecr_creation_template:
    prefix: ROOT
    repository_tags: {}

- name: Delete a template
  ecrkit.registry.ecr_creation_template:
    prefix: apps
    state: absent
"""

RETURN = r"""
repository_creation_template:
  description:
    - The template after the task (predicted in check mode), or null when there is none.
    - Its keys are the module's options, so a result can be given back as task arguments.
  returned: always
  type: dict
  contains:
    prefix:
      description: The repository name prefix, or V(ROOT).
      type: str
      sample: docker-hub
    description:
      description: The description, or null.
      type: str
      sample: Images cached from Docker Hub
    applied_for:
      description: What the template applies to, sorted.
      type: list
      elements: str
      sample: ["PULL_THROUGH_CACHE"]
    encryption_type:
      description: The encryption of created repositories.
      type: str
      sample: AES256
    kms_key:
      description: The KMS key ARN, or null.
      type: str
      sample: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    image_tag_mutability:
      description: The tag mutability of created repositories.
      type: str
      sample: IMMUTABLE
    image_tag_mutability_exclusion_filters:
      description: The wildcard filters of tags exempt from the tag mutability setting; empty when none.
      type: list
      elements: str
      sample: ["latest", "dev-*"]
    repository_policy:
      description: The repository policy of created repositories, as a dict, or null.
      type: dict
      sample:
        Version: "2012-10-17"
        Statement:
          - Sid: PullFromTheOrganisation
            Effect: Allow
            Principal:
              AWS: "arn:aws:iam::210987654321:root"
            Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    lifecycle_policy:
      description: The lifecycle policy of created repositories, as a dict, or null.
      type: dict
      sample:
        rules:
          - rulePriority: 1
            selection: {tagStatus: untagged, countType: sinceImagePushed, countUnit: days, countNumber: 14}
            action: {type: expire}
    repository_tags:
      description: The tags put on created repositories; empty when none.
      type: dict
      sample: {owner: platform}
    custom_role_arn:
      description: The role ECR assumes to create repositories, or null.
      type: str
      sample: "arn:aws:iam::123456789012:role/ecr-repository-creation"
actions:
  description: The writes the task made, or would make in check mode, in words.
  returned: always
  type: list
  elements: str
  sample: ["update the repository creation template for prefix 'docker-hub' (description)"]
"""

from ansible_collections.ecrkit.registry.plugins.module_utils.creation_template import RESOURCE
from ansible_collections.ecrkit.registry.plugins.module_utils.creation_template import TEMPLATE_SPEC
from ansible_collections.ecrkit.registry.plugins.module_utils.ecr import EcrkitModule
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import run


def main():
    module = EcrkitModule(
        argument_spec=dict(
            TEMPLATE_SPEC,
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        supports_check_mode=True,
    )
    run(module, RESOURCE)


if __name__ == "__main__":
    main()
