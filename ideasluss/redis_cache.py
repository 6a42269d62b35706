"""Django's Redis cache backend, with one redis-py client per connection pool.

Django's `RedisCacheClient` makes a new `redis.Redis` for every cache operation. With
redis-py 8 that object fills its table of about 170 response callbacks each time:
0.2 ms an operation, more than a third of serving a stored public page (two reads)
and a part of every signed-in page (the session, the figures, the cache versions). The
client holds no connection of its own (its pool does, shared as before), so one per pool
is how redis-py means it to be used, from any number of threads.

Use it as CACHE_BACKEND=ideasluss.redis_cache.RedisCache; everything else is Django's.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
