from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "verify.accounts"
    label = "accounts"
    verbose_name = "Accounts"
