from django.apps import AppConfig


class AttractionConfig(AppConfig):
    name = "haotong.attraction"
    label = "attraction"
