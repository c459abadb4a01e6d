from django.urls import path

from haotong.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("template.xlsx", views.template, name="template"),
    path("<str:token>/", views.preview, name="preview"),
    path("<str:token>/commit/", views.commit, name="commit"),
]
