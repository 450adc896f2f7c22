"""Django's PostgreSQL backend, with a health check that costs no round trip while the
connection is quiet.

With CONN_HEALTH_CHECKS, Django runs `SELECT 1` before the first query of every
request on a persistent connection: a round trip to the server per request, which on
a read of two prepared statements is a third of the statements. A server that closes
a connection (a restart, a terminated backend, a proxy dropping it) first sends its
last message or the end of the stream, which makes the socket readable; an idle,
healthy connection has nothing to read. So the check first polls the socket without
waiting: nothing to read, the connection is as good as `SELECT 1` would find it; any
data or a closed stream, and Django's own check (`SELECT 1`) decides, closing the
connection if it fails. What neither catches (a host gone without closing the TCP
stream) is caught by the connect and socket timeouts, as before.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and self._quiet()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _quiet(self) -> bool:
        """True when the connection's socket is open with nothing waiting to be read."""
        poll = getattr(select, "poll", None)
        if poll is None or self.connection.closed:
            return False
        try:
            poller = poll()
            poller.register(self.connection.fileno(), select.POLLIN | select.POLLPRI)
            return not poller.poll(0)
        except (OSError, ValueError, AttributeError):
            return False
