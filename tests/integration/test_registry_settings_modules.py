"""ecr_registry_scanning, ecr_account_setting, ecr_signing_configuration and
ecr_pull_time_update_exclusion through real ansible-playbook runs against the local ECR endpoint:
create, no-op with one read, check mode with no write, update, delete, bad input refused before any
call, throttling survived; and the REGISTRY_POLICY_SCOPE V1 rule on the registry policy's write path."""

import boto3

from ansible_run import ACCESS_KEY, ACCOUNT, REGION, operations, run_failing, run_playbook, writes

PROFILE = f"arn:aws:signer:{REGION}:{ACCOUNT}:/signing-profiles/prod_images"
SCANNER = f"arn:aws:iam::{ACCOUNT}:role/image-scanner"
BACKUP = f"arn:aws:iam::{ACCOUNT}:role/backup"
ENHANCED = {"scan_type": "ENHANCED", "rules": [{"scan_frequency": "CONTINUOUS_SCAN", "repository_filters": ["prod/*"]},
                                               {"scan_frequency": "SCAN_ON_PUSH", "repository_filters": ["*"]}]}


def ecr(endpoint):
    return boto3.client("ecr", endpoint_url=endpoint.url, region_name=REGION, aws_access_key_id=ACCESS_KEY, aws_secret_access_key="x")


def task(module, **args):
    return {"name": module, f"ecrkit.registry.{module}": args}


def lifecycle(endpoint, module, create, rerun_reads, update, delete, stored):
    """create -> same again (only the reads `rerun_reads`) -> check mode of the update (no write) ->
    update -> delete -> delete again; returns the results. `stored()` reads what the endpoint holds."""
    created = run_playbook(endpoint.url, [task(module, **create)], diff=True)[0]
    assert created["changed"] is True
    assert created["diff"]["before"] != created["diff"]["after"]
    endpoint.clear_calls()
    assert run_playbook(endpoint.url, [task(module, **create)])[0]["changed"] is False
    assert operations(endpoint.calls()) == rerun_reads
    after_create = stored()

    endpoint.clear_calls()
    checked = run_playbook(endpoint.url, [task(module, **update)], check=True)[0]
    assert checked["changed"] is True and writes(endpoint.calls()) == []
    assert stored() == after_create

    updated = run_playbook(endpoint.url, [task(module, **update)])[0]
    assert updated["changed"] is True
    deleted = run_playbook(endpoint.url, [task(module, **delete), task(module, **delete)])
    assert [result["changed"] for result in deleted.tasks] == [True, False]
    return created, checked, updated, deleted[0]


def test_registry_scanning_lifecycle(endpoint):
    def stored():
        return ecr(endpoint).get_registry_scanning_configuration()["scanningConfiguration"]

    created, checked, updated, deleted = lifecycle(
        endpoint, "ecr_registry_scanning", ENHANCED, ["GetRegistryScanningConfiguration"],
        {"rules": [{"scan_frequency": "SCAN_ON_PUSH", "repository_filters": ["*"]}]}, {"state": "absent"}, stored,
    )
    assert created["scanning_configuration"] == ENHANCED and created["registry_id"] == ACCOUNT
    assert checked["scanning_configuration"] == {"scan_type": "BASIC", "rules": [{"scan_frequency": "SCAN_ON_PUSH", "repository_filters": ["*"]}]}
    assert updated["scanning_configuration"] == checked["scanning_configuration"]
    assert deleted["scanning_configuration"] == {"scan_type": "BASIC", "rules": []}
    assert stored() == {"scanType": "BASIC", "rules": []}


def test_account_setting_lifecycle_and_the_one_way_change(endpoint):
    def stored():
        return ecr(endpoint).get_account_setting(name="BLOB_MOUNTING")["value"]

    endpoint.clear_calls()
    run = run_playbook(endpoint.url, [task("ecr_account_setting", name="BLOB_MOUNTING", value=value) for value in ("ENABLED", "ENABLED", "DISABLED")])
    assert [result["changed"] for result in run.tasks] == [True, False, True]
    assert operations(endpoint.calls()) == ["GetAccountSetting", "PutAccountSetting", "GetAccountSetting", "GetAccountSetting", "PutAccountSetting"]
    assert run[0]["account_setting"] == {"name": "BLOB_MOUNTING", "value": "ENABLED"} and stored() == "DISABLED"

    endpoint.set_account_setting(ACCOUNT, REGION, "REGISTRY_POLICY_SCOPE", "V1")
    endpoint.clear_calls()
    checked = run_playbook(endpoint.url, [task("ecr_account_setting", name="REGISTRY_POLICY_SCOPE", value="V2")], check=True)[0]
    assert checked["changed"] is True and writes(endpoint.calls()) == []
    moved = run_playbook(endpoint.url, [task("ecr_account_setting", name="REGISTRY_POLICY_SCOPE", value="V2")])[0]
    assert moved["changed"] is True
    assert any("does not let you set V1 again" in warning for warning in moved["warnings"])
    endpoint.clear_calls()
    run_failing(endpoint.url, [(task("ecr_account_setting", name="REGISTRY_POLICY_SCOPE", value="V1"),
                                "value: the registry's REGISTRY_POLICY_SCOPE is V2; the service cannot set V1 again")])
    assert writes(endpoint.calls()) == []


