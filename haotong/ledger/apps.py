from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "haotong.ledger"
    label = "ledger"
