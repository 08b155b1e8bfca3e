"""What core tells the apps above it, without importing them.

``state_recorded`` is sent by :func:`core.services.record` for every recorded
state change, inside the service's transaction, with the changed object
(``target``, as the service holds it: its new state already set) and the
``AuditEvent``. An app that must follow every change of any object listens
here (notifications marks done the notifications whose action is done)
instead of each feature's services calling it one by one.
"""

from django.dispatch import Signal

state_recorded = Signal()
