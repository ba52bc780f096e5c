"""Signals: where the stated safety culture and the measured one part ways (docs/design/signals.md).

Detection runs in a worker (:func:`culturescope.signals.analyse`); each signal is a card
that expands to its explanation, the question to ask, its evidence, a small chart and
the method.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedLayout,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from culturescope import Cancelled
from culturescope.gui import messages
from culturescope.gui.state import AppState, enough_data
from culturescope.gui.widgets import EmptyState, badge, clear_layout, page_header, tool_button
from culturescope.scoring.results import DimensionScore
from culturescope.signals import (
    KIND_TITLES,
    SEVERITIES,
    EvidenceEntry,
    Signal,
    SignalAnalysis,
    analyse,
    evidence_entries,
    measure_titles,
    readable_method,
)

SEVERITY_BADGE = {"critical": "bad", "warning": "warn", "info": ""}
FILTERS = (
    ("All signals", "info"),
    ("Warnings and critical", "warning"),
    ("Critical only", "critical"),
)


def _analyse(store, campaign_id: int, settings=None, *, progress, is_cancelled) -> SignalAnalysis:
    return analyse(
        store, campaign_id, settings=settings, progress=progress, is_cancelled=is_cancelled
    )


def comparison_rows(signal: Signal, analysis: SignalAnalysis):
    """Rows for ``leaders_vs_frontline``: from the role breakdown (with intervals) for the
    pillars, otherwise from the signal's own evidence."""
    from culturescope.reports.charts import GroupComparisonRow

    ids = list(dict.fromkeys(k.split(".")[0] for k in signal.evidence if "." in k))
    titles = list(signal.scope[2:])
    by_role = analysis.by_role
    groups = {}
    if by_role is not None and signal.id == "perception_gap:roles:pillars":
        for g in by_role.visible_groups:
            groups[g.by.get("role")] = g
    rows = []
    for n, mid in enumerate(ids):
        title = titles[n] if n < len(titles) else mid
        lead, front = groups.get("senior_leader"), groups.get("front_line")
        if lead is not None and front is not None and lead.dimension(mid) is not None:
            rows.append(GroupComparisonRow(mid, title, lead.dimension(mid), front.dimension(mid)))
            continue

        def side(which: str, mid: str = mid, title: str = title) -> DimensionScore:
            n_key = "leaders_n" if which == "leaders" else "frontline_n"
            return DimensionScore(
                id=mid,
                title=title,
                n=int(signal.evidence.get(n_key, 0)),
                mean=signal.evidence.get(f"{mid}.{which}_mean"),
                sd=None,
                ci95=None,
                percent_positive=None,
                percent_neutral=None,
                percent_negative=None,
            )

        rows.append(GroupComparisonRow(mid, title, side("leaders"), side("frontline")))
    return rows


def area_rows(analysis: SignalAnalysis, areas: tuple[str, ...] | None = None):
    from culturescope.reports.charts import PolicyPracticeRow

    return [
        PolicyPracticeRow(a.area, a.title, a.claimed_status, a.percent_positive, a.policies)
        for a in analysis.areas
        if areas is None or a.title in areas or a.area in areas
    ]


