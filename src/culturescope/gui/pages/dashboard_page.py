"""Dashboard: pillar cards, agreement, Likert bars per dimension and the group heatmap.

Scoring runs in a worker (``culturescope.scoring.score``); the charts are the reports'
own chart functions drawn on a Qt canvas. Hidden groups (docs/design/confidentiality.md)
come from the scoring result without numbers and are drawn as hidden, with their reason
on hover.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from culturescope import Cancelled
from culturescope.gui import messages, theme
from culturescope.gui.chart_tables import ChartPanel, heatmap_table, likert_table, pillar_table
from culturescope.gui.state import AppState, FollowsStore, enough_data
from culturescope.gui.style import set_icon
from culturescope.gui.widgets import Card, EmptyState, badge, clear_layout, tool_button
from culturescope.instruments import band_percent
from culturescope.numbers import signed

if TYPE_CHECKING:
    from culturescope.signals.people import Attention


def _score(store, campaign_id: int, by: tuple[str, ...], *, progress, is_cancelled):
    from culturescope.scoring import score

    return score(store, campaign_id, by=by, progress=progress, is_cancelled=is_cancelled)


def _signals(store, campaign_id: int, settings=None, *, progress, is_cancelled):
    """What the signals ask of the lead (acknowledged ones left out, subjects counted, see
    :func:`culturescope.signals.people.attention`), the trend since the previous
    campaign (None without one) and the checks that could not run."""
    from culturescope.scoring import campaign_trend
    from culturescope.signals import analyse
    from culturescope.signals.people import attention, group_analysis
    from culturescope.storage import acknowledged_signals

    analysis = analyse(
        store, campaign_id, settings=settings, progress=progress, is_cancelled=is_cancelled
    )
    done = acknowledged_signals(store, campaign_id)
    summary = attention(group_analysis(analysis, done), done)
    return summary, campaign_trend(store, campaign_id), tuple(analysis.not_checked)


def trend_text(t) -> tuple[str, str]:
    """A pillar card's line on the change since the previous campaign, and its style."""
    if t.difference is None:
        return f"Not compared with {{previous}}: {t.note}", ""
    if t.measure == "share":
        change = f"{signed(t.difference)} points"
    else:
        change = f"{t.difference:+.2f}"
    p = "p < 0.001" if t.p_adjusted < 0.001 else f"p = {t.p_adjusted:.2f}"
    if not t.significant:
        return f"≈ {change} since {{previous}}: no clear change", ""
    arrow = "▲" if t.difference > 0 else "▼"
    return f"{arrow} {change} since {{previous}} ({p})", "good" if t.difference > 0 else "bad"


_BADGE_ICONS = {"signalsNone": "check", "signalsNeutral": "info", "signalsWarn": "signals"}


def signals_badge_text(
    summary: Attention | None, *, enough: bool = True, not_checked: Sequence[str] = ()
) -> tuple[str, str]:
    """The dashboard's signal line and its style: ``(text, object name)``.

    It says what to look at first and how many subjects need a look — calm words and a
    calm colour (amber at most): a signal is a question to ask, not an alarm. With too few
    responses and no signal it is neutral: "not enough data" is never an all-clear; nor is
    an empty list while some checks could not run (``not_checked``, e.g. no policy
    register): then it says so, as the scorecard does.
    """
    if summary is None or not (
        summary.start_here or summary.worth_a_look or summary.for_information
    ):
        if not enough:
            return "Signals: not enough responses yet", "signalsNeutral"
        if summary is not None and summary.acknowledged:
            text, style = f"Signals: all {summary.acknowledged} acknowledged", "signalsNone"
        else:
            text, style = "No safety-washing signals", "signalsNone"
    else:
        text = summary.text()
        if summary.acknowledged:
            text += f" · {summary.acknowledged} acknowledged"
        if summary.start_here:
            return text, "signalsWarn"
        style = "signalsNeutral" if summary.worth_a_look else "signalsNone"
    if not_checked:
        n = len(not_checked)
        if text == "No safety-washing signals":
            text += " in the checks that could run"
        text += f" · {n} check{'s' * (n != 1)} could not run"
        style = "signalsNeutral"  # never the all-clear tick
    return text, style


def _fmt(x: float | None, spec: str = ".2f") -> str:
    return "–" if x is None else format(x, spec)


