from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "tickerwire.comments"
    label = "comments"
    verbose_name = "Comments"
    default_auto_field = "django.db.models.BigAutoField"
