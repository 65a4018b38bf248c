"""The state-machine base every life cycle shares (django-fsm, made safe across threads)."""

from django.db import models
from django_fsm import ConcurrentTransitionMixin


class ConcurrentTransitionModel(ConcurrentTransitionMixin):
    """`ConcurrentTransitionMixin` whose `refresh_from_db` leaves other instances alone.

    django-fsm reloads a protected state field by switching protection off on the field
    itself, which every instance of the model in the process shares, and on again after:
    a second thread reloading at the same moment switches it back on under the first, which
    then fails with "Direct state modification is not allowed". Here the reload takes this
    instance's loaded state out of its own `__dict__` instead, so the field's descriptor
    accepts the fresh value, and asks for the same fields Django would have reloaded.
    """

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        if fields is None:
            deferred = self.get_deferred_fields()
            fields = [f.attname for f in self._meta.concrete_fields if f.attname not in deferred]
            # What Django does for a full reload, which naming the fields would skip.
            self._prefetched_objects_cache = {}
        for name in self._get_protected_fsm_fields():
            if name in fields:
                self.__dict__.pop(name, None)
        models.Model.refresh_from_db(self, using=using, fields=fields, from_queryset=from_queryset)
        self._update_initial_state()
