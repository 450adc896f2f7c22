"""Partnerships: the diplomacy built on cities. Twin-city links, liaison offices,
organisations, officials, events, quotes and sources; their rules (models), reads
(`selectors`, QuerySet methods), admin, API resources (`partnerships.api`), the
network questions (`network`) and the twin-city import (`importing`).

Stands on `cities` (never the reverse), `api` and `common`. What shows a city *with*
its links (the city admin, the city API resource's counts and partners) lives here.
"""
