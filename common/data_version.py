"""The data version: one token that says "the data changed", for every cache of answers.

Every cache of answers made from the records (the API's response cache and the
network graph's memo; the home map) is keyed on `data_version()`, a token kept in
the shared cache; `bump_data_version()` replaces it, and so drops them all at once.

Who bumps it:
- model signals (post_save, post_delete, m2m_changed) of every app that calls
  `watch(app_config)` from its AppConfig.ready(), so every process that runs
  `django.setup()` (the server's workers, `manage.py shell`, a management command) has them
  connected, whether or not it ever imports a view or a middleware. Each signal
  bumps at once (for reads later in the same transaction) and again when the
  transaction commits, so a reader in another process that raced the edit cannot
  keep an old answer under the new token;
- code that writes without signals (`QuerySet.update()`, `bulk_create()`,
  `flush`): it calls `bump_data_version()` itself, after commit (the twin-city
  import, `restore`).

A bump the cache could not take (Redis down or hanging: common.cache answers
False) is not forgotten: the process retries it, from a background thread every
half second and before its own next read of the token, until Redis takes it. So the
token does not survive an outage in which data changed: when Redis returns, the
answers cached before the outage are dropped, never served for data changed
meanwhile. A process that met the outage at all starts a new token when the cache
returns, too, as another process's bump may still be on its way. While the cache
is out of reach `data_version()` gives a fresh token on every call, so nothing is
reused from a cache that cannot be checked.

With Redis (or memcached) as the cache every process sees a new token at once. With
the per-process memory cache, another process's token is out of reach: caches that
must be right across processes even then add a fingerprint of their tables to
their key (the network graph and the home map do).
"""

from __future__ import annotations

import threading
import time
import uuid

from django.apps import AppConfig
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "data:version"

RETRY_SECONDS = 0.5

_watched_apps: set[str] = set()
_pending = threading.Event()  # a bump the cache did not take
_retrying = threading.Lock()


def _store_new_version() -> bool:
    # False only from common.cache's Redis backend, when Redis did not take it.
    return cache.set(VERSION_KEY, uuid.uuid4().hex, None) is not False


def version_trustworthy() -> bool:
    """False while this process holds a bump the cache has not taken yet: a token
    read from the cache now may predate data changed during an outage."""
    outage_ended = getattr(cache, "outage_ended", None)
    if outage_ended is not None and outage_ended():
        # This process met the outage: another may have changed data in it and
        # not got its bump through yet. Start a new generation rather than wait.
        _pending.set()
    if _pending.is_set() and _store_new_version():
        _pending.clear()
    return not _pending.is_set()


def _retry_in_background() -> None:
    if not _retrying.acquire(blocking=False):
        return  # one retrier per process is enough

    def loop():
        try:
            while not version_trustworthy():
                time.sleep(RETRY_SECONDS)
        finally:
            _retrying.release()

    threading.Thread(target=loop, name="data-version-retry", daemon=True).start()


def data_version() -> str:
    """The current token; a new generation starts if it was evicted or never set."""
    if not version_trustworthy():
        # The cache is unreachable: a token that matches nothing stored there.
        return uuid.uuid4().hex
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, None):
            version = cache.get(VERSION_KEY) or version
    return version


def bump_data_version(**_signal_kwargs) -> None:
    """Say that the data changed: every answer cached under the old token is dropped."""
    if not _store_new_version():
        _pending.set()
        _retry_in_background()


def data_changed(*, using: str | None = None) -> None:
    """Bump now, and again when the current transaction (if any) commits."""
    bump_data_version()
    transaction.on_commit(bump_data_version, using=using)


def shared_cache() -> bool:
    """Whether the cache, and so the token, is shared by every process (Redis, memcached)."""
    backend = settings.CACHES["default"]["BACKEND"].lower()
    # Not "memcache" alone: the local-memory backend is LocMemCache.
    return "redis" in backend or "memcached" in backend


def _on_signal(sender, **kwargs) -> None:
    if sender._meta.app_label in _watched_apps:
        data_changed(using=kwargs.get("using"))


def watch(app_config: AppConfig) -> None:
    """Bump the data version on every save, delete and many-to-many change of the app's
    models (their history rows and through rows included). Call from AppConfig.ready()."""
    _watched_apps.add(app_config.label)
    post_save.connect(_on_signal, dispatch_uid="data-version-save")
    post_delete.connect(_on_signal, dispatch_uid="data-version-delete")
    m2m_changed.connect(_on_signal, dispatch_uid="data-version-m2m")
