from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "verify.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import checks  # noqa: F401 (registers the deploy check)
