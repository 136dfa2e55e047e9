"""Figures, not assertions: API calls and seconds per task for each module, against the local endpoint.

    .venv/ansible-12-py3.11/bin/python tests/benchmark.py [--repeat N]

For each module it runs a task that creates the resource, the same task again (a no-op), the no-op
in check mode, and the no-op with the first two calls throttled; it prints how many API calls each
run made (reads and writes, from the endpoint's call log) and how long ansible-playbook took. The
registry holds other resources too (20 templates and rules, pages of 2), as a real one does.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "integration")]

import boto3  # noqa: E402  (after the path set-up above)
from ansible_run import ACCESS_KEY, REGION, run_playbook  # noqa: E402
from ecr_endpoint import EcrEndpoint  # noqa: E402

BENCH_STATEMENT = {
    "Sid": "Bench",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
    "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
    "Resource": "*",
}
KEEP_FIVE = {"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 5}, "action": {"type": "expire"}}
TASKS = {
    "ecr_registry_policy": {"statements": [BENCH_STATEMENT]},
    "ecr_replication": {"rules": [{"destinations": [{"region": "us-west-2"}], "repository_filters": ["prod/"]}]},
    "ecr_creation_template": {
        "prefix": "bench",
        "applied_for": ["PULL_THROUGH_CACHE"],
        "image_tag_mutability": "IMMUTABLE",
        "lifecycle_policy": {"rules": [KEEP_FIVE]},
    },
    "ecr_pull_through_rule": {"ecr_repository_prefix": "bench", "upstream_registry_url": "public.ecr.aws"},
    "ecr_registry_scanning": {"scan_type": "ENHANCED", "rules": [{"scan_frequency": "CONTINUOUS_SCAN", "repository_filters": ["prod/*"]}]},
    "ecr_account_setting": {"name": "BLOB_MOUNTING", "value": "ENABLED"},
    "ecr_signing_configuration": {"rules": [{"signing_profile_arn": "arn:aws:signer:us-east-1:123456789012:/signing-profiles/bench"}]},
    "ecr_pull_time_update_exclusion": {"principal_arns": ["arn:aws:iam::123456789012:role/bench"]},
}


def seed(endpoint):
    """Other templates and rules in the registry, so reads are not of an empty registry."""
    ecr = boto3.client("ecr", endpoint_url=endpoint.url, region_name=REGION, aws_access_key_id=ACCESS_KEY, aws_secret_access_key="x")
    for index in range(20):
        ecr.create_repository_creation_template(prefix=f"team{index}", appliedFor=["REPLICATION"])
        ecr.create_pull_through_cache_rule(ecrRepositoryPrefix=f"cache{index}", upstreamRegistryUrl="public.ecr.aws")
        ecr.register_pull_time_update_exclusion(principalArn=f"arn:aws:iam::123456789012:role/team{index}")


def measure(endpoint, name, check=False, throttle=0):
    """(reads, writes, seconds) of one ansible-playbook run of the module's task."""
    endpoint.clear_calls()
    if throttle:
        endpoint.inject_fault("throttle", throttle)
    started = time.monotonic()
    run_playbook(endpoint.url, [{"name": name, f"ecrkit.registry.{name}": TASKS[name]}], check=check)
    seconds = time.monotonic() - started
    calls = endpoint.calls()
    return sum(not c["write"] for c in calls), sum(c["write"] for c in calls), seconds


def measure_all(repeat):
    """{module: {run label: (reads, writes, median seconds)}}."""
    endpoint = EcrEndpoint(page_size=2)
    endpoint.start()
    seed(endpoint)
    rows = {}
    try:
        for name in TASKS:
            rows[name] = {"create": measure(endpoint, name)}
            for label, options in (("no-op", {}), ("no-op --check", {"check": True}), ("no-op, 2 throttled", {"throttle": 2})):
                runs = [measure(endpoint, name, **options) for _run in range(repeat)]
                rows[name][label] = (runs[0][0], runs[0][1], statistics.median(r[2] for r in runs))
    finally:
        endpoint.stop()
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measure (median seconds); default 3")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ecrkit-bench-") as collections:
        # ansible-playbook finds this checkout as the collection ecrkit.registry.
        os.makedirs(os.path.join(collections, "ansible_collections", "ecrkit"))
        os.symlink(os.path.dirname(HERE), os.path.join(collections, "ansible_collections", "ecrkit", "registry"))
        os.environ["ANSIBLE_COLLECTIONS_PATH"] = collections
        rows = measure_all(args.repeat)

    print(f"API calls (reads/writes) and seconds per ansible-playbook run; median of {args.repeat} runs; page size 2, 20 other resources")
    labels = list(next(iter(rows.values())))
    print(f"{'module':<32}" + "".join(f"{label:>22}" for label in labels))
    for name, row in rows.items():
        cells = "".join(f"{f'{r}r/{w}w {s:5.2f}s':>22}" for r, w, s in (row[label] for label in labels))
        print(f"{name:<32}{cells}")


if __name__ == "__main__":
    main()
