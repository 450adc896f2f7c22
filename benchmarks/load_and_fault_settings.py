"""Settings for the server of benchmarks/load_and_fault.py: the production settings,
with two changes that only a benchmark on one machine needs.

- STATIC_ROOT in /tmp: production serves the files `collectstatic` gathered (the
  Dockerfile runs it); the benchmark gathers them outside the work tree.
- No API throttles: all 32 clients come from 127.0.0.1, so they would share one
  anonymous throttle entry, a list of every request of the last minute that DRF reads
  and rewrites on each request, which no real deployment with many addresses has.
"""

from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import REST_FRAMEWORK

STATIC_ROOT = Path("/tmp/tw_rel_load_static")
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
