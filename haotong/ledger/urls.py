from django.urls import path

from haotong.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/events/", views.project_record_event, name="project_record_event"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("groundbreakings/", views.groundbreaking_list, name="groundbreaking_list"),
    path("healthz", views.healthz, name="healthz"),
]
