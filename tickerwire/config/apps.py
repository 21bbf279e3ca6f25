from django.apps import AppConfig


class WiringConfig(AppConfig):
    """Last in ``INSTALLED_APPS``: connects the event consumers once every app is loaded."""

    name = "tickerwire.config"
    label = "tickerwire_config"
    verbose_name = "Tickerwire wiring"

    def ready(self) -> None:
        from tickerwire.config.wiring import connect_consumers

        connect_consumers()
