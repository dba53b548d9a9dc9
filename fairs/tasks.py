from celery import shared_task


@shared_task
def send_province_invitation(row_id: int) -> None:
    from fairs import staff

    staff.send_invitation(row_id)
