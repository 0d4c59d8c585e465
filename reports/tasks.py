"""Celery tasks of the statistics: the periodic rollup and the nightly reconciliation (beat, see settings)."""

from celery import shared_task


@shared_task(name="reports.tasks.roll_up")
def roll_up(full: bool = False) -> dict:
    from . import services

    result = services.roll_up(full=full)
    return {"full": result.full, "days": result.days, "activity_folded": result.activity_folded}


@shared_task(name="reports.tasks.reconcile")
def reconcile(days: int | None = None) -> dict:
    from . import services

    result = services.reconcile(days=days)
    return {"days": result.days}
