"""What the endpoint remembers, kept per (account, region) as ECR keeps registry settings.

Each account has one private registry per region, and the replication configuration, registry
policy, creation templates, pull through cache rules, scanning and signing configurations, account
settings, pull time update exclusions and replication backfills all belong to that registry: a put
in us-east-1 is invisible from eu-west-1 or from another account.
"""

import copy
import threading
import time
from dataclasses import dataclass, field


def now():
    """A timestamp as ECR returns it: epoch seconds, with milliseconds."""
    return round(time.time(), 3)


# What a registry that never called PutAccountSetting reads. ECR user guide: "All new customer registries
# are opted into" AWS native basic scanning (image-scanning-basic); "The V2 version is the default registry
# policy scope" (registry-permissions); blob mounting is off until you "choose Enable" (blob-mounting).
DEFAULT_ACCOUNT_SETTINGS = {"BASIC_SCAN_TYPE_VERSION": "AWS_NATIVE", "REGISTRY_POLICY_SCOPE": "V2", "BLOB_MOUNTING": "DISABLED"}


def _default_scanning():
    """A registry that never put a scanning configuration scans BASIC with no rules."""
    return {"scanType": "BASIC", "rules": []}


@dataclass
class Registry:
    """One private registry. Policies are kept parsed; templates and rules by prefix.

    `backfill_images` are the images a replication backfill will find (seeded through the control
    API, as the endpoint stores no images); each backfill status step takes `backfill_reads_per_step`
    List/Describe reads of that backfill, and `backfill_failure`, when set, fails the backfills
    started afterwards with that failure code (see backfill.py).
    """

    replication_rules: list = field(default_factory=list)
    registry_policy: dict = None
    templates: dict = field(default_factory=dict)
    pull_through_rules: dict = field(default_factory=dict)
    scanning_configuration: dict = field(default_factory=_default_scanning)
    account_settings: dict = field(default_factory=lambda: dict(DEFAULT_ACCOUNT_SETTINGS))
    signing_configuration: dict = None
    pull_time_exclusions: dict = field(default_factory=dict)  # principal ARN -> createdAt
    backfills: dict = field(default_factory=dict)  # replicationBackfillId -> backfill record
    backfill_images: list = field(default_factory=list)
    backfill_reads_per_step: int = 1
    backfill_failure: str = None

    def dump(self):
        """Everything as stored (policies parsed), for the /_control/state debug view."""
        return {
            "replicationConfiguration": {"rules": self.replication_rules},
            "registryPolicy": self.registry_policy,
            "repositoryCreationTemplates": self.templates,
            "pullThroughCacheRules": self.pull_through_rules,
            "scanningConfiguration": self.scanning_configuration,
            "accountSettings": self.account_settings,
            "signingConfiguration": self.signing_configuration,
            "pullTimeUpdateExclusions": self.pull_time_exclusions,
            "replicationBackfills": self.backfills,
            "backfillImages": {
                "images": self.backfill_images, "readsPerStep": self.backfill_reads_per_step, "failure": self.backfill_failure,
            },
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
