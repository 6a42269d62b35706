"""Idésluss's public JSON API (open data), version 1, mounted at /api/v1/.

Each app adds a django-ninja router; the OpenAPI schema is at
/api/v1/openapi.json. There is no interactive documentation page: the schema
is what consumers (and the showcase) read.
"""

from ninja import NinjaAPI

from ideasluss.fund.api import router as fund_router

api = NinjaAPI(
    title="Idésluss open data",
    version="1",
    description=(
        "Public records of the municipality's innovation fund. Anonymous, read-only, "
        "no personal data."
    ),
    urls_namespace="api-v1",
    docs_url=None,
)
api.add_router("/", fund_router)
