"""Who uploaded each report version, and one current version per locality-week.

``uploaded_by`` records the official (id) or the CLI user behind every version; the partial
unique index makes "one current (not superseded) version per locality and week" a database
guarantee, so two concurrent uploads on PostgreSQL cannot both become current. A table of
report audit events records uploads, replacements and reverts; ``webhook_seen`` lets every
API replica refuse a webhook event another one already handled.

Revision ID: stats_0003
Revises: stats_0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "stats_0003"
down_revision = "stats_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``uploaded_by``, the current-version index and ``stats_report_events``."""
    with op.batch_alter_table("stats_reports") as batch:
        batch.add_column(sa.Column("uploaded_by", sa.String(80), nullable=True))
    op.create_index("uq_stats_reports_current", "stats_reports",
                    ["locality_id", "iso_year", "iso_week"], unique=True,
                    sqlite_where=sa.text("superseded = 0"),
                    postgresql_where=sa.text("superseded = false"))
    op.create_table(
        "stats_report_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),  # ingested | replaced | reverted
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=True),
    )
    # webhook events already handled (Zalo re-sends until it gets a 200), shared by replicas
    op.create_table(
        "webhook_seen",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("seen_at", sa.Float(), nullable=False),  # UNIX time
    )
    op.create_index("ix_webhook_seen_seen_at", "webhook_seen", ["seen_at"])


def downgrade() -> None:
    """Drop what :func:`upgrade` added."""
    op.drop_index("ix_webhook_seen_seen_at", table_name="webhook_seen")
    op.drop_table("webhook_seen")
    op.drop_table("stats_report_events")
    op.drop_index("uq_stats_reports_current", table_name="stats_reports")
    with op.batch_alter_table("stats_reports") as batch:
        batch.drop_column("uploaded_by")
