"""import identity: neutral labels, fingerprint key out of the database, clean comments

- ``import_batches.label``: every import gets a neutral label ("import 3, 120 rows,
  xlsx"); the stored file names, which may name a person, are erased.
- ``campaigns.private_names``: names removed from comments at import.
- The fingerprint key moves from the ``meta`` table to a key file in the user's
  configuration folder (``keys/<database id>.key``, 0600); the database keeps only a check
  value, so its fingerprints can no longer be reversed by trying candidates with it.
- Stored comments are cleaned of e-mail addresses, phone numbers, web addresses with a
  path and the organisation's policy owners (see :mod:`culturescope.storage.scrub`).

The backup made before this migration still holds the old data: delete it once the
upgraded database has been checked.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 16:00:00
"""

import hashlib
import hmac
import uuid
from collections.abc import Sequence
from pathlib import PurePath

import sqlalchemy as sa
from alembic import op

from culturescope.storage import keys
from culturescope.storage.scrub import name_pattern, neutral_label, scrub

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY_CHECK = "fingerprint_key_check"


def key_check(key: bytes) -> str:
    """A value that tells whether a key is the right one without revealing it."""
    return hmac.new(key, b"culturescope fingerprint key check", hashlib.sha256).hexdigest()


def upgrade() -> None:
    op.add_column(
        "campaigns",
        sa.Column("private_names", sa.JSON(), server_default="[]", nullable=False),
    )
    op.add_column(
        "import_batches",
        sa.Column("label", sa.String(length=200), server_default="", nullable=False),
    )
    op.create_index(
        op.f("ix_import_batches_file_sha256"), "import_batches", ["file_sha256"], unique=False
    )
    conn = op.get_bind()
    _label_batches(conn)
    _move_key(conn)
    _clean_comments(conn)


def _label_batches(conn: sa.Connection) -> None:
    batches = sa.table(
        "import_batches",
        sa.column("id"),
        sa.column("source"),
        sa.column("file_name"),
        sa.column("rows_added"),
        sa.column("label"),
    )
    rows = conn.execute(
        sa.select(batches.c.id, batches.c.source, batches.c.file_name, batches.c.rows_added)
    ).all()
    for bid, source, file_name, added in rows:
        if source == "demo":
            label = "demo data"
        else:
            ext = PurePath(file_name).suffix if file_name and source == "file" else ""
            label = neutral_label(bid, int(added or 0), source, ext)
        conn.execute(
            batches.update().where(batches.c.id == bid).values(label=label, file_name=None)
        )


def _move_key(conn: sa.Connection) -> None:
    meta = sa.table("meta", sa.column("key"), sa.column("value"))
    values = dict(conn.execute(sa.select(meta.c.key, meta.c.value)).all())
    old = values.get("fingerprint_key")
    if old is None:
        return
    database_id = values.get("database_id")
    if database_id is None:
        database_id = uuid.uuid4().hex
        conn.execute(meta.insert().values(key="database_id", value=database_id))
    key = bytes.fromhex(old)
    existing = keys.read_key(database_id)
    if existing is None:
        keys.write_key(database_id, key)
    elif existing != key:  # pragma: no cover - a key file for this id with another key
        raise RuntimeError(
            f"the key file {keys.key_path(database_id)} does not belong to this database"
        )
    conn.execute(meta.delete().where(meta.c.key == "fingerprint_key"))
    conn.execute(meta.delete().where(meta.c.key == KEY_CHECK))
    conn.execute(meta.insert().values(key=KEY_CHECK, value=key_check(key)))


def _clean_comments(conn: sa.Connection) -> None:
    owners: dict[int, set[str]] = {}
    for org, owner in conn.execute(
        sa.text(
            "SELECT p.organisation_id, v.owner FROM policy_versions v "
            "JOIN policies p ON p.id = v.policy_id"
        )
    ):
        if owner:
            owners.setdefault(org, set()).add(owner)
    patterns = {org: name_pattern(names) for org, names in owners.items()}
    rows = conn.execute(
        sa.text(
            "SELECT c.id, c.text, k.organisation_id FROM comments c "
            "JOIN responses r ON r.id = c.response_id JOIN campaigns k ON k.id = r.campaign_id"
        )
    ).all()
    comments = sa.table("comments", sa.column("id"), sa.column("text"))
    for cid, body, org in rows:
        cleaned, n = scrub(body or "", patterns.get(org))
        if n:
            conn.execute(comments.update().where(comments.c.id == cid).values(text=cleaned))


def downgrade() -> None:
    op.drop_index(op.f("ix_import_batches_file_sha256"), table_name="import_batches")
    op.drop_column("import_batches", "label")
    op.drop_column("campaigns", "private_names")
    # The key stays in its file and the comments stay clean: removed data cannot come back.
