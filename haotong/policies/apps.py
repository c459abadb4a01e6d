from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "haotong.policies"
    label = "policies"
