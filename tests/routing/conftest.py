from tests.routing.marketplace import (  # noqa: F401  (fixtures)
    catalog,
    cooperative_settings,
    marketplace_on_commit,
    order_of,
    platform_staff,
    tai_hoan_staff,
    tan_cuong_staff,
)
