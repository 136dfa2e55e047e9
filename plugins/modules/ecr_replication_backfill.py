#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecr_replication_backfill
short_description: Replicate the existing images of an Amazon ECR private registry to a replication destination
version_added: 0.1.0
description:
  - Replication copies the images pushed after it was configured. A replication backfill copies the
    images that were there before, which the current replication rules send to one destination
    (C(StartReplicationBackfill), C(StopReplicationBackfill), C(ListReplicationBackfills),
    C(DescribeReplicationBackfillResults)).
  - The destination (O(destination_region) and O(destination_registry_id)) must be a destination of the
    registry's replication configuration; the module checks it before any write. Configure it first with
    M(ecrkit.registry.ecr_replication).
  - A backfill to the destination that is running (C(PREPARING), C(IN_PROGRESS) or C(STOPPING)) is what
    O(state=started) asks for already, so running the task again while it runs changes nothing. A backfill
    that has ended does not count - the task then starts a new one.
  - The service runs one backfill per destination region at a time, whatever the destination registry;
    a backfill running to the same region and another registry is refused before any write.
  - With O(wait=true) the module waits for the backfill to end and returns the images that failed to
    replicate.
  - Needs botocore 1.43.119 or later.
author:
  - ecrkit maintainers (@ecrkit)
options:
  destination_region:
    description:
      - The region of the destination.
      - The module warns about a region name that the installed botocore does not know.
    type: str
    required: true
  destination_registry_id:
    description:
      - The registry (12-digit account ID) of the destination.
      - Defaults to this registry, for a destination in another region of the same account.
    type: str
  state:
    description:
      - V(started) starts a backfill to the destination unless one is running.
      - V(stopped) stops the backfill running to the destination, if it is V(PREPARING) or V(IN_PROGRESS).
        Images already replicated stay, and replications under way finish (the backfill is C(STOPPING)
        meanwhile). The destination need not be in the replication configuration any more.
    type: str
    choices: [started, stopped]
    default: started
  wait:
    description:
      - Wait for the backfill the task started, stopped or found running to end (C(COMPLETE), C(FAILED) or
        C(STOPPED)), then return its failed replications in RV(failures).
      - With O(state=started), a backfill that ends C(FAILED) or C(STOPPED) fails the task. One that ends
        C(COMPLETE) with failed replications succeeds, with a warning.
      - Not in check mode, where nothing is started or stopped.
    type: bool
    default: false
  wait_timeout:
    description:
      - How long to wait, in seconds, above 0.
      - When it passes, the task fails with the backfill's last progress in its message and in
        RV(replication_backfill). The backfill goes on; run the task again to wait more.
    type: int
    default: 600
  wait_delay:
    description:
      - Seconds between two reads of the backfill while waiting, 0 or more.
    type: int
    default: 10
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - ecrkit.registry.attributes
"""

EXAMPLES = r"""
- name: Replicate to us-west-2 the images pushed before replication was configured
  ecrkit.registry.ecr_replication_backfill:
    destination_region: us-west-2

- name: Backfill the DR account's registry, and wait for it to end
  ecrkit.registry.ecr_replication_backfill:
    destination_region: eu-west-1
    destination_registry_id: "210987654321"
    wait: true
    wait_timeout: 1800
    wait_delay: 30
  register: dr_backfill

- name: Show the images that did not replicate
  ansible.builtin.debug:
    msg: "{{ item.repository_name }}:{{ item.image_tag | default(item.image_digest, true) }} - {{ item.failure_code }}"
  loop: "{{ dr_backfill.failures }}"

- name: Stop the backfill to us-west-2
  ecrkit.registry.ecr_replication_backfill:
    destination_region: us-west-2
    state: stopped
"""

RETURN = r"""
replication_backfill:
  description:
    - The backfill to the destination after the task - the one started or found running (O(state=started)),
      the one stopped, or else the latest that ended (the service lists ended backfills for 90 days).
    - In check mode, the predicted backfill - one not started yet has no ID and is C(PREPARING).
    - With O(wait=true), as it was when it ended, or at the last read when O(wait_timeout) passed.
    - V(null) when O(state=stopped) finds no backfill to the destination.
  returned: always
  type: dict
  contains:
    replication_backfill_id:
      description: The backfill's ID; V(null) for one predicted in check mode.
      type: str
      sample: 6b1a0f4e-2c7d-4d1e-9a3b-0c5d7e8f9a1b
    destination:
      description: Where the images are replicated to.
      type: dict
      contains:
        region:
          description: The destination region.
          type: str
          sample: us-west-2
        registry_id:
          description: The destination registry (account ID).
          type: str
          sample: "123456789012"
    status:
      description:
        - V(PREPARING) (choosing the images), V(IN_PROGRESS), V(STOPPING) (while running; a backfill that
          is C(STOPPING) ends C(STOPPED)), or, once ended, V(COMPLETE), V(FAILED) or V(STOPPED).
      type: str
      sample: IN_PROGRESS
    progress:
      description: The replication counts; V(null) until the backfill has prepared the images it replicates.
      type: dict
      contains:
        total_replication_count:
          description: The replications the backfill makes (one per image and tag).
          type: int
          sample: 120
        completed_replication_count:
          description: The replications that completed.
          type: int
          sample: 117
        failed_replication_count:
          description: The replications that failed.
          type: int
          sample: 3
        failure_codes:
          description: The distinct failure codes of the failed replications.
          type: list
          elements: str
          sample: [IMAGE_TOO_LARGE]
    failure_code:
      description: Why the backfill failed as a whole (status V(FAILED)); V(null) otherwise.
      type: str
    started_at:
      description: When the backfill started (ISO 8601); V(null) for one predicted in check mode.
      type: str
      sample: "2026-11-29T18:42:49.123000+00:00"
    ended_at:
      description: When the backfill ended (ISO 8601); V(null) while it runs.
      type: str
      sample: "2026-11-29T19:03:10.456000+00:00"
failures:
  description: The replications of the backfill that failed, one per image and tag.
  returned: when O(wait=true), the backfill ended, and not in check mode
  type: list
  elements: dict
  contains:
    repository_name:
      description: The repository of the image.
      type: str
      sample: prod/web
    image_digest:
      description: The image's manifest digest, when the service gives it.
      type: str
      sample: sha256:4bd4f9e8a1c0b7d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6
    image_tag:
      description: The image's tag, when the service gives it.
      type: str
      sample: v1.4.2
    failure_code:
      description: Why the image did not replicate.
      type: str
      sample: IMAGE_TOO_LARGE
    sub_image_failure_codes:
      description: For a manifest list, the distinct failure codes of the images it references; else empty.
      type: list
      elements: str
      sample: []
registry_id:
  description: The source registry (account ID).
  returned: always
  type: str
  sample: "123456789012"
actions:
  description: The writes the task made, or would make in check mode, in words.
  returned: always
  type: list
  elements: str
  sample: ["start a replication backfill to us-west-2 (registry 123456789012)"]
"""

from ansible_collections.ecrkit.registry.plugins.module_utils.ecr import EcrkitModule
from ansible_collections.ecrkit.registry.plugins.module_utils.replication_backfill import ARGUMENT_SPEC
from ansible_collections.ecrkit.registry.plugins.module_utils.replication_backfill import run


def main():
    module = EcrkitModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    run(module)


if __name__ == "__main__":
    main()
