"""data versions that other programs can read

- ``data_versions``: one random token per scope (``all``, or ``campaign:<id>``), made
  anew in the same transaction as every write that changes that scope's data. Equal tokens
  mean equal data, in any process that reads the file: ``culturescope score`` keys its
  saved results on them (see :mod:`culturescope.result_cache`).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 21:30:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "data_versions",
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_data_versions")),
    )
    # A database of an earlier version starts with a token of its own, never one another
    # database (or this one before the upgrade) could have had.
    op.bulk_insert(table, [{"scope": "all", "token": uuid.uuid4().hex}])


def downgrade() -> None:
    op.drop_table("data_versions")
