app_name = "tickets"
urlpatterns: list[object] = []
