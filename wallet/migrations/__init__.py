"""Alembic migrations of the PostgreSQL wallet schema (run by ``python -m wallet --db URL migrate``)."""
