"""What the statistics hear: a learner at work (an activity day), and changes no timestamp records (a learner
who moves or is erased, a programme edited) that mark days for the rollup to recompute."""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from accounts.models import User
from courses.signals import learner_active

from . import services
from .activity import record_activity
from .models import Programme

COUNTED_BY = ("commune_id", "gender", "year_of_birth", "created_via", "is_staff")


@receiver(pre_save, sender=User)
def learner_changed(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or instance.pk is None or instance._state.adding:
        return
    if update_fields is not None and not {f.removesuffix("_id") for f in COUNTED_BY} & {
            f.removesuffix("_id") for f in update_fields}:
        return  # a login (last_login), a password change: nothing counted changes
    before = User.objects.filter(pk=instance.pk).values(*COUNTED_BY).first()
    if before and any(before[field] != getattr(instance, field) for field in COUNTED_BY):
        services.learner_changed(user=instance)


@receiver(pre_delete, sender=User)
def learner_erased(sender, instance, **kwargs):
    services.freeze_contribution(user=instance)


@receiver(post_save, sender=Programme)
@receiver(post_delete, sender=Programme)
def programme_changed(sender, **kwargs):
    services.programme_changed()


@receiver(learner_active)
def learner_was_active(sender, learner, **kwargs):
    record_activity(learner=learner)
