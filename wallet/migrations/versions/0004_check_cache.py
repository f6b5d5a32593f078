"""Public-page check results shared by every app process (wallet/check_cache.py, SQLCheckCache).

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "public_check_cache",
        sa.Column("owner", sa.Text(), primary_key=True),
        sa.Column("key", sa.Text(), primary_key=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("report", JSONB(), nullable=False),
    )
    op.create_index("public_check_cache_checked_at", "public_check_cache", ["checked_at"])


def downgrade() -> None:
    op.drop_table("public_check_cache")