def test_signing_configuration_lifecycle(endpoint):
    def stored():
        return ecr(endpoint).get_signing_configuration()["signingConfiguration"]["rules"]

    rule = {"signing_profile_arn": PROFILE, "repository_filters": ["prod/*"]}
    created, checked, updated, deleted = lifecycle(
        endpoint, "ecr_signing_configuration", {"rules": [rule]}, ["GetSigningConfiguration"],
        {"rules": [rule, {"signing_profile_arn": PROFILE.replace("prod_images", "all_images")}]}, {"state": "absent"}, stored,
    )
    assert created["signing_configuration"] == {"rules": [rule]}
    assert updated["signing_configuration"]["rules"][1] == {"signing_profile_arn": PROFILE.replace("prod_images", "all_images"), "repository_filters": []}
    assert deleted["signing_configuration"] == {"rules": []} and deleted["actions"] == ["delete the signing configuration"]
    assert operations(endpoint.calls())[-1] == "GetSigningConfiguration"


def test_pull_time_update_exclusion_lifecycle(endpoint):
    def stored():
        return sorted(ecr(endpoint).list_pull_time_update_exclusions()["pullTimeUpdateExclusions"])

    endpoint.set_page_size(1)  # two principals: two pages, both read
    created, checked, updated, deleted = lifecycle(
        endpoint, "ecr_pull_time_update_exclusion", {"principal_arns": [SCANNER, BACKUP]}, ["ListPullTimeUpdateExclusions"] * 2,
        {"principal_arns": [SCANNER], "purge_principal_arns": True}, {"principal_arns": [SCANNER], "state": "absent"}, stored,
    )
    assert created["pull_time_update_exclusions"] == sorted([SCANNER, BACKUP])
    assert checked["actions"] == [f"deregister the pull time update exclusion of {BACKUP}"]
    assert updated["pull_time_update_exclusions"] == [SCANNER]
    assert deleted["pull_time_update_exclusions"] == [] and stored() == []


def test_bad_input_is_refused_before_any_call(endpoint):
    endpoint.clear_calls()
    run_failing(endpoint.url, [
        (task("ecr_registry_scanning", rules=[{"scan_frequency": "CONTINUOUS_SCAN", "repository_filters": ["*"]}]),
         "rules[0].scan_frequency: CONTINUOUS_SCAN is not supported with scan_type BASIC"),
        (task("ecr_registry_scanning", scan_type="ENHANCED", rules=[{"scan_frequency": "SCAN_ON_PUSH", "repository_filters": ["Prod/*"]}]),
         "rules[0].repository_filters[0]: 'Prod/*' is not a repository name filter"),
        (task("ecr_account_setting", name="BLOB_MOUNTING", value="ON"), "value: 'ON' is not a value of BLOB_MOUNTING; it takes ENABLED or DISABLED"),
        (task("ecr_signing_configuration", rules=[{"signing_profile_arn": f"arn:aws:iam::{ACCOUNT}:role/signer"}]),
         "rules[0].signing_profile_arn: 'arn:aws:iam::123456789012:role/signer' is not the ARN of an AWS Signer signing profile"),
        (task("ecr_pull_time_update_exclusion", principal_arns=[f"arn:aws:iam::{ACCOUNT}:group/devs"]),
         "principal_arns[0]: 'arn:aws:iam::123456789012:group/devs' is not the ARN of an IAM role or user"),
    ])
    assert endpoint.calls() == []


def test_throttled_calls_are_retried(endpoint):
    for operation in ("PutRegistryScanningConfiguration", "PutAccountSetting", "PutSigningConfiguration", "RegisterPullTimeUpdateExclusion",
                      "ListPullTimeUpdateExclusions"):
        endpoint.inject_fault("throttle", 2, operations=[operation])
    run = run_playbook(endpoint.url, [
        task("ecr_registry_scanning", **ENHANCED),
        task("ecr_account_setting", name="BLOB_MOUNTING", value="ENABLED"),
        task("ecr_signing_configuration", rules=[{"signing_profile_arn": PROFILE}]),
        task("ecr_pull_time_update_exclusion", principal_arns=[SCANNER]),
    ])
    assert all(result["changed"] for result in run.tasks)
    throttled = [call["operation"] for call in endpoint.calls() if call["error_code"] == "ThrottlingException"]
    assert len(throttled) == 10 and set(throttled) == {"PutRegistryScanningConfiguration", "PutAccountSetting", "PutSigningConfiguration",
                                                       "RegisterPullTimeUpdateExclusion", "ListPullTimeUpdateExclusions"}
    assert ecr(endpoint).list_pull_time_update_exclusions()["pullTimeUpdateExclusions"] == [SCANNER]


