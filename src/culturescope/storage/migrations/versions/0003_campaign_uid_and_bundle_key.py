"""campaign uid and bundle key (kiosk bundles)

Every campaign gets a stable ``uid`` (uuid4 hex), the same on every database that holds
it, and a ``bundle_key`` (32 random bytes, hex) that signs the response bundles kiosk
laptops export for it. Existing campaigns get fresh values.

The columns are added in place (no table copy): on SQLite a batch copy of ``campaigns``
would drop the table that ``responses`` refers to with ON DELETE CASCADE, and break the
``answers_long`` view. The uid is unique through a unique index.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 10:00:00
"""

import secrets
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "campaigns",
        sa.Column("uid", sa.String(length=32), server_default="", nullable=False),
    )
    op.add_column(
        "campaigns",
        sa.Column("bundle_key", sa.String(length=64), server_default="", nullable=False),
    )
    conn = op.get_bind()
    campaigns = sa.table("campaigns", sa.column("id"), sa.column("uid"), sa.column("bundle_key"))
    for (cid,) in conn.execute(sa.select(campaigns.c.id)).all():
        conn.execute(
            campaigns.update()
            .where(campaigns.c.id == cid)
            .values(uid=uuid.uuid4().hex, bundle_key=secrets.token_hex(32))
        )
    op.create_index(op.f("ix_campaigns_uid"), "campaigns", ["uid"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_campaigns_uid"), table_name="campaigns")
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), again without copying the table.
    op.drop_column("campaigns", "bundle_key")
    op.drop_column("campaigns", "uid")
