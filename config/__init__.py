"""The site's configuration: settings (from the environment), the URL map and the one
API router (`config.api`), WSGI/ASGI entry points, and the middleware and error
handlers about the whole site (database outages, request limits). The top of the
import order: nothing imports config.
"""
