"""Issue a certificate when a course is completed, inside the transaction that records the completion."""

import logging

from django.db import transaction
from django.dispatch import receiver

from courses.signals import course_completed

from . import services

logger = logging.getLogger(__name__)


@receiver(course_completed, dispatch_uid="certificates.issue_on_completion")
def issue_on_completion(sender, *, learner, course, enrollment, **kwargs):
    # A savepoint: a failure here is logged and never undoes the learner's finished course
    # (giving consent again, or services.issue_missing_certificates, issues it later).
    try:
        with transaction.atomic():
            services.issue_certificate(learner=learner, course=course, completed_at=enrollment.completed_at)
    except Exception:
        logger.exception("could not issue the certificate of %s for course %s", learner.pk, course.pk)
