from django.urls import path

from haotong.policies import views, views_work

app_name = "policies"
urlpatterns = [
    path("", views.index, name="index"),
    path("run/", views.run, name="run"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/new/", views.policy_new, name="policy_new"),
    path("catalogue/<int:pk>/", views.policy_detail, name="policy_detail"),
    path("catalogue/<int:policy_pk>/clauses/new/", views.clause_new, name="clause_new"),
    path("clauses/<int:pk>/", views.clause_detail, name="clause_detail"),
    path("clauses/<int:pk>/edit/", views.clause_edit, name="clause_edit"),
    path("eligible/", views.eligible_list, name="eligible"),
    path("enterprises/<int:pk>/", views.enterprise_page, name="enterprise"),
    path("enterprises/<int:pk>/clauses/<int:clause_pk>/", views.explanation, name="explanation"),
    path("outreach/", views_work.outreach_list, name="outreach"),
    path("outreach/tasks/", views_work.task_create, name="task_create"),
    path("outreach/tasks/<int:pk>/outcome/", views_work.task_outcome, name="task_outcome"),
    path("grants/", views.grant_list, name="grants"),
    path("grants/open/", views_work.grant_open, name="grant_open"),
    path("grants/<int:pk>/", views_work.grant_detail, name="grant"),
    path("grants/<int:pk>/step/", views_work.grant_step, name="grant_step"),
]
