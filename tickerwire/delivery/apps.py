from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "tickerwire.delivery"
    label = "delivery"
    verbose_name = "Delivery"
