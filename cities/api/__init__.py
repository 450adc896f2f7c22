"""The city resource of the API: serializers, filters and the viewset of a place.

Only what a city is; `partnerships.api` extends each piece with the counts and
partners that need knowledge of links (cities never imports partnerships).
"""
