"""The fleet role ecrkit.registry.registry_config: one ecr_registry task per registry (host)."""

import json
import os
import subprocess
import sys

import boto3
import pytest
import yaml

from ansible_run import run_playbook, writes

PROD, BACKUP = "111111111111", "222222222222"
TEMPLATES = [
    {"prefix": "docker-hub", "applied_for": ["PULL_THROUGH_CACHE"], "image_tag_mutability": "IMMUTABLE"},
    {"prefix": "prod", "applied_for": ["REPLICATION"], "image_tag_mutability": "IMMUTABLE"},
]
COMMON = {
    "creation_templates": TEMPLATES,
    "pull_through_rules": [{"ecr_repository_prefix": "ecr-public", "upstream_registry_url": "public.ecr.aws"}],
    "scanning": {"scan_type": "BASIC", "rules": [{"scan_frequency": "SCAN_ON_PUSH", "repository_filters": ["*"]}]},
}
# prod-east replicates to the backup account's registry, also in the play.
TO_BACKUP = {"rules": [{"destinations": [{"region": "eu-west-1", "registry_id": BACKUP}], "repository_filters": ["prod/"]}]}
FLEET = {
    "prod-east": {"access_key": f"AKIA{PROD}", "region": "us-east-1", "baseline": dict(COMMON, replication=TO_BACKUP)},
    "prod-west": {"access_key": f"AKIA{PROD}", "region": "eu-west-1", "baseline": COMMON},
    "backup": {"access_key": f"AKIA{BACKUP}", "region": "eu-west-1", "baseline": COMMON},
}
GRANT = {
    "Sid": f"EcrkitReplicationFrom{PROD}",
    "Effect": "Allow",
    "Principal": {"AWS": f"arn:aws:iam::{PROD}:root"},
    "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
    "Resource": f"arn:aws:ecr:eu-west-1:{BACKUP}:repository/*",
}


def apply_role(endpoint, fleet=None, report=None, **role_vars):
    """Run the role over `fleet` (hosts with access_key, region and baseline); return the PlaybookRun."""
    role_vars = {
        "registry_config_baseline": "{{ baseline }}",
        "registry_config_region": "{{ region }}",
        "registry_config_report": str(report) if report else None,
        **role_vars,
    }
    check = role_vars.pop("check", False)
    expect_ok = role_vars.pop("expect_ok", True)
    role = {"name": "registry baseline", "ansible.builtin.import_role": {"name": "ecrkit.registry.registry_config"}, "vars": role_vars}
    return run_playbook(endpoint.url, [role], inventory=fleet or FLEET, check=check, diff=check, expect_ok=expect_ok)


def ecr(endpoint, host, fleet=None):
    settings = (fleet or FLEET)[host]
    return boto3.client(
        "ecr", endpoint_url=endpoint.url, region_name=settings["region"], aws_access_key_id=settings["access_key"], aws_secret_access_key="x"
    )


def changed_hosts(run):
    return sorted(host for host, results in run.results.items() if any(result.get("changed") for result in results if "report" not in result["name"]))


def task(run, host, name):
    return next(result for result in run.results[host] if result["name"].endswith(name))


def registry_result(run, host):
    """ecr_registry's result for `host`: the apply when it ran, else the plan (check mode)."""
    applied = task(run, host, "Apply the registry configuration")
    return task(run, host, "Plan the registry configuration (reads only)") if applied.get("skipped") else applied


def read_report(path):
    with open(f"{path}.json", encoding="utf-8") as handle:
        data = json.load(handle)
    with open(f"{path}.md", encoding="utf-8") as handle:
        return data, handle.read()


