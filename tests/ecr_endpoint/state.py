"""What the endpoint remembers, kept per (account, region) as ECR keeps registry settings.

Each account has one private registry per region, and the replication configuration, registry
policy, creation templates and pull through cache rules all belong to that registry: a put in
us-east-1 is invisible from eu-west-1 or from another account.
"""

import copy
import threading
import time
from dataclasses import dataclass, field


def now():
    """A timestamp as ECR returns it: epoch seconds, with milliseconds."""
    return round(time.time(), 3)


@dataclass
class Registry:
    """One private registry. Policies are kept parsed; templates and rules by prefix."""

    replication_rules: list = field(default_factory=list)
    registry_policy: dict = None
    templates: dict = field(default_factory=dict)
    pull_through_rules: dict = field(default_factory=dict)

    def dump(self):
        """Everything as stored (policies parsed), for the /_control/state debug view."""
        return {
            "replicationConfiguration": {"rules": self.replication_rules},
            "registryPolicy": self.registry_policy,
            "repositoryCreationTemplates": self.templates,
            "pullThroughCacheRules": self.pull_through_rules,
        }


class Store:
    """All registries plus the secrets that "exist" in Secrets Manager (for rule validation).

    `lock` serialises API operations: requests arrive on many threads, and an operation reads
    and then writes a registry, which must not interleave.
    """

    def __init__(self):
        self.lock = threading.RLock()
        self._registries = {}
        self.secrets = set()

    def registry(self, account, region):
        return self._registries.setdefault((account, region), Registry())

    def add_secret(self, arn):
        with self.lock:
            self.secrets.add(arn)

    def reset(self):
        with self.lock:
            self._registries.clear()
            self.secrets.clear()

    def dump(self):
        with self.lock:
            registries = {f"{account}/{region}": registry.dump() for (account, region), registry in self._registries.items()}
            return copy.deepcopy({"registries": registries, "secrets": sorted(self.secrets)})


@dataclass
class Context:
    """What a handler knows about its request: the caller, the region, the store, the page size."""

    account: str
    region: str
    store: Store
    page_size: int

    def registry(self, registry_id=None):
        """(registry id, Registry) named by a `registryId` parameter, else the caller's own.

        Naming another account's registry id operates on that account's registry, as far as
        this endpoint is concerned (it checks no cross-account permissions).
        """
        registry_id = registry_id or self.account
        return registry_id, self.store.registry(registry_id, self.region)
