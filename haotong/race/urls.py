from django.urls import path

from haotong.race import views

app_name = "race"
urlpatterns = [
    path("", views.board, name="board"),
    path("teams/<int:pk>/", views.team_events, name="team_events"),
    path("reports/", views.report, name="report"),
    path("reports/<str:month>/", views.report, name="report_month"),
    path("reports/<str:month>/recompute/", views.report_recompute, name="report_recompute"),
    path("rules/", views.rule_list, name="rules"),
]
