from django.apps import AppConfig


class LogKindAppConfig(AppConfig):
    name = "tests.logkind_app"
    label = "logkind_app"
    default_auto_field = "django.db.models.BigAutoField"
