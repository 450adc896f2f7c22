"""Settings for the app side of benchmarks/vs_datasette.py: production settings with
the API throttles switched off.

The load comes from one address at a rate no single client is allowed. With a
throttle on (even with a raised rate), DRF keeps the time of every request of the
last minute in one cache entry per client and reads and rewrites that list on
every request: at benchmark rates the list holds thousands of entries and moving
it costs more than the answer (3.5 ms against 0.8 ms per cached answer, measured).
Datasette has no throttle, so neither side gets one.
"""

from config.settings import *  # noqa: F403
from config.settings import REST_FRAMEWORK

REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
