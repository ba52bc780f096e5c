"""One family of tests per detection run, adjusted together (Benjamini–Hochberg).

A campaign's detection run performs dozens of tests (every pillar and practice area in the
perception gap, every team in the speak-up paradox, every segment's response rate...).
Correcting within one signal kind at a time would let the run as a whole produce false
alarms at a rate nobody controls, so every test of a run is registered in one
:class:`TestRun` and the false discovery rate is controlled across all of them.

Signal functions work in two steps: they compute their tests and register the raw
p-values, and return a *builder* that makes the signals once every test of the run is in
and the adjusted p-values are known::

    run = TestRun(alpha=0.05)
    build_a = _gap_a(..., run=run)
    build_b = _gap_b(..., run=run)
    run.close()
    signals = build_a() + build_b()

A signal function called on its own (``perception_gap(frame, settings=...)``) does the
same with a run of its own tests only (:func:`run_alone`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from culturescope.signals.model import Finding
from culturescope.signals.statistics import benjamini_hochberg

#: Makes a signal function's findings once every test of the run is adjusted.
Builder = Callable[[], list[Finding]]

#: What a severity below "warning" says when the test does not support the finding.
NOT_ENOUGH_EVIDENCE = "Not enough evidence yet"


@dataclass
class TestRun:
    """The tests of one detection run and their Benjamini–Hochberg adjusted p-values."""

    alpha: float = 0.05
    _raw: dict[str, float] = field(default_factory=dict)
    _kinds: dict[str, str] = field(default_factory=dict)
    _adjusted: dict[str, float] | None = None

    __test__ = False  # not a pytest test class, whatever its name says

    def add(self, kind: str, key: str, p_value: float) -> str:
        """Register one test (its two-sided or one-sided raw p-value) and return its key.

        A NaN p-value (a test that could not be computed) is kept out of the family.
        Registering the same key twice is a programming error: an identical measure must
        be tested once.
        """
        if self._adjusted is not None:
            raise RuntimeError("the tests of this run are already adjusted")
        full = f"{kind}:{key}"
        if full in self._raw:
            raise ValueError(f"test {full} registered twice")
        self._raw[full] = float(p_value)
        self._kinds[full] = kind
        return full

    def close(self) -> None:
        """Adjust every registered p-value together; call once, after all tests are in."""
        keys = list(self._raw)
        adjusted = benjamini_hochberg([self._raw[k] for k in keys])
        self._adjusted = dict(zip(keys, adjusted, strict=True))

    def raw(self, key: str) -> float:
        return self._raw[key]

    def adjusted(self, key: str) -> float:
        """The BH-adjusted p-value of a registered test (NaN when it was not computable)."""
        if self._adjusted is None:
            raise RuntimeError("close() the run before reading adjusted p-values")
        return self._adjusted[key]

    def significant(self, key: str) -> bool:
        """Whether a test is a discovery at the run's false discovery rate ``alpha``."""
        p = self.adjusted(key)
        return not math.isnan(p) and p < self.alpha

    @property
    def size(self) -> int:
        """How many computable tests the run's family holds."""
        return sum(1 for p in self._raw.values() if not math.isnan(p))

    def tests(self) -> list[tuple[str, float, float]]:
        """Every test as (key, raw p, adjusted p), in registration order."""
        return [(k, self._raw[k], self.adjusted(k)) for k in self._raw]


def run_alone(make: Callable[[TestRun], Builder], *, alpha: float) -> list[Finding]:
    """Run one signal function with a family of its own tests only."""
    run = TestRun(alpha=alpha)
    build = make(run)
    run.close()
    return build()
