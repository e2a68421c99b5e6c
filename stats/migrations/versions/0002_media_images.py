"""Chart images published for channels that need an image URL (Zalo), shared by every API
replica (an in-memory store would answer 404 when the image request reaches another replica).

Revision ID: stats_0002
Revises: stats_0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "stats_0002"
down_revision = "stats_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``media_images``."""
    op.create_table(
        "media_images",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("created_at", sa.Float(), nullable=False),  # UNIX time
        sa.Column("png", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_media_images_created_at", "media_images", ["created_at"])


def downgrade() -> None:
    """Drop ``media_images``."""
    op.drop_index("ix_media_images_created_at", table_name="media_images")
    op.drop_table("media_images")
