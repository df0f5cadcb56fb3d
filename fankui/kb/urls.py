from django.urls import path

from fankui.kb import views

app_name = "kb"
urlpatterns = [
    path("", views.article_list_page, name="list"),
    path("search", views.search_page, name="search"),
    path("deflect", views.deflect, name="deflect"),
    path("draft-from/<str:ref>", views.draft_from_ticket, name="draft_from_ticket"),
    path("<slug:slug>/", views.article_page, name="article"),
]
