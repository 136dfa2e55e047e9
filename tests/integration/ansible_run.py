"""Run real ansible-playbook against the local ECR endpoint and read back every task's result."""

import json
import os
import subprocess
import sys
import tempfile

import yaml

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"
REGION = "us-east-1"
# The local endpoint takes the account from the first 12 digits of the access key.
ACCESS_KEY = f"AKIA{ACCOUNT}"


def module_defaults(endpoint_url, access_key=ACCESS_KEY, region=REGION):
    """One block for our modules and amazon.aws's alike, as users write it."""
    return {
        "group/ecrkit.registry.aws": {
            "endpoint_url": endpoint_url,
            "region": region,
            "access_key": access_key,
            "secret_key": "local-secret",
        }
    }


class PlaybookRun:
    """The outcome of one ansible-playbook run: its exit code, and each host's task results."""

    def __init__(self, returncode, output, stderr):
        self.returncode = returncode
        self.stderr = stderr
        self.results = {}  # host -> [task result, ...] in order
        if output.strip():
            for play in json.loads(output)["plays"]:
                for task in play["tasks"]:
                    for host, result in task["hosts"].items():
                        self.results.setdefault(host, []).append({"name": task["task"]["name"], **result})

    @property
    def tasks(self):
        """The task results of localhost, the host of most runs."""
        return self.results.get("localhost", [])

    def __getitem__(self, index):
        return self.tasks[index]

    @property
    def ok(self):
        return self.returncode == 0


def run_playbook(endpoint_url, tasks, check=False, diff=False, access_key=ACCESS_KEY, region=REGION, env=None, expect_ok=True, inventory=None,
                 defaults=True):
    """Run `tasks` (a list of task dicts) as one play; return a PlaybookRun.

    With `defaults=False` the play sets no module_defaults: no endpoint, region or credentials.
    The play runs on localhost, or on every host of `inventory` ({host: host vars}): then the
    module_defaults take the access key and region from each host's `access_key` and `region`.
    """
    play = {
        "name": "ecrkit.registry integration",
        "hosts": "all" if inventory else "localhost",
        "gather_facts": False,
        "module_defaults": module_defaults(endpoint_url, access_key, region)
        if not inventory
        else module_defaults(endpoint_url, "{{ access_key }}", "{{ region }}"),
        "tasks": tasks,
    }
    if not defaults:
        del play["module_defaults"]
    with tempfile.TemporaryDirectory(prefix="ecrkit-play-") as scratch:
        playbook = os.path.join(scratch, "play.yml")
        with open(playbook, "w", encoding="utf-8") as handle:
            yaml.safe_dump([play], handle, sort_keys=False)
        hosts = "localhost,"
        if inventory:
            hosts = os.path.join(scratch, "inventory.yml")
            with open(hosts, "w", encoding="utf-8") as handle:
                yaml.safe_dump({"all": {"hosts": inventory}}, handle)
        command = [
            os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
            "-i", hosts, "-c", "local",
            "-e", f"ansible_python_interpreter={sys.executable}",
            playbook,
        ]
        if check:
            command.append("--check")
        if diff:
            command.append("--diff")
        run_env = dict(
            os.environ,
            ANSIBLE_STDOUT_CALLBACK="ansible.posix.json",
            ANSIBLE_LOCALHOST_WARNING="false",
            ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
            ANSIBLE_RETRY_FILES_ENABLED="false",
            ANSIBLE_NOCOLOR="true",
            ANSIBLE_LOCAL_TEMP=os.path.join(scratch, "tmp"),
            ANSIBLE_REMOTE_TEMP=os.path.join(scratch, "tmp"),
            **(env or {}),
        )
        proc = subprocess.run(command, capture_output=True, text=True, env=run_env, timeout=600, check=False)
    run = PlaybookRun(proc.returncode, proc.stdout, proc.stderr)
    if expect_ok:
        assert run.ok, f"ansible-playbook failed ({proc.returncode}):\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}"
    return run


def run_failing(endpoint_url, cases):
    """Run each (task, message) case in one playbook, ignoring errors, and assert that each task
    failed with its message; return the run. One run for many cases: a run costs seconds."""
    run = run_playbook(endpoint_url, [dict(task, ignore_errors=True) for task, _message in cases], expect_ok=False)
    assert len(run.tasks) == len(cases)
    for (task, message), result in zip(cases, run.tasks):
        assert result.get("failed") is True, task
        assert message in result["msg"], (message, result["msg"])
    return run


def writes(calls):
    return [call for call in calls if call["write"]]


def operations(calls):
    return [call["operation"] for call in calls]
