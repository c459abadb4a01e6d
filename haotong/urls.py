from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("haotong.api.urls")),
    path("import/", include("haotong.imports.urls")),
    path("ingest/", include("haotong.ingest.urls")),
    path("race/", include("haotong.race.urls")),
    path("policies/", include("haotong.policies.urls")),
    path("attraction/", include("haotong.attraction.urls")),
    path("review/", include("haotong.review.urls")),
    path("", include("haotong.ledger.urls")),
]
