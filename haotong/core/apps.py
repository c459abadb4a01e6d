from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "haotong.core"
    label = "core"
