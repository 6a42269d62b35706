"""`make bench`: the benchmark anyone can rerun (docs/benchmarks/README.md).

It seeds PostgreSQL databases at two scales with the project's own seeding, serves the
site with gunicorn under the production settings, drives every page from another process
with wrk, and measures a bare Django view in the same run as the yardstick.
"""
