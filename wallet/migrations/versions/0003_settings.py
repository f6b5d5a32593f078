"""Per-owner wallet settings (identities, display name, holder key), never part of an export.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wallet_settings",
        sa.Column("owner", sa.Text(), primary_key=True),
        sa.Column("key", sa.Text(), primary_key=True),
        sa.Column("value", JSONB()),
    )


def downgrade() -> None:
    op.drop_table("wallet_settings")
