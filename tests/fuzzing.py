"""How many examples the property tests run: a few in the default tests, thousands under
``nox -s fuzz`` (which sets PIA_FUZZ_EXAMPLES)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("PIA_FUZZ_EXAMPLES", "60"))

fuzz = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
