from django.apps import AppConfig


class RaceConfig(AppConfig):
    name = "haotong.race"
    label = "race"
