"""The README's first command: the demo runs, re-runs with no change, and dry-runs a drift without writing."""

import importlib.metadata
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_demo_runs_as_the_readme_says():
    ansible_major = importlib.metadata.version("ansible").split(".")[0]  # the same virtualenv is reused
    proc = subprocess.run(
        [os.path.join(ROOT, "docs", "demo", "run"), "--ansible", ansible_major, "--python", sys.executable],
        capture_output=True, text=True, timeout=600, check=False,
    )
    output = proc.stdout
    assert proc.returncode == 0, output[-4000:] + proc.stderr[-2000:]
    first, second, dry_run = output.split("PLAY RECAP")[1:4]
    assert "changed=4" in first
    assert "changed=0" in second and "saw 0 write calls during this run" in output
    assert "changed=1" in dry_run and "saw 0 write calls during the dry run" in output
    assert '-                        "region": "ap-south-1",' in output  # the diff names the drift
