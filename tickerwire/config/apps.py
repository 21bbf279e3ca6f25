from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Loaded last: wires story events to their consumers once every app's models exist."""

    name = "tickerwire.config"
    label = "tickerwire_config"
    verbose_name = "Configuration"

    def ready(self) -> None:
        from tickerwire.config.wiring import wire_consumers, wire_delivery_gates, wire_panels

        wire_consumers()
        wire_delivery_gates()
        wire_panels()
