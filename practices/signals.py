"""Writes that change the practices filter's choices drop them from the cache
(``filters.published_facets``): a practice saved or deleted, its tags changed, a cluster
saved (its country may have changed)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from clusters.models import Cluster

from .filters import forget_published_facets
from .models import Practice, Tag


@receiver(post_save, sender=Practice)
@receiver(post_delete, sender=Practice)
@receiver(post_save, sender=Cluster)
@receiver(post_delete, sender=Cluster)
@receiver(post_delete, sender=Tag)
@receiver(m2m_changed, sender=Practice.tags.through)
def practice_facets_changed(**kwargs) -> None:
    forget_published_facets()
