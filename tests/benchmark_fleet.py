"""Figures, not assertions: a fleet's no-op `--check --diff` run three ways, against the local endpoint.

    .venv/ansible-12-py3.11/bin/python tests/benchmark_fleet.py [--accounts 5] [--regions 2] [--repeat 3] [--all-sections]

N registries (accounts x regions; default 5 x 2 = 10), each holding 2 registry policy statements,
3 replication rules, 10 repository creation templates and 6 pull through cache rules (with
--all-sections also a scanning configuration, an account setting, a signing rule and 2 pull time
update exclusions), and a baseline equal to what they hold. With forks = N it times the no-op `--check --diff` run of
  (a) per-module tasks: one task per item (policy, replication, each template, each rule), as the
      role did before ecr_registry;
  (b) the role ecrkit.registry.registry_config (one ecr_registry task per registry);
  (c) bare boto3: the same reads in one Python process, one client per registry, one after another;
and, for scale,
  (c') the same reads as a script in its own Python process (interpreter start and boto3 import included);
  (p) ansible-playbook's floor: one ansible.builtin.ping task per host, nothing of ours;
and prints seconds (median of --repeat runs), API calls from the endpoint's call log, the ratios
a/b and b/c, and ECR reads per section per registry.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "integration")]

from ansible_run import run_playbook  # noqa: E402  (after the path set-up above)
from ecr_endpoint import EcrEndpoint  # noqa: E402
from fleet_reads import read_registries  # noqa: E402

REGIONS = ["us-east-1", "eu-west-1", "ap-south-1", "us-west-2"]
SECTION_OF = {
    "GetRegistryPolicy": "registry_policy",
    "DescribeRegistry": "replication",
    "DescribeRepositoryCreationTemplates": "creation_templates",
    "DescribePullThroughCacheRules": "pull_through_rules",
    "GetRegistryScanningConfiguration": "scanning",
    "GetAccountSetting": "account_settings",
    "GetSigningConfiguration": "signing",
    "ListPullTimeUpdateExclusions": "pull_time_update_exclusions",
}
UPSTREAMS = ["public.ecr.aws", "registry.k8s.io", "quay.io"]
# Environment of every ansible-playbook run: forks are set per run; pipelining saves a file copy per task.
ANSIBLE_ENV = {"ANSIBLE_PIPELINING": "true"}


def fleet(accounts, regions):
    """{host: {access_key, region, account}}: account i in each of the first `regions` regions."""
    hosts = {}
    for index in range(accounts):
        account = f"{index + 1:012d}"
        for region in REGIONS[:regions]:
            hosts[f"{account}-{region}"] = {"access_key": f"AKIA{account}", "region": region, "account": account}
    return hosts


def baseline(account, region, other_account):
    """The configuration a registry holds and declares: 2 statements, 3 rules, 10 templates, 6 rules."""
    other_region = next(r for r in REGIONS if r != region)
    return {
        "registry_policy": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": f"Replicate{other}",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{other}:root"},
                    "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
                    "Resource": f"arn:aws:ecr:{region}:{account}:repository/*",
                }
                for other in ("999999999991", "999999999992")
            ],
        },
        "replication": {
            "rules": [
                {"destinations": [{"region": other_region, "registry_id": account}], "repository_filters": ["prod/"]},
                {"destinations": [{"region": "us-west-2" if region != "us-west-2" else "us-east-2", "registry_id": account}], "repository_filters": ["dr/"]},
                {"destinations": [{"region": region, "registry_id": other_account}], "repository_filters": ["shared/"]},
            ]
        },
        "creation_templates": [
            {"prefix": f"team{index}", "applied_for": ["REPLICATION", "PULL_THROUGH_CACHE"], "image_tag_mutability": "IMMUTABLE",
             "description": f"team {index}"}
            for index in range(10)
        ],
        "pull_through_rules": [
            {"ecr_repository_prefix": f"cache{index}", "upstream_registry_url": UPSTREAMS[index % len(UPSTREAMS)]} for index in range(6)
        ],
    }


def newer_sections(account, region):
    """--all-sections: what a registry also holds and declares: scanning, a setting, signing, 2 exclusions."""
    return {
        "scanning": {"scan_type": "BASIC", "rules": [{"scan_frequency": "SCAN_ON_PUSH", "repository_filters": ["*"]}]},
        "account_settings": {"BLOB_MOUNTING": "ENABLED"},
        "signing": {"rules": [{"signing_profile_arn": f"arn:aws:signer:{region}:{account}:/signing-profiles/fleet", "repository_filters": ["prod/*"]}]},
        "pull_time_update_exclusions": [f"arn:aws:iam::{account}:role/{role}" for role in ("scanner", "backup")],
    }


# The single modules' tasks for the newer sections, as a user of the per-module way writes them.
NEWER_SECTION_TASKS = [
    {"name": "Scanning", "ecrkit.registry.ecr_registry_scanning": "{{ baseline.scanning }}"},
    {"name": "Account settings", "ecrkit.registry.ecr_account_setting": {"name": "{{ item.key }}", "value": "{{ item.value }}"},
     "loop": "{{ baseline.account_settings | dict2items }}"},
    {"name": "Signing", "ecrkit.registry.ecr_signing_configuration": "{{ baseline.signing }}"},
    {"name": "Pull time update exclusions", "ecrkit.registry.ecr_pull_time_update_exclusion": {
        "principal_arns": "{{ baseline.pull_time_update_exclusions }}", "purge_principal_arns": True}},
]


def seed(endpoint, hosts):
    """Apply each registry's baseline with the single modules (a real run), so the runs measured are no-ops."""
    run_per_module(endpoint, hosts, check=False)


