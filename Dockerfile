# The web image: the project installed with pip, static files collected, granian as a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# The whole tree (minus .dockerignore): the apps import each other and read
# templates/, static/, fixtures/ and data/ (the world's twin-town record, imported
# into an empty database on first start) from the project folder at run time.
COPY . .
RUN pip install .

# The translations: compiled from locale/*/LC_MESSAGES/django.po with GNU gettext's
# msgfmt, so the image never depends on the committed .mo files being current.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && python manage.py compilemessages --ignore=.venv \
    && apt-get purge -y --auto-remove gettext \
    && rm -rf /var/lib/apt/lists/*

# Production static files (hashed names, compressed) are built into the image.
# The key and host below exist only for this build step; the container gets its own.
RUN DEBUG=0 SECRET_KEY=collectstatic-build-step-only-not-used-at-runtime \
    ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput

# The import writes its report under tmp/: the one folder the app user may write.
RUN useradd --create-home --uid 10001 app && mkdir -p tmp/reports && chown -R app tmp
USER app

EXPOSE 8000
# granian: HTTP/1.1 parsed by Rust (hyper), 2 worker processes of 4 threads each that
# run the WSGI app, keep-alive connections, an access log on stdout, a crashed worker
# started again. Measured against gunicorn's 2 gthread workers x 4 threads under the
# same load: about 0.3 ms less CPU per API request (benchmarks/vs_datasette.py).
CMD ["granian", "--interface", "wsgi", "config.wsgi:application", \
     "--host", "0.0.0.0", "--port", "8000", "--http", "1", \
     "--workers", "2", "--blocking-threads", "4", \
     "--respawn-failed-workers", "--access-log"]
