"""Stored instruments: the exact file each campaign was run with, parsed once."""

from __future__ import annotations

import hashlib

from sqlalchemy import insert, select

from culturescope.instruments import Instrument, parse_instrument
from culturescope.storage.errors import StoreError
from culturescope.storage.models import InstrumentItem, InstrumentRecord
from culturescope.storage.unit_of_work import UnitOfWork


class InstrumentRepository(UnitOfWork):
    """Instrument versions by key (``id@version``); a stored version never changes."""

    _instruments: dict[str, Instrument]

    def _forget_cached(self) -> None:
        super()._forget_cached()
        self._instruments = {}

    def save_instrument(self, instrument: Instrument) -> str:
        """Keep the instrument's YAML so campaigns stay traceable; returns its key.

        A version is immutable once stored: a different text under the same id@version is
        refused (make a new version instead).
        """
        text = instrument.source_text
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        with self.session() as s:
            row = s.get(InstrumentRecord, instrument.key)
            if row is None:  # a new version changes no campaign's data: nothing to announce
                s.add(
                    InstrumentRecord(
                        key=instrument.key,
                        instrument_id=instrument.id,
                        version=instrument.version,
                        title=instrument.title,
                        source_yaml=text,
                        sha256=digest,
                    )
                )
                s.flush()
                s.execute(
                    insert(InstrumentItem),
                    [
                        {"instrument_key": instrument.key, "position": n, "item_id": item.id}
                        for n, item in enumerate(instrument.items)
                    ],
                )
            elif row.sha256 != digest:
                raise StoreError(
                    f"instrument {instrument.key} is already stored with different content; "
                    "instrument versions are immutable, give the changed file a new version"
                )
        return instrument.key

    def instrument(self, key: str) -> Instrument:
        # A stored version never changes (see save_instrument), so it is parsed only once.
        cached = self._instruments.get(key)
        if cached is not None:
            return cached
        with self.session() as s:
            row = s.get(InstrumentRecord, key)
            if row is None:
                raise StoreError(f"instrument {key} is not in this database")
            parsed = parse_instrument(row.source_yaml, source=f"stored instrument {key}")
        self._instruments[key] = parsed
        return parsed

    def stored_instruments(self) -> list[str]:
        with self.session() as s:
            return list(s.scalars(select(InstrumentRecord.key).order_by(InstrumentRecord.key)))
