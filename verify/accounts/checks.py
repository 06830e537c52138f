from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def admin_two_factor(app_configs, **kwargs) -> list[Warning]:
    if settings.VERIFY_REQUIRE_ADMIN_OTP:
        return []
    return [
        Warning(
            "VERIFY_REQUIRE_ADMIN_OTP is off: admins can change roles and settings with a password alone.",
            hint="Unset VERIFY_REQUIRE_ADMIN_OTP (it is on when DEBUG is false) or set it to true.",
            id="verify.W001",
        )
    ]
