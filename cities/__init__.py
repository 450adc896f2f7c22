"""Cities: places. What a city is called (in English and in its own script), where it
is, which country it belongs to; its admin (place fields only), its API resource
(`cities.api`) and its search rule (`CityQuerySet`).

It knows nothing of the partnerships built on it and imports no other app of the
project; it stands on `api` and `common`.
"""
