"""python -m ecr_endpoint: starts, writes the URL file, serves, logs calls, stops on SIGTERM."""

import json
import os
import signal
import subprocess
import sys
import time

import boto3
import pytest
from botocore.config import Config

from ecr_endpoint.__main__ import write_atomically

TESTS_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def start_cli(tmp_path, *arguments, env=None):
    url_file = tmp_path / "url"
    process = subprocess.Popen(
        [sys.executable, "-m", "ecr_endpoint", "--port", "0", "--url-file", str(url_file), *arguments],
        cwd=TESTS_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})},
    )
    deadline = time.monotonic() + 20
    while not url_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the endpoint did not start: {process.communicate()}")
        time.sleep(0.05)
    return process, url_file.read_text().strip()


def stop_cli(process):
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()


def test_cli_serves_until_sigterm(tmp_path):
    log = tmp_path / "calls.jsonl"
    process, url = start_cli(tmp_path, "--host", "127.0.0.1", "--call-log", str(log), "--page-size", "1")
    try:
        assert url.startswith("http://127.0.0.1:")
        assert process.stdout.readline().strip() == f"ECR endpoint listening on {url}"
        ecr = boto3.client("ecr", region_name="us-west-2", endpoint_url=url, aws_access_key_id="AKIA111122223333",
                           aws_secret_access_key="x", config=Config(retries={"mode": "standard", "total_max_attempts": 1}))
        for prefix in ("aa", "bb"):
            ecr.create_pull_through_cache_rule(ecrRepositoryPrefix=prefix, upstreamRegistryUrl="quay.io")
        first = ecr.describe_pull_through_cache_rules()
        assert len(first["pullThroughCacheRules"]) == 1 and first["nextToken"]
    finally:
        assert stop_cli(process) == 0
    operations = [json.loads(line)["operation"] for line in log.read_text().splitlines()]
    assert operations == ["CreatePullThroughCacheRule", "CreatePullThroughCacheRule", "DescribePullThroughCacheRules"]


def test_cli_takes_faults_from_the_environment(tmp_path):
    process, url = start_cli(tmp_path, env={"ECR_ENDPOINT_SERVER_ERRORS": "1"})
    try:
        ecr = boto3.client("ecr", region_name="us-east-1", endpoint_url=url, aws_access_key_id="AKIA111122223333",
                           aws_secret_access_key="x", config=Config(retries={"mode": "standard", "total_max_attempts": 1}))
        with pytest.raises(ecr.exceptions.ServerException):
            ecr.describe_registry()
        assert ecr.describe_registry()["registryId"] == "111122223333"
    finally:
        assert stop_cli(process) == 0


def test_cli_stops_on_sigint(tmp_path):
    process, _url = start_cli(tmp_path)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0


def test_url_file_is_replaced_whole(tmp_path):
    target = tmp_path / "url"
    target.write_text("stale")
    write_atomically(str(target), "http://127.0.0.1:1\n")
    assert target.read_text() == "http://127.0.0.1:1\n"
    assert [path.name for path in tmp_path.iterdir()] == ["url"]


def test_cli_refuses_a_bad_page_size(tmp_path):
    result = subprocess.run([sys.executable, "-m", "ecr_endpoint", "--page-size", "0"], cwd=TESTS_DIR,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert "page_size must be a positive integer" in result.stderr
