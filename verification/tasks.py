"""Celery beat tasks of verification (config.settings CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from verification import reminders, reports


@shared_task(acks_late=True)
def send_certificate_reminders() -> int:
    return reminders.send_expiry_reminders()


@shared_task(acks_late=True)
def flag_copied_stamps() -> int:
    return reports.flag_copied_stamps()