def run_role(endpoint, hosts, check=True):
    role = {
        "name": "registry baseline",
        "ansible.builtin.import_role": {"name": "ecrkit.registry.registry_config"},
        "vars": {"registry_config_baseline": "{{ baseline }}", "registry_config_region": "{{ region }}"},
    }
    return run_playbook(endpoint.url, [role], inventory=hosts, check=check, diff=check, env=dict(ANSIBLE_ENV, ANSIBLE_FORKS=str(len(hosts))))


def item_args(items):
    """Task arguments taking each key of the items from `item` (the keys are the modules' options)."""
    keys = sorted({key for item in items for key in item})
    return {key: f"{{{{ item.{key} | default(omit) }}}}" for key in keys}


def run_per_module(endpoint, hosts, check=True):
    sample = next(iter(hosts.values()))["baseline"]
    tasks = [
        {"name": "Registry policy", "ecrkit.registry.ecr_registry_policy": {"policy": "{{ baseline.registry_policy }}"}},
        {"name": "Replication rules", "ecrkit.registry.ecr_replication": {"rules": "{{ baseline.replication.rules }}"}},
        {
            "name": "Repository creation templates",
            "ecrkit.registry.ecr_creation_template": item_args(sample["creation_templates"]),
            "loop": "{{ baseline.creation_templates }}",
        },
        {
            "name": "Pull through cache rules",
            "ecrkit.registry.ecr_pull_through_rule": item_args(sample["pull_through_rules"]),
            "loop": "{{ baseline.pull_through_rules }}",
        },
    ]
    if "scanning" in sample:
        tasks += NEWER_SECTION_TASKS
    return run_playbook(endpoint.url, tasks, inventory=hosts, check=check, diff=check, env=dict(ANSIBLE_ENV, ANSIBLE_FORKS=str(len(hosts))))


def run_boto3(endpoint, hosts):
    """The reads a no-op needs, for every registry, in this process."""
    read_registries(endpoint.url, [dict(host, settings=sorted(host["baseline"].get("account_settings", {}))) for host in hosts.values()])


def run_boto3_process(endpoint, hosts):
    """The same reads as a script a user would run: a Python process of its own."""
    hosts = [{"region": host["region"], "access_key": host["access_key"], "settings": sorted(host["baseline"].get("account_settings", {}))}
             for host in hosts.values()]
    script = os.path.join(HERE, "fleet_reads.py")
    subprocess.run([sys.executable, script], input=json.dumps([endpoint.url, hosts]), text=True, check=True)


def run_ping(endpoint, hosts):
    """ansible-playbook's own cost for one module task per host: what no role can go below."""
    tasks = [{"name": "Ping", "ansible.builtin.ping": {}}]
    return run_playbook(endpoint.url, tasks, inventory=hosts, check=True, diff=True, env=dict(ANSIBLE_ENV, ANSIBLE_FORKS=str(len(hosts))))


