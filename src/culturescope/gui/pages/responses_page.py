"""Responses: the raw answers of a campaign with their provenance; delete a response or
an import batch.

Confidentiality (docs/design/confidentiality.md). The table shows at most one demographic column at a
time ("Show: Team"); the others are not in the table model at all. That alone would not
protect anyone: every row keeps its response number, date and answers, so the columns of
two views could be joined back together. So whichever column is chosen, a response's
values come from one fixed set, decided once per load by
:func:`~culturescope.scoring.confidentiality.responses.shown_demographics` (the core's
rule, also bound by the campaign's linked-table audit), as nested cross-tabs in
the instrument's order with the team first: its team is shown where its team is shown in a
breakdown by team; its role where its team × role cell is shown in a breakdown by team and
role (minimum group size and differencing protection along both axes, never where its team
is hidden); its site where its team × role × site cell is shown, and so on; otherwise
"(not shown)". So everything that can be put together from this page, in any views,
singles out no fewer than the minimum, and no group that a score breakdown shows has
fewer than the minimum (but some) of its responses left out of view, so nothing can be
worked out by subtracting the page from the scores. Every "(not shown)" cell of a column
has the same tooltip, so the rows of a small group cannot be told apart from those hiding
it. The price is that deeper columns (site, tenure) show little in a small campaign.

Hidden teams are not offered as a filter; the team filter selects whole shown teams, and
one that would show (or leave out) fewer responses than the minimum is refused. Filtering
by team while showing another column is the team × column cross-tab above, cell by cell.
Comments are listed on their own tab without any demographics.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from culturescope.gui import messages
from culturescope.gui.response_model import ResponseTableModel
from culturescope.gui.response_view import ResponseView, load_view
from culturescope.gui.state import AppState, FollowsStore
from culturescope.gui.widgets import EmptyState, page_header, tool_button
from culturescope.scoring.confidentiality import ConfidentialityError, check_filter

ALL = "__all__"
#: The "Show:" choice of no demographic column.
NO_DEMOGRAPHICS = "__none__"


def _delete(store, what: str, ids, *, progress, is_cancelled) -> int:
    progress(0.0, "deleting")
    if what == "batch":
        return store.delete_batch(int(ids))
    return store.delete_responses([int(i) for i in ids])


class ResponsesPage(FollowsStore, QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.view: ResponseView | None = None
        self.task = None
        self._loaded_for: tuple | None = None
        # Column widths by name, kept when the table is rebuilt for another filter or
        # column (as first sized to their contents, or as the user resized them).
        self._widths: dict[str, int] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(
            page_header(
                self.tr("Responses"),
                self.tr(
                    "Raw answers exactly as given (reverse-keyed items are not reversed "
                    "here), with where each came from."
                ),
            )
        )
        bar = QHBoxLayout()
        self.team_box = QComboBox()
        self.team_box.setAccessibleName(self.tr("Filter by team"))
        self.team_box.setMinimumWidth(180)
        self.source_box = QComboBox()
        self.source_box.setAccessibleName(self.tr("Filter by source"))
        self.source_box.setMinimumWidth(260)
        team_label = QLabel(self.tr("&Team:"))
        team_label.setBuddy(self.team_box)
        source_label = QLabel(self.tr("&Source:"))
        source_label.setBuddy(self.source_box)
        self.column_box = QComboBox()
        self.column_box.setAccessibleName(self.tr("Demographic column to show"))
        self.column_box.setToolTip(
            self.tr(
                "One demographic column at a time. Whatever is chosen, a value is shown only "
                "where enough responses share it with the columns before it (team, then "
                "role…), so no one can be singled out by combining views."
            )
        )
        self.column_box.setMinimumWidth(170)
        column_label = QLabel(self.tr("S&how:"))
        column_label.setBuddy(self.column_box)
        self.delete_button = tool_button(
            self.tr("&Delete selected…"), "delete", self.tr("Delete the selected responses")
        )
        self.delete_button.setObjectName("danger")
        self.delete_batch_button = tool_button(
            self.tr("Delete this &import…"),
            "delete",
            self.tr("Delete every response of the import chosen under Source"),
        )
        self.delete_batch_button.setObjectName("danger")
        for w in (team_label, self.team_box, source_label, self.source_box):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.delete_batch_button)
        bar.addWidget(self.delete_button)
        # Disabled buttons say why, under them: a line of its own, so the reason is never
        # cut off between the filters and the buttons on a small screen.
        self.delete_reason = QLabel()
        self.delete_reason.setObjectName("reason")
        self.delete_reason.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.delete_reason.setWordWrap(True)
        # The filters and the delete buttons only where there are responses to act on.
        self.toolbar = QWidget()
        toolbar = QVBoxLayout(self.toolbar)
        toolbar.setContentsMargins(0, 0, 0, 0)
        toolbar.setSpacing(2)
        toolbar.addLayout(bar)
        toolbar.addWidget(self.delete_reason)
        layout.addWidget(self.toolbar)
        self.team_box.currentIndexChanged.connect(self.apply_filter)
        self.source_box.currentIndexChanged.connect(self.apply_filter)
        self.column_box.currentIndexChanged.connect(self.apply_filter)
        self.delete_button.clicked.connect(self.delete_selected)
        self.delete_batch_button.clicked.connect(self.delete_batch)

        self.model = ResponseTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Responses"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setDefaultSectionSize(60)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.comments = QListWidget()
        self.comments.setAccessibleName(self.tr("Comments, without demographics"))
        self.comments.setWordWrap(True)
        self.comments.setAlternatingRowColors(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, self.tr("&Answers"))
        self.tabs.addTab(self.comments, self.tr("&Comments"))
        # "Show: [Team]" sits with the table it shapes, above its top-right corner.
        corner = QWidget()
        corner_layout = QHBoxLayout(corner)
        corner_layout.setContentsMargins(0, 0, 0, 4)
        corner_layout.addWidget(column_label)
        corner_layout.addWidget(self.column_box)
        self.tabs.setCornerWidget(corner)
        self.tabs.currentChanged.connect(lambda i: corner.setVisible(i == 0))
        self.tabs.currentChanged.connect(lambda _i: self._show_status())
        self._answers_status = self._comments_status = ""

        self.status = QLabel()
        self.status.setObjectName("muted")
        self.empty = EmptyState(
            "responses",
            self.tr("No responses yet"),
            self.tr("Import a spreadsheet, type in paper forms or run the kiosk."),
        )
        go = tool_button(self.tr("Import a file…"), "import")
        go.clicked.connect(lambda: self._navigate("import"))
        self.empty.add_button(go)
        self.loading = EmptyState("responses", self.tr("Loading responses…"), "")
        self.stack = QStackedWidget()
        for w in (self.tabs, self.empty, self.loading):
            self.stack.addWidget(w)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)
        self._on_selection()
        self.follow_store()

    def _navigate(self, key: str) -> None:
        window = self.window()
        if hasattr(window, "show_page"):
            window.show_page(key)

    # ---- loading ----------------------------------------------------------------------
    def refresh(self) -> None:
        c = self.state.current_campaign
        if c is None:
            self.empty.set_text(
                self.tr("No campaign yet"),
                self.tr("Create a campaign on the Campaigns page first."),
            )
            self._show_state(self.empty)
            self.view = None
            self._loaded_for = None
            return
        # Keyed on the campaign's data version: any write to it (responses, a changed
        # minimum group size, which changes what may be shown) loads again.
        key = self.state.result_key("responses", c)
        if key == self._loaded_for and (self.view is not None or self.task is not None):
            return
        if self.task is not None:
            self.task.cancel()  # a newer load replaces it
            self.task = None
        self._loaded_for = key
        kept = self.state.result(key)
        if kept is not None:
            self._show(kept)
            return
        self._show_state(self.loading)
        self.task = task = self.state.run_task(
            load_view,
            self.state.store,
            c.id,
            title=self.tr("Loading responses"),
            on_result=lambda view: self._loaded(task, key, view),
            on_error=lambda exc: self._failed(task, exc),
        )

    def _loaded(self, task, key: tuple, view: ResponseView) -> None:
        self.state.keep_result(key, view)
        if task is self.task:
            self._show(view)

    def _failed(self, task, exc: BaseException) -> None:
        from culturescope import Cancelled

        if task is not self.task:
            return  # an older load, replaced by a newer one
        self.task = None
        self._loaded_for = None
        if isinstance(exc, Cancelled):
            return
        self.empty.set_text(self.tr("The responses could not be loaded"), messages.describe(exc))
        self._show_state(self.empty)

    def _show(self, view: ResponseView) -> None:
        self.task = None
        c = self.state.current_campaign
        if c is None or c.id != view.campaign_id:
            return
        self.view = view
        if view.response_count == 0:
            self.empty.set_text(
                self.tr("No responses yet"),
                self.tr("Import a spreadsheet, type in paper forms or run the kiosk."),
            )
            self._show_state(self.empty)
            return
        self._fill_filters()
        self.comments.clear()
        self._comments_status = ""
        if view.comments:
            self._fill_comments(view.comments)
        else:
            self.comments.addItem(
                self.tr("Comments are shown once the campaign has at least {0} responses.").format(
                    c.min_comment_group_size
                )
                if view.response_count < c.min_comment_group_size
                else self.tr("No comments.")
            )
        self._show_state(self.tabs)
        self.apply_filter()

    def _fill_comments(self, comments: list[tuple[str, str]]) -> None:
        """Under each question its comments, identical ones once with their count (as in
        the scorecard); the question is a heading, not repeated on every comment."""
        from culturescope.reports.scorecard import counted

        by_prompt: dict[str, list[str]] = {}
        for prompt, text in comments:
            by_prompt.setdefault(prompt, []).append(" ".join(str(text).split()))
        total = different = 0
        for prompt, texts in by_prompt.items():
            heading = QListWidgetItem(prompt)
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            heading.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: not selectable
            heading.setData(Qt.ItemDataRole.UserRole, "prompt")
            if self.comments.count():  # room above the next question's heading
                line = self.comments.fontMetrics().height()
                heading.setSizeHint(QSize(0, int(line * 2.2)))
                heading.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
            self.comments.addItem(heading)
            for text, n in counted(texts):
                item = QListWidgetItem(self.tr("{0}  ({1}×)").format(text, n) if n > 1 else text)
                item.setData(Qt.ItemDataRole.UserRole, n)
                self.comments.addItem(item)
                total += n
                different += 1
        questions = (
            self.tr("1 question")
            if len(by_prompt) == 1
            else self.tr("{0} questions").format(len(by_prompt))
        )
        self._comments_status = self.tr(
            "{0} comments ({1} different) to {2}, without any demographic details; "
            "identical comments are listed once with their count."
        ).format(f"{total:,}", f"{different:,}", questions)

    def _show_status(self) -> None:
        """The line under the tabs speaks of the tab shown (no column hints on Comments);
        the filters and delete buttons act on the answers only, so only they show them."""
        on_comments = self.tabs.currentWidget() is self.comments
        self.status.setText(self._comments_status if on_comments else self._answers_status)
        self.toolbar.setVisible(self.stack.currentWidget() is self.tabs and not on_comments)

    def _show_state(self, widget: QWidget) -> None:
        """Show the table, the loading or the empty state; the filters and delete buttons
        only with the table (empty drop-downs over "No responses yet" say nothing)."""
        self.stack.setCurrentWidget(widget)
        if widget is self.tabs:
            self._show_status()
        else:
            self.toolbar.setVisible(False)
            self.status.clear()

    def _fill_filters(self) -> None:
        view = self.view
        previous = self.column_box.currentData()
        for box in (self.team_box, self.source_box, self.column_box):
            box.blockSignals(True)
            box.clear()
        for did, label in view.demographics:
            self.column_box.addItem(label, did)
        self.column_box.addItem(self.tr("No demographics"), NO_DEMOGRAPHICS)
        chosen = self.column_box.findData(previous if previous is not None else "team")
        self.column_box.setCurrentIndex(max(chosen, 0))
        self.team_box.addItem(self.tr("All teams"), ALL)
        for team, n in view.visible_teams:  # hidden teams are never offered
            self.team_box.addItem(f"{team} ({n})", team)
        self.source_box.addItem(self.tr("All sources"), ALL)
        present = set(view.sources.unique())
        for source, label in (("kiosk", self.tr("Kiosk")), ("paper", self.tr("Paper forms"))):
            if source in present:
                self.source_box.addItem(label, source)
        for batch_id, label, rows in view.batches:
            self.source_box.addItem(
                self.tr("Import: {0} ({1})").format(label, rows), f"batch:{batch_id}"
            )
        self.team_box.setEnabled(view.teams is not None)
        for box in (self.team_box, self.source_box, self.column_box):
            box.blockSignals(False)

    # ---- filtering --------------------------------------------------------------------
    def _content_width(self, col: int) -> int:
        """What ``resizeColumnToContents`` would give, measured on the rows with the
        longest texts only (:meth:`ResponseTableModel.widest_rows`)."""
        table = self.table
        cells = (
            table.sizeHintForIndex(self.model.index(row, col)).width()
            for row in self.model.widest_rows(col)
        )
        content = max(cells, default=0) + (1 if table.showGrid() else 0)
        return max(content, table.horizontalHeader().sectionSizeHint(col))

    def apply_filter(self) -> None:
        view = self.view
        c = self.state.current_campaign
        if view is None or c is None:
            return
        import numpy as np

        mask = np.ones(view.response_count, dtype=bool)
        team = self.team_box.currentData()
        refused = ""
        if team not in (None, ALL):
            in_team = view.teams == team if view.teams is not None else ~mask
            if team not in {t for t, _n in view.visible_teams}:
                refused = self.tr("This filter is refused: the team is hidden for confidentiality.")
            else:
                try:
                    check_filter(
                        int(in_team.sum()),
                        view.response_count,
                        min_group_size=max(c.min_group_size, view.min_group_size),
                        description=self.tr("team = {0}").format(team),
                    )
                except ConfidentialityError as exc:
                    refused = self.tr("This filter is refused: {0}.").format(exc)
            mask &= in_team
        source = self.source_box.currentData()
        if source not in (None, ALL):
            if str(source).startswith("batch:"):
                mask &= (view.batch_of == int(str(source)[6:])).to_numpy()
            else:
                mask &= (view.sources == source).to_numpy()
        if refused:
            mask[:] = False
        frame = view.frame[mask]
        column = self.shown_column()
        if column is not None:
            # The one demographic column; the others never reach the model.
            frame.insert(3, column, view.shown[self.column_box.currentData()][mask])
        for col, name in enumerate(self.model.headers):  # as sized, or resized by the user
            self._widths[name] = self.table.columnWidth(col)
        self.model.set_frame(frame, view.tooltips, view.codes, view.value_tooltips)
        for col, name in enumerate(self.model.headers):
            if name not in self._widths:  # sized once, not at every filter change
                self._widths[name] = min(self._content_width(col), 220)
            self.table.setColumnWidth(col, self._widths[name])
        shown = int(mask.sum())
        hint = (
            self.tr(" Hover “(not shown)” for why a group is not shown.")
            if column in view.value_tooltips
            else ""
        )
        self._answers_status = (
            refused
            or self.tr(
                "{0} of {1} responses shown. Hover a column header for the question."
            ).format(f"{shown:,}", f"{view.response_count:,}")
            + hint
        )
        self._show_status()
        self._on_selection()

    def shown_column(self) -> str | None:
        """The label of the demographic column shown, None for no demographics."""
        view = self.view
        did = self.column_box.currentData()
        if view is None or did in (None, NO_DEMOGRAPHICS):
            return None
        return dict(view.demographics).get(did)

    # ---- deleting ---------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.response_id(r) for r in rows]

    def _on_selection(self, *_args) -> None:
        self.delete_button.setEnabled(bool(self.selected_ids()) and self.task is None)
        source = self.source_box.currentData()
        self.delete_batch_button.setEnabled(
            isinstance(source, str) and source.startswith("batch:") and self.task is None
        )
        reasons = []
        if not self.delete_batch_button.isEnabled():
            reasons.append(self.tr("choose an import under Source"))
        if not self.delete_button.isEnabled():
            reasons.append(self.tr("select rows"))
        text = self.tr("To delete: {0}.").format(self.tr(" or ").join(reasons)) if reasons else ""
        self.delete_reason.setText(text)

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        if not messages.confirm(
            self,
            self.tr("Delete responses"),
            self.tr("Delete {0} selected response(s)? This cannot be undone.").format(len(ids)),
            action=self.tr("Delete"),
            destructive=True,
        ):
            return
        self._run_delete("responses", ids)

    def delete_batch(self) -> None:
        source = self.source_box.currentData()
        if not (isinstance(source, str) and source.startswith("batch:")):
            return
        batch_id = int(source[6:])
        label = self.source_box.currentText()
        if not messages.confirm(
            self,
            self.tr("Delete an import"),
            self.tr("Delete every response of {0}? This cannot be undone.").format(label),
            action=self.tr("Delete import"),
            destructive=True,
        ):
            return
        self._run_delete("batch", batch_id)

    def _run_delete(self, what: str, ids) -> None:
        self.delete_button.setEnabled(False)
        self.delete_batch_button.setEnabled(False)
        self.state.run_task(
            _delete,
            self.state.store,
            what,
            ids,
            title=self.tr("Deleting responses"),
            on_result=self._deleted,
            cancellable=False,
        )

    def _deleted(self, n: int) -> None:
        self.status.setText(self.tr("{0} responses deleted.").format(n))
        self.state.notify_data_changed()
        self.refresh()

    def shutdown(self) -> None:
        if self.task is not None:
            self.task.cancel()
