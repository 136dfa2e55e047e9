"""ecr_registry's verified writes: merged and replaced are read back and merged again after a
concurrent writer, through verified_write and the resources' verify functions; overridden and
deleted are not read back. A fake registry policy client plays the concurrent writer."""

import json

import pytest

from ansible_collections.ecrkit.registry.plugins.module_utils import creation_template
from ansible_collections.ecrkit.registry.plugins.module_utils import verified_write
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import plan_config
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import read_sections
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import validate_config
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import verified_plan
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import verify_sections
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import write_all

from .rival_policy import ACCOUNT
from .rival_policy import SharedPolicy
from .rival_policy import statement

CONTEXT = {"account": ACCOUNT, "region": "us-east-1", "allow_recreate": False, "check_mode": False}


def registry_task(client, state, config):
    declared = validate_config(config, state)
    current, _account = read_sections(client, list(declared))
    return verified_plan(client, state, declared, current, CONTEXT, plan_config(state, declared, current, CONTEXT))


def sids(sections):
    return [item["Sid"] for item in sections["registry_policy"]["Statement"]]


@pytest.mark.parametrize("state", ["merged", "replaced"])
def test_a_statement_removed_by_a_concurrent_writer_is_written_again(state):
    client = SharedPolicy([statement("Other")], overwrites=1)
    plan, reread, replan = registry_task(client, state, {"registry_policy": {"Statement": [statement("Mine")]}})
    assert plan.verify is not None
    after, notes = verified_write.apply(client, plan, reread, replan, sleep=lambda seconds: None, write=write_all)
    # The state returned is the one read back: the rival's statement kept, ours there again.
    assert sids(after) == ["Other", "Rival1", "Mine"] == sids({"registry_policy": json.loads(client.text)})
    assert client.puts == 2
    assert len(notes) == 1 and "registry policy statements ['Mine'] are missing or changed" in notes[0] and "concurrent writer" in notes[0]


def test_a_statement_removed_every_time_fails_naming_the_concurrent_writer():
    client = SharedPolicy([statement("Other")], overwrites=100)
    plan, reread, replan = registry_task(client, "merged", {"registry_policy": {"Statement": [statement("Mine")]}})
    with pytest.raises(verified_write.WriteFailed) as failure:
        verified_write.apply(client, plan, reread, replan, sleep=lambda seconds: None, write=write_all)
    assert client.puts == verified_write.ATTEMPTS
    assert "registry policy statements ['Mine'] are missing or changed after 5 write(s)" in failure.value.message
    assert "another writer of the same registry at the same time" in failure.value.message
    assert "Mine" not in sids(failure.value.after)  # as read back, not as sent


@pytest.mark.parametrize("state", ["overridden", "deleted"])
def test_overridden_and_deleted_own_what_they_write_and_are_not_read_back(state):
    client = SharedPolicy([statement("Other"), statement("Mine")], overwrites=1)
    plan, reread, replan = registry_task(client, state, {"registry_policy": {"Statement": [statement("Mine")]}})
    assert plan.verify is None and plan.actions
    after, notes = verified_write.apply(client, plan, reread, replan, sleep=lambda seconds: pytest.fail("no pause"), write=write_all)
    assert notes == [] and client.puts == 1
    assert sids(after) == (["Mine"] if state == "overridden" else ["Other"])  # what was sent


def test_merged_verifies_only_the_elements_a_statement_gives():
    """merged lays a statement's elements over the one with its Sid: an element it omits is the
    registry's, so a different value there is no loss."""
    declared = validate_config({"registry_policy": {"Statement": [{"Sid": "Mine", "Action": "ecr:BatchGetImage"}]}}, "merged")
    verify = verify_sections("merged", declared, CONTEXT, ["registry_policy"])
    there = {"Version": "2012-10-17", "Statement": [dict(statement("Mine"), Action="ecr:BatchGetImage", Effect="Deny")]}
    assert verify({"registry_policy": there}) is None
    assert verify({"registry_policy": {"Statement": [statement("Mine")]}}) == "registry policy statements ['Mine'] are missing or changed"


def test_replaced_verifies_a_template_whole_and_merged_only_its_fields():
    config = {"creation_templates": [{"prefix": "team", "applied_for": ["REPLICATION"], "description": "mine"}]}
    template = dict(creation_template.defaults("team"), applied_for=["REPLICATION"], description="mine", repository_tags={"other": "writer"})
    merged = verify_sections("merged", validate_config(config, "merged"), CONTEXT, ["creation_templates"])
    replaced = verify_sections("replaced", validate_config(config, "replaced"), CONTEXT, ["creation_templates"])
    assert merged({"creation_templates": {"team": template}}) is None
    assert replaced({"creation_templates": {"team": template}}) == (
        "repository creation template 'team' fields ['repository_tags'] are not as this task set them"
    )
    assert merged({"creation_templates": {}}) == "repository creation template 'team' is gone"


def test_replication_verify_per_state():
    rule = {"destinations": [{"region": "eu-west-1"}], "repository_filters": ["team"]}
    there = {"destinations": [{"region": "eu-west-1", "registry_id": ACCOUNT}], "repository_filters": [{"filter": "team", "filter_type": "PREFIX_MATCH"}],
             "delete_replication": True}
    config = {"replication": {"rules": [rule]}}
    merged = verify_sections("merged", validate_config(config, "merged"), CONTEXT, ["replication"])
    replaced = verify_sections("replaced", validate_config(config, "replaced"), CONTEXT, ["replication"])
    assert merged({"replication": [there]}) is None  # delete_replication omitted: the registry's
    assert replaced({"replication": [there]}) == f"replication rules [to eu-west-1 ({ACCOUNT}) for team] are missing or changed"
    assert replaced({"replication": [dict(there, delete_replication=False)]}) is None
    assert merged({"replication": []}) == f"replication rules [to eu-west-1 ({ACCOUNT}) for team] are missing or changed"
