"""Statistics schema: localities, report versions, figures.

Revision ID: stats_0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "stats_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the three stats_* tables and their indexes."""
    op.create_table(
        "stats_localities",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("province", sa.String(120), nullable=True),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.UniqueConstraint("key", "level", name="uq_stats_localities_key_level"),
    )
    op.create_index("ix_stats_localities_key", "stats_localities", ["key"])
    op.create_index("ix_stats_localities_province", "stats_localities", ["province"])
    op.create_table(
        "stats_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("locality_id", sa.Integer(),
                  sa.ForeignKey("stats_localities.id",
                                name="fk_stats_reports_locality_id_stats_localities"),
                  nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("iso_year", sa.Integer(), nullable=False),
        sa.Column("iso_week", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("source_name", sa.String(255), nullable=False),
        sa.Column("fmt", sa.String(8), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("superseded", sa.Boolean(), nullable=False),
        sa.Column("warnings", sa.Text(), nullable=False),
        sa.Column("unread", sa.Text(), nullable=False),
        sa.UniqueConstraint("sha256", name="uq_stats_reports_sha256"),
    )
    op.create_index("ix_stats_reports_period_end", "stats_reports", ["period_end"])
    op.create_index("ix_stats_reports_locality_end", "stats_reports",
                    ["locality_id", "superseded", "period_end"])
    op.create_index("ix_stats_reports_week", "stats_reports",
                    ["locality_id", "iso_year", "iso_week"])
    op.create_table(
        "stats_figures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("report_id", sa.Integer(),
                  sa.ForeignKey("stats_reports.id", ondelete="CASCADE",
                                name="fk_stats_figures_report_id_stats_reports"),
                  nullable=False),
        sa.Column("code", sa.String(80), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.UniqueConstraint("report_id", "code", name="uq_stats_figures_report_code"),
    )
    op.create_index("ix_stats_figures_code", "stats_figures", ["code"])
    op.create_index("ix_stats_figures_report_id", "stats_figures", ["report_id"])


def downgrade() -> None:
    """Drop the statistics tables."""
    op.drop_table("stats_figures")
    op.drop_table("stats_reports")
    op.drop_table("stats_localities")
