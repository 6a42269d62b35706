from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and load-test data for `make run` and the benchmarks; never used in production."""

    name = "ideasluss.demo"
    label = "demo"
    verbose_name = "Demo data"