class SignalCard(QFrame):
    """One signal: severity, title; expands to explanation, question, evidence, chart, method."""

    def __init__(self, signal: Signal, analysis: SignalAnalysis, parent: QWidget | None = None):
        super().__init__(parent)
        self.signal = signal
        self.analysis = analysis
        self.chart = None
        self.setObjectName("card")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        top = QHBoxLayout()
        self.severity = badge(
            self.tr(signal.severity.capitalize()), SEVERITY_BADGE[signal.severity]
        )
        kind = QLabel(self.tr(KIND_TITLES[signal.kind]))
        kind.setObjectName("muted")
        # One width for every kind, so that the titles of all cards line up.
        kind.setFixedWidth(
            max(kind.fontMetrics().horizontalAdvance(self.tr(t)) for t in KIND_TITLES.values()) + 24
        )
        self.title = QLabel(signal.title)
        self.title.setObjectName("cardTitle")
        self.title.setWordWrap(True)
        self.toggle = QPushButton(self.tr("Details"))
        self.toggle.setCheckable(True)
        self.toggle.setAccessibleName(self.tr("Details of: {0}").format(signal.title))
        self.toggle.toggled.connect(self.set_expanded)
        top.addWidget(self.severity, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(kind, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.title, 1)
        top.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.details = QWidget()
        self.details.setVisible(False)
        layout.addWidget(self.details)

    def set_expanded(self, on: bool) -> None:
        if on and not self.details.layout():
            self._build_details()
        self.details.setVisible(on)
        self.toggle.setText(self.tr("Hide") if on else self.tr("Details"))
        if self.toggle.isChecked() != on:
            self.toggle.setChecked(on)

    def _build_details(self) -> None:
        s = self.signal
        box = QVBoxLayout(self.details)
        box.setContentsMargins(0, 6, 0, 0)
        explanation = QLabel(s.explanation)
        explanation.setWordWrap(True)
        explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        question = QLabel(self.tr("<b>Ask:</b> {0}").format(s.question))
        question.setWordWrap(True)
        scope = QLabel(self.tr("Concerns: {0}").format(", ".join(s.scope)))
        scope.setObjectName("muted")
        scope.setWordWrap(True)
        for w in (explanation, question, scope):
            box.addWidget(w)
        row = QHBoxLayout()
        entries = evidence_entries(s, self._titles())
        rows: list[tuple[str, EvidenceEntry | None]] = []
        for e in entries:
            if e.heading and (not rows or rows[-1][0] != e.heading):
                rows.append((e.heading, None))  # the figures of one pillar or area
            rows.append((e.heading, e))
        self.evidence = QTableWidget(len(rows), 2)
        self.evidence.setHorizontalHeaderLabels([self.tr("Evidence"), self.tr("Value")])
        self.evidence.setAccessibleName(self.tr("Evidence"))
        self.evidence.verticalHeader().setVisible(False)
        self.evidence.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for n, (heading, e) in enumerate(rows):
            if e is None:
                head = QTableWidgetItem(heading)
                font = head.font()
                font.setBold(True)
                head.setFont(font)
                self.evidence.setItem(n, 0, head)
                self.evidence.setSpan(n, 0, 1, 2)
                continue
            name = QTableWidgetItem(("    " if heading else "") + e.short_label)
            name.setToolTip(f"{e.label} ({e.key})")
            self.evidence.setItem(n, 0, name)
            item = QTableWidgetItem(e.text)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(repr(e.value))
            self.evidence.setItem(n, 1, item)
        header = self.evidence.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.evidence.setMinimumWidth(400)
        self.evidence.setMaximumWidth(480)
        self.evidence.resizeRowsToContents()
        full = (
            self.evidence.horizontalHeader().sizeHint().height()
            + self.evidence.verticalHeader().length()
            + 2 * self.evidence.frameWidth()
        )
        self.evidence.setFixedHeight(min(460, max(60, full)))  # long ones scroll
        row.addWidget(self.evidence, 0, Qt.AlignmentFlag.AlignTop)
        chart = self._make_chart()
        if chart is not None:
            row.addWidget(chart, 1)
        else:
            row.addStretch(1)
        box.addLayout(row)
        method = QLabel(
            self.tr("<b>How this is computed.</b> {0}").format(
                html.escape(readable_method(s.method))
            )
        )
        method.setObjectName("muted")
        method.setWordWrap(True)
        box.addWidget(method)

    def _titles(self) -> dict[str, str]:
        overall = self.analysis.overall
        return measure_titles(overall.instrument) if overall is not None else {}

    def _make_chart(self):
        """A small chart for the kinds that have one (matplotlib loads on first use)."""
        s, a = self.signal, self.analysis
        if s.kind == "perception_gap":
            rows = comparison_rows(s, a)
            if not rows:
                return None
            labels = (s.scope[0], s.scope[1].capitalize())
            fn, args, kwargs = "leaders_vs_frontline", (rows,), {"labels": labels}
            height = 1.2 + 0.55 * len(rows)
        elif s.kind in ("policy_practice_gap", "awareness_gap", "stale_commitment"):
            rows = area_rows(a, None if s.kind != "stale_commitment" else s.scope)
            if not rows or all(r.percent_positive is None for r in rows):
                return None
            threshold = a.settings.practice_low_percent
            fn, args, kwargs = "policy_vs_practice", (rows,), {"gap_below": threshold}
            height = 1.0 + 0.42 * len(rows)
        else:
            return None
        from culturescope.gui.charts import ChartCanvas
        from culturescope.reports import charts

        self.chart = ChartCanvas(self, width=6.4, height=height)
        self.chart.setAccessibleName(self.tr("Chart for: {0}").format(s.title))
        self.chart.draw_with(getattr(charts, fn), *args, **kwargs)
        return self.chart


class SignalsPage(QWidget):
    navigate = QtSignal(str)

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.analysis: SignalAnalysis | None = None
        self.cards: list[SignalCard] = []
        self.task = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(
            page_header(
                self.tr("Signals"),
                self.tr(
                    "Where what the organisation says and what its people experience part "
                    "ways. Each signal shows the numbers behind it and a question to ask; "
                    "groups below the minimum size are never examined."
                ),
            )
        )
        bar = QHBoxLayout()
        self.refresh_button = tool_button(
            self.tr("&Detect again"), "refresh", self.tr("Run the signal detection again")
        )
        self.refresh_button.clicked.connect(self.detect)
        self.filter = QComboBox()
        self.filter.setAccessibleName(self.tr("Show signals"))
        for label, floor in FILTERS:
            self.filter.addItem(self.tr(label), floor)
        self.filter.currentIndexChanged.connect(lambda _i: self._show())
        self.counts = QHBoxLayout()
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.filter)
        bar.addLayout(self.counts)
        bar.addStretch(1)
        self.export_button = tool_button(
            self.tr("E&xport…"),
            "export",
            self.tr("The scorecard with these signals, for the board"),
        )
        self.export_button.clicked.connect(lambda: self.navigate.emit("export"))
        bar.addWidget(self.export_button)
        layout.addLayout(bar)

        self.list_holder = QWidget()
        self.list_layout = QVBoxLayout(self.list_holder)
        self.list_layout.setContentsMargins(0, 0, 6, 0)
        self.list_layout.setSpacing(8)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.list_holder)
        self.no_campaign = EmptyState(
            "signals",
            self.tr("No campaign chosen"),
            self.tr("Choose a campaign with responses to look for safety-washing signals."),
        )
        self.busy = EmptyState("signals", self.tr("Looking for signals…"), "")
        self.none = EmptyState(
            "check",
            self.tr("No signals"),
            self.tr("Nothing in this campaign suggests that safety culture exists on paper only."),
        )
        # Too few responses is not an all-clear: a neutral state that says what is missing.
        self.not_enough = EmptyState("info", self.tr("Not enough responses yet"), "")
        collect = self.not_enough.add_button(tool_button(self.tr("Import responses…"), "import"))
        collect.clicked.connect(lambda: self.navigate.emit("import"))
        self.stack = QStackedLayout()
        holder = QWidget()
        holder.setLayout(self.stack)
        for w in (self.scroll, self.no_campaign, self.busy, self.none, self.not_enough):
            self.stack.addWidget(w)
        layout.addWidget(holder, 1)
        self.notes = QLabel()
        self.notes.setObjectName("muted")
        self.notes.setWordWrap(True)
        layout.addWidget(self.notes)
        state.campaignChanged.connect(lambda _c: self.refresh())
        state.dataChanged.connect(self.refresh)

    # ---- detection ----------------------------------------------------------------
    def refresh(self) -> None:
        self.detect()

    def detect(self):
        if self.task is not None:
            self.task.cancel()
            self.task = None
        campaign = self.state.current_campaign
        if campaign is None:
            self.analysis = None
            self._clear()
            self.stack.setCurrentWidget(self.no_campaign)
            self.notes.clear()
            return None
        self.stack.setCurrentWidget(self.busy)
        self.refresh_button.setEnabled(False)
        task = self.state.run_task(
            _analyse,
            self.state.store,
            campaign.id,
            self.state.settings.signal_settings(),
            title=self.tr("Detecting signals in {0}").format(campaign.name),
            on_result=lambda result: self._done(task, result),
            on_error=lambda exc: self._failed(task, exc),
        )
        self.task = task
        return task

    def _done(self, task, analysis: SignalAnalysis) -> None:
        if task is not self.task:
            return  # an older run finished after a newer one started
        self.task = None
        self.refresh_button.setEnabled(True)
        self.analysis = analysis
        self._show()

    def _failed(self, task, exc: BaseException) -> None:
        if task is not self.task:
            return
        self.task = None
        self.refresh_button.setEnabled(True)
        if isinstance(exc, Cancelled):
            return
        self.stack.setCurrentWidget(self.none)
        self.none.set_text(self.tr("Signals could not be computed"), messages.describe(exc))

    # ---- view ---------------------------------------------------------------------
    def _clear(self) -> None:
        self.cards = []
        clear_layout(self.list_layout)
        clear_layout(self.counts)

    def visible_signals(self) -> list[Signal]:
        if self.analysis is None:
            return []
        floor = SEVERITIES.index(self.filter.currentData())
        return [s for s in self.analysis.signals if s.rank >= floor]

    def _show(self) -> None:
        self._clear()
        analysis = self.analysis
        if analysis is None:
            return
        counts = analysis.counts()
        for severity in ("critical", "warning", "info"):
            self.counts.addWidget(
                badge(
                    self.tr("{0} {1}").format(counts[severity], self.tr(severity)),
                    SEVERITY_BADGE[severity],
                )
            )
        shown = self.visible_signals()
        for s in shown:
            card = SignalCard(s, analysis, self.list_holder)
            self.cards.append(card)
            self.list_layout.addWidget(card)
        self.list_layout.addStretch(1)
        campaign = analysis.campaign
        if not analysis.signals and not enough_data(campaign):
            self.not_enough.set_text(
                self.tr("Not enough responses yet"),
                self.tr(
                    "{0} has {1} responses; the signals need at least {2} (the minimum "
                    "group size) before they can say anything — in either direction."
                ).format(campaign.name, campaign.response_count, campaign.min_group_size),
            )
            self.stack.setCurrentWidget(self.not_enough)
        elif shown:
            self.stack.setCurrentWidget(self.scroll)
        else:
            self.none.set_text(
                self.tr("No signals"),
                self.tr(
                    "Nothing in this campaign suggests that safety culture exists on paper only."
                )
                if not analysis.signals
                else self.tr(
                    "No signals at this severity; choose 'All signals' to see the others."
                ),
            )
            self.stack.setCurrentWidget(self.none)
        notes = list(analysis.notes)
        if analysis.leadership_campaign:
            notes.append(
                self.tr("Leaders' self-assessment compared: {0}.").format(
                    analysis.leadership_campaign
                )
            )
        self.notes.setText(" ".join(notes))
