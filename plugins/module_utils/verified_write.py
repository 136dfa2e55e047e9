# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writes that end in a known state although ECR has no conditional write.

Two ways a write can go astray, both handled here, once, for every resource:

- A merge (a write that keeps configuration the task does not own: registry policy statements by
  Sid, replication rules with purge_rules=false, a creation template's fields) sends a whole
  document built from a read. A concurrent writer that read before our write and writes after it
  puts back its own stale copy, and what this task declared is gone. So a merge is verified: after
  a short jittered pause (longer than a write's round trip) it is read again and checked by meaning;
  if something is missing the task is planned again from that fresh read and written again, with
  backoff, up to ATTEMPTS writes; then the task fails naming a concurrent writer as the cause.
- A create whose response was lost is retried by the SDK and finds the item there ("already
  exists"). That is resolved by reading again and planning again: if what is there is what the task
  wanted, the task has converged (changed, not failed); otherwise the fresh plan is written.

Interface (for every resource and the whole-registry module alike):

- `Plan.verify`: None for a write that owns what it writes (nothing to verify), else
  `verify(current) -> str or None`, a pure function of a fresh read (the shape the resource's
  `read` returns) that says in words what the task declared and `current` lacks, or None when all
  of it is there. Compare by meaning, as the plan does.
- `apply(client, plan, reread, replan, write=...)` -> (after, notes): runs `plan.actions` (with
  `write(client, plan) -> after`; by default each action's apply in turn), resolves "already exists",
  verifies. `reread()` makes a fresh read; `replan(current)` plans the same task from it (pure) and
  its `before` must be `current` in the result shape, which is what `apply` returns as `after`
  whenever it read again (the state is the one read back, not the one we sent). `notes` are
  sentences for warnings (a merge redone after a concurrent writer). Raises WriteFailed (what was
  written is in its `after`) when the writes do not stick.

The runner and ecr_registry (registry.py) call this only outside check mode. The guarantee and its limit are in
docs/user-guide.md ("Concurrent writers").
"""

import random
import time

from ansible_collections.ecrkit.registry.plugins.module_utils import ecr

# Writes of one task before it gives up on a merge that concurrent writers keep undoing.
ATTEMPTS = 5
# Pause before the verifying read, in seconds: the first, then doubled per attempt, jittered up to
# twice that so that writers that collided do not collide again.
PAUSE = 1.0
MAX_PAUSE = 8.0


class WriteFailed(ecr.AnsibleEcrError):
    """A task that failed after its writes changed something: `message` says it all (AWS error
    included), `after` is the resource as it now is (result shape), `result` more result keys."""

    def __init__(self, message, after, result=None):
        super().__init__(message=message)
        self.after = after
        self.result = result or {}


def pause(attempt):
    """Seconds to wait before reading a merge back: jittered, doubling per attempt."""
    base = min(PAUSE * 2 ** (attempt - 1), MAX_PAUSE)
    return random.uniform(base, 2 * base)


def run_actions(client, plan):
    after = plan.after
    for action in plan.actions:
        after = action.apply(client)
    return after


def apply(client, plan, reread, replan, attempts=ATTEMPTS, sleep=time.sleep, write=run_actions):
    """Write `plan` until what it declares is there (see the module docstring); -> (after, notes)."""
    notes = []
    after = missing = None
    for attempt in range(1, attempts + 1):
        try:
            after = write(client, plan)
        except ecr.already_exists() as e:
            # Our own earlier attempt (a lost response) or a concurrent creator: see what is there.
            fresh = replan(reread())
            if not fresh.actions:
                return fresh.before, notes
            missing = f"{e.message}: what is there differs from what this task wants"
            notes.append(f"{missing}: another writer created it at the same time; planned again from a fresh read")
            after, plan = fresh.before, fresh
            continue
        if plan.verify is None:
            return after, notes
        sleep(pause(attempt))
        current = reread()
        missing = plan.verify(current)
        fresh = replan(current)
        if missing is None:
            return fresh.before, notes
        after = fresh.before
        if not fresh.actions:
            break  # nothing left to write, yet not all there: do not claim success
        notes.append(f"write {attempt}: {missing} when read back, undone by a concurrent writer; merged again from a fresh read")
        plan = fresh
    raise WriteFailed(
        f"{missing} after {attempt} write(s), each undone by another writer of the same registry at the same time "
        "(ECR has no conditional write, so concurrent merges overwrite each other). Run the tasks that write to one "
        "registry one at a time (throttle: 1, one play per registry, a CI concurrency group) and run this task again.",
        after,
    )
