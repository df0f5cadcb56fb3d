"""The shared cache on one machine (no REDIS_URL): diskcache's SQLite files in the data folder."""
from __future__ import annotations

from typing import Any

from diskcache import DjangoCache


class SharedCache(DjangoCache):  # type: ignore[misc]
    """diskcache's Django backend, with its connections kept between requests.

    Django closes every cache when a request ends; diskcache then shuts its SQLite connections, and
    opening them again cost about 1 ms of every API request. They are per thread and safe to keep.
    """

    def close(self, **kwargs: Any) -> None:
        return None