def test_a_policy_that_needs_v2_is_refused_on_a_v1_registry_on_the_write_path_only(endpoint):
    pull = {"Sid": "Pull", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": ["ecr:BatchGetImage"]}
    replicate = {"Sid": "Replicate", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": ["ecr:ReplicateImage"]}
    endpoint.set_account_setting(ACCOUNT, REGION, "REGISTRY_POLICY_SCOPE", "V1")
    endpoint.clear_calls()
    run_failing(endpoint.url, [
        (task("ecr_registry_policy", statements=[pull], purge_statements=False), "also names ecr:BatchGetImage"),
        (task("ecr_registry", config={"registry_policy": {"Statement": [pull]}}),
         "registry_policy: the registry's account setting REGISTRY_POLICY_SCOPE is V1"),
    ])
    assert writes(endpoint.calls()) == []
    # A policy V1 allows: no scope read. The same task again: no write, no scope read.
    endpoint.clear_calls()
    run = run_playbook(endpoint.url, [task("ecr_registry_policy", statements=[replicate], purge_statements=False)] * 2)
    assert [result["changed"] for result in run.tasks] == [True, False]
    assert "GetAccountSetting" not in operations(endpoint.calls())
    # With the scope moved to V2 in the same task, the policy goes in after it.
    endpoint.clear_calls()
    moved = run_playbook(endpoint.url, [task("ecr_registry", config={"account_settings": {"REGISTRY_POLICY_SCOPE": "V2"},
                                                                     "registry_policy": {"Statement": [pull]}})])[0]
    assert moved["actions"] == ["account_settings.REGISTRY_POLICY_SCOPE: set the account setting REGISTRY_POLICY_SCOPE to V2",
                                "registry_policy: put the registry policy"]
    assert operations(writes(endpoint.calls())) == ["PutAccountSetting", "PutRegistryPolicy"]


def test_ecr_registry_states_on_the_newer_sections(endpoint):
    signing_rule = {"signing_profile_arn": PROFILE, "repository_filters": ["prod/*"]}
    config = {"scanning": ENHANCED, "account_settings": {"BLOB_MOUNTING": "ENABLED"}, "signing": {"rules": [signing_rule]},
              "pull_time_update_exclusions": [SCANNER, BACKUP]}
    endpoint.clear_calls()
    checked = run_playbook(endpoint.url, [task("ecr_registry", state="merged", config=config)], check=True)[0]
    assert checked["changed"] is True and writes(endpoint.calls()) == []
    assert checked["after"]["account_settings"] == {"BLOB_MOUNTING": "ENABLED"}

    def registry(state, config):
        return task("ecr_registry", state=state, config=config)

    run = run_playbook(endpoint.url, [
        registry("merged", config),
        registry("merged", config),
        registry("deleted", {"signing": {"rules": [signing_rule]}, "pull_time_update_exclusions": [BACKUP]}),
        registry("overridden", {"scanning": {}, "pull_time_update_exclusions": []}),
        registry("rendered", config),
    ])
    assert [result["changed"] for result in run.tasks] == [True, False, True, True, False]
    assert run[0]["actions"] == [
        "account_settings.BLOB_MOUNTING: set the account setting BLOB_MOUNTING to ENABLED",
        "scanning: put the registry scanning configuration: ENHANCED, CONTINUOUS_SCAN for prod/*, SCAN_ON_PUSH for *",
        "signing: put the signing configuration: prod_images for prod/*",
        f"pull_time_update_exclusions: register a pull time update exclusion for {SCANNER}",
        f"pull_time_update_exclusions: register a pull time update exclusion for {BACKUP}",
    ]
    assert run[2]["after"] == {"signing": {"rules": []}, "pull_time_update_exclusions": [SCANNER]}
    assert run[3]["after"] == {"scanning": {"scan_type": "BASIC", "rules": []}, "pull_time_update_exclusions": []}
    assert [request["operation"] for request in run[4]["rendered"]] == [
        "PutAccountSetting", "PutRegistryScanningConfiguration", "PutSigningConfiguration", "RegisterPullTimeUpdateExclusion",
        "RegisterPullTimeUpdateExclusion"]
    client = ecr(endpoint)
    assert client.get_account_setting(name="BLOB_MOUNTING")["value"] == "ENABLED"
    assert client.get_registry_scanning_configuration()["scanningConfiguration"] == {"scanType": "BASIC", "rules": []}
    assert client.list_pull_time_update_exclusions()["pullTimeUpdateExclusions"] == []
