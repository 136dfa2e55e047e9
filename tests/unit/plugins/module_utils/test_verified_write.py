"""verified_write: merges read back and redone after a concurrent writer, creates that find their
item there, and the verify functions of each resource (by meaning, not by text)."""

import json

import pytest
from botocore.exceptions import ClientError

from ansible_collections.ecrkit.registry.plugins.module_utils import creation_template
from ansible_collections.ecrkit.registry.plugins.module_utils import registry_policy
from ansible_collections.ecrkit.registry.plugins.module_utils import replication
from ansible_collections.ecrkit.registry.plugins.module_utils import verified_write
from ansible_collections.ecrkit.registry.plugins.module_utils.ecr import AnsibleEcrError
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Action

from .rival_policy import ACCOUNT
from .rival_policy import SharedPolicy
from .rival_policy import statement


def policy_task(client, **params):
    request = registry_policy.validate(dict({"policy": None, "statements": None, "purge_statements": False, "state": "present"}, **params))

    def reread():
        return registry_policy.read(client, request)

    def replan(current):
        return registry_policy.plan(request, current, {"region": "us-east-1"})

    return replan(reread()), reread, replan


def sids(document):
    return [item["Sid"] for item in document["Statement"]]


def test_a_merge_undone_by_a_concurrent_writer_is_merged_again():
    client = SharedPolicy([statement("Other")], overwrites=2)
    plan, reread, replan = policy_task(client, statements=[statement("Mine")])
    pauses = []
    after, notes = verified_write.apply(client, plan, reread, replan, sleep=pauses.append)
    # The rival's statements are kept, and ours is there: the returned state is the one read back.
    assert sids(after) == ["Other", "Rival1", "Rival2", "Mine"]
    assert sids(json.loads(client.text)) == sids(after)
    assert client.puts == 3
    assert len(notes) == 2 and "['Mine'] are missing or changed" in notes[0] and "concurrent writer" in notes[0]
    assert len(pauses) == 3 and pauses[1] >= verified_write.PAUSE * 2  # backoff


def test_a_merge_undone_every_time_fails_naming_the_concurrent_writer():
    client = SharedPolicy([statement("Other")], overwrites=100)
    plan, reread, replan = policy_task(client, statements=[statement("Mine")])
    with pytest.raises(verified_write.WriteFailed) as failure:
        verified_write.apply(client, plan, reread, replan, sleep=lambda seconds: None)
    assert client.puts == verified_write.ATTEMPTS
    assert "registry policy statements ['Mine'] are missing or changed after 5 write(s)" in failure.value.message
    assert "another writer of the same registry at the same time" in failure.value.message
    assert "Mine" not in sids(failure.value.after)  # the state as read back, not as sent


def test_a_write_that_owns_what_it_writes_is_not_read_back():
    client = SharedPolicy([statement("Other")], overwrites=1)
    plan, reread, replan = policy_task(client, statements=[statement("Mine")], purge_statements=True)
    assert plan.verify is None
    after, notes = verified_write.apply(client, plan, reread, replan, sleep=lambda seconds: pytest.fail("no pause"))
    assert sids(after) == ["Mine"] and notes == []  # what was sent: last writer wins, by the task's own choice


def already_exists():
    error = ClientError({"Error": {"Code": "TemplateAlreadyExistsException", "Message": "exists"}}, "CreateRepositoryCreationTemplate")
    return AnsibleEcrError(message="Failed to create the repository creation template", exception=error)


def template(**fields):
    return dict(creation_template.defaults("team"), applied_for=["REPLICATION"], **fields)


def template_task(store, **given):
    request = creation_template.validate(dict({option: None for option in creation_template.TEMPLATE_SPEC}, prefix="team", state="present", **given))

    def replan(current):
        return creation_template.plan(request, current, {})

    return request, (lambda: store.get("team")), replan


def test_a_create_that_finds_what_it_wanted_has_converged():
    store = {}
    _request, reread, replan = template_task(store, applied_for=["REPLICATION"])
    plan = replan(None)

    def lost_response(client):
        store["team"] = template()  # the first attempt landed; the retry finds it
        raise already_exists()

    plan.actions = [Action("create", lost_response)]
    after, notes = verified_write.apply(None, plan, reread, replan, sleep=lambda seconds: None)
    assert after == template() and notes == []


