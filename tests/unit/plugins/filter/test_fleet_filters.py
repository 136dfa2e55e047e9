"""Pure logic of the fleet filters: same-registry hosts, replication grants, the fleet report."""

import json

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.ecrkit.registry.plugins.filter.fleet_registries import fleet_registries
from ansible_collections.ecrkit.registry.plugins.filter.fleet_report import drift
from ansible_collections.ecrkit.registry.plugins.filter.fleet_report import fleet_report
from ansible_collections.ecrkit.registry.plugins.filter.fleet_report_markdown import fleet_report_markdown
from ansible_collections.ecrkit.registry.plugins.filter.same_registry_hosts import same_registry_hosts
from ansible_collections.ecrkit.registry.plugins.filter.with_replication_grants import with_replication_grants

PROD, BACKUP = "111111111111", "222222222222"


def registry(host, account, region, *destinations):
    rules = [{"destinations": [{"region": r, "registry_id": a} for a, r in destinations]}] if destinations else None
    return {"host": host, "account": account, "region": region, "replication_rules": rules}


def test_fleet_registries_reads_each_hosts_registry_from_what_the_role_registered():
    rules = [{"destinations": [{"region": "eu-west-1", "registry_id": BACKUP}], "repository_filters": ["prod/"]}]
    hostvars = {
        "prod": {"registry_config_plan": {"registry_id": PROD, "region": "us-east-1", "after": {"replication": {"rules": rules}}}},
        # Nothing read named the account: STS did.
        "named-by-sts": {
            "registry_config_plan": {"registry_id": None, "region": "eu-west-1", "after": {"creation_templates": []}},
            "registry_config_caller": {"account": BACKUP},
        },
        # Nothing named it and nothing needed it.
        "unnamed": {"registry_config_plan": {"registry_id": None, "region": "eu-west-1"}, "registry_config_caller": {"skipped": True}},
        "plan-failed": {"registry_config_plan": {"failed": True, "msg": "AccessDenied"}},
        "never-planned": {},
    }
    assert fleet_registries(hostvars, list(hostvars)) == [
        {"host": "prod", "account": PROD, "region": "us-east-1", "replication_rules": rules},
        {"host": "named-by-sts", "account": BACKUP, "region": "eu-west-1", "replication_rules": None},
        {"host": "unnamed", "account": None, "region": "eu-west-1", "replication_rules": None},
    ]
    assert fleet_registries(hostvars, ["prod"])[0]["host"] == "prod"


def test_same_registry_hosts_lists_each_host_with_the_others_on_its_registry():
    fleet = [
        registry("a", PROD, "eu-west-1"),
        registry("b", PROD, "eu-west-1"),
        registry("c", PROD, "us-east-1"),
        registry("d", BACKUP, "eu-west-1"),
        registry("e", PROD, "eu-west-1"),
    ]
    assert same_registry_hosts(fleet) == {"a": ["b", "e"], "b": ["a", "e"], "e": ["a", "b"]}
    assert same_registry_hosts(fleet[2:4]) == {}


def test_grants_go_to_the_destination_in_the_fleet_once_per_source_account():
    fleet = [
        registry("prod-eu", PROD, "eu-west-1", (BACKUP, "eu-central-1"), (PROD, "us-east-1")),
        registry("prod-us", PROD, "us-east-1", (BACKUP, "eu-central-1")),
        registry("backup", BACKUP, "eu-central-1"),
    ]
    config = with_replication_grants({"replication": {"rules": []}}, fleet, "backup")
    assert config == {
        "replication": {"rules": []},
        "registry_policy": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": f"EcrkitReplicationFrom{PROD}",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{PROD}:root"},
                    "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
                    "Resource": f"arn:aws:ecr:eu-central-1:{BACKUP}:repository/*",
                }
            ],
        },
    }
    # Same-account replication (prod-eu -> prod-us) needs no policy; a source gets none either.
    assert with_replication_grants({}, fleet, "prod-us") == {}
    assert with_replication_grants({}, fleet, "prod-eu") == {}


def test_grants_need_the_destination_region_and_a_host_in_the_play():
    fleet = [registry("prod", PROD, "eu-west-1", (BACKUP, "us-east-1")), registry("backup", BACKUP, "eu-central-1")]
    assert with_replication_grants({}, fleet, "backup") == {}
    assert with_replication_grants({}, fleet, "not-in-play") == {}


