"""Hosted mode's HTTP cache keeps CacheControl entries (the embedded wallet's rules): ``http_cache``
(one row per document with its own freshness columns) gives way to ``http_cache_entries``. Its rows
were only a cache: nothing is carried over, documents are simply fetched again.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("http_cache")
    op.create_table(
        "http_cache_entries",
        sa.Column("key", sa.Text(), primary_key=True),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("fresh_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("http_cache_entries_stored_at", "http_cache_entries", ["stored_at"])


def downgrade() -> None:
    op.drop_table("http_cache_entries")
    op.create_table(
        "http_cache",
        sa.Column("url", sa.Text(), primary_key=True),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.Text()),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("etag", sa.Text()),
        sa.Column("last_modified", sa.Text()),
        sa.Column("cache_control", sa.Text()),
        sa.Column("fresh_until", sa.DateTime(timezone=True)),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
