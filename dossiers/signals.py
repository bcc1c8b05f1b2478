"""Signals of the dossiers app.

``dossiers`` never imports ``reports`` (DESIGN §2): it announces every change here and
``reports`` subscribes to mark the touched rollups stale and schedule their refresh.
"""

from __future__ import annotations

import django.dispatch

# Sent with sender=Dossier INSIDE the transaction that changes a dossier, before it commits, so
# that what a receiver writes to the database commits or rolls back with the change (a receiver
# that raises fails the change); a receiver that reaches the outside world (broker, mail) defers
# that with ``transaction.on_commit(…, robust=True)``. Kwargs:
# ``dossier_id`` (int, or None for a bulk change), ``unit_ids`` (frozenset of the receiving and
# handling units involved),
# ``dates`` (frozenset of the local dates the change touched: the received date, the event's
# date, and for a completed supplement the due dates before and after the shift) and
# ``event_kind`` (str, the :class:`~dossiers.models.EventKind` value of the step just recorded;
# "imported" from import_dossiers and "digitised" from import_digitised, both with
# ``dossier_id`` None), and for a step ``event_id`` (the id of its :class:`Event`). Receivers
# must accept ``**kwargs``: more keys may be added.
dossier_changed = django.dispatch.Signal()
