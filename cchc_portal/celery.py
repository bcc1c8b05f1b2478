"""The Celery application. Configuration lives in settings under the CELERY_ prefix; the few
worker-side settings below keep a worker alive through a Redis outage (issue 17)."""

import os

import redis
from celery import Celery
from kombu.exceptions import OperationalError
from kombu.transport import TRANSPORT_ALIASES
from kombu.transport import redis as kombu_redis

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")


# What publishing a task raises when the broker cannot be reached: kombu's OperationalError
# (what Celery wraps connection errors in), the Redis client's own errors when they escape it,
# the socket's (OSError, which covers ConnectionError and TimeoutError), and the RuntimeError of
# a Redis result backend that gave up reconnecting (when one is configured). Every caller that
# publishes from a request catches these and leaves the work for a sweep.
BROKER_ERRORS = (OperationalError, redis.RedisError, OSError, RuntimeError)


class RedisChannel(kombu_redis.Channel):
    """kombu's Redis channel, minus a crash of the worker when Redis goes away.

    kombu 5.7.0 (the newest release): when a prefork worker loses Redis while it holds a task,
    the consumer first "collects" the connection (the channel's close fails half-way on the
    dead socket, then the transport is detached) and then closes it again; the second close
    tries to put the held message back, builds a new connection pool from the detached
    transport and raises ``AttributeError: 'NoneType' object has no attribute 'hostname'``,
    which Celery treats as unrecoverable: the worker exits. The same happens when the task
    finishes and its acknowledgement is sent on that channel. Raising a connection error
    instead lets kombu ignore it as it ignores every other error of a lost connection; the
    worker then reconnects. The message stays in Redis's unacked set and is delivered again
    after the visibility timeout if Redis kept it (tasks are idempotent: acks_late).
    """

    def _connparams(self, asynchronous=False):
        if self.connection.client is None:
            raise redis.ConnectionError("the broker connection was closed (connection lost)")
        return super()._connparams(asynchronous=asynchronous)


class RedisTransport(kombu_redis.Transport):
    Channel = RedisChannel


# A broker URL's scheme names its transport (kombu ignores broker_transport then): redis:// and
# rediss:// URLs get the channel above.
TRANSPORT_ALIASES["redis"] = TRANSPORT_ALIASES["rediss"] = "cchc_portal.celery:RedisTransport"

app = Celery("cchc_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    # Reconnect for as long as Redis is away (the default gives up after 100 tries, about
    # 50 minutes, and the worker and beat then exit).
    broker_connection_max_retries=None,
    # A task running when the connection drops runs to its end (Celery 5's default, set here
    # because Celery 6 will flip it). Cancelling it would rely on the message being delivered
    # again, which a Redis restarted without its data cannot do.
    worker_cancel_long_running_tasks_on_connection_loss=False,
)
app.autodiscover_tasks()
