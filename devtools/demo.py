"""``make demo``: get a database, migrate, create a staff account, load sample data,
start a Celery worker and serve the shop. Safe to run again: every step is idempotent.

Run as ``python -m devtools.demo [--port 8000] [--no-serve]``.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A development machine: find or start PostgreSQL and Redis, generate a local secret key,
# serve uploaded files. DEBUG stays off (friendly error pages, as in production) unless
# DEBUG=True is set for tracebacks.
os.environ.setdefault("OCOP_DEV", "1")

from devtools import services

STAFF_EMAIL = os.environ.get("OCOP_DEMO_STAFF_EMAIL", "admin@ocop.test")
COOPERATIVE_EMAIL = os.environ.get("OCOP_DEMO_COOPERATIVE_EMAIL", "htx@ocop.test")
PROVINCE_EMAIL = os.environ.get("OCOP_DEMO_PROVINCE_EMAIL", "tinh@ocop.test")
SAMPLE_REGISTRY = services.REPO_ROOT / "catalog_sync" / "sample_data" / "ocop-registry-sample.csv"


def prepare_database() -> str:
    url = services.database_url()
    if services.ensure_database_exists(url):
        print(f"Created database {url}")
    return url


def configure_site(host: str) -> None:
    from django.contrib.sites.models import Site

    site = Site.objects.get_current()
    site.name = os.environ.get("OCOP_SHOP_NAME", "Chợ OCOP Việt Nam")
    site.domain = host
    site.save()


def ensure_account(email: str, password: str, *, superuser: bool = False):
    """A demo account with this password, created once (running the demo again keeps it)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(email, password)
    elif not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def ensure_staff_account() -> tuple[str, str]:
    """Create the demo superuser once; its password is kept in .devdata and printed."""
    credentials = services.DEVDATA_DIR / "demo-staff-password"
    password = credentials.read_text().strip() if credentials.exists() else ""
    if not password:
        password = os.environ.get("OCOP_DEMO_STAFF_PASSWORD") or secrets.token_urlsafe(12)
        credentials.parent.mkdir(parents=True, exist_ok=True)
        credentials.write_text(password)
        credentials.chmod(0o600)
    ensure_account(STAFF_EMAIL, password, superuser=True)
    return STAFF_EMAIL, password


def ensure_cooperative_account(password: str) -> str | None:
    """A portal account (/htx/) managing the sample producer with the most products, so
    the demo shows a cooperative's own view; same password as the staff account."""
    from django.db.models import Count

    from marketplace.models import CooperativeMembership, Producer

    producer = (
        Producer.objects.annotate(n=Count("products")).filter(n__gt=0).order_by("-n", "pk")
    ).first()
    if producer is None:
        return None
    user = ensure_account(COOPERATIVE_EMAIL, password)
    CooperativeMembership.objects.get_or_create(
        user=user, producer=producer, defaults={"role": CooperativeMembership.Role.MANAGER}
    )
    return producer.name


# The shop's receiving account for VietQR transfers in the demo (sample data, not a real
# account: set the shop's own with Saleor's pluginUpdate).
SAMPLE_BANK_ACCOUNT = [
    {"name": "bank_bin", "value": "970415"},
    {"name": "account_number", "value": "113366668888"},
    {"name": "account_name", "value": "CONG TY CHO OCOP (MAU)"},
]


def configure_sample_payments() -> None:
    """What a shopper can pay with in the demo: cash on delivery and VietQR (to the sample
    account), not Saleor's dummy test gateway, which accepts any order without money.
    Only set when nothing is configured yet: a second run keeps the operator's choices."""
    from saleor_adapter.payments.setup import configure_gateways_once

    configure_gateways_once(vietqr_configuration=SAMPLE_BANK_ACCOUNT, dummy_active=False)


def load_sample_data() -> None:
    from django.core.management import call_command, get_commands

    if "ocop_import" in get_commands() and SAMPLE_REGISTRY.exists():
        call_command("ocop_import", str(SAMPLE_REGISTRY))
    else:
        print("No sample registry to import yet.")


def start_celery_worker() -> subprocess.Popen | None:
    from django.conf import settings

    if settings.CELERY_TASK_ALWAYS_EAGER:
        print("Celery: no broker reachable, tasks run eagerly in the web process.")
        return None
    schedule = services.DEVDATA_DIR / "celerybeat-schedule"
    command = [
        sys.executable, "-m", "celery", "-A", "config.celery", "worker",
        "--beat", "--schedule", str(schedule), "--loglevel", "INFO", "--concurrency", "2",
    ]  # fmt: skip
    print(f"Celery: worker with beat on {settings.CELERY_BROKER_URL}")
    return subprocess.Popen(command, cwd=services.REPO_ROOT)


