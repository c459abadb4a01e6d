from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "haotong.imports"
    label = "imports"