def test_a_create_that_finds_another_template_merges_into_it():
    store = {}
    _request, reread, replan = template_task(store, applied_for=["REPLICATION"], description="mine")
    plan = replan(None)

    def rival_created(client):
        store["team"] = template(repository_tags={"team": "rival"})
        raise already_exists()

    def update(client):
        store["team"] = dict(store["team"], description="mine")
        return store["team"]

    plan.actions = [Action("create", rival_created)]
    real_replan = replan

    def replan_with_fake_update(current):
        fresh = real_replan(current)
        fresh.actions = [Action(action.description, update) for action in fresh.actions]
        return fresh

    after, notes = verified_write.apply(None, plan, reread, replan_with_fake_update, sleep=lambda seconds: None)
    assert after == template(repository_tags={"team": "rival"}, description="mine")
    assert "another writer created it at the same time" in notes[0]


def test_pause_is_jittered_doubles_and_is_capped():
    for attempt in range(1, 8):
        base = min(verified_write.PAUSE * 2 ** (attempt - 1), verified_write.MAX_PAUSE)
        assert all(base <= verified_write.pause(attempt) <= 2 * base for _draw in range(20))


# The verify functions: by meaning.


def test_policy_verify_ignores_reformatting_and_order():
    request = registry_policy.validate({"policy": None, "statements": [statement("Mine", ["ecr:A", "ecr:B"])], "purge_statements": False, "state": "present"})
    verify = registry_policy.verify_statements(request["statements"])
    reordered = dict(statement("Mine", ["ecr:B", "ecr:A"]), Principal={"AWS": [f"arn:aws:iam::{ACCOUNT}:root"]})
    assert verify({"registry_id": ACCOUNT, "policy": {"Statement": [statement("Other"), reordered]}}) is None
    assert verify({"registry_id": ACCOUNT, "policy": {"Statement": [statement("Mine", "ecr:A")]}}) is not None
    assert verify(None) == "registry policy statements ['Mine'] are missing or changed"
    absent = registry_policy.verify_statements(request["statements"], absent=True)
    assert absent({"registry_id": ACCOUNT, "policy": {"Statement": [statement("Other")]}}) is None
    assert absent({"registry_id": ACCOUNT, "policy": {"Statement": [reordered]}}) == "registry policy statements ['Mine'] are there again"


def test_replication_verify_compares_rules_as_sets_and_checks_settings():
    given = [{"destinations": [{"region": "eu-west-1"}, {"region": "us-west-2"}], "repository_filters": ["team"], "delete_replication": True}]
    request = replication.validate({"rules": given, "purge_rules": False, "state": "present"})
    verify = replication.verify_rules([replication.rule_from_params(rule, ACCOUNT) for rule in request["rules"]])
    mine = {
        "destinations": [{"region": "us-west-2", "registry_id": ACCOUNT}, {"region": "eu-west-1", "registry_id": ACCOUNT}],
        "repository_filters": [{"filter": "team", "filter_type": "PREFIX_MATCH"}],
        "delete_replication": True,
    }
    other = {"destinations": [{"region": "ap-southeast-2", "registry_id": ACCOUNT}], "repository_filters": []}
    assert verify({"registry_id": ACCOUNT, "rules": [other, mine]}) is None
    missing = verify({"registry_id": ACCOUNT, "rules": [other, dict(mine, delete_replication=False)]})
    assert missing == f"replication rules [to eu-west-1 ({ACCOUNT}), us-west-2 ({ACCOUNT}) for team] are missing or changed"
    assert verify({"registry_id": ACCOUNT, "rules": [other]}) == missing
    plan = replication.plan(request, {"registry_id": ACCOUNT, "rules": [other]}, {"region": "us-east-1"})
    assert plan.verify is not None
    purge = replication.plan(dict(request, purge_rules=True), {"registry_id": ACCOUNT, "rules": [other]}, {"region": "us-east-1"})
    assert purge.verify is None


def test_template_verify_checks_only_the_fields_the_task_set():
    verify = creation_template.verify_fields("team", {"description": "mine", "lifecycle_policy": {"rules": [{"rulePriority": 2}, {"rulePriority": 1}]}})
    lifecycle = {"rules": [{"rulePriority": 1}, {"rulePriority": 2}]}
    assert verify(template(description="mine", lifecycle_policy=lifecycle, repository_tags={"other": "field"})) is None
    assert verify(template(lifecycle_policy=lifecycle)) == "repository creation template 'team' fields ['description'] are not as this task set them"
    assert verify(None) == "repository creation template 'team' is gone"
    request = creation_template.validate(dict({option: None for option in creation_template.TEMPLATE_SPEC}, prefix="team", state="present", description="x"))
    assert creation_template.plan(request, template(), {}).verify is not None
    assert creation_template.plan(dict(request, state="absent"), template(), {}).verify is None
