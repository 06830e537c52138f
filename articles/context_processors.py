from django.http import HttpRequest


def verify(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_can_work": user.is_editor_role,
        "nav_can_view": user.can_view_desk,
        "nav_is_admin": user.is_admin_role,
    }
