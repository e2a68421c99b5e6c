"""Localities as administrative units of their structure; unknown figures kept.

A locality is now a unit of the dataset (``stats.units``): a legacy district before
1/7/2025 or a commune of the 34 provinces since, with its dataset ``code``, ``structure``
("legacy" | "2025") and ``current_province`` (the province it belongs to today, so 2023
district reports and 2026 commune reports roll up into today's provinces). Names repeat
across provinces ("phường Tân An" exists in four), so a locality is unique per (key,
level, province), no longer per (key, level). ``stats_extra_figures`` keeps the figures a
report carried that the catalogue has no code for, with their label.

Revision ID: stats_0004
Revises: stats_0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "stats_0004"
down_revision = "stats_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the unit columns, widen the uniqueness to the province, add extra figures."""
    with op.batch_alter_table("stats_localities") as batch:
        batch.add_column(sa.Column("code", sa.String(16), nullable=True))
        batch.add_column(sa.Column("structure", sa.String(10), nullable=True))
        batch.add_column(sa.Column("current_province", sa.String(120), nullable=True))
        batch.drop_constraint("uq_stats_localities_key_level", type_="unique")
        batch.create_unique_constraint("uq_stats_localities_key_level_province",
                                       ["key", "level", "province"])
    op.create_index("ix_stats_localities_current_province", "stats_localities",
                    ["current_province"])
    op.create_table(
        "stats_extra_figures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("report_id", sa.Integer(),
                  sa.ForeignKey("stats_reports.id", ondelete="CASCADE",
                                name="fk_stats_extra_figures_report_id_stats_reports"),
                  nullable=False),
        sa.Column("label", sa.String(255), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("cumulative", sa.Boolean(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
    )
    op.create_index("ix_stats_extra_figures_report_id", "stats_extra_figures", ["report_id"])


def downgrade() -> None:
    """Drop what :func:`upgrade` added (fails if two localities now share key and level)."""
    op.drop_index("ix_stats_extra_figures_report_id", table_name="stats_extra_figures")
    op.drop_table("stats_extra_figures")
    op.drop_index("ix_stats_localities_current_province", table_name="stats_localities")
    with op.batch_alter_table("stats_localities") as batch:
        batch.drop_constraint("uq_stats_localities_key_level_province", type_="unique")
        batch.create_unique_constraint("uq_stats_localities_key_level", ["key", "level"])
        batch.drop_column("current_province")
        batch.drop_column("structure")
        batch.drop_column("code")
