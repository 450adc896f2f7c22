"""Middleware steps an API request does not need.

`MessageMiddleware`: Django's, except on /api/ addresses. The API never adds nor
shows a flash message (the browsable API's templates ask the messages context
processor, which answers an empty list without the storage), so setting up the
cookie and session message storage for each API request was work for nothing.
The admin and the public pages keep it as before.
"""

from __future__ import annotations

from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware

API_PREFIX = "/api/"


class MessageMiddleware(DjangoMessageMiddleware):
    def process_request(self, request):
        if request.path_info.startswith(API_PREFIX):
            return None
        return super().process_request(request)
