from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "haotong.review"
    label = "review"