def heatmap_dimensions(result) -> list[str]:
    """Dimensions in the heatmap: pillars first, then the other attitude dimensions."""
    pillars = [d.id for d in result.dimensions if d.pillar]
    rest = (
        [
            d.id
            for d in result.dimensions
            if not d.pillar
            and not d.counts_behaviour
            and result.instrument.scale_of(result.instrument.items_of(d.id)[0]).id
            == result.instrument.scale_of(result.instrument.items[0]).id
        ]
        if result.instrument.items
        else []
    )
    return pillars + rest


def heatmap_tooltip(result, dims: list[str], row: int, col: int) -> str:
    """What hovering a heatmap cell says; a hidden group gives only its reason."""
    if not (0 <= row < len(result.groups)) or not (0 <= col < len(dims)):
        return ""
    group = result.groups[row]
    title = result.instrument.dimension_by_id[dims[col]].title
    if group.hidden:
        return f"{group.label}: Insufficient responses — {group.reason or 'hidden'}"
    d = group.dimension(dims[col])
    if d is None or d.mean is None:
        return f"{group.label} · {title}: no score"
    return (
        f"{group.label} (n={group.n}) · {title}\n"
        f"{_fmt(d.percent_positive, '.0f')}% {d.positive_label} · mean {_fmt(d.mean)} · "
        f"rwg(j) {_fmt(d.rwg_j)}"
    )


def band_badge_style(colour: str, tokens) -> str:
    """A band's badge: a tint of the band's colour, its text made readable on that tint."""
    c = QColor(colour)
    card = QColor(tokens.surface)
    tint = QColor(
        round(card.red() * 0.87 + c.red() * 0.13),
        round(card.green() * 0.87 + c.green() * 0.13),
        round(card.blue() * 0.87 + c.blue() * 0.13),
    ).name()
    text = theme.readable_on(colour, tint)
    return (
        f"background: {tint}; color: {text}; border: 1px solid {colour}; "
        "border-radius: 9px; padding: 2px 8px; font-weight: 600;"
    )


