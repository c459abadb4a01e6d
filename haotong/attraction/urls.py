from django.urls import path

from haotong.attraction import chain_views, views

app_name = "attraction"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("leads/", views.lead_list, name="lead_list"),
    path("leads/new/", views.lead_create, name="lead_create"),
    path("leads/<int:pk>/", views.lead_detail, name="lead_detail"),
    path("leads/<int:pk>/edit/", views.lead_edit, name="lead_edit"),
    path("leads/<int:pk>/stage/", views.lead_move, name="lead_move"),
    path("leads/<int:pk>/sign/", views.lead_sign, name="lead_sign"),
    path("leads/<int:pk>/activities/", views.lead_activity, name="lead_activity"),
    path("conflicts/", views.conflict_list, name="conflict_list"),
    path("conflicts/<int:pk>/settle/", views.conflict_settle, name="conflict_settle"),
    path("chains/", chain_views.chain_list, name="chain_list"),
    path("chains/new/", views.chain_create, name="chain_create"),
    path("chains/<int:pk>/", chain_views.chain_detail, name="chain_detail"),
    path("chains/<int:pk>/edit/", views.chain_edit, name="chain_edit"),
    path("chains/<int:pk>/links/add/", views.chain_link_add, name="chain_link_add"),
    path("chains/links/<int:pk>/edit/", views.chain_link_update, name="chain_link_update"),
    path("chains/links/<int:pk>/move/", views.chain_link_move, name="chain_link_move"),
    path("chains/links/<int:pk>/remove/", views.chain_link_remove, name="chain_link_remove"),
    path("chains/links/<int:pk>/firms/", views.chain_firm_add, name="chain_firm_add"),
    path("chains/firms/<int:pk>/anchor/", views.chain_firm_anchor, name="chain_firm_anchor"),
    path("chains/firms/<int:pk>/remove/", views.chain_firm_remove, name="chain_firm_remove"),
    path("chains/links/<int:pk>/targets/", chain_views.link_targets, name="link_targets"),
    path("chains/links/<int:pk>/leads/", chain_views.link_to_leads, name="link_to_leads"),
]
