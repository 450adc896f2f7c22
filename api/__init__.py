"""The domain-free REST API layer every resource stands on: the base viewset with
strict query parameters and exports (`base`), pagination, conditional requests
(ETag, If-Match: `concurrency`), CSV and GeoJSON (`renderers`), the OpenAPI schema
class (`schema`), serializer bases and fields (`serializers`, `fields`), filter
types (`filters`) and the anonymous response cache (`response_cache`).

It names no domain app; the apps declare their resources in `<app>/api/`.
"""
