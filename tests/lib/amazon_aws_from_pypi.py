#!/usr/bin/env python
# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Put amazon.aws from another `ansible` release on PyPI into this virtualenv's site-packages.

ansible 10 and 11 (ansible-core 2.17 and 2.18) bundle amazon.aws 8 and 9; ecrkit.registry needs
amazon.aws 10 or later, which their users install with `ansible-galaxy collection install`. Our
machines reach PyPI but not Galaxy, so this takes amazon.aws from the `ansible` wheel named by the
requirement (for example `ansible>=12,<13`, which ships amazon.aws 10.x) and replaces the bundled copy.

    python amazon_aws_from_pypi.py 'ansible>=12,<13'
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import zipfile

PREFIX = "ansible_collections/amazon/aws/"


def main(requirement):
    site = sysconfig.get_paths()["purelib"]
    with tempfile.TemporaryDirectory() as download:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                        "--no-deps", "--only-binary", ":all:", "--dest", download, requirement], check=True)
        (wheel,) = [os.path.join(download, name) for name in os.listdir(download) if name.endswith(".whl")]
        target = os.path.join(site, PREFIX)
        shutil.rmtree(target, ignore_errors=True)
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(site, [name for name in archive.namelist() if name.startswith(PREFIX)])
    with open(os.path.join(target, "MANIFEST.json"), encoding="utf-8") as handle:
        version = json.load(handle)["collection_info"]["version"]
    print(f"amazon.aws {version} from {os.path.basename(wheel)} in {site}")


if __name__ == "__main__":
    main(sys.argv[1])
