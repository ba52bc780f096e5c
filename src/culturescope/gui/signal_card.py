"""One signal on the Signals page: a plain headline and the question to ask, what the lead
did about it (acknowledged, a note, actions), and on request the evidence — the
explanation, the numbers, a chart and how it is computed.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from culturescope.gui.widgets import badge
from culturescope.scoring.results import DimensionScore
from culturescope.signals import (
    EvidenceEntry,
    Finding,
    SignalAnalysis,
    evidence_entries,
    measure_titles,
    readable_method,
)
from culturescope.signals.people import PRIORITIES, PRIORITY_HELP, SubjectGroup, headline
from culturescope.storage import ACTION_STATUS_TITLES

if TYPE_CHECKING:
    from culturescope.storage import Action, SignalReview

#: Badge style per priority: only "Start here" is tinted, and never red.
PRIORITY_BADGE = {"critical": "warn", "warning": "", "info": ""}


class FollowUp(Protocol):
    """What a card asks of its page (the page stores and re-shows)."""

    def acknowledge(self, card: SignalCard, on: bool) -> None: ...
    def edit_note(self, card: SignalCard) -> None: ...
    def create_action(self, card: SignalCard) -> None: ...


def comparison_rows(signal: Finding, analysis: SignalAnalysis):
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


class SubjectHeading(QWidget):
    """The heading of a subject's signals: its name, what kind of subject, what to do."""

    def __init__(self, group: SubjectGroup, severity: str, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 10, 0, 0)
        self.title = QLabel(group.subject.title)
        self.title.setObjectName("sectionTitle")
        kind = QLabel(self.tr(group.subject.kind_title))
        kind.setObjectName("muted")
        n = len(group.signals)
        self.priority = badge(
            self.tr(PRIORITIES[severity]),
            PRIORITY_BADGE[severity],
            self.tr(PRIORITY_HELP[severity]),
        )
        row.addWidget(self.title, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(kind, 0, Qt.AlignmentFlag.AlignBottom)
        count = QLabel(self.tr("· {0} signals").format(n) if n != 1 else self.tr("· 1 signal"))
        count.setObjectName("muted")
        row.addWidget(count, 0, Qt.AlignmentFlag.AlignBottom)
        row.addStretch(1)
        row.addWidget(self.priority, 0, Qt.AlignmentFlag.AlignBottom)
        self.setAccessibleName(
            f"{group.subject.title}, {group.subject.kind_title}: {PRIORITIES[severity]}"
        )


class SignalCard(QFrame):
    """One signal: headline, question, follow-up buttons; expands to its evidence."""

    def __init__(
        self,
        signal: Finding,
        analysis: SignalAnalysis,
        followup: FollowUp,
        *,
        review: SignalReview | None = None,
        actions: list[Action] | None = None,
        group_severity: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.signal = signal
        self.group_severity = group_severity
        self.analysis = analysis
        self.followup = followup
        self.chart = None
        self.chart_panel = None
        self.evidence = None
        self.headline = headline(signal)
        self.setObjectName("card")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        top = QHBoxLayout()
        self.title = QLabel(self.headline)
        self.title.setObjectName("cardTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.severity = badge("", "")
        top.addWidget(self.title, 1)
        top.addWidget(self.severity, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.question = QLabel(self.tr("Ask: {0}").format(signal.question))
        self.question.setObjectName("muted")
        self.question.setWordWrap(True)
        layout.addWidget(self.question)
        self.followup_text = QLabel()
        self.followup_text.setWordWrap(True)
        self.followup_text.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.followup_text)

        buttons = QHBoxLayout()
        self.ack = QPushButton(self.tr("Acknowledge"))
        self.ack.setCheckable(True)
        self.ack.setToolTip(
            self.tr("Seen and in hand: it no longer counts as needing a look (kept per campaign)")
        )
        self.ack.toggled.connect(lambda on: self.followup.acknowledge(self, on))
        self.note_button = QPushButton(self.tr("Note…"))
        self.note_button.clicked.connect(lambda: self.followup.edit_note(self))
        self.action_button = QPushButton(self.tr("Create action…"))
        self.action_button.clicked.connect(lambda: self.followup.create_action(self))
        self.toggle = QPushButton(self.tr("Show the evidence"))
        self.toggle.setCheckable(True)
        self.toggle.toggled.connect(self.set_expanded)
        for b, name in (
            (self.ack, "Acknowledge"),
            (self.note_button, "Note on"),
            (self.action_button, "Create an action on"),
            (self.toggle, "Evidence of"),
        ):
            b.setAccessibleName(f"{self.tr(name)}: {self.headline}")
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.details = QWidget()
        self.details.setVisible(False)
        layout.addWidget(self.details)
        self.show_followup(review, actions or [])

    # ---- follow-up ------------------------------------------------------------------
    def show_followup(self, review: SignalReview | None, actions: list[Action]) -> None:
        """Show the acknowledged state, the note and the actions as stored."""
        self.review, self.actions = review, actions
        on = bool(review and review.acknowledged)
        self.ack.blockSignals(True)
        self.ack.setChecked(on)
        self.ack.blockSignals(False)
        self.ack.setText(self.tr("Acknowledged ✓") if on else self.tr("Acknowledge"))
        severity = self.signal.severity
        if on:
            text, style = self.tr("Acknowledged"), "good"
        else:
            text, style = self.tr(PRIORITIES[severity]), PRIORITY_BADGE[severity]
        self.severity.setText(text)
        self.severity.setObjectName(
            {"good": "badgeGood", "warn": "badgeWarn", "bad": "badgeBad"}.get(style, "badge")
        )
        self.severity.setAccessibleName(text)
        self.severity.setToolTip("" if on else self.tr(PRIORITY_HELP[severity]))
        self.severity.style().unpolish(self.severity)
        self.severity.style().polish(self.severity)
        # The subject's heading already says its priority: repeat only what differs.
        self.severity.setVisible(on or severity != self.group_severity)
        lines = []
        if review and review.note:
            lines.append(
                self.tr("<b>Note:</b> {0}").format(html.escape(review.note).replace("\n", "<br>"))
            )
        for a in actions:
            parts = [ACTION_STATUS_TITLES.get(a.status, a.status)]
            if a.owner_role:
                parts.append(a.owner_role)
            if a.due_on:
                parts.append(self.tr("due {0}").format(a.due_on.isoformat()))
            lines.append(
                self.tr("<b>Action:</b> {0} ({1})").format(
                    html.escape(a.title), html.escape(", ".join(parts))
                )
            )
        self.followup_text.setText("<br>".join(lines))
        self.followup_text.setVisible(bool(lines))
        self.note_button.setText(
            self.tr("Edit note…") if review and review.note else self.tr("Note…")
        )

    # ---- evidence -------------------------------------------------------------------
    def set_expanded(self, on: bool) -> None:
        if on and not self.details.layout():
            self._build_details()
        self.details.setVisible(on)
        self.toggle.setText(self.tr("Hide the evidence") if on else self.tr("Show the evidence"))
        if self.toggle.isChecked() != on:
            self.toggle.setChecked(on)

    def _build_details(self) -> None:
        s = self.signal
        box = QVBoxLayout(self.details)
        box.setContentsMargins(0, 6, 0, 0)
        explanation = QLabel(s.explanation)
        explanation.setWordWrap(True)
        explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scope = QLabel(self.tr("Concerns: {0}").format(", ".join(dict.fromkeys(s.scope))))
        scope.setObjectName("muted")
        scope.setWordWrap(True)
        box.addWidget(explanation)
        box.addWidget(scope)
        row = QHBoxLayout()
        self.evidence = self._evidence_table()
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

    def _evidence_table(self) -> QTableWidget:
        rows: list[tuple[str, EvidenceEntry | None]] = []
        for e in evidence_entries(self.signal, self._titles()):
            if e.heading and (not rows or rows[-1][0] != e.heading):
                rows.append((e.heading, None))  # the figures of one pillar or area
            rows.append((e.heading, e))
        table = QTableWidget(len(rows), 2)
        table.setHorizontalHeaderLabels([self.tr("Evidence"), self.tr("Value")])
        table.setAccessibleName(self.tr("Evidence"))
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        for n, (heading, e) in enumerate(rows):
            if e is None:
                head = QTableWidgetItem(heading)
                font = head.font()
                font.setBold(True)
                head.setFont(font)
                table.setItem(n, 0, head)
                table.setSpan(n, 0, 1, 2)
                continue
            name = QTableWidgetItem(("    " if heading else "") + e.short_label)
            name.setToolTip(f"{e.label} ({e.key})")
            table.setItem(n, 0, name)
            item = QTableWidgetItem(e.text)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(repr(e.value))
            table.setItem(n, 1, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        table.setMinimumWidth(400)
        table.setMaximumWidth(480)
        table.resizeRowsToContents()
        full = header.sizeHint().height() + table.verticalHeader().length() + 2 * table.frameWidth()
        table.setFixedHeight(min(460, max(60, full)))  # long ones scroll
        return table

    def _titles(self) -> dict[str, str]:
        overall = self.analysis.overall
        return measure_titles(overall.instrument) if overall is not None else {}

    def _make_chart(self):
        """A small chart for the kinds that have one (matplotlib loads on first use)."""
        s, a = self.signal, self.analysis
        from culturescope.gui.chart_tables import ChartPanel, comparison_table, practice_table

        if s.kind == "perception_gap":
            rows = comparison_rows(s, a)
            if not rows:
                return None
            labels = (s.scope[0], s.scope[1].capitalize())
            fn, args, kwargs = "leaders_vs_frontline", (rows,), {"labels": labels}
            height = 1.2 + 0.55 * len(rows)
            table = comparison_table(rows, labels)
        elif s.kind in ("policy_practice_gap", "awareness_gap", "stale_commitment"):
            rows = area_rows(a, None if s.kind != "stale_commitment" else s.scope)
            if not rows or all(r.percent_positive is None for r in rows):
                return None
            threshold = a.settings.practice_low_percent
            fn, args, kwargs = "policy_vs_practice", (rows,), {"gap_below": threshold}
            height = 1.3 + 0.42 * len(rows)  # and the colour key under it
            table = practice_table(rows, threshold)
        else:
            return None
        from culturescope.gui.charts import ChartCanvas
        from culturescope.reports import charts

        self.chart = ChartCanvas(self, width=6.4, height=height)
        self.chart.setAccessibleName(self.tr("Chart for: {0}").format(self.headline))
        self.chart.draw_with(getattr(charts, fn), *args, **kwargs)
        # The same numbers as a table, for the keyboard and screen readers.
        self.chart_panel = ChartPanel(self.chart, self.tr("the chart of this signal"))
        self.chart_panel.set_data(table)
        return self.chart_panel
