from django.urls import path

from haotong.review import policy_views, views

app_name = "review"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("policy/", policy_views.policy, name="policy"),
    path("start/<int:project_pk>/", views.review_start, name="start"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/opinion/", views.review_opinion, name="opinion"),
    path("<int:pk>/invitations/<int:invitation_pk>/chase/", views.review_chase, name="chase"),
    path("<int:pk>/verdict/", views.review_verdict, name="verdict"),
    path("<int:pk>/minutes.docx", views.review_minutes, name="minutes"),
]