def test_role_applies_reports_drift_and_overrides(endpoint, tmp_path):
    out_of_scope = {"Version": "2012-10-17", "Statement": [dict(GRANT, Sid="SomeoneElses", Resource=f"arn:aws:ecr:us-east-1:{PROD}:repository/*")]}
    ecr(endpoint, "prod-east").put_registry_policy(policyText=json.dumps(out_of_scope))
    endpoint.clear_calls()

    first = apply_role(endpoint, registry_config_pair_replication=True)
    assert changed_hosts(first) == ["backup", "prod-east", "prod-west"]
    # No baseline declares a policy for prod-east, so its policy was neither read nor written.
    assert [c for c in endpoint.calls() if "RegistryPolicy" in c["operation"] and (c["account"], c["region"]) == (PROD, "us-east-1")] == []
    for host in FLEET:
        client = ecr(endpoint, host)
        templates = client.describe_repository_creation_templates()["repositoryCreationTemplates"]
        assert [(t["prefix"], t["imageTagMutability"]) for t in templates] == [("docker-hub", "IMMUTABLE"), ("prod", "IMMUTABLE")]
        assert client.describe_pull_through_cache_rules()["pullThroughCacheRules"][0]["upstreamRegistryUrl"] == "public.ecr.aws"
        assert client.get_registry_scanning_configuration()["scanningConfiguration"]["rules"][0]["scanFrequency"] == "SCAN_ON_PUSH"
    rules = ecr(endpoint, "prod-east").describe_registry()["replicationConfiguration"]["rules"]
    assert rules[0]["destinations"] == [{"region": "eu-west-1", "registryId": BACKUP}]
    # Pair replication: the destination's policy lets the source account replicate into it.
    assert json.loads(ecr(endpoint, "backup").get_registry_policy()["policyText"])["Statement"] == [GRANT]
    assert json.loads(ecr(endpoint, "prod-east").get_registry_policy()["policyText"]) == out_of_scope

    endpoint.clear_calls()
    assert changed_hosts(apply_role(endpoint, registry_config_pair_replication=True)) == []
    assert writes(endpoint.calls()) == []

    # Out of band, a console user deletes a template of prod-west, changes the other one, and narrows scan on push.
    client = ecr(endpoint, "prod-west")
    client.delete_repository_creation_template(prefix="docker-hub")
    client.update_repository_creation_template(prefix="prod", imageTagMutability="MUTABLE")
    client.put_registry_scanning_configuration(scanType="BASIC", rules=[
        {"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [{"filter": "prod/*", "filterType": "WILDCARD"}]}])
    endpoint.clear_calls()
    report = tmp_path / "drift"
    dry_run = apply_role(endpoint, report=report, check=True, registry_config_pair_replication=True)
    assert changed_hosts(dry_run) == ["prod-west"]
    assert writes(endpoint.calls()) == []
    data, markdown = read_report(report)
    assert data["check_mode"] is True and data["state"] == "merged"
    assert data["summary"] == {"registries": 3, "changed": 1, "unchanged": 2, "failed": 0}
    assert data["registries"][2] == {
        "host": "prod-west",
        "account": PROD,
        "region": "eu-west-1",
        "status": "changed",
        "sections": {"creation_templates": {"added": 1, "removed": 0, "changed": 1}, "scanning": {"added": 0, "removed": 0, "changed": 1}},
        "actions": registry_result(dry_run, "prod-west")["actions"],
        "msg": None,
    }
    assert [(e["host"], e["status"], e["sections"]) for e in data["registries"][:2]] == [("backup", "unchanged", {}), ("prod-east", "unchanged", {})]
    assert "Drift report (check mode)" in markdown
    assert f"| prod-west | {PROD} | eu-west-1 | changed | creation_templates: 1 added, 1 changed; scanning: 1 changed |  |" in markdown
    assert f"| backup | {BACKUP} | eu-west-1 | unchanged |  |  |" in markdown

    # overridden makes each section of the baseline exactly what it declares.
    ecr(endpoint, "backup").create_repository_creation_template(prefix="undeclared", appliedFor=["REPLICATION"])
    overridden = apply_role(endpoint, registry_config_state="overridden")
    assert changed_hosts(overridden) == ["backup", "prod-west"]
    templates = ecr(endpoint, "backup").describe_repository_creation_templates()["repositoryCreationTemplates"]
    assert [t["prefix"] for t in templates] == ["docker-hub", "prod"]
    assert ecr(endpoint, "prod-west").describe_repository_creation_templates()["repositoryCreationTemplates"][1]["imageTagMutability"] == "IMMUTABLE"
    # The policies were not in the baseline: overridden left them alone.
    assert json.loads(ecr(endpoint, "backup").get_registry_policy()["policyText"])["Statement"] == [GRANT]


def test_failed_hosts_are_reported_and_hosts_sharing_a_registry_are_refused(endpoint, tmp_path):
    misspelt = {"creation_templates": [{"prefx": "prod", "applied_for": ["REPLICATION"]}]}
    fleet = {
        "good": {"access_key": f"AKIA{PROD}", "region": "us-east-1", "baseline": COMMON},
        "typo": {"access_key": f"AKIA{BACKUP}", "region": "us-east-1", "baseline": misspelt},
        # Two hosts, one registry (same account and region): both refused, neither writes. twin-b's
        # plan reads only a registry policy, which does not exist: STS names its account.
        "twin-a": {"access_key": "AKIA333333333333", "region": "eu-west-1", "baseline": COMMON},
        "twin-b": {"access_key": "AKIA333333333333", "region": "eu-west-1", "baseline": {"registry_policy": {"Statement": [GRANT]}}},
    }
    report = tmp_path / "fleet"
    run = apply_role(endpoint, fleet=fleet, report=report, expect_ok=False)

    assert not run.ok
    assert changed_hosts(run) == ["good"]
    ecr_calls = [call for call in endpoint.calls() if call["service"] == "ecr"]
    assert {call["account"] for call in writes(ecr_calls)} == {PROD}
    # The misspelt key fails in the module's argument spec, before any ECR call; the twins only read.
    assert [call for call in ecr_calls if call["account"] == BACKUP] == []
    assert [call for call in writes(ecr_calls) if call["account"] == "333333333333"] == []
    assert ecr(endpoint, "twin-a", fleet).describe_repository_creation_templates()["repositoryCreationTemplates"] == []
    assert [call["account"] for call in endpoint.calls() if call["operation"] == "GetCallerIdentity"] == ["333333333333"]
    for host in ("typo", "twin-a", "twin-b"):
        assert run.results[host][-1]["failed"] is True, host

    data, markdown = read_report(report)
    assert data["summary"] == {"registries": 4, "changed": 1, "unchanged": 0, "failed": 3}
    entries = {entry["host"]: entry for entry in data["registries"]}
    assert entries["good"]["status"] == "changed"
    assert entries["typo"]["status"] == "failed"
    assert "prefx" in entries["typo"]["msg"]
    assert entries["twin-a"]["msg"].startswith("Registry 333333333333 in eu-west-1 is also the registry of twin-b in this play")
    assert "twin-a" in entries["twin-b"]["msg"]
    # It failed before any read named its account.
    assert "| typo |  | us-east-1 | failed |  | creation_templates[0]: missing required arguments: prefix; unsupported parameters: prefx." in markdown
    assert "| twin-b | 333333333333 | eu-west-1 | failed |  | Registry 333333333333 in eu-west-1 is also the registry of twin-a" in markdown


def test_a_host_that_left_the_play_is_reported_failed_despite_its_earlier_results(endpoint, tmp_path):
    fleet = {host: FLEET[host] for host in ("prod-west", "backup")}
    report = tmp_path / "fleet"

    def role(**extra):
        role_vars = {"registry_config_baseline": "{{ baseline }}", "registry_config_region": "{{ region }}", **extra}
        return {"name": "registry baseline", "ansible.builtin.include_role": {"name": "ecrkit.registry.registry_config"}, "vars": role_vars}

    # The first run of the role plans both hosts; backup then leaves the play, its plan left behind.
    leave = {"name": "A later task fails backup", "ansible.builtin.fail": {"msg": "not today"}, "when": "inventory_hostname == 'backup'"}
    run = run_playbook(endpoint.url, [role(), leave, role(registry_config_report=str(report))], inventory=fleet, check=True, diff=True,
                       expect_ok=False)
    assert not run.ok
    data, _markdown = read_report(report)
    assert [(entry["host"], entry["status"]) for entry in data["registries"]] == [("backup", "failed"), ("prod-west", "changed")]
    assert data["registries"][0]["msg"] == "failed before the registry task; see the play output"


def ansible_doc(kind, name):
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-doc"), "-t", kind, "--json", f"ecrkit.registry.{name}"]
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)[f"ecrkit.registry.{name}"]


@pytest.mark.parametrize("name", ["fleet_registries", "same_registry_hosts", "with_replication_grants", "fleet_report", "fleet_report_markdown"])
def test_fleet_filter_docs_render(name):
    docs = ansible_doc("filter", name)
    assert docs["doc"]["name"] == name and docs["doc"]["version_added"] == "0.1.0"
    assert yaml.safe_load(docs["examples"]) and docs["return"]["_value"]["description"]


def test_role_argument_spec_documents_every_variable_since_0_1_0():
    main = ansible_doc("role", "registry_config")["entry_points"]["main"]
    assert main["version_added"] == "0.1.0"
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "roles", "registry_config", "defaults", "main.yml"), encoding="utf-8") as handle:
        defaults = yaml.safe_load(handle)
    assert set(defaults) | {"registry_config_baseline", "registry_config_region"} == set(main["options"])
    assert all(option["description"] for option in main["options"].values())
