# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Limits as the service states them: read from the ECR service model of the installed botocore.

AWS raises limits over time (replication rules went from 10 to 25); botocore's model follows, so
the module follows botocore instead of a number copied once. Each reader takes the value the
module used before as its fallback, for a botocore whose model does not state the limit.
"""

import functools
import os

try:
    import botocore
    import botocore.loaders
    import botocore.model
except ImportError:
    pass  # amazon.aws's module base reports a missing botocore before any check runs


@functools.lru_cache(maxsize=None)
def _loader():
    # A bare loader, not a botocore session: a session lists every service's data directory and
    # parses the endpoints file, about 0.1 s of every module run, for two small files.
    return botocore.loaders.create_loader(os.environ.get("AWS_DATA_PATH"))


@functools.lru_cache(maxsize=None)
def _ecr_model():
    try:
        version = _loader().determine_latest_version("ecr", "service-2")
        return botocore.model.ServiceModel(_loader().load_data(f"ecr/{version}/service-2"), service_name="ecr")
    except Exception:  # pylint: disable=broad-exception-caught
        return None  # no botocore, or a model that cannot load: the fallbacks apply


def shape_metadata(shape_name):
    """The constraints (min, max, pattern) the model states for a shape; {} when it states none."""
    model = _ecr_model()
    if model is None:
        return {}
    try:
        return dict(model.shape_for(shape_name).metadata)
    except Exception:  # pylint: disable=broad-exception-caught
        return {}  # an older model without this shape


def limit(shape_name, key, fallback):
    """One constraint (`min`, `max`, or `pattern`) of a shape, or `fallback` when not stated."""
    return shape_metadata(shape_name).get(key, fallback)


@functools.lru_cache(maxsize=None)
def known_regions():
    """The regions of every partition botocore knows (its partitions file, which the endpoint rules
    use); an empty set when it cannot say."""
    try:
        partitions = _loader().load_data("partitions")["partitions"]
        return frozenset(region for partition in partitions for region in partition["regions"] if not region.endswith("-global"))
    except Exception:  # pylint: disable=broad-exception-caught
        return frozenset()


def region_warning(option, region):
    """A warning for a region name botocore does not know: a typo, or a region newer than botocore."""
    regions = known_regions()
    if not regions or region in regions:
        return []
    return [
        f"{option}: {region!r} is not a region that botocore {botocore.__version__} knows; check the name "
        "(a region newer than botocore is fine: the service decides)."
    ]