class DashboardPage(FollowsStore, QWidget):
    navigate = Signal(str)

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.result = None
        self.task = None
        # Keys from AppState.result_key: (kind, campaign id, ...); results are kept there.
        self._wanted: tuple | None = None
        self._heat_dims: list[str] = []
        self.signal_attention: Attention | None = None
        self.trend = None  # TrendResult since the previous campaign, when there is one
        self.not_checked: tuple[str, ...] = ()  # signal checks that could not run
        self.signals_task = None
        self._signals_key: tuple | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 8)
        top = QHBoxLayout()
        self.title = QLabel(self.tr("Dashboard"))
        self.title.setObjectName("pageTitle")
        top.addWidget(self.title, 1)
        by_label = QLabel(self.tr("&Break down by:"))
        self.by_box = QComboBox()
        self.by_box.setAccessibleName(self.tr("Break down by"))
        self.by_box.setMinimumWidth(160)
        by_label.setBuddy(self.by_box)
        self.by_box.activated.connect(lambda _i: self.refresh())
        self.refresh_button = tool_button(
            self.tr("Re&fresh"), "refresh", self.tr("Score again (F5)")
        )
        self.refresh_button.clicked.connect(self.rescore)
        self.method_button = tool_button(
            self.tr("&How scores are computed"), "info", self.tr("The method behind every number")
        )
        self.method_button.clicked.connect(self.show_method)
        top.addWidget(self.method_button)
        self.signals_button = tool_button("", "signals", self.tr("Open the Signals page"))
        self.signals_button.setVisible(False)
        self.signals_button.clicked.connect(lambda: self.navigate.emit("signals"))
        self.export_button = tool_button(
            self.tr("E&xport…"), "export", self.tr("Scorecard (PDF or Excel) and charts")
        )
        self.export_button.clicked.connect(lambda: self.navigate.emit("export"))
        top.addWidget(by_label)
        top.addWidget(self.by_box)
        top.addWidget(self.refresh_button)
        top.addWidget(self.export_button)
        outer.addLayout(top)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("pageSubtitle")
        self.subtitle.setWordWrap(True)
        sub_row = QHBoxLayout()
        sub_row.addWidget(self.subtitle, 1)
        sub_row.addWidget(self.signals_button)
        outer.addLayout(sub_row)

        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.empty = EmptyState("dashboard", "", "")
        self.empty_button = tool_button(self.tr("Import responses…"), "import")
        self.empty_button.clicked.connect(lambda: self.navigate.emit(self._empty_target))
        self._empty_target = "import"
        self.empty.add_button(self.empty_button)
        self.loading = EmptyState("dashboard", self.tr("Scoring…"), "")
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.loading)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.body_layout = QVBoxLayout(body)
        self.body_layout.setContentsMargins(0, 0, 10, 10)
        self.body_layout.setSpacing(12)
        self.cards = QHBoxLayout()
        self.cards.setSpacing(12)
        self.body_layout.addLayout(self.cards)
        self.notes = QLabel()
        self.notes.setObjectName("muted")
        self.notes.setWordWrap(True)
        self.body_layout.addWidget(self.notes)
        self._charts_built = False
        scroll.setWidget(body)
        self.content = scroll
        self.stack.addWidget(scroll)
        self.follow_store()

    # ---- charts are built on first use so that matplotlib loads only when needed ------
    def _build_charts(self) -> None:
        if self._charts_built:
            return
        from culturescope.gui.charts import ChartCanvas

        self.pillar_chart = ChartCanvas(width=9, height=3.0)
        self.pillar_chart.setAccessibleName(self.tr("Pillar scores chart"))
        self.pillar_chart.keep_title = False  # the card names it: one title level
        pillar_card = Card(self.tr("Pillar scores with 95% confidence intervals"))
        self.pillar_panel = pillar_card.add(ChartPanel(self.pillar_chart, self.tr("Pillar scores")))
        self.body_layout.addWidget(pillar_card)

        likert_card = Card(self.tr("Answers per item"))
        row = QHBoxLayout()
        label = QLabel(self.tr("&Dimension:"))
        self.dim_box = QComboBox()
        self.dim_box.setAccessibleName(self.tr("Dimension shown in the answers chart"))
        self.dim_box.setMinimumWidth(260)
        label.setBuddy(self.dim_box)
        self.dim_box.activated.connect(lambda _i: self._draw_likert())
        row.addWidget(label)
        row.addWidget(self.dim_box)
        row.addStretch(1)
        likert_card.layout_.addLayout(row)
        self.likert_chart = ChartCanvas(width=9, height=4)
        self.likert_chart.setAccessibleName(self.tr("Diverging stacked answers chart"))
        self.likert_panel = likert_card.add(
            ChartPanel(self.likert_chart, self.tr("Answers per item"))
        )
        self.body_layout.addWidget(likert_card)

        self.heat_card = Card(self.tr("By group"))
        self.heat_chart = ChartCanvas(width=9, height=4)
        self.heat_chart.setAccessibleName(self.tr("Heatmap of groups by dimension"))
        self.heat_chart.keep_title = False
        self.heat_chart.canvas.mpl_connect("motion_notify_event", self._heat_hover)
        self.heat_hint = QLabel(
            self.tr(
                "Hover a cell for its numbers, or Show as table and move with the arrow keys; "
                "hidden groups show why they are hidden."
            )
        )
        self.heat_hint.setObjectName("muted")
        self.heat_hint.setWordWrap(True)
        self.heat_panel = self.heat_card.add(
            ChartPanel(self.heat_chart, self.tr("Groups by dimension"))
        )
        self.heat_card.add(self.heat_hint)
        self.body_layout.addWidget(self.heat_card)
        self.body_layout.addStretch(1)
        self._charts_built = True

    # ---- refresh and scoring ----------------------------------------------------------
    def _fill_breakdowns(self, campaign) -> None:
        inst = self.state.store.instrument(campaign.instrument_key)
        current = self.by_box.currentData()
        self.by_box.blockSignals(True)
        self.by_box.clear()
        self.by_box.addItem(self.tr("Nothing (overall only)"), "")
        for d in inst.demographics:
            self.by_box.addItem(d.label, d.id)
        index = self.by_box.findData(current if current is not None else "team")
        if index < 0:
            index = self.by_box.findData("team")
        self.by_box.setCurrentIndex(max(0, index))
        self.by_box.blockSignals(False)

    def refresh(self) -> None:
        c = self.state.current_campaign
        if c is None:
            self.title.setText(self.tr("Dashboard"))
            self.subtitle.setText("")
            self.empty.set_text(
                self.tr("No campaign yet"),
                self.tr("Create a campaign and collect responses to see results here."),
            )
            self.empty_button.setText(self.tr("New campaign…"))
            self._empty_target = "new-campaign"
            self.empty_button.setVisible(True)
            self.signals_button.setVisible(False)
            self.stack.setCurrentWidget(self.empty)
            return
        self.title.setText(self.tr("Dashboard — {0}").format(c.name))
        if self._wanted is None or self._wanted[1] != c.id:
            self._fill_breakdowns(c)
        if c.response_count == 0:
            self.subtitle.setText("")
            self.empty.set_text(
                self.tr("No responses yet"),
                self.tr(
                    "Import a spreadsheet, type in paper forms or run the kiosk; "
                    "the scores appear here."
                ),
            )
            self.empty_button.setText(self.tr("Import responses…"))
            self._empty_target = "import"
            self.empty_button.setVisible(True)
            self.signals_button.setVisible(False)
            self.stack.setCurrentWidget(self.empty)
            self._wanted = ("no responses", c.id)
            return
        self._refresh_signals(c)
        by = (self.by_box.currentData(),) if self.by_box.currentData() else ()
        # The store's data version of the campaign, not the response count: deleting some
        # responses and adding as many others keeps the count but changes every number.
        key = self.state.result_key("scorecard", c, by)
        if key == self._wanted and (self.result is not None or self.task is not None):
            return
        self._wanted = key
        cached = self.state.result(key)
        if cached is not None:
            self._show(cached, key)
            return
        if self.task is not None:
            self.task.cancel()  # a newer request replaces it
        if self.result is None:
            self.stack.setCurrentWidget(self.loading)
        else:  # the old numbers stay until the new ones arrive: say they are being redone
            self.subtitle.setText(
                self.tr("Scoring by {0}…").format(self.by_box.currentText().lower())
                if by
                else self.tr("Scoring…")
            )
        self.by_box.setEnabled(False)
        self.task = self.state.run_task(
            _score,
            self.state.store,
            c.id,
            by,
            title=self.tr("Scoring {0}").format(c.name),
            on_result=lambda result, key=key: self._show(result, key),
            on_error=self._failed,
        )

    def rescore(self) -> None:
        self.state.forget_results()
        self._wanted = None
        self._signals_key = None
        self.refresh()

    # ---- signal counts (the Signals page has the details) ------------------------------
    def _refresh_signals(self, c) -> None:
        # Follow-ups (acknowledged signals) are writes to the campaign, so its data
        # version covers them; the thresholds are settings, so they are part of the key.
        key = self.state.result_key("signal counts", c, self.state.settings.signal_settings())
        if key == self._signals_key:
            return
        self._signals_key = key
        if self.signals_task is not None:
            self.signals_task.cancel()
        self.signals_button.setVisible(False)
        self.signals_task = task = self.state.run_task(
            _signals,
            self.state.store,
            c.id,
            self.state.settings.signal_settings(),
            title=self.tr("Counting signals in {0}").format(c.name),
            on_result=lambda out: self._show_signals(task, *out),
            on_error=lambda exc: self._signals_failed(task, exc),
        )

    def _show_signals(self, task, summary: Attention, trend=None, not_checked=()) -> None:
        if task is not self.signals_task:
            return
        self.signals_task = None
        self.signal_attention = summary
        self.trend = trend
        self.not_checked = tuple(not_checked)
        if self.result is not None:
            self._fill_cards(self.result)
        c = self.state.current_campaign
        enough = c is None or enough_data(c)
        text, name = signals_badge_text(summary, enough=enough, not_checked=not_checked)
        self.signals_button.setText(text)
        tip = self.tr("Open the Signals page")
        if not_checked and enough:
            from culturescope.signal_setup import not_checked_sentence

            tip = not_checked_sentence(not_checked) + "\n" + tip
        self.signals_button.setToolTip(tip)
        self.signals_button.setObjectName(name)
        # An all-clear wears a tick, not the warning triangle of the Signals page.
        set_icon(self.signals_button, _BADGE_ICONS.get(name, "signals"))
        self.signals_button.setAccessibleName(text)
        self.signals_button.style().unpolish(self.signals_button)
        self.signals_button.style().polish(self.signals_button)
        self.signals_button.setVisible(True)

    def _signals_failed(self, task, exc: BaseException) -> None:
        if task is not self.signals_task:
            return
        self.signals_task = None
        self._signals_key = None
        self.signals_button.setVisible(False)

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.by_box.setEnabled(True)
        if isinstance(exc, Cancelled):
            return
        self._wanted = None
        self.empty.set_text(self.tr("The campaign could not be scored"), messages.describe(exc))
        self.empty_button.setVisible(False)
        self.stack.setCurrentWidget(self.empty)

    def _show(self, result, key) -> None:
        self.task = None
        self.by_box.setEnabled(True)
        self.state.keep_result(key, result)
        if key != self._wanted:
            return  # an older answer; a newer request is on its way
        self.result = result
        self._build_charts()
        self._fill_cards(result)
        c = self.state.current_campaign
        hidden = len(result.hidden_groups)
        sub = self.tr("{0} responses · {1} · groups under {2} responses are hidden").format(
            f"{result.responses:,}", result.instrument.title, result.min_group_size
        )
        if hidden:
            sub += self.tr(" ({0} hidden)").format(hidden)
        self.subtitle.setText(sub if c is not None else "")
        self.notes.setText("\n".join(result.notes))
        self.notes.setVisible(bool(result.notes))
        self.stack.setCurrentWidget(self.content)
        self._draw_charts(result)

    def theme_changed(self) -> None:
        """The cards' band badges are coloured in code: build them again."""
        if self.result is not None:
            self._fill_cards(self.result)

    # ---- cards ------------------------------------------------------------------------
    def _fill_cards(self, result) -> None:
        clear_layout(self.cards)
        pillars = [d for d in result.dimensions if d.pillar] or list(result.dimensions)[:3]
        agreement = {a.dimension: a for a in result.agreement}
        for d in pillars:
            self.cards.addWidget(self._card(result, d, agreement.get(d.id)), 1)

    def _card(self, result, d, agreement) -> QWidget:
        card = Card(d.title)
        card.setAccessibleName(d.title)
        value = QLabel(_fmt(d.mean))
        value.setObjectName("cardValue")
        points = result.instrument.scale_of(result.instrument.items_of(d.id)[0]).points
        value.setToolTip(
            self.tr("Mean score on {0}").format(result.scale_text(d) or f"the 1–{points} scale")
        )
        row = QHBoxLayout()
        row.addWidget(value)
        scale = QLabel(self.tr("/ {0}").format(points))
        scale.setObjectName("muted")
        row.addWidget(scale, 0, Qt.AlignmentFlag.AlignBottom)
        row.addStretch(1)
        band = next((b for b in result.instrument.bands if b.id == d.band), None)
        if band is not None:
            b = badge(band.label, tip=self.tr("Band from the percent positive"))
            b.setStyleSheet(band_badge_style(band.colour, theme.current()))
            row.addWidget(b, 0, Qt.AlignmentFlag.AlignTop)
        card.layout_.addLayout(row)
        ci = f"{_fmt(d.ci95[0])}–{_fmt(d.ci95[1])}" if d.ci95 else "–"
        if d.counts_behaviour:
            shares = self.tr("{0}% {1} · {2}% never").format(
                _fmt(d.percent_positive, ".0f"), d.positive_label, _fmt(d.percent_negative, ".0f")
            )
        else:
            # Beside its band, the percent gets the decimals that keep it in that band.
            positive = (
                band_percent(result.instrument, d.percent_positive).removesuffix("%")
                if band is not None
                else _fmt(d.percent_positive, ".0f")
            )
            shares = self.tr("{0}% positive · {1}% negative").format(
                positive, _fmt(d.percent_negative, ".0f")
            )
        details = QLabel(self.tr("95% CI {0} · n = {1}\n{2}").format(ci, d.n, shares))
        details.setObjectName("muted")
        card.add(details)
        t = self.trend.dimension(d.id) if self.trend is not None else None
        if t is not None and self.trend.campaign == result.campaign:
            text, kind = trend_text(t)
            since = QLabel(text.format(previous=self.trend.previous))
            since.setObjectName({"good": "trendUp", "bad": "trendDown"}.get(kind, "muted"))
            since.setWordWrap(True)
            since.setToolTip(
                self.tr(
                    "Compared on the {0} item(s) asked the same way in both campaigns; "
                    "Holm-corrected test across dimensions{1}."
                ).format(
                    len(t.items),
                    f" (adjusted p = {t.p_adjusted:.3f})" if t.p_adjusted is not None else "",
                )
            )
            card.add(since)
        badges = QHBoxLayout()
        if d.alpha is not None:
            badges.addWidget(
                badge(
                    f"α {_fmt(d.alpha)}",
                    "good" if d.alpha >= 0.7 else "warn",
                    self.tr("Cronbach's alpha: internal consistency of the items")
                    + (f" — {d.reliability_note}" if d.reliability_note else ""),
                )
            )
        elif d.reliability_note and d.mean is not None:
            badges.addWidget(
                badge(
                    self.tr("α –"), "", self.tr("Cronbach's alpha {0}").format(d.reliability_note)
                )
            )
        if agreement is not None:
            kind = {True: "good", False: "bad", None: ""}[agreement.aggregation_justified]
            by = result.instrument.demographic_by_id.get(result.by[0]) if result.by else None
            text = self.tr("rwg(j) {0} · ICC(1) {1}").format(
                _fmt(agreement.mean_rwg_j), _fmt(agreement.icc1)
            )
            where = self.tr("Agreement by {0}: ").format(by.label.lower()) if by else ""
            badges.addWidget(badge(text, kind, where + (agreement.reason or "")))
        badges.addStretch(1)
        card.layout_.addLayout(badges)
        return card

    # ---- charts -----------------------------------------------------------------------
    def _draw_charts(self, result) -> None:
        from culturescope.reports import charts

        self.pillar_chart.draw_with(charts.pillar_scores, result)
        self.pillar_panel.set_data(pillar_table(result))
        current = self.dim_box.currentData()
        self.dim_box.clear()
        for d in result.dimensions:
            if any(i.dimension == d.id for i in result.items):
                self.dim_box.addItem(d.title, d.id)
        index = self.dim_box.findData(current)
        self.dim_box.setCurrentIndex(max(0, index))
        self._draw_likert()
        self.heat_card.setVisible(bool(result.groups))
        if result.groups:
            self._heat_dims = heatmap_dimensions(result)
            self.heat_chart.set_height(charts.heatmap_height(result) + 0.6)
            self.heat_chart.draw_with(charts.team_heatmap, result, dimensions=self._heat_dims)
            self.heat_panel.set_data(heatmap_table(result, self._heat_dims))

    def _draw_likert(self) -> None:
        from culturescope.reports import charts

        result = self.result
        dim = self.dim_box.currentData()
        if result is None or dim is None:
            return
        items = [i for i in result.items if i.dimension == dim]
        self.likert_chart.set_height(1.8 + 0.42 * max(1, len(items)))
        self.likert_chart.draw_with(
            charts.likert_bars,
            items,
            instrument=result.instrument,
            title=result.instrument.dimension_by_id[dim].title,
        )
        self.likert_panel.set_data(likert_table(items))

    def _heat_hover(self, event) -> None:
        if self.result is None or event.inaxes is not self.heat_chart.axes:
            QToolTip.hideText()
            return
        if event.xdata is None or event.ydata is None:
            return
        text = heatmap_tooltip(self.result, self._heat_dims, round(event.ydata), round(event.xdata))
        if text:
            QToolTip.showText(QCursor.pos(), text, self.heat_chart)

    def method_html(self) -> str:
        """The scorecard's method texts, for the current result."""
        from html import escape

        from culturescope.reports.method import method_sections

        c = self.state.current_campaign
        if self.result is None or c is None:
            return ""
        sections = method_sections(self.result, min_comment_group_size=c.min_comment_group_size)
        return "".join(f"<h3>{escape(head)}</h3><p>{escape(body)}</p>" for head, body in sections)

    def show_method(self) -> None:
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser

        html = self.method_html()
        if not html:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("How scores are computed"))
        dialog.resize(640, 600)
        layout = QVBoxLayout(dialog)
        browser = QTextBrowser()
        browser.setAccessibleName(self.tr("How scores are computed"))
        browser.setHtml(html)
        layout.addWidget(browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        self._method_dialog = dialog
        dialog.open()

    def shutdown(self) -> None:
        for task in (self.task, self.signals_task):
            if task is not None:
                task.cancel()