def serve(port: int) -> None:
    """Serve the shop with gunicorn: Django's runserver is one process with a thread per
    request, which two cores cannot push to the storefront's latency targets at 20
    concurrent shoppers. ``OCOP_WEB_SERVER=runserver`` brings back Django's server;
    ``OCOP_WEB_WORKERS`` sets the number of worker processes (default: 2 per core + 1)."""
    from django.core.management import call_command
    from django.db import connections

    if os.environ.get("OCOP_WEB_SERVER", "gunicorn") == "runserver":
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        return

    from gunicorn.app.base import BaseApplication

    from config.wsgi import application

    workers = int(os.environ.get("OCOP_WEB_WORKERS", 2 * (os.cpu_count() or 1) + 1))

    class DemoServer(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"127.0.0.1:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("worker_class", "sync")
            self.cfg.set("timeout", 60)
            self.cfg.set("graceful_timeout", 10)
            self.cfg.set("errorlog", "-")
            self.cfg.set("accesslog", os.environ.get("OCOP_WEB_ACCESS_LOG") or None)

        def load(self):
            return application

    # Workers are forked: none may inherit this process's database connection.
    connections.close_all()
    print(f"Serving with gunicorn, {workers} workers, on http://127.0.0.1:{port}/")
    DemoServer().run()


def start_search_engine():
    """With OCOP_SEARCH_ENGINE=opensearch and no OCOP_OPENSEARCH_URL: the project's own
    OpenSearch node (data in .devdata/opensearch), its URL exported for the web server
    and the worker; PostgreSQL (the default) needs nothing."""
    if os.environ.get("OCOP_SEARCH_ENGINE", "postgres").strip().lower() != "opensearch":
        return None
    from devtools import opensearch

    engine = opensearch.start(port=int(os.environ.get("OCOP_OPENSEARCH_PORT", 0)) or None)
    os.environ["OCOP_OPENSEARCH_URL"] = engine.url
    started = f" (started in {engine.started_in_seconds:.0f} s)" if engine.process else ""
    print(f"Search: OpenSearch at {engine.url}{started}")
    return engine


def build_search_index() -> None:
    from django.conf import settings
    from django.core.management import call_command

    if settings.OCOP_SEARCH_ENGINE == "opensearch":
        call_command("ocop_search_index", "--rebuild")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    parser.add_argument("--no-serve", action="store_true", help="set up, then exit")
    args = parser.parse_args(argv)

    search_engine = start_search_engine()
    try:
        return _run(args)
    finally:
        if search_engine is not None:
            search_engine.stop()


def _run(args) -> int:
    prepare_database()
    import django

    django.setup()
    from saleor_adapter.migrations_runner import migrate

    migrate(verbosity=1)
    configure_site(f"127.0.0.1:{args.port}")
    email, password = ensure_staff_account()
    load_sample_data()
    build_search_index()
    configure_sample_payments()
    print(f"\nStaff account / Tài khoản quản trị: {email}  password / mật khẩu: {password}")
    cooperative = ensure_cooperative_account(password)
    if cooperative:
        print(
            f"Cooperative portal / Cổng HTX: http://127.0.0.1:{args.port}/htx/  "
            f"{COOPERATIVE_EMAIL} ({cooperative}), same password / cùng mật khẩu"
        )
    from devtools.fair_sample import load_sample_fairs

    sample_fairs = load_sample_fairs(PROVINCE_EMAIL, password)
    if sample_fairs:
        account, fairs = sample_fairs
        print(
            f"Province fairs / Hội chợ của tỉnh: http://127.0.0.1:{args.port}/tinh/hoi-cho/  "
            f"{account}, same password / cùng mật khẩu; sample fair: "
            f"http://127.0.0.1:{args.port}/f/{fairs[0].slug}"
        )
    print(f"Shop: http://127.0.0.1:{args.port}/   GraphQL: http://127.0.0.1:{args.port}/graphql/\n")
    if args.no_serve:
        return 0

    # Stop cleanly on SIGTERM too, so the worker and an embedded database stop with us.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    worker = start_celery_worker()
    try:
        serve(args.port)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
