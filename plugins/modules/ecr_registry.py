#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecr_registry
short_description: Manage the whole configuration of an Amazon ECR private registry in one task
version_added: 0.1.0
description:
  - Manages the registry-level configuration of the registry of the calling account in one region
    as one object, with eight sections in O(config) - the registry policy, the replication
    configuration, the repository creation templates, the pull through cache rules, the image
    scanning configuration, the account settings, the signing configuration and the pull time
    update exclusions.
  - The O(state) values and the results follow Ansible's network resource modules
    (V(merged), V(replaced), V(overridden), V(deleted), V(gathered), V(rendered); RV(before),
    RV(after), RV(gathered), RV(rendered)).
  - Each section does what its own module does (M(ecrkit.registry.ecr_registry_policy),
    M(ecrkit.registry.ecr_replication), M(ecrkit.registry.ecr_creation_template),
    M(ecrkit.registry.ecr_pull_through_rule)), with the same validation and comparison; items take the
    same options as those modules.
  - Bad input fails before any call, naming the section, the item and the option (for example
    C(creation_templates[prefix=team].lifecycle_policy.rules[0].selection.tagStatus)). The checks are
    strict JSON, the policy statement and lifecycle policy grammars, tags, and sizes counted on the
    compact JSON sent.
    A template's C(kms_key) in another region, or a C(custom_role_arn) or credential in another account
    than the one the reads report, fails before any write. Warnings (a policy with no C(Version), open
    principals, an unknown destination region) are those of the single modules.
  - Items are keyed - policy statements by C(Sid), replication rules by their destinations and
    filters (as sets), templates by O(config.creation_templates[].prefix), pull through cache rules
    by O(config.pull_through_rules[].ecr_repository_prefix).
  - A section left out of O(config) is neither read nor written, whatever the state.
  - Reads one list per section in scope (every page), plus C(DescribeRegistry) only when a pull
    through cache rule (an ECR upstream, a credential or a O(config.pull_through_rules[].registry_id))
    needs the account and no other read gave it.
  - Everything is planned before the first write, so bad input or a refused recreate fails the task
    with no write. Writes go in a safe order - the policy, replication, template creates and
    updates, pull through cache rule deletes, rule creates, updates and recreates, template deletes.
  - If a write fails, the task fails and says which writes were done, which failed and which were
    not done (RV(completed_actions), RV(failed_action), RV(pending_actions)). Nothing outside the
    declared change is touched.
author:
  - ecrkit maintainers (@ecrkit)