def test_grants_merge_by_sid_into_a_declared_policy_and_the_declared_statement_wins():
    fleet = [
        registry("prod", PROD, "cn-north-1", (BACKUP, "cn-north-1")),
        registry("other", "333333333333", "eu-west-1", (BACKUP, "cn-north-1")),
        registry("backup", BACKUP, "cn-north-1"),
    ]
    mine = {"Sid": f"EcrkitReplicationFrom{PROD}", "Effect": "Deny", "Principal": "*", "Action": "ecr:*", "Resource": "*"}
    team = {"Sid": "Team", "Effect": "Allow", "Principal": "*", "Action": "ecr:BatchGetImage", "Resource": "*"}
    config = with_replication_grants({"registry_policy": json.dumps({"Version": "2012-10-17", "Statement": [team, mine]})}, fleet, "backup")
    statements = config["registry_policy"]["Statement"]
    assert [s["Sid"] for s in statements] == ["Team", f"EcrkitReplicationFrom{PROD}", "EcrkitReplicationFrom333333333333"]
    assert statements[1] == mine
    assert statements[2]["Resource"] == f"arn:aws-cn:ecr:cn-north-1:{BACKUP}:repository/*"
    assert statements[2]["Principal"] == {"AWS": "arn:aws-cn:iam::333333333333:root"}


def test_grants_by_state():
    fleet = [registry("prod", PROD, "eu-west-1", (BACKUP, "eu-west-1")), registry("backup", BACKUP, "eu-west-1")]
    assert with_replication_grants({}, fleet, "backup", state="deleted") == {}
    assert with_replication_grants({}, fleet, "backup", state="gathered") == {}
    assert "registry_policy" in with_replication_grants({}, fleet, "backup", state="replaced")
    declared = {"registry_policy": {"Statement": []}}
    assert len(with_replication_grants(declared, fleet, "backup", state="overridden")["registry_policy"]["Statement"]) == 1
    with pytest.raises(AnsibleFilterError, match=r"host backup needs replication grants \(EcrkitReplicationFrom111111111111\).*overridden"):
        with_replication_grants({}, fleet, "backup", state="overridden")
    with pytest.raises(AnsibleFilterError, match="not valid JSON"):
        with_replication_grants({"registry_policy": "{"}, fleet, "backup")


