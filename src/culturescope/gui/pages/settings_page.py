"""Settings: confidentiality thresholds, kiosk, admin passphrase, signal thresholds, data
location, backups."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from culturescope import CultureScopeError
from culturescope.gui import messages, passphrase
from culturescope.gui.state import AppState
from culturescope.gui.widgets import page_header, tool_button
from culturescope.settings import passphrase_problem
from culturescope.storage import Store, check_backup_file, shown_url, sqlite_path
from culturescope.thresholds import MAX_GROUP_SIZE, MIN_GROUP_SIZE_FLOOR


def _backup(store: Store, *, progress, is_cancelled) -> Path:
    progress(0.0, "copying the database")
    return store.backup()


def _restore(store: Store, path: str, *, progress, is_cancelled) -> Path:
    progress(0.0, "restoring the backup")
    return store.restore(path)


def _reseal(store: Store, old: str, new: str, *, progress, is_cancelled) -> int:
    # A kiosk laptop's bundle keys are sealed under the passphrase (key derivation per
    # campaign: seconds, not milliseconds).
    from culturescope.bundles import reseal_keys

    progress(0.0, "sealing the kiosk keys under the new passphrase")
    return reseal_keys(store, old, new)


class SettingsPage(QWidget):
    navigate = Signal(str)

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)
        outer.addWidget(page_header(self.tr("Settings"), self.tr("Stored on this computer only.")))
        self.scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 8, 0)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        # The bar of unsaved changes stays in view below the scrolling settings.
        self.save_bar = QFrame()
        self.save_bar.setObjectName("saveBar")
        save_row = QHBoxLayout(self.save_bar)
        save_row.setContentsMargins(10, 6, 10, 6)
        self.unsaved = QLabel(self.tr("Unsaved changes"))
        self.unsaved.setObjectName("unsaved")
        self.save_button = QPushButton(self.tr("&Save settings"))
        self.save_button.setObjectName("primary")
        self.save_button.setAccessibleName(self.tr("Save settings"))
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("Re&vert"))
        self.revert_button.setAccessibleName(self.tr("Revert the unsaved changes"))
        self.revert_button.clicked.connect(self.revert)
        self.problem = QLabel()
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)
        self.saved = QLabel()
        self.saved.setObjectName("muted")
        save_row.addWidget(self.unsaved)
        save_row.addWidget(self.problem, 1)
        save_row.addWidget(self.saved)
        save_row.addWidget(self.revert_button)
        save_row.addWidget(self.save_button)
        outer.addWidget(self.save_bar)

        # -- appearance: applies at once --
        look = QGroupBox(self.tr("Appearance"))
        form = QFormLayout(look)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.theme_box = QComboBox()
        self.theme_box.setAccessibleName(self.tr("Colour theme"))
        for choice, label in (
            ("system", self.tr("Follow the system")),
            ("light", self.tr("Light")),
            ("dark", self.tr("Dark")),
        ):
            self.theme_box.addItem(label, choice)
        self.theme_box.activated.connect(lambda _i: self.set_theme(self.theme_box.currentData()))
        theme_label = QLabel(self.tr("&Theme:"))
        theme_label.setBuddy(self.theme_box)
        form.addRow(theme_label, self.theme_box)
        self.theme_note = QLabel(
            self.tr("Applies at once. Text size follows your system's font settings.")
        )
        self.theme_note.setObjectName("muted")
        self.theme_note.setWordWrap(True)
        form.addRow(self.theme_note)
        layout.addWidget(look)

        # -- confidentiality --
        conf = QGroupBox(self.tr("Confidentiality"))
        form = QFormLayout(conf)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.min_group = QSpinBox()
        self.min_group.setRange(MIN_GROUP_SIZE_FLOOR, MAX_GROUP_SIZE)
        self.min_group.setAccessibleName(self.tr("Minimum group size for scores"))
        self.min_comments = QSpinBox()
        self.min_comments.setRange(MIN_GROUP_SIZE_FLOOR, MAX_GROUP_SIZE)
        self.min_comments.setAccessibleName(self.tr("Minimum group size for comments"))
        form.addRow(self.tr("Minimum group size for &scores (new campaigns):"), self.min_group)
        form.addRow(self.tr("Minimum group size for &comments (new campaigns):"), self.min_comments)
        self.campaign_note = QLabel()
        self.campaign_note.setObjectName("muted")
        self.campaign_note.setWordWrap(True)
        self.campaign_button = tool_button(
            self.tr("Campaign settings…"),
            "campaigns",
            self.tr("Thresholds, survey period, previous campaign and headcounts of the campaign"),
        )
        self.campaign_button.clicked.connect(lambda: self.navigate.emit("edit-campaign"))
        campaign_row = QHBoxLayout()
        campaign_row.addWidget(self.campaign_note, 1)
        campaign_row.addWidget(self.campaign_button)
        form.addRow(campaign_row)
        note = QLabel(
            self.tr(
                'Groups smaller than these are shown as "Insufficient responses" everywhere. '
                "Never below 3."
            )
        )
        note.setObjectName("muted")
        note.setWordWrap(True)
        form.addRow(note)
        layout.addWidget(conf)

        # -- kiosk --
        kiosk = QGroupBox(self.tr("Kiosk mode"))
        form = QFormLayout(kiosk)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.idle = QDoubleSpinBox()
        self.idle.setRange(0.5, 120)
        self.idle.setDecimals(1)
        self.idle.setSuffix(self.tr(" min"))
        self.idle.setAccessibleName(self.tr("Kiosk idle time in minutes"))
        self.idle.setToolTip(
            self.tr("An unfinished response is discarded after this long without input")
        )
        form.addRow(self.tr("Discard an unfinished response after &idle:"), self.idle)
        row = QHBoxLayout()
        self.passphrase_state = QLabel()
        self.passphrase_button = QPushButton()
        self.passphrase_button.setAccessibleName(self.tr("Set the admin passphrase"))
        self.passphrase_button.clicked.connect(self.change_passphrase)
        row.addWidget(self.passphrase_state)
        row.addWidget(self.passphrase_button)
        row.addStretch(1)
        form.addRow(self.tr("Admin passphrase:"), row)
        self.organisation = QLineEdit()
        self.organisation.setAccessibleName(self.tr("Organisation name"))
        self.organisation.setMinimumWidth(320)
        form.addRow(self.tr("&Organisation name:"), self.organisation)
        layout.addWidget(kiosk)

        # -- signal thresholds --
        signals = QGroupBox(self.tr("Safety-washing signal thresholds"))
        box = QVBoxLayout(signals)
        intro = QLabel(
            self.tr(
                "When a signal fires. Change a value in the Value column; the defaults are "
                "the documented ones (see the method on the Signals page)."
            )
        )
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        box.addWidget(intro)
        self.thresholds = QTableWidget(0, 4)
        self.thresholds.setHorizontalHeaderLabels(
            [self.tr("Setting"), self.tr("Value"), self.tr("Default"), self.tr("Meaning")]
        )
        self.thresholds.setAccessibleName(self.tr("Signal thresholds"))
        self.thresholds.verticalHeader().setVisible(False)
        self.thresholds.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.thresholds.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.thresholds.horizontalHeader().setStretchLastSection(True)
        self.thresholds.setMinimumHeight(260)
        self._fill_threshold_rows()
        box.addWidget(self.thresholds)
        reset_row = QHBoxLayout()
        self.reset_thresholds_button = tool_button(
            self.tr("Reset to &defaults"), "refresh", self.tr("Put every threshold back")
        )
        self.reset_thresholds_button.clicked.connect(self.reset_thresholds)
        reset_row.addWidget(self.reset_thresholds_button)
        reset_row.addStretch(1)
        box.addLayout(reset_row)
        layout.addWidget(signals)

        # -- data --
        data = QGroupBox(self.tr("Data"))
        form = QFormLayout(data)
        self.location = QLineEdit()
        self.location.setReadOnly(True)
        self.location.setAccessibleName(self.tr("Database location"))
        self.change_location_button = tool_button(self.tr("Change &location…"), "open")
        self.change_location_button.clicked.connect(self.change_location)
        loc_row = QHBoxLayout()
        loc_row.addWidget(self.location, 1)
        loc_row.addWidget(self.change_location_button)
        form.addRow(self.tr("Database:"), loc_row)
        self.location_note = QLabel()
        self.location_note.setObjectName("muted")
        self.location_note.setWordWrap(True)
        form.addRow(self.location_note)
        buttons = QHBoxLayout()
        self.backup_button = tool_button(
            self.tr("&Backup now"), "backup", self.tr("Copy the database to a dated file beside it")
        )
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = tool_button(
            self.tr("&Restore from backup…"), "restore", self.tr("Replace the data with a backup")
        )
        self.restore_button.clicked.connect(self.restore)
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        self.backup_note = QLabel()
        self.backup_note.setObjectName("muted")
        self.backup_note.setWordWrap(True)
        form.addRow(self.backup_note)
        layout.addWidget(data)
        layout.addStretch(1)
        for box in (self.min_group, self.min_comments, self.idle):
            box.valueChanged.connect(lambda _v: self._update_save_bar())
        self.organisation.textEdited.connect(lambda _t: self._update_save_bar())
        self.thresholds.itemChanged.connect(lambda _i: self._update_save_bar())

    # ---- signal thresholds --------------------------------------------------------
    def _fill_threshold_rows(self) -> None:
        from culturescope.signals import THRESHOLD_HELP, THRESHOLD_TITLES, SignalSettings

        defaults = SignalSettings().to_json()
        self.thresholds.setRowCount(len(defaults))
        for row, (name, value) in enumerate(defaults.items()):
            meaning = THRESHOLD_HELP[name]
            if name.endswith("_levels"):
                meaning = self.tr("{0}; any of: {1}").format(meaning, _role_levels_text())
            cells = [
                self.tr(THRESHOLD_TITLES.get(name, name.replace("_", " ").capitalize())),
                _threshold_text(value),
                _threshold_text(value),
                meaning,
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col != 1:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if col == 0:  # docs, the settings file and --set use the name
                    item.setData(Qt.ItemDataRole.UserRole, name)
                    item.setToolTip(self.tr("Name in the docs and for --set: {0}").format(name))
                if col == 3:
                    item.setToolTip(text)
                self.thresholds.setItem(row, col, item)
        self.thresholds.resizeColumnsToContents()
        self.thresholds.setColumnWidth(1, 150)

    def threshold_name(self, row: int) -> str:
        """The threshold's name (as in the docs and for --set) in ``row`` of the table."""
        return self.thresholds.item(row, 0).data(Qt.ItemDataRole.UserRole)

    def _show_thresholds(self) -> None:
        current = self.state.settings.signal_settings().to_json()
        for row in range(self.thresholds.rowCount()):
            name = self.threshold_name(row)
            item = self.thresholds.item(row, 1)
            item.setText(_threshold_text(current[name]))
            if name.endswith("_levels"):
                item.setToolTip(_role_levels_text(current[name]))
            changed = item.text() != self.thresholds.item(row, 2).text()
            font = item.font()
            font.setBold(changed)
            item.setFont(font)

    def threshold_overrides(self) -> dict[str, str]:
        """The thresholds typed in the table that differ from their defaults."""
        out = {}
        for row in range(self.thresholds.rowCount()):
            value = self.thresholds.item(row, 1).text().strip()
            if value != self.thresholds.item(row, 2).text():
                name = self.threshold_name(row)
                out[name] = _threshold_value(name, value)
        return out

    def reset_thresholds(self) -> None:
        for row in range(self.thresholds.rowCount()):
            self.thresholds.item(row, 1).setText(self.thresholds.item(row, 2).text())

    # ---- appearance -------------------------------------------------------------------
    def set_theme(self, choice: str) -> None:
        """Switch the colour theme now and remember it (no Save needed)."""
        from culturescope.gui import theme

        s = self.state.settings
        previous = s.theme
        s.theme = choice
        try:
            self.state.save_settings()
        except (CultureScopeError, OSError) as exc:
            s.theme = previous
            self.theme_box.setCurrentIndex(max(0, self.theme_box.findData(previous)))
            self._show_problem(messages.describe(exc))
            return
        theme.apply(choice)

    # ---- view ---------------------------------------------------------------------
    def refresh(self) -> None:
        s = self.state.settings
        self.theme_box.setCurrentIndex(max(0, self.theme_box.findData(s.theme)))
        self._show_thresholds()
        self.min_group.setValue(s.min_group_size)
        self.min_comments.setValue(s.min_comment_group_size)
        self.idle.setValue(s.kiosk_idle_minutes)
        self.organisation.setText(s.organisation)
        c = self.state.current_campaign
        self.campaign_button.setEnabled(c is not None)
        if c is not None:
            self.campaign_note.setText(
                self.tr(
                    "These are the defaults for new campaigns. {0} hides groups under {1} "
                    "responses ({2} for comments): change that in its campaign settings."
                ).format(c.name, c.min_group_size, c.min_comment_group_size)
            )
        else:
            self.campaign_note.setText(
                self.tr("These are the defaults for new campaigns (there is none yet).")
            )
        if s.has_passphrase:
            self.passphrase_state.setText(self.tr("Set (stored only as a salted hash)"))
            self.passphrase_button.setText(self.tr("Change &passphrase…"))
        else:
            self.passphrase_state.setText(
                self.tr("Not set — asked for when you first start a kiosk")
            )
            self.passphrase_button.setText(self.tr("Set &passphrase…"))
        store = self.state.store
        path = sqlite_path(store.url)
        self.location.setText(str(path) if path else shown_url(store.url))
        if s.database and s.database != str(path or store.url):
            self.location_note.setText(
                self.tr("Next start uses: {0}").format(shown_url(s.database))
            )
        else:
            self.location_note.setText(
                self.tr("A different location takes effect when the app next starts.")
            )
        self.backup_button.setEnabled(path is not None)
        self.restore_button.setEnabled(path is not None)
        if path is None:
            self.backup_note.setText(
                self.tr("This is a server database: back it up with the server's tools (pg_dump).")
            )
        else:
            self.backup_note.setText(
                self.tr("Backups are written beside the database file: {0}").format(path.parent)
            )
        self.problem.clear()
        self._saved_form = self._form_values()
        self._update_save_bar()

    # ---- unsaved changes ---------------------------------------------------------------
    def _form_values(self) -> tuple:
        return (
            self.min_group.value(),
            self.min_comments.value(),
            self.idle.value(),
            self.organisation.text().strip(),
            tuple(sorted(self.threshold_overrides().items())),
        )

    def has_unsaved_changes(self) -> bool:
        return self._form_values() != getattr(self, "_saved_form", None)

    def _update_save_bar(self) -> None:
        dirty = self.has_unsaved_changes()
        self.save_bar.setProperty("dirty", dirty)
        self.save_bar.style().unpolish(self.save_bar)
        self.save_bar.style().polish(self.save_bar)
        self.unsaved.setVisible(dirty)
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        if dirty:
            self.saved.clear()
        elif not self.saved.text() and not self.problem.text():
            self.saved.setText(self.tr("Everything is saved. Appearance applies at once."))

    def revert(self) -> None:
        """Put the form back to what is saved."""
        self.saved.clear()
        self.refresh()

    # ---- actions ------------------------------------------------------------------
    def save(self) -> bool:
        """Save the settings: all or nothing (a refused save leaves the file as it was)."""
        s = self.state.settings
        old = (
            s.min_group_size,
            s.min_comment_group_size,
            s.kiosk_idle_minutes,
            s.organisation,
            s.signal_thresholds,
        )
        s.signal_thresholds = self.threshold_overrides()
        s.min_group_size = self.min_group.value()
        s.min_comment_group_size = self.min_comments.value()
        s.kiosk_idle_minutes = self.idle.value()
        s.organisation = self.organisation.text().strip() or s.organisation
        try:
            s.validate()
            self.state.save_settings()
        except (CultureScopeError, OSError) as exc:
            (
                s.min_group_size,
                s.min_comment_group_size,
                s.kiosk_idle_minutes,
                s.organisation,
                s.signal_thresholds,
            ) = old
            self._show_problem(messages.describe(exc))
            return False
        if s.signal_thresholds != old[4]:
            self.state.notify_data_changed()  # the signals are counted again
        self.problem.clear()
        self.saved.setText(self.tr("Saved."))
        self._saved_form = self._form_values()
        self._update_save_bar()
        return True

    def _show_problem(self, text: str) -> None:
        """Show why a save was refused, as a sentence, where the user can see it."""
        self.problem.setText(text[:1].upper() + text[1:])
        self.saved.clear()

    def change_passphrase(self) -> None:
        s = self.state.settings
        current = None
        if s.has_passphrase:
            current = passphrase.ask_passphrase(
                self, self.tr("Enter the current admin passphrase to change it.")
            )
            if current is None:
                return
            if not s.check_passphrase(current):
                messages.error(
                    self,
                    self.tr("Wrong passphrase"),
                    self.tr("The passphrase was not changed."),
                    self.tr("Type the current passphrase exactly, then choose the new one."),
                )
                return
        new = passphrase.ask_new_passphrase(self)
        if new is None:
            return
        problem = passphrase_problem(new)
        if problem or current is None:  # a refused one is refused before anything changes
            self._save_passphrase(new)
            return
        # The kiosk keys are re-sealed first, in a worker; the new passphrase is saved
        # only once they are (a failure leaves both as they were).
        self.passphrase_button.setEnabled(False)
        self.state.run_task(
            _reseal,
            self.state.store,
            current,
            new,
            title=self.tr("Changing the passphrase"),
            on_result=lambda _n: self._save_passphrase(new),
            on_error=self._passphrase_failed,
            cancellable=False,
        )

    def _save_passphrase(self, new: str) -> None:
        s = self.state.settings
        old = s.admin_passphrase_hash
        try:
            s.set_passphrase(new)
            self.state.save_settings()
        except CultureScopeError as exc:
            s.admin_passphrase_hash = old
            self._passphrase_failed(exc)
            return
        self.passphrase_button.setEnabled(True)
        self.refresh()
        self.saved.setText(self.tr("Passphrase saved."))

    def _passphrase_failed(self, exc: BaseException) -> None:
        self.passphrase_button.setEnabled(True)
        messages.error(self, self.tr("Passphrase not saved"), messages.describe(exc))

    def change_location(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Database file to use from the next start"),
            self.location.text(),
            self.tr("CultureScope database (*.db)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if not path:
            return
        self.state.settings.database = path
        self.state.save_settings()
        self.refresh()
        messages.info(
            self,
            self.tr("Data location changed"),
            self.tr("CultureScope will use {0} when it next starts.").format(path),
            self.tr("An existing database there is opened; otherwise a new one is created."),
        )

    def backup_now(self) -> None:
        self.backup_button.setEnabled(False)
        self.state.run_task(
            _backup,
            self.state.store,
            title=self.tr("Backing up"),
            on_result=self._backed_up,
            on_error=self._backup_failed,
            cancellable=False,
        )

    def _backed_up(self, path: Path) -> None:
        self.backup_button.setEnabled(True)
        self.backup_note.setText(self.tr("Backup saved: {0}").format(path))

    def _backup_failed(self, exc: BaseException) -> None:
        self.backup_button.setEnabled(True)
        messages.error(
            self,
            self.tr("Backup failed"),
            messages.describe(exc),
            self.tr("Check there is free disk space beside the database, then try again."),
        )

    def restore(self, path: str | None = None):
        """Ask for a backup, check it, confirm, then restore it in a worker; returns the
        task (None when nothing was started)."""
        if self.state.running():
            messages.error(
                self,
                self.tr("Work in progress"),
                self.tr("Wait for the running task to finish (or cancel it) before restoring."),
            )
            return None
        if not path:
            db = sqlite_path(self.state.store.url)
            path, _ = QFileDialog.getOpenFileName(
                self,
                self.tr("Choose a backup to restore"),
                str(db.parent) if db else "",
                self.tr("CultureScope database (*.db);;All files (*)"),
            )
            if not path:
                return None
        try:
            check_backup_file(Path(path))
        except CultureScopeError as exc:
            messages.error(
                self,
                self.tr("Not a backup"),
                messages.describe(exc),
                self.tr('Choose a .db file made with "Backup now".'),
            )
            return None
        if not messages.confirm(
            self,
            self.tr("Restore from backup"),
            self.tr(
                "Replace all data in this database with {0}? The current data is first "
                "copied to a safety backup beside it."
            ).format(Path(path).name),
            action=self.tr("Restore"),
            destructive=True,
        ):
            return None
        self._backup_buttons(False)
        self.backup_note.setText(self.tr("Restoring {0}…").format(Path(path).name))
        return self.state.run_task(
            _restore,
            self.state.store,
            str(path),
            title=self.tr("Restoring a backup"),
            on_result=self._restored,
            on_error=self._restore_failed,
            cancellable=False,
        )

    def _backup_buttons(self, enabled: bool) -> None:
        self.backup_button.setEnabled(enabled)
        self.restore_button.setEnabled(enabled)

    def _restored(self, safety: Path) -> None:
        self._backup_buttons(True)
        self.state.current_campaign = None
        self.state.notify_data_changed()
        self.backup_note.setText(
            self.tr("Restored. The previous data was kept in {0}").format(safety)
        )

    def _restore_failed(self, exc: BaseException) -> None:
        self._backup_buttons(True)
        self.backup_note.setText(self.tr("Nothing was restored."))
        messages.error(
            self,
            self.tr("Restore failed"),
            messages.describe(exc),
            self.tr("Restart the app; your data is unchanged or in the safety backup."),
        )


def _role_levels_text(levels=None) -> str:
    """``front-line staff, managers, ...``: the role levels in words (all of them when
    ``levels`` is None)."""
    from culturescope.signals.survey import LEVEL_LABELS

    levels = LEVEL_LABELS if levels is None else levels
    return ", ".join(LEVEL_LABELS.get(k, k) for k in levels)


def _threshold_text(value) -> str:
    """A threshold as shown in the table; role levels by their names, not their ids."""
    if isinstance(value, (list, tuple)):
        return _role_levels_text(value)
    return str(value)


def _threshold_value(name: str, text: str) -> str:
    """What the settings file stores for a typed threshold: role level names become ids."""
    if not name.endswith("_levels"):
        return text
    from culturescope.signals.survey import LEVEL_LABELS

    by_name = {label.lower(): key for key, label in LEVEL_LABELS.items()}
    parts = [p.strip() for p in text.split(",") if p.strip()]
    return ",".join(by_name.get(p.lower(), p) for p in parts)
