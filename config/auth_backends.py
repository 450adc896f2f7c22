"""Authentication backends.

django-axes counts failed logins per client, so it needs the HTTP request. Every
login that comes over HTTP passes one (the admin's login form, DRF's token view);
only code running outside a request (the test client's `login()`, a shell) calls
`authenticate()` without it, and there is no client to lock out. The stock
`AxesStandaloneBackend` raises in that case; this one steps aside instead and lets
the next backend decide.
"""

from axes.backends import AxesStandaloneBackend


class RequestAwareAxesBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
