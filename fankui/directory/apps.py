from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "fankui.directory"
    label = "directory"
    verbose_name = "通讯录"
