"""Wallet entries and portfolios with an owner on every row; the shared HTTP cache.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wallet_entries",
        sa.Column("owner", sa.Text(), primary_key=True),
        sa.Column("id", sa.Text(), primary_key=True),
        sa.Column("seq", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("badge_id", sa.Text()),
        sa.Column("sha256", sa.Text()),
        sa.Column("content", sa.LargeBinary()),
        sa.Column("record", JSONB(), nullable=False),
    )
    op.create_index("wallet_entries_owner_seq", "wallet_entries", ["owner", "seq"])
    op.create_index("wallet_entries_owner_sha256", "wallet_entries", ["owner", "sha256"], unique=True,
                    postgresql_where=sa.text("sha256 IS NOT NULL"))
    op.create_index("wallet_entries_owner_badge_id", "wallet_entries", ["owner", "badge_id"], unique=True,
                    postgresql_where=sa.text("badge_id IS NOT NULL"))
    op.create_table(
        "wallet_portfolios",
        sa.Column("owner", sa.Text(), primary_key=True),
        sa.Column("id", sa.Text(), primary_key=True),
        sa.Column("seq", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("token_hash", sa.Text()),
        sa.Column("record", JSONB(), nullable=False),
    )
    op.create_index("wallet_portfolios_owner_seq", "wallet_portfolios", ["owner", "seq"])
    op.create_index("wallet_portfolios_token_hash", "wallet_portfolios", ["token_hash"], unique=True,
                    postgresql_where=sa.text("token_hash IS NOT NULL"))
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


def downgrade() -> None:
    op.drop_table("http_cache")
    op.drop_table("wallet_portfolios")
    op.drop_table("wallet_entries")
