from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fankui.accounts"
    label = "accounts"
    verbose_name = "账户"