def measure(endpoint, run, hosts, repeat):
    """(median seconds, calls of the first run, changed hosts of the first run)."""
    seconds, calls, changed = [], None, None
    for _index in range(repeat):
        endpoint.clear_calls()
        started = time.monotonic()
        result = run(endpoint, hosts)
        seconds.append(time.monotonic() - started)
        if calls is None:
            calls = endpoint.calls()
            changed = [host for host, tasks in result.results.items() if any(t.get("changed") for t in tasks)] if result else None
    return statistics.median(seconds), calls, changed


def reads_per_section(calls, registries):
    counts = {}
    for call in calls:
        if not call["write"]:
            section = SECTION_OF.get(call["operation"], f"{call['service']}:{call['operation']}")
            counts[section] = counts.get(section, 0) + 1
    return {section: count / registries for section, count in sorted(counts.items())}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=5)
    parser.add_argument("--regions", type=int, default=2, choices=range(1, len(REGIONS) + 1))
    parser.add_argument("--repeat", type=int, default=3, help="runs per way (median seconds); default 3")
    parser.add_argument("--page-size", type=int, default=100, help="the endpoint's page size; default 100, as ECR")
    parser.add_argument("--all-sections", action="store_true", help="registries also hold and declare scanning, an account setting, signing, exclusions")
    args = parser.parse_args()

    hosts = fleet(args.accounts, args.regions)
    accounts = sorted({host["account"] for host in hosts.values()})
    for host in hosts.values():
        other = accounts[(accounts.index(host["account"]) + 1) % len(accounts)] if len(accounts) > 1 else "999999999993"
        host["baseline"] = baseline(host["account"], host["region"], other)
        if args.all_sections:
            host["baseline"].update(newer_sections(host["account"], host["region"]))

    with tempfile.TemporaryDirectory(prefix="ecrkit-bench-") as collections:
        # ansible-playbook finds this checkout as the collection ecrkit.registry.
        os.makedirs(os.path.join(collections, "ansible_collections", "ecrkit"))
        os.symlink(os.path.dirname(HERE), os.path.join(collections, "ansible_collections", "ecrkit", "registry"))
        os.environ["ANSIBLE_COLLECTIONS_PATH"] = collections
        endpoint = EcrEndpoint(page_size=args.page_size)
        endpoint.start()
        try:
            seed(endpoint, hosts)
            ways = {
                "(a) per-module tasks": run_per_module,
                "(b) role on ecr_registry": run_role,
                "(c) bare boto3 reads": run_boto3,
                "(c') boto3 script, own process": run_boto3_process,
                "(p) one ping task per host": run_ping,
            }
            rows = {label: measure(endpoint, way, hosts, args.repeat) for label, way in ways.items()}
        finally:
            endpoint.stop()

    registries = len(hosts)
    print(f"{registries} registries ({args.accounts} accounts x {args.regions} regions), forks {registries}, page size {args.page_size}, "
          f"each 2 statements, 3 rules, 10 templates, 6 pull through rules{' and the newer sections' if args.all_sections else ''}; "
          f"no-op --check --diff; median of {args.repeat} runs")
    print(f"{'way':<32}{'seconds':>9}{'reads':>7}{'writes':>8}  changed hosts")
    for label, (seconds, calls, changed) in rows.items():
        writes = sum(call["write"] for call in calls)
        print(f"{label:<32}{seconds:>9.2f}{len(calls) - writes:>7}{writes:>8}  {len(changed) if changed is not None else '-'}")
    per_module, role, bare, script, ping = (row[0] for row in rows.values())
    print(f"ratios: a/b = {per_module / role:.1f}x (target >= 8x), b/c = {role / bare:.1f}x (target <= 6x)")
    print(f"for scale: b/c' = {role / script:.1f}x; p/c = {ping / bare:.1f}x (ansible-playbook's floor); the role adds b - p = {role - ping:.2f} s")
    print("reads per registry, by section (pages included):")
    for label, (_seconds, calls, _changed) in rows.items():
        print(f"  {label:<30} " + ", ".join(f"{section} {count:g}" for section, count in reads_per_section(calls, registries).items()))


if __name__ == "__main__":
    main()
