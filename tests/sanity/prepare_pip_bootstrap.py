#!/usr/bin/env python
# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Let `ansible-test sanity --venv` bootstrap pip where its download host is out of reach.

ansible-test seeds each virtualenv it makes with a `get-pip` script fetched from its CI file host,
cached as ~/.ansible/test/cache/get_pip_<version>.py. Our machines reach PyPI only, so this writes
that cache entry: a stand-in that runs pip from the same pip release's wheel, downloaded from PyPI.
"""

import os
import re
import subprocess
import sys

import ansible_test

# What get-pip.py does with its arguments: `pip install --upgrade --force-reinstall ARGS pip`,
# where --no-setuptools and --no-wheel are get-pip's own flags.
STAND_IN = '''\
"""Stand-in for get-pip.py {version}, written by tests/sanity/prepare_pip_bootstrap.py."""
import runpy
import sys

sys.path.insert(0, {wheel!r})
args = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
if not any(arg == "pip" or arg.startswith("pip=") for arg in args):
    args.append("pip")
sys.argv = ["pip", "install", "--upgrade", "--force-reinstall"] + args
runpy.run_module("pip", run_name="__main__", alter_sys=True)
'''


def pip_version():
    """The pip release this ansible-test seeds its virtualenvs with."""
    source = os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")
    with open(source, encoding="utf-8") as handle:
        match = re.search(r"pip='([0-9.]+)'", handle.read())
    if not match:
        sys.exit(f"cannot find the pip version in {source}")
    return match.group(1)


def main():
    version = pip_version()
    cache = os.path.expanduser("~/.ansible/test/cache")
    script = os.path.join(cache, f"get_pip_{version.replace('.', '_')}.py")
    wheel = os.path.join(cache, f"pip-{version}-py3-none-any.whl")
    os.makedirs(cache, exist_ok=True)
    if not os.path.exists(wheel):
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "-d", cache, f"pip=={version}"],
            check=True,
        )
    with open(script, "w", encoding="utf-8") as handle:
        handle.write(STAND_IN.format(version=version, wheel=wheel))
    print(f"pip {version} bootstrap for ansible-test: {script}")


if __name__ == "__main__":
    main()
