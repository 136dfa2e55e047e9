"""Docs are part of the product: every module's EXAMPLES run, and ansible-doc renders every module."""

import glob
import json
import os
import subprocess
import sys

import boto3
import pytest
import yaml

from ansible_run import ACCESS_KEY, ACCOUNT, FAST_SLEEP, OTHER_ACCOUNT, REGION, run_playbook

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULES = sorted(os.path.basename(path)[:-3] for path in glob.glob(os.path.join(ROOT, "plugins", "modules", "*.py")))


def module_docs(name):
    """DOCUMENTATION, EXAMPLES and RETURN as ansible-doc renders them."""
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-doc"), "--json", f"ecrkit.registry.{name}"]
    proc = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)[f"ecrkit.registry.{name}"]


@pytest.mark.parametrize("name", MODULES)
def test_ansible_doc_renders(name):
    docs = module_docs(name)
    assert docs["doc"]["module"] == name
    assert docs["doc"]["short_description"]
    assert docs["return"], "RETURN is empty"
    assert yaml.safe_load(docs["examples"]), "EXAMPLES is empty"
    # The amazon.aws fragments bring the connection options users set through module_defaults.
    assert {"region", "endpoint_url", "access_key", "profile"} <= set(docs["doc"]["options"])


def seed_a_registry_to_export(endpoint):
    """ecr_registry_info's examples copy the registry elsewhere: give them something to copy."""
    client = boto3.client("ecr", endpoint_url=endpoint.url, region_name=REGION, aws_access_key_id=ACCESS_KEY, aws_secret_access_key="x")
    client.create_repository_creation_template(prefix="quay", appliedFor=["PULL_THROUGH_CACHE"])
    client.create_pull_through_cache_rule(ecrRepositoryPrefix="quay", upstreamRegistryUrl="quay.io")


def seed_images_to_backfill(endpoint):
    """ecr_replication_backfill's examples backfill to us-west-2 and to a DR account's registry: make
    both replication destinations, and give the backfills images to find (one fails to replicate).
    Three reads per status step, so that the backfill to us-west-2 is still running when stopped."""
    client = boto3.client("ecr", endpoint_url=endpoint.url, region_name=REGION, aws_access_key_id=ACCESS_KEY, aws_secret_access_key="x")
    client.put_replication_configuration(replicationConfiguration={"rules": [{"destinations": [
        {"region": "us-west-2", "registryId": ACCOUNT}, {"region": "eu-west-1", "registryId": OTHER_ACCOUNT}]}]})
    images = [{"repositoryName": "prod/web", "imageTag": "v1"}, {"repositoryName": "prod/web", "imageTag": "v0", "fail": "IMAGE_NOT_FOUND"}]
    endpoint.seed_backfill_images(ACCOUNT, REGION, images, reads_per_step=3)


# What a module's examples need in the registry before they run.
SEEDS = {"ecr_registry_info": seed_a_registry_to_export, "ecr_replication_backfill": seed_images_to_backfill}
# The environment of a module's examples: ecr_replication_backfill's wait 30 seconds between reads,
# which FAST_SLEEP scales down (the endpoint moves a backfill on per read, not per second).
ENVIRONMENTS = {"ecr_replication_backfill": FAST_SLEEP}


@pytest.mark.parametrize("name", MODULES)
def test_examples_run_against_the_endpoint(endpoint, name):
    if name in SEEDS:
        SEEDS[name](endpoint)
    tasks = yaml.safe_load(module_docs(name)["examples"])
    run = run_playbook(endpoint.url, tasks, env=ENVIRONMENTS.get(name))
    assert len(run.tasks) == len(tasks)
    assert all(not task.get("failed") for task in run.tasks)
    assert any(task.get("changed") for task in run.tasks), "no example changed anything"


def test_one_module_defaults_group_serves_amazon_aws_too(endpoint):
    """group/ecrkit.registry.aws extends amazon.aws.aws: amazon.aws modules get the same settings."""
    run = run_playbook(endpoint.url, [{"name": "who am I", "amazon.aws.aws_caller_info": {}}])
    assert run[0]["account"] == "123456789012"
    assert [call["operation"] for call in endpoint.calls() if call["service"] == "sts"] == ["GetCallerIdentity"]
