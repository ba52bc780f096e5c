"""Which items of two instruments can be compared: the trend between two campaigns and the
choice of a campaign's previous campaign both use it (Qt- and pandas-free)."""

from __future__ import annotations

from culturescope.instruments.model import Instrument, Item


def matching_items(current: Instrument, previous: Instrument) -> dict[str, str]:
    """Current item id → why it cannot be compared, for every item that does not match;
    items absent from the result match (same id, wording, scale points and keying)."""
    before = {i.id: i for i in previous.items}
    out: dict[str, str] = {}
    for item in current.items:
        old = before.get(item.id)
        if old is None:
            out[item.id] = "not asked in the previous campaign"
        elif not _same_wording(item, old):
            out[item.id] = "worded differently in the previous campaign"
        elif current.scale_of(item).points != previous.scale_of(old).points:
            out[item.id] = "answered on a different scale in the previous campaign"
        elif item.reverse != old.reverse:
            out[item.id] = "keyed differently in the previous campaign"
    return out


def comparable_items(current: Instrument, previous: Instrument) -> list[str]:
    """The ids of ``current``'s items that ``previous`` asked in the same way."""
    differ = matching_items(current, previous)
    return [i.id for i in current.items if i.id not in differ]


def _same_wording(item: Item, old: Item) -> bool:
    def norm(text: str) -> str:
        return " ".join(text.split()).casefold()

    return all(norm(text) == norm(old.text.get(lang, "")) for lang, text in item.text.items())
