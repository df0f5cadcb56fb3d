"""Prometheus metrics at /metrics, read from the database and the shared cache at scrape time.

Every app server answers the same figures (nothing is counted in a process's memory, which with several
gunicorn workers would disagree), so a scrape of any server, or through the load balancer, is right. Request
latency is left to the proxy's own metrics (nginx, the load balancer), which see every server.
"""
from __future__ import annotations

import ipaddress
import time
from collections.abc import Iterator

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Min
from django.http import HttpRequest
from django.utils import timezone
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from fankui.core.health import HEARTBEAT_KEY
from fankui.incidents.models import Incident
from fankui.notify.models import Delivery
from fankui.tickets.models import Ticket


class FankuiCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        created = CounterMetricFamily("fankui_tickets_created", "Tickets filed, by channel", labels=["channel"])
        for channel, count in Ticket.objects.values_list("channel").annotate(n=Count("id")).values_list("channel", "n"):
            created.add_metric([channel], count)
        yield created
        hour = GaugeMetricFamily("fankui_tickets_created_last_hour", "Tickets filed in the last hour")
        hour.add_metric([], Ticket.objects.filter(created_at__gte=timezone.now() - timezone.timedelta(hours=1)).count())
        yield hour
        open_tickets = GaugeMetricFamily("fankui_tickets_open", "Tickets open or waiting, by tier", labels=["tier"])
        for tier, count in (Ticket.objects.filter(status__in=[Ticket.Status.OPEN, Ticket.Status.WAITING])
                            .values_list("tier").annotate(n=Count("id")).values_list("tier", "n")):
            open_tickets.add_metric([str(tier)], count)
        yield open_tickets
        outbox = GaugeMetricFamily("fankui_outbox_deliveries", "Notification deliveries by status and channel", labels=["status", "channel"])
        for status, channel, count in Delivery.objects.exclude(status=Delivery.Status.SENT).values_list("status", "channel").annotate(n=Count("id")).values_list("status", "channel", "n"):
            outbox.add_metric([status, channel], count)
        yield outbox
        oldest = Delivery.objects.filter(status=Delivery.Status.PENDING).aggregate(first=Min("next_attempt_at"))["first"]
        lag = GaugeMetricFamily("fankui_outbox_oldest_due_seconds", "How long the oldest pending delivery has been due")
        lag.add_metric([], max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else 0.0)
        yield lag
        beat = cache.get(HEARTBEAT_KEY)
        worker = GaugeMetricFamily("fankui_worker_heartbeat_age_seconds", "Seconds since the worker's last heartbeat (-1: never)")
        worker.add_metric([], time.time() - beat if beat else -1.0)
        yield worker
        incidents = GaugeMetricFamily("fankui_incidents_open", "Open common problems, by state", labels=["state"])
        for state, count in Incident.objects.filter(state__in=Incident.OPEN_STATES).values_list("state").annotate(n=Count("id")).values_list("state", "n"):
            incidents.add_metric([state], count)
        yield incidents


def may_scrape(request: HttpRequest) -> bool:
    """A scraper with FANKUI_METRICS_TOKEN as its bearer token, or one at an address in FANKUI_METRICS_ALLOW."""
    token = settings.FANKUI_METRICS_TOKEN
    if token and request.headers.get("Authorization", "") == f"Bearer {token}":
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net.strip(), strict=False) for net in settings.FANKUI_METRICS_ALLOW.split(",") if net.strip())
