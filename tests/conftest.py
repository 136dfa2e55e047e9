"""Fixtures shared by every test: the local ECR endpoint (tests/ecr_endpoint) is importable."""

import os
import sys

TESTS = os.path.dirname(os.path.abspath(__file__))
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)
