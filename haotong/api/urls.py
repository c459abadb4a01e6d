from django.urls import path

from haotong.api.api import api

urlpatterns = [path("v1/", api.urls)]
