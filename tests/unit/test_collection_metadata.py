"""The collection's metadata agrees with itself: version, action group, module list."""

import glob
import os

import yaml

from ansible_collections.ecrkit.registry.plugins.module_utils.ecr import COLLECTION_NAME
from ansible_collections.ecrkit.registry.plugins.module_utils.ecr import COLLECTION_VERSION

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_user_agent_names_this_release():
    galaxy = load("galaxy.yml")
    assert COLLECTION_NAME == f"{galaxy['namespace']}.{galaxy['name']}"
    assert COLLECTION_VERSION == galaxy["version"]


def test_action_group_lists_every_module_and_extends_amazon_aws():
    group = load("meta/runtime.yml")["action_groups"]["aws"]
    modules = sorted(os.path.basename(path)[:-3] for path in glob.glob(os.path.join(ROOT, "plugins", "modules", "*.py")))
    assert sorted(entry for entry in group if isinstance(entry, str)) == modules
    assert {"metadata": {"extend_group": ["amazon.aws.aws"]}} in group


def test_depends_on_amazon_aws_range_we_test():
    assert load("galaxy.yml")["dependencies"] == {"amazon.aws": ">=10.0.0,<13.0.0"}
