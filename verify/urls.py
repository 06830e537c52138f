from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from articles.permissions import Rule, access
from articles.views import health
from verify.accounts import views as account_views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        access(Rule.LOGGED_IN)(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password/change/done/",
        access(Rule.LOGGED_IN)(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("account/two-factor/", account_views.two_factor, name="two_factor"),
    path("account/two-factor/verify/", account_views.two_factor_verify, name="two_factor_verify"),
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]

handler400 = "verify.views.bad_request"