options:
  config:
    description:
      - The registry configuration, by section. Required unless O(state=gathered).
      - With O(state=gathered), only which sections are given matters (all when O(config) is left out).
      - The result RV(gathered) (and M(ecrkit.registry.ecr_registry_info)'s C(registry.config)) is valid
        O(config).
    type: dict
    suboptions:
      registry_policy:
        description:
          - The registry permissions policy, as a dict or a JSON string (see M(ecrkit.registry.ecr_registry_policy)).
          - With V(merged), V(replaced) and V(deleted), its statements are items keyed by C(Sid), which each
            statement needs. V(merged) lays each statement's elements over the statement with its Sid;
            V(replaced) replaces the statement whole; V(deleted) removes the statements (only C(Sid) is needed)
            and deletes the policy when none is left.
          - With V(overridden), the document is the whole policy; V({}) or a document with no C(Statement)
            deletes the policy.
        type: json
      replication:
        description:
          - The replication configuration (see M(ecrkit.registry.ecr_replication)).
          - A rule is identified by its destinations and its repository filters, as sets.
          - V(merged) keeps a rule's C(delete_replication) when omitted; V(replaced) and V(overridden) take
            each declared rule whole (an omitted C(delete_replication) is disabled).
          - With V(overridden), an empty O(config.replication.rules) list removes every rule.
        type: dict
        suboptions:
          rules:
            description: The replication rules.
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
                    description: The destination region.
                    type: str
                    required: true
                  registry_id:
                    description:
                      - The destination registry (12-digit account ID). Defaults to this registry.
                      - With O(state=rendered), a destination without it is rendered without C(registryId).
                    type: str
              repository_filters:
                description:
                  - Repository name prefixes, each a string or a C({filter, filter_type}) dict with
                    C(filter_type=PREFIX_MATCH) (the form results give).
                  - Omit, or give an empty list, to replicate every repository.
                type: list
                elements: raw
              delete_replication:
                description: Whether image deletions and tag removals in the source are replicated too.
                type: bool
      creation_templates:
        description:
          - Repository creation templates, keyed by O(config.creation_templates[].prefix); each item takes the
            options of M(ecrkit.registry.ecr_creation_template) but O(ecrkit.registry.ecr_creation_template#module:state).
          - V(merged) lays the given options over the template (an omitted option is kept); V(replaced) and
            V(overridden) take each declared template whole (omitted options go to their defaults).
          - With V(overridden), V([]) deletes every template.
        type: list
        elements: dict
        suboptions:
          prefix:
            description: The repository name prefix, or V(ROOT).
            type: str
            required: true
          description:
            description: A description of the template. V("") removes it.
            type: str
          applied_for:
            description: What the template applies to; required to create or replace a template.
            type: list
            elements: str
            choices: [REPLICATION, PULL_THROUGH_CACHE, CREATE_ON_PUSH]
          encryption_type:
            description: How created repositories are encrypted.
            type: str
            choices: [AES256, KMS, KMS_DSSE]
          kms_key:
            description: The full ARN of the KMS key; needs O(config.creation_templates[].encryption_type) V(KMS) or V(KMS_DSSE).
            type: str
          image_tag_mutability:
            description: Whether image tags of created repositories can be overwritten.
            type: str
            choices: [MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION]
          image_tag_mutability_exclusion_filters:
            description: Tags exempt from the tag mutability, 1 to 5 wildcard filters.
            type: list
            elements: str
          repository_policy:
            description: The repository policy of created repositories, as a dict or a JSON string. V("") or V({}) removes it.
            type: json
          lifecycle_policy:
            description: The lifecycle policy of created repositories, as a dict or a JSON string. V("") or V({}) removes it.
            type: json
          repository_tags:
            description: Tags put on created repositories (the whole set).
            type: dict
          custom_role_arn:
            description: The IAM role ECR assumes to create repositories. V("") removes it.
            type: str
      pull_through_rules:
        description:
          - Pull through cache rules, keyed by O(config.pull_through_rules[].ecr_repository_prefix); each item takes
            the options of M(ecrkit.registry.ecr_pull_through_rule) but its C(state), C(allow_recreate) and
            C(validate).
          - V(merged) lays the given options over the rule (an omitted option is kept); V(replaced) and
            V(overridden) take each declared rule whole (an omitted credential or role is removed).
          - Only the credential and the role change in place; any other change deletes and creates the rule,
            which needs O(allow_recreate=true).
          - With V(overridden), V([]) deletes every rule.
        type: list
        elements: dict
        suboptions:
          ecr_repository_prefix:
            description: The repository prefix in this registry that the rule serves, or V(ROOT).
            type: str
            required: true
          upstream_registry_url:
            description: The upstream registry host; required to create or replace a rule.
            type: str
          upstream_registry:
            description: The kind of upstream registry; derived from the URL when left out.
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
            description: The Secrets Manager secret with the upstream's credentials. V("") removes it (a recreate).
            type: str
          custom_role_arn:
            description: The IAM role ECR assumes for an Amazon ECR upstream. V("") removes it.
            type: str
          upstream_repository_prefix:
            description: For an Amazon ECR upstream, the upstream repository prefix (V(ROOT) for all).
            type: str
          registry_id:
            description:
              - The registry (account) ID, as results carry it. When given it must be this registry's;
                it is checked after the read.
            type: str
      scanning:
        description:
          - The image scanning configuration (see M(ecrkit.registry.ecr_registry_scanning)); rules are keyed by
            their O(config.scanning.rules[].scan_frequency), at most one rule each.
          - V(merged) and V(replaced) set the declared rules (each replaced whole) and O(config.scanning.scan_type)
            when given, and keep the other rule and the scan type when not.
          - V(overridden) makes the configuration exactly what is declared (an omitted scan type is V(BASIC));
            V({}) returns the registry to V(BASIC) scanning with no rules.
          - V(deleted) removes the declared rules (given whole); it refuses a scan type.
          - The rules' scan frequencies are checked against the resulting scan type before any write.
        type: dict
        suboptions:
          scan_type:
            description: V(BASIC) (Amazon ECR's scanning) or V(ENHANCED) (Amazon Inspector's).
            type: str
            choices: [BASIC, ENHANCED]
          rules:
            description: The scanning rules, at most 2.
            type: list
            elements: dict
            suboptions:
              scan_frequency:
                description:
                  - V(SCAN_ON_PUSH) (BASIC or ENHANCED) or V(CONTINUOUS_SCAN) (ENHANCED only).
                  - V(MANUAL) is what the service reports for repositories no rule matches; it is refused in a rule.
                type: str
                choices: [SCAN_ON_PUSH, CONTINUOUS_SCAN, MANUAL]
                required: true
              repository_filters:
                description: Repository names the rule applies to, with C(*) as a wildcard.
                type: list
                elements: str
                required: true
      account_settings:
        description:
          - Account settings of the registry (see M(ecrkit.registry.ecr_account_setting)), as a dict of setting
            name (C(BASIC_SCAN_TYPE_VERSION), C(REGISTRY_POLICY_SCOPE), C(BLOB_MOUNTING)) to value. Only the
            settings named are read and written.
          - Every setting always has a value, so V(overridden) sets the named settings as V(merged) does, and
            V(deleted) is refused.
          - Moving from C(CLAIR) or C(V1) cannot be undone (the task warns); setting them on a registry that has
            left them is refused before any write.
          - Written before the registry policy, so a policy that needs C(REGISTRY_POLICY_SCOPE=V2) can be set
            in the same task.
        type: dict
      signing:
        description:
          - The managed signing configuration (see M(ecrkit.registry.ecr_signing_configuration)). A rule is
            identified by its profile and its filters (as a set), as a replication rule is.
          - V(merged) and V(replaced) add the declared rules and keep the others; V(overridden) makes the
            rules exactly those declared (V({}) or no rules deletes the configuration); V(deleted) removes the
            declared rules.
        type: dict
        suboptions:
          rules:
            description: The signing rules; the registry holds at most 10.
            type: list
            elements: dict
            suboptions:
              signing_profile_arn:
                description: The AWS Signer signing profile ARN.
                type: str
                required: true
              repository_filters:
                description: Repository names whose images the rule signs, with C(*) as a wildcard; omitted, every repository.
                type: list
                elements: str
      pull_time_update_exclusions:
        description:
          - IAM role and user ARNs whose pulls do not update the last pull time (see
            M(ecrkit.registry.ecr_pull_time_update_exclusion)); each principal is an item.
          - V(merged) and V(replaced) register the declared principals and keep the others; V(overridden)
            makes the list exactly those declared (V([]) deregisters all); V(deleted) deregisters the declared ones.
        type: list
        elements: str
  state:
    description:
      - V(merged) adds or updates the declared items and keeps everything else, and every option an item omits.
      - V(replaced) replaces each declared item whole (omitted options go to their defaults) and keeps the
        items not declared.
      - V(overridden) makes each section given exactly what is declared, deleting the items not declared.
      - V(deleted) deletes the declared items, by key. A section that names no item is refused.
      - V(gathered) only reads, and returns RV(gathered) in the O(config) shape.
      - V(rendered) makes no API call and needs no credentials; it returns RV(rendered), the API requests
        that would build O(config) on an empty registry.
    type: str
    choices: [merged, replaced, overridden, deleted, gathered, rendered]
    default: merged
  allow_recreate:
    description:
      - Let pull through cache rules that cannot change in place be deleted and created again.
      - Without it the task fails before any write when a rule needs that. In check mode such a rule is
        reported as a change, with its reasons in RV(recreate_reasons), so a drift run shows the drift.
    type: bool
    default: false
notes:
  - Registry-level configuration is per account and region.
  - With O(state=merged) or O(state=replaced) the sections written are read back after a short pause; an item a
    concurrent writer removed is written again from that read (at most 5 writes), else the task fails naming the
    concurrent writer. See "Concurrent writers" in the user guide.
  - The sections need the botocore releases their modules need (for example 1.34.149 for creation templates).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - ecrkit.registry.attributes
"""

EXAMPLES = r"""
- name: The registry as one object - add or update these items, keep everything else
  ecrkit.registry.ecr_registry:
    config:
      registry_policy:
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
      replication:
        rules:
          - destinations:
              - region: us-west-2
            repository_filters:
              - prod/
      creation_templates:
        - prefix: ecr-public
          applied_for:
            - PULL_THROUGH_CACHE
          image_tag_mutability: IMMUTABLE
      pull_through_rules:
        - ecr_repository_prefix: ecr-public
          upstream_registry_url: public.ecr.aws

- name: Check for drift without changing anything (run with --check --diff)
  ecrkit.registry.ecr_registry:
    state: overridden
    config:
      creation_templates:
        - prefix: ecr-public
          applied_for:
            - PULL_THROUGH_CACHE
          image_tag_mutability: IMMUTABLE
      pull_through_rules:
        - ecr_repository_prefix: ecr-public
          upstream_registry_url: public.ecr.aws
  check_mode: true

- name: Read the templates and rules, in the config shape
  ecrkit.registry.ecr_registry:
    state: gathered
    config:
      creation_templates: []
      pull_through_rules: []
  register: current

- name: The API requests that would build a config, with no AWS call
  ecrkit.registry.ecr_registry:
    state: rendered
    config:
      pull_through_rules:
        - ecr_repository_prefix: quay
          upstream_registry_url: quay.io

- name: Remove one statement and one rule; keep the rest
  ecrkit.registry.ecr_registry:
    state: deleted
    config:
      registry_policy:
        Statement:
          - Sid: ReplicationFromOrg
      replication:
        rules:
          - destinations:
              - region: us-west-2
            repository_filters:
              - prod/

- name: Exactly these pull through cache rules; the others are deleted
  ecrkit.registry.ecr_registry:
    state: overridden
    config:
      pull_through_rules:
        - ecr_repository_prefix: ecr-public
          upstream_registry_url: public.ecr.aws
"""

RETURN = r"""
before:
  description: The sections in scope before the task, in the O(config) shape.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: dict
  sample:
    pull_through_rules:
      - ecr_repository_prefix: ecr-public
        upstream_registry_url: public.ecr.aws
        upstream_registry: ecr-public
        upstream_repository_prefix: null
        credential_arn: null
        custom_role_arn: null
after:
  description:
    - The sections in scope after the task (predicted in check mode), in the O(config) shape.
    - With O(state=merged) or O(state=replaced), the sections written are as read back after the writes.
    - A registry with no policy shows V(registry_policy={}).
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted) and the task succeeds, or fails
    because a concurrent writer kept undoing its writes
  type: dict
  sample:
    registry_policy: {}
    replication:
      rules:
        - destinations:
            - region: us-west-2
              registry_id: "123456789012"
          repository_filters:
            - filter: prod/
              filter_type: PREFIX_MATCH
gathered:
  description:
    - The sections read, in the O(config) shape; valid O(config) for this module.
    - Pull through cache rules leave out C(registry_id), so the config can be applied to another registry.
  returned: when O(state=gathered)
  type: dict
  sample:
    creation_templates:
      - prefix: ecr-public
        description: null
        applied_for: [PULL_THROUGH_CACHE]
        encryption_type: AES256
        kms_key: null
        image_tag_mutability: IMMUTABLE
        image_tag_mutability_exclusion_filters: []
        repository_policy: null
        lifecycle_policy: null
        repository_tags: {}
        custom_role_arn: null
rendered:
  description:
    - The API requests that would build O(config) on an empty registry, in write order, each with
      C(operation) and C(parameters) as the API takes them.
    - A replication destination in this registry (no C(registry_id)) is rendered without C(registryId).
  returned: when O(state=rendered)
  type: list
  elements: dict
  sample:
    - operation: CreatePullThroughCacheRule
      parameters:
        ecrRepositoryPrefix: quay
        upstreamRegistryUrl: quay.io
        upstreamRegistry: quay
actions:
  description: The writes the task made (or would make in check mode), in order, each naming its section and key.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: str
  sample: ["pull_through_rules[ecr_repository_prefix=quay]: create the pull through cache rule 'quay'"]
recreate_reasons:
  description: For each pull through cache rule that is (or in check mode would be) deleted and created again, the differences that need it.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: dict
  sample: {"ecr-public": ["upstream_registry_url: 'public.ecr.aws' -> 'quay.io'"]}
registry_id:
  description: The registry (account) ID; null when no read in scope named it.
  returned: unless O(state=rendered)
  type: str
  sample: "123456789012"
region:
  description: The registry's region, as the module resolved it (O(region), else the environment or profile).
  returned: unless O(state=rendered)
  type: str
  sample: eu-west-1
completed_actions:
  description: When a write failed, the writes made before it.
  returned: on a failed write
  type: list
  elements: str
failed_action:
  description: When a write failed, that write.
  returned: on a failed write
  type: str
pending_actions:
  description: When a write failed, the writes not made.
  returned: on a failed write
  type: list
  elements: str
restore_task:
  description:
    - A task (name and M(ecrkit.registry.ecr_pull_through_rule) arguments) that creates a pull through cache rule
      again, when its recreate deleted it and could not restore it. The failure message gives it as YAML.
  returned: when a recreate failed and the previous rule could not be restored
  type: dict
  sample: {"name": "Restore the pull through cache rule mirror",
           "ecrkit.registry.ecr_pull_through_rule": {"ecr_repository_prefix": "mirror", "upstream_registry_url": "public.ecr.aws"}}
"""

from ansible_collections.ecrkit.registry.plugins.module_utils.ecr import EcrkitModule
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import STATES
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import run


def main():
    module = EcrkitModule(
        argument_spec=dict(
            config=dict(type="dict"),  # sections checked by registry.checked_config, naming the item
            state=dict(type="str", choices=STATES, default="merged"),
            allow_recreate=dict(type="bool", default=False),
        ),
        required_if=[("state", state, ["config"]) for state in STATES if state != "gathered"],
        supports_check_mode=True,
    )
    run(module)


if __name__ == "__main__":
    main()
