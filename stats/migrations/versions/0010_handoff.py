"""Human handoff and the operator console: conversations with a person, their messages,
chat turns (for analytics and unanswered questions), console accounts, audit log, flags
(the kill switch) and knowledge-base proposals.

Revision ID: handoff_0010
Revises: stats_0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "handoff_0010"
down_revision = "stats_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the handoff and console tables."""
    op.create_table(
        "handoff_conversations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sender", sa.String(200), nullable=False),  # "<channel>:<user id>"
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("topic", sa.String(40), nullable=False, server_default=""),
        sa.Column("status", sa.String(12), nullable=False),  # queued | assigned | closed
        sa.Column("after_hours", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("operator", sa.String(80), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_index("ix_handoff_conv_sender_status", "handoff_conversations",
                    ["sender", "status"])
    op.create_index("ix_handoff_conv_unit_status", "handoff_conversations", ["unit", "status"])
    # one open conversation per sender, even when two replicas open one at the same moment
    op.create_index("uq_handoff_conv_open_sender", "handoff_conversations", ["sender"],
                    unique=True,
                    sqlite_where=sa.text("status IN ('queued', 'assigned')"),
                    postgresql_where=sa.text("status IN ('queued', 'assigned')"))
    op.create_table(
        "handoff_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("conversation_id", sa.Integer(),
                  sa.ForeignKey("handoff_conversations.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(10), nullable=False),  # citizen | operator | system
        sa.Column("operator", sa.String(80), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),  # masked
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_handoff_msg_conv", "handoff_messages", ["conversation_id", "id"])
    op.create_table(
        "chat_turns",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sender_hash", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False, server_default=""),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("topic", sa.String(40), nullable=False, server_default=""),
        sa.Column("entry_id", sa.String(255), nullable=False, server_default=""),
        sa.Column("question", sa.Text(), nullable=False, server_default=""),  # masked
    )
    op.create_index("ix_chat_turns_sender", "chat_turns", ["sender_hash", "id"])
    op.create_index("ix_chat_turns_at", "chat_turns", ["at"])
    op.create_table(
        "console_accounts",
        sa.Column("username", sa.String(80), primary_key=True),
        sa.Column("display_name", sa.String(120), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),  # operator | kb_editor | admin
        sa.Column("unit", sa.String(40), nullable=False, server_default=""),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "console_audit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target", sa.String(120), nullable=False, server_default=""),
        sa.Column("detail", sa.Text(), nullable=False, server_default=""),
    )
    op.create_table(
        "console_flags",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(80), nullable=False),
    )
    op.create_table(
        "kb_proposals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entry_id", sa.String(120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),  # the entry as JSON
        sa.Column("status", sa.String(12), nullable=False),  # pending|approved|rejected|published
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("reviewer", sa.String(80), nullable=True),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    """Drop what :func:`upgrade` created."""
    for table in ("kb_proposals", "console_flags", "console_audit", "console_accounts"):
        op.drop_table(table)
    op.drop_index("ix_chat_turns_at", table_name="chat_turns")
    op.drop_index("ix_chat_turns_sender", table_name="chat_turns")
    op.drop_table("chat_turns")
    op.drop_index("ix_handoff_msg_conv", table_name="handoff_messages")
    op.drop_table("handoff_messages")
    op.drop_index("uq_handoff_conv_open_sender", table_name="handoff_conversations")
    op.drop_index("ix_handoff_conv_unit_status", table_name="handoff_conversations")
    op.drop_index("ix_handoff_conv_sender_status", table_name="handoff_conversations")
    op.drop_table("handoff_conversations")
