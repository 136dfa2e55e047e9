"""The reads a fleet's no-op drift check needs, with bare boto3: the fleet benchmark's yardstick.

tests/benchmark_fleet.py calls read_registries in its own process, and runs this file as a script
of its own (the endpoint URL and the hosts as JSON on stdin), so both ways make the same calls.
"""

import json
import sys

import boto3


def read_registries(endpoint_url, hosts):
    """For each host ({region, access_key, settings}): the registry policy, replication, templates and
    rules; with account settings named in `settings` (the newer sections declared), those settings,
    the scanning and signing configurations and the pull time update exclusions too."""
    for host in hosts:
        ecr = boto3.client(
            "ecr", endpoint_url=endpoint_url, region_name=host["region"], aws_access_key_id=host["access_key"], aws_secret_access_key="x"
        )
        try:
            ecr.get_registry_policy()
        except ecr.exceptions.RegistryPolicyNotFoundException:
            pass
        ecr.describe_registry()
        for _page in ecr.get_paginator("describe_repository_creation_templates").paginate():
            pass
        for _page in ecr.get_paginator("describe_pull_through_cache_rules").paginate():
            pass
        if host.get("settings"):
            read_newer_sections(ecr, host["settings"])


def read_newer_sections(ecr, settings):
    ecr.get_registry_scanning_configuration()
    for name in settings:
        ecr.get_account_setting(name=name)
    try:
        ecr.get_signing_configuration()
    except ecr.exceptions.SigningConfigurationNotFoundException:
        pass
    token = None
    while True:
        token = ecr.list_pull_time_update_exclusions(**({"nextToken": token} if token else {})).get("nextToken")
        if not token:
            return


if __name__ == "__main__":
    read_registries(*json.load(sys.stdin))
