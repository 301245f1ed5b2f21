"""Read-only requests read SpatiaLite without queueing behind writers (see base.py)."""

from .base import read_only_transactions

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReadOnlyRequests:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS:
            with read_only_transactions():
                return self.get_response(request)
        return self.get_response(request)
