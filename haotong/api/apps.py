from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "haotong.api"
    label = "api"
