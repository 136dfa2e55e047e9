"""Issue #7 through real ansible-playbook runs: every malformed input the fault and fuzz campaign
found fails its task naming the option, with no traceback and no write; the limits are those the
service applies."""

import json

import boto3

from ansible_run import ACCESS_KEY, ACCOUNT, OTHER_ACCOUNT, REGION, operations, run_failing, run_playbook, writes

STATEMENT = {
    "Sid": "Replication",
    "Effect": "Allow",
    "Principal": {"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"},
    "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
    "Resource": f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/*",
}
LIFECYCLE_RULE = {"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days",
                                                   "countNumber": 14}, "action": {"type": "expire"}}
SECRET = f"arn:aws:secretsmanager:{REGION}:{OTHER_ACCOUNT}:secret:ecr-pullthroughcache/docker-hub-AbCdEf"


def policy(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def lifecycle(**changes):
    return {"rules": [dict(LIFECYCLE_RULE, **changes)]}


def selection(**changes):
    return lifecycle(selection=dict(LIFECYCLE_RULE["selection"], **changes))


def module(name, **args):
    return {"name": name, f"ecrkit.registry.{name}": args}


def template(**args):
    return module("ecr_creation_template", prefix="team", applied_for=["REPLICATION"], **args)


def replication_rule(**rule):
    return module("ecr_replication", rules=[dict({"destinations": [{"region": "us-west-2"}]}, **rule)])


def ecr(endpoint):
    return boto3.client("ecr", endpoint_url=endpoint.url, region_name=REGION, aws_access_key_id=ACCESS_KEY, aws_secret_access_key="x")


def sized_policy(length):
    """A valid policy whose compact text is `length` characters (json.dumps with spaces is longer)."""
    statements = [dict(STATEMENT, Sid=f"S{index}") for index in range(38)]
    document = policy(*statements)
    compact = len(json.dumps(document, separators=(",", ":")))
    document["Statement"][0]["Resource"] += "x" * (length - compact)
    assert len(json.dumps(document, separators=(",", ":"))) == length
    return document


# (task, what its message says): one playbook for all of them.
CASES = [
    # Crashes before: Statement of the wrong type, a lifecycle selection that is no dict, deep JSON.
    (module("ecr_registry_policy", policy={"Version": "2012-10-17", "Statement": None}), "policy.Statement: None is a null; give a list"),
    (module("ecr_registry_policy", policy={"Version": "2012-10-17", "Statement": 3}), "policy.Statement: 3 is a number"),
    (module("ecr_registry_policy", policy={"Version": "2012-10-17", "Statement": True}), "policy.Statement: True is a boolean"),
    (template(lifecycle_policy=lifecycle(selection="untagged")), "lifecycle_policy.rules[0].selection: 'untagged' is a string; give a dict."),
    (module("ecr_registry_policy", policy="[" * 5000 + "]" * 5000), "policy: nests lists and objects more than 32 levels deep"),
    # Input that reached the API before.
    (module("ecr_registry_policy", policy=policy(STATEMENT, STATEMENT)), "policy.Statement[1].Sid: 'Replication' is used by more than one"),
    (module("ecr_registry_policy", policy=policy(dict(STATEMENT, Efect="Allow"))), "policy.Statement[0]: 'Efect' is not a policy statement element"),
    (module("ecr_registry_policy", statements=[dict(STATEMENT, Principal="*", Conditon={"StringEquals": {"aws:PrincipalOrgID": "o-1"}})]),
     "statements[0]: 'Conditon' is not a policy statement element"),
    (module("ecr_registry_policy", statements=[dict(STATEMENT, Action="s3:GetObject")]), "statements[0].Action: 's3:GetObject' is not an Amazon ECR action"),
    (module("ecr_registry_policy", statements=[dict(STATEMENT, Principal={"AWS": "21098765"})]),
     "statements[0].Principal.AWS: '21098765' is not an AWS principal"),
    (module("ecr_registry_policy", policy=policy(dict(STATEMENT, Resource="arn:" + "r" * 10300))),
     "policy: the policy is 10503 characters long as sent (compact JSON); the API takes at most 10240."),
    (template(lifecycle_policy={"rules": [{"rulePriority": 1, "selektion": {}, "action": {"type": "expire"}}]}),
     "lifecycle_policy.rules[0]: 'selektion' is not a key"),
    (template(lifecycle_policy=selection(tagStatus="untaged")), "lifecycle_policy.rules[0].selection.tagStatus: 'untaged'"),
    (template(lifecycle_policy=selection(countNumber="five")), "lifecycle_policy.rules[0].selection.countNumber: 'five'"),
    (template(lifecycle_policy=lifecycle(action={"type": "delete"})), "lifecycle_policy.rules[0].action.type: 'delete'"),
    (template(repository_policy=policy(dict(STATEMENT, Action="iam:PassRole"))), "repository_policy.Statement[0].Action: 'iam:PassRole'"),
    (template(repository_tags={f"k{i}": "v" for i in range(51)}), "repository_tags: 51 tags given; a resource holds at most 50."),
    (template(repository_tags={"aws:cost-center": "1"}), "repository_tags: the tag key 'aws:cost-center' starts with 'aws:'"),
    (replication_rule(repository_filters=[f"team{i}" for i in range(101)]), "rules[0].repository_filters: 101 filters given; a rule takes at most 100."),
    (replication_rule(destinations=[{"region": "us-west-2"}, {"region": "us-west-2"}]), "rules[0].destinations[1]:"),
    (replication_rule(repository_filters=["prod", "prod"]), "rules[0].repository_filters[1]: 'prod' is given more than once"),
    (module("ecr_replication", rules=[{"destinations": [{"region": "us-west-2"}], "repository_filters": [f"t{i:02}"]} for i in range(26)]),
     "rules: 26 rules given; a registry holds at most 25 replication rules."),
    # Checks that need the account or the region: after the read, before any write.
    (module("ecr_pull_through_rule", ecr_repository_prefix="docker-hub", upstream_registry_url="registry-1.docker.io", credential_arn=SECRET),
     f"credential_arn: {SECRET!r} is in account {OTHER_ACCOUNT}; the secret must be in the registry's account {ACCOUNT}."),
    (template(encryption_type="KMS", kms_key=f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/1234abcd-12ab-34cd"),
     f"kms_key: 'arn:aws:kms:eu-west-1:{ACCOUNT}:key/1234abcd-12ab-34cd' is in region eu-west-1; it must be in the registry's region {REGION}."),
    (template(custom_role_arn=f"arn:aws:iam::{OTHER_ACCOUNT}:role/ecr-create"),
     f"custom_role_arn: 'arn:aws:iam::{OTHER_ACCOUNT}:role/ecr-create' is in account {OTHER_ACCOUNT}; it must be in the registry's account {ACCOUNT}."),
]


def test_every_case_fails_naming_the_option_with_no_traceback_and_no_write(endpoint):
    run = run_failing(endpoint.url, CASES)
    for result in run.tasks:
        # ansible-core 2.19+ puts "(traceback unavailable)" under `exception` for every failure.
        assert "Traceback" not in str(result.get("exception", "")) + result["msg"], result
        assert "module_stderr" not in result, result
    assert writes(endpoint.calls()) == []
    # Only the reads the account and region checks need were made.
    assert set(operations(endpoint.calls())) <= {"DescribePullThroughCacheRules", "DescribeRegistry", "DescribeRepositoryCreationTemplates"}


def test_a_policy_within_the_limit_as_sent_is_accepted(endpoint):
    document = sized_policy(10220)
    assert len(json.dumps(document)) > 10240  # refused when measured with spaces
    result = run_playbook(endpoint.url, [module("ecr_registry_policy", policy=document)])[0]
    assert result["changed"] is True
    assert json.loads(ecr(endpoint).get_registry_policy()["policyText"]) == document


def test_a_merged_policy_over_the_limit_is_refused_before_the_write(endpoint):
    ecr(endpoint).put_registry_policy(policyText=json.dumps(sized_policy(10000), separators=(",", ":")))
    endpoint.clear_calls()
    extra = dict(STATEMENT, Sid="Extra", Resource="arn:" + "r" * 400)
    run = run_failing(endpoint.url, [(module("ecr_registry_policy", statements=[extra]), "statements: the resulting policy")])
    assert "the API takes at most 10240" in run[0]["msg"]
    assert operations(endpoint.calls()) == ["GetRegistryPolicy"]


def test_purging_every_statement_deletes_the_policy(endpoint):
    ecr(endpoint).put_registry_policy(policyText=json.dumps(policy(STATEMENT)))
    endpoint.clear_calls()
    result = run_playbook(endpoint.url, [module("ecr_registry_policy", statements=[], purge_statements=True)])[0]
    assert result["changed"] is True and result["registry_policy"] is None
    assert operations(writes(endpoint.calls())) == ["DeleteRegistryPolicy"]


def test_policy_warnings_version_and_not_principal(endpoint):
    not_principal = dict({k: v for k, v in STATEMENT.items() if k != "Principal"}, NotPrincipal={"AWS": OTHER_ACCOUNT})
    result = run_playbook(endpoint.url, [module("ecr_registry_policy", policy={"Statement": [not_principal]})])[0]
    assert result["registry_policy"]["Version"] == "2012-10-17"
    warnings = result.get("warnings", [])
    assert any("no Version given; using '2012-10-17'" in warning for warning in warnings), warnings
    assert any("uses NotPrincipal with Allow" in warning for warning in warnings), warnings


def test_an_unknown_region_warns(endpoint):
    result = run_playbook(endpoint.url, [replication_rule(destinations=[{"region": "us-wset-2"}])])[0]
    assert any("'us-wset-2' is not a region that botocore" in warning for warning in result.get("warnings", [])), result
