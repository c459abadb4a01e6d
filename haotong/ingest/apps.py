from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "haotong.ingest"
    label = "ingest"