STATEMENT = {"Sid": "A", "Effect": "Allow", "Principal": "*", "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "Resource": "*"}
RULE = {"destinations": [{"region": "us-west-2", "registry_id": PROD}], "repository_filters": ["prod/"]}


def test_drift_counts_items_per_section_by_key():
    before = {
        "registry_policy": {"Version": "2012-10-17", "Statement": [STATEMENT]},
        "replication": {"rules": [RULE]},
        "creation_templates": [{"prefix": "a", "applied_for": ["REPLICATION"]}, {"prefix": "b", "applied_for": ["REPLICATION"]}],
        "pull_through_rules": [{"ecr_repository_prefix": "hub", "upstream_registry_url": "registry-1.docker.io"}],
    }
    reordered = dict(STATEMENT, Action=list(reversed(STATEMENT["Action"])))
    after = {
        "registry_policy": {"Version": "2012-10-17", "Statement": [dict(STATEMENT, Sid="B"), reordered]},
        "replication": {"rules": [RULE, dict(RULE, repository_filters=["dev/"])]},
        "creation_templates": [{"prefix": "a", "applied_for": ["PULL_THROUGH_CACHE"]}],
        "pull_through_rules": [{"ecr_repository_prefix": "hub", "upstream_registry_url": "registry-1.docker.io"}],
    }
    assert drift(before, after) == {
        "registry_policy": {"added": 1, "removed": 0, "changed": 0},
        "replication": {"added": 1, "removed": 0, "changed": 0},
        "creation_templates": {"added": 0, "removed": 1, "changed": 1},
    }
    assert drift({"registry_policy": None}, {"registry_policy": {"Statement": [STATEMENT]}}) == {
        "registry_policy": {"added": 1, "removed": 0, "changed": 0}
    }
    assert drift(after, after) == {}


def test_drift_counts_the_items_of_the_newer_sections():
    scanner, backup = "arn:aws:iam::111111111111:role/scanner", "arn:aws:iam::111111111111:role/backup"
    on_push = {"scan_frequency": "SCAN_ON_PUSH", "repository_filters": ["*"]}
    before = {
        "scanning": {"scan_type": "BASIC", "rules": [on_push]},
        "account_settings": {"BLOB_MOUNTING": "DISABLED", "REGISTRY_POLICY_SCOPE": "V2"},
        "signing": {"rules": []},
        "pull_time_update_exclusions": [scanner, backup],
    }
    after = {
        "scanning": {"scan_type": "ENHANCED", "rules": [on_push, {"scan_frequency": "CONTINUOUS_SCAN", "repository_filters": ["prod/*"]}]},
        "account_settings": {"BLOB_MOUNTING": "ENABLED", "REGISTRY_POLICY_SCOPE": "V2"},
        "signing": {"rules": [{"signing_profile_arn": "arn:aws:signer:us-east-1:111111111111:/signing-profiles/p", "repository_filters": []}]},
        "pull_time_update_exclusions": [scanner],
    }
    assert drift(before, after) == {
        "scanning": {"added": 1, "removed": 0, "changed": 1},
        "account_settings": {"added": 0, "removed": 0, "changed": 1},
        "signing": {"added": 1, "removed": 0, "changed": 0},
        "pull_time_update_exclusions": {"added": 0, "removed": 1, "changed": 0},
    }


def test_fleet_report_and_its_markdown():
    hostvars = {
        "b": {
            "registry_config_failure": None,
            "registry_config_plan": {"changed": True, "actions": ["stale"], "before": {}, "after": {}, "registry_id": BACKUP, "region": "eu-west-1"},
            "registry_config_apply": {
                "changed": True,
                "actions": ["put replication configuration"],
                "before": {"replication": {"rules": [RULE]}},
                "after": {"replication": {"rules": []}},
            },
        },
        "a": {
            "registry_config_failure": None,
            # Every section read was empty: STS named the account.
            "registry_config_plan": {"changed": False, "actions": [], "before": {}, "after": {}, "registry_id": None, "region": "us-east-1"},
            "registry_config_caller": {"account": PROD},
            "registry_config_apply": {"skipped": True, "changed": False},
        },
        "c": {"registry_config_failure": {"msg": "AccessDenied | no\nway", "region": "us-west-2"}},
        "d": {},
    }
    report = fleet_report(hostvars, ["b", "a", "c", "d"], check_mode=True)
    assert report["summary"] == {"registries": 4, "changed": 1, "unchanged": 1, "failed": 2}
    assert [(e["host"], e["status"]) for e in report["registries"]] == [("a", "unchanged"), ("b", "changed"), ("c", "failed"), ("d", "failed")]
    assert report["registries"][1]["sections"] == {"replication": {"added": 0, "removed": 1, "changed": 0}}
    assert report["registries"][1]["actions"] == ["put replication configuration"]
    assert [(e["account"], e["region"]) for e in report["registries"][:2]] == [(PROD, "us-east-1"), (BACKUP, "eu-west-1")]
    assert report["registries"][2] == {
        "host": "c", "account": None, "region": "us-west-2", "status": "failed", "sections": {}, "actions": [], "msg": "AccessDenied | no\nway"
    }
    # A host that left the play earlier is failed, whatever its old results say.
    left = fleet_report(hostvars, ["a", "b"], active=["b"])["registries"][0]
    assert (left["host"], left["status"], left["account"]) == ("a", "failed", PROD)
    assert [e["status"] for e in fleet_report(hostvars, ["a", "b"], active=["a", "b"])["registries"]] == ["unchanged", "changed"]
    markdown = fleet_report_markdown(report)
    assert "Drift report (check mode)" in markdown
    assert "4 registries: 1 changed, 1 unchanged, 2 failed." in markdown
    assert f"| b | {BACKUP} | eu-west-1 | changed | replication: 1 removed |  |" in markdown
    assert "| c |  | us-west-2 | failed |  | AccessDenied \\| no way |" in markdown
    assert "failed before the registry task" in markdown
