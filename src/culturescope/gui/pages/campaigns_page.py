"""Campaigns: list, create, rename, close/reopen, delete, start the kiosk, and move
responses between kiosk laptops and the lead's machine (setup files and bundles)."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QStackedLayout,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from culturescope import Cancelled, CultureScopeError, bundles
from culturescope.gui import messages, passphrase
from culturescope.gui.campaign_dialog import CampaignDialog
from culturescope.gui.state import AppState, SerialWrites
from culturescope.gui.widgets import EmptyState, page_header, tool_button
from culturescope.instruments import available_instruments
from culturescope.storage import Campaign

COLUMNS = ("Name", "Instrument", "Opens", "Closes", "Responses", "Status")


def _create_campaign(store, name: str, instrument, fields: dict, *, progress, is_cancelled):
    """The dialog's campaign with all its settings, in one transaction (all or nothing)."""
    progress(0.0, "creating the campaign")
    fields = dict(fields)
    with store.transaction():
        campaign = store.create_campaign(
            name,
            instrument,
            organisation=fields.pop("organisation"),
            min_group_size=fields.pop("min_group_size"),
            min_comment_group_size=fields.pop("min_comment_group_size"),
        )
        extra = {k: v for k, v in fields.items() if v}
        if extra:
            campaign = store.update_campaign(campaign.id, **extra)
    return campaign


def _update_campaign(store, campaign_id: int, changes: dict, *, progress, is_cancelled):
    progress(0.0, "saving the campaign")
    return store.update_campaign(campaign_id, **changes)


def _delete_campaign(store, campaign_id: int, *, progress, is_cancelled):
    progress(0.0, "deleting")
    store.delete_campaign(campaign_id)
    return campaign_id


def _write_setup(store, campaign_id: int, path: str, *, progress, is_cancelled):
    progress(0.0, "writing the kiosk setup file")
    return bundles.write_setup(store, campaign_id, path)


def _install_setup(store, path: str, secret: str, *, progress, is_cancelled):
    progress(0.0, "installing the campaign")
    return bundles.install_setup(store, path, passphrase=secret)


def _export_bundle(store, campaign_id: int, path: str, secret, *, progress, is_cancelled):
    return bundles.export_bundle(store, campaign_id, path, progress=progress, passphrase=secret)


def _merge_bundle(store, path: str, *, progress, is_cancelled):
    return bundles.merge_bundle(store, path, progress=progress, is_cancelled=is_cancelled)


class CampaignsPage(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.campaigns: list[Campaign] = []
        self._kiosk = None
        self._writes = SerialWrites(state, self._on_selection)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(
            page_header(
                self.tr("Campaigns"),
                self.tr('A campaign is one survey round with one instrument, e.g. "2026 Q4".'),
            )
        )
        bar = QHBoxLayout()
        self.new_button = tool_button(
            self.tr("&New campaign…"), "add", self.tr("Create a campaign"), primary=True
        )
        self.rename_button = tool_button(
            self.tr("&Edit…"),
            "edit",
            self.tr("Name, thresholds, survey period, previous campaign and headcounts"),
        )
        self.close_button = tool_button(self.tr("C&lose"), "close", self.tr("Close or reopen"))
        self.delete_button = tool_button(self.tr("&Delete…"), "delete")
        self.delete_button.setObjectName("danger")
        self.kiosk_button = tool_button(
            self.tr("Start &kiosk…"), "kiosk", self.tr("Hand this laptop to respondents")
        )
        self.sites_button = tool_button(
            self.tr("Kiosk &laptops"),
            "kiosk",
            self.tr("Collect on several kiosk laptops and merge their responses here"),
        )
        sites = QMenu(self.sites_button)
        self.setup_action = sites.addAction(self.tr("Kiosk setup file…"))
        self.setup_action.setToolTip(self.tr("Write the file a kiosk laptop installs"))
        self.install_action = sites.addAction(self.tr("Install kiosk setup file…"))
        self.export_action = sites.addAction(self.tr("Export bundle…"))
        self.merge_action = sites.addAction(self.tr("Merge bundle…"))
        self.sites_button.setMenu(sites)
        for action, slot in (
            (self.setup_action, self.write_kiosk_setup),
            (self.install_action, self.install_kiosk_setup),
            (self.export_action, self.export_bundle),
            (self.merge_action, self.merge_bundle),
        ):
            # ``triggered`` passes ``checked``: not a path.
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
        for b in (
            self.new_button,
            self.rename_button,
            self.close_button,
            self.kiosk_button,
            self.sites_button,
        ):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.delete_button)
        layout.addLayout(bar)
        self.new_button.clicked.connect(self.create_campaign)
        self.rename_button.clicked.connect(lambda _checked=False: self.edit_campaign())
        self.close_button.clicked.connect(self.toggle_closed)
        self.delete_button.clicked.connect(self.delete_campaign)
        self.kiosk_button.clicked.connect(self.start_kiosk)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setAccessibleName(self.tr("Campaigns"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.table.itemActivated.connect(lambda _item: self._make_current())

        self.empty = EmptyState(
            "campaigns",
            self.tr("No campaign yet"),
            self.tr("Create a campaign to start collecting responses."),
        )
        empty_new = tool_button(self.tr("New campaign…"), "add")
        empty_new.clicked.connect(self.create_campaign)
        self.empty.add_button(empty_new)
        self.stack = QStackedLayout()
        holder = QWidget()
        holder.setLayout(self.stack)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        layout.addWidget(holder, 1)
        hint = QLabel(
            self.tr("Enter or double-click a campaign to make it the current one for every page.")
        )
        hint.setObjectName("muted")
        layout.addWidget(hint)

    # ---- view ---------------------------------------------------------------------
    def refresh(self) -> None:
        self.campaigns = self.state.store.campaigns()
        titles = {i.key: i.title for i in available_instruments()}
        current = self.state.current_campaign
        self.table.setRowCount(len(self.campaigns))
        for row, c in enumerate(self.campaigns):
            inst_title = titles.get(c.instrument_key, c.instrument_key)
            values = [
                c.name + (self.tr("  (current)") if current and current.id == c.id else ""),
                inst_title,
                c.opens_on.isoformat() if c.opens_on else "–",
                c.closes_on.isoformat() if c.closes_on else "–",
                f"{c.response_count:,}",
                self.tr("Open") if c.status == "open" else self.tr("Closed"),
            ]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, c.id)
                if col == 4:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if col == 1:
                    item.setToolTip(c.instrument_key)
                self.table.setItem(row, col, item)
            if current and current.id == c.id:
                self.table.selectRow(row)
        self.table.resizeColumnsToContents()
        self.stack.setCurrentWidget(self.table if self.campaigns else self.empty)
        self._on_selection()

    def selected(self) -> Campaign | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if not rows:
            return None
        return self.campaigns[min(rows)]

    def _on_selection(self) -> None:
        c = self.selected()
        free = self.write_task is None  # one write at a time
        self.new_button.setEnabled(free)
        for b in (self.rename_button, self.close_button, self.delete_button):
            b.setEnabled(c is not None and free)
        self.kiosk_button.setEnabled(c is not None and c.status == "open")
        if c is not None:
            self.close_button.setText(
                self.tr("Re&open") if c.status == "closed" else self.tr("C&lose")
            )
        self.setup_action.setEnabled(c is not None)
        self.export_action.setEnabled(c is not None and c.response_count > 0)

    def _make_current(self) -> None:
        c = self.selected()
        if c is not None:
            self.state.set_campaign(c)
            self.refresh()

    # ---- actions ------------------------------------------------------------------
    # Writes run in a worker (a busy database must not freeze the window); while one runs
    # the page's other writes wait (their buttons are off), and its outcome is shown here.
    def _write(self, fn, *args, title: str, refused: str, next_step: str, done=None):
        """Run the store write ``fn(store, *args)`` (:meth:`AppState.run_write`); a refusal
        is shown as ``refused`` with ``next_step``. Returns its task."""
        return self._writes.run(
            fn,
            *args,
            title=title,
            refused=lambda exc: self._failed(refused, exc, next_step),
            done=done,
        )

    @property
    def write_task(self):
        """The create/save/delete running in a worker, if any."""
        return self._writes.task

    def create_campaign(self):
        """The new-campaign dialog, then the campaign is stored in a worker (returns its
        task; None when the dialog was cancelled). The new campaign becomes current."""
        if self.write_task is not None:
            return None
        # Older versions of an instrument stay for the campaigns made with them only.
        instruments = available_instruments(newest_only=True)
        store, organisation = self.state.store, self.state.settings.organisation
        dialog = CampaignDialog(
            instruments,
            self.state.settings,
            self,
            others=store.campaigns(),
            check_previous=lambda previous, instrument, opens_on: store.previous_check(
                previous,
                name=dialog.name.text(),
                instrument=instrument,
                organisation=organisation,
                opens_on=opens_on,
            ),
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        fields = dialog.changes()
        name = fields.pop("name")
        fields["organisation"] = self.state.settings.organisation
        return self._write(
            _create_campaign,
            name,
            dialog.chosen_instrument(),
            fields,
            title=self.tr("Creating {0}").format(name),
            refused=self.tr("The campaign was not created"),
            next_step=self.tr("Choose another name or correct the thresholds, then try again."),
            done=self.state.set_campaign,
        )

    def edit_campaign(self, campaign: Campaign | None = None):
        """The campaign's settings dialog; what changed is saved in a worker (returns its
        task; None when nothing is to be saved)."""
        c = campaign or self.selected() or self.state.current_campaign
        if c is None or self.write_task is not None:
            return None
        dialog = CampaignDialog(
            available_instruments(),
            self.state.settings,
            self,
            campaign=c,
            others=self.state.store.campaigns(),
            instrument=self.state.store.instrument(c.instrument_key),
            check_headcounts=lambda counts, show: self._check_headcounts(c, counts, show),
            check_previous=lambda previous, _instrument, opens_on: self.state.store.previous_check(
                previous, campaign=c.id, opens_on=opens_on
            ),
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        fields = dialog.changes()
        current = {
            "name": c.name,
            "min_group_size": c.min_group_size,
            "min_comment_group_size": c.min_comment_group_size,
            "opens_on": c.opens_on,
            "closes_on": c.closes_on,
            "previous_campaign_id": c.previous_campaign_id,
            "headcounts": c.headcounts,
        }
        changed = {k: v for k, v in fields.items() if current[k] != v}
        if not changed:
            return None
        return self._write(
            _update_campaign,
            c.id,
            changed,
            title=self.tr("Saving {0}").format(c.name),
            refused=self.tr("The campaign was not changed"),
            next_step=self.tr("Correct the value named above, then try again."),
        )

    def _check_headcounts(self, campaign: Campaign, counts, show):
        """Compare a loaded headcount sheet with ``campaign``'s responses in a worker (its
        task); the dialog lists groups with more responses than people (``show(None)`` on
        failure or cancel)."""
        from culturescope.signals.participation import check_headcounts

        return self.state.run_task(
            check_headcounts,
            self.state.store,
            campaign,
            counts,
            title=self.tr("Comparing headcounts with {0}").format(campaign.name),
            on_result=show,
            on_error=lambda _exc: show(None),
        )

    def rename_campaign(self, new_name: str | None = None):
        c = self.selected()
        if c is None or self.write_task is not None:
            return None
        if new_name is None:
            new_name, ok = QInputDialog.getText(
                self, self.tr("Rename campaign"), self.tr("New name:"), text=c.name
            )
            if not ok:
                return None
        return self._write(
            _update_campaign,
            c.id,
            {"name": new_name},
            title=self.tr("Renaming {0}").format(c.name),
            refused=self.tr("The campaign was not renamed"),
            next_step=self.tr("Choose a name no other campaign uses."),
        )

    def toggle_closed(self):
        c = self.selected()
        if c is None or self.write_task is not None:
            return None
        status = "open" if c.status == "closed" else "closed"
        return self._write(
            _update_campaign,
            c.id,
            {"status": status},
            title=self.tr("Closing {0}").format(c.name)
            if status == "closed"
            else self.tr("Reopening {0}").format(c.name),
            refused=self.tr("The campaign was not closed")
            if status == "closed"
            else self.tr("The campaign was not reopened"),
            next_step=self.tr("Try again when the database is free."),
        )

    def delete_campaign(self):
        c = self.selected()
        if c is None or self.write_task is not None:
            return None
        if not messages.confirm(
            self,
            self.tr("Delete campaign"),
            self.tr(
                'Delete the campaign "{0}" and its {1} responses? This cannot be undone '
                "(make a backup in Settings first if unsure)."
            ).format(c.name, c.response_count),
            action=self.tr("Delete"),
            destructive=True,
        ):
            return None
        return self._write(
            _delete_campaign,
            c.id,
            title=self.tr("Deleting {0}").format(c.name),
            refused=self.tr("The campaign was not deleted"),
            next_step=self.tr("Nothing was deleted. Try again when the database is free."),
        )

    def start_kiosk(self) -> None:
        c = self.selected() or self.state.current_campaign
        if c is None:
            return
        if importlib.util.find_spec("culturescope.gui.kiosk") is None:
            messages.error(
                self,
                self.tr("Kiosk mode is not available"),
                self.tr("This build of CultureScope has no kiosk mode."),
            )
            return
        if c.status != "open":
            messages.error(
                self,
                self.tr("The campaign is closed"),
                self.tr("A closed campaign takes no new responses."),
                self.tr("Reopen it first if you want to collect more."),
            )
            return
        from culturescope.gui.kiosk import KioskWindow

        kiosk = KioskWindow(self.state, c)
        if not kiosk.start():  # asks the lead to set the admin passphrase the first time
            kiosk.unlock_and_close()  # declined: no kiosk without a way out
            kiosk.deleteLater()
            return
        self._kiosk = kiosk

    # ---- kiosk laptops at several sites (setup files and bundles) -------------------
    def _ask_save(self, title: str, suggested: str, pattern: str, suffix: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, title, suggested, pattern)
        if path and not path.lower().endswith(suffix):
            path += suffix
        return path

    def _ask_open(self, title: str, pattern: str) -> str:
        path, _ = QFileDialog.getOpenFileName(self, title, "", pattern)
        return path

    @staticmethod
    def _file_stem(name: str) -> str:
        return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name).strip("-")

    def write_kiosk_setup(self, path: str | None = None):
        """Lead's machine: write the selected campaign's kiosk setup file."""
        c = self.selected() or self.state.current_campaign
        if c is None:
            return None
        path = path or self._ask_save(
            self.tr("Save kiosk setup file"),
            f"{self._file_stem(c.name)}{bundles.SETUP_SUFFIX}",
            self.tr("Kiosk setup file (*.cskiosk)"),
            bundles.SETUP_SUFFIX,
        )
        if not path:
            return None
        return self.state.run_task(
            _write_setup,
            self.state.store,
            c.id,
            path,
            title=self.tr("Writing the kiosk setup file"),
            on_result=lambda written: messages.info(
                self,
                self.tr("Kiosk setup file written"),
                self.tr(
                    "Install {0} on each kiosk laptop (Kiosk laptops → Install kiosk "
                    "setup file…), then collect there."
                ).format(Path(written).name),
                self.tr(
                    "The file holds the key that signs this campaign's bundles: keep it "
                    "safe and delete copies once installed."
                ),
            ),
            on_error=lambda exc: self._failed(self.tr("The setup file was not written"), exc),
            cancellable=False,
        )

    def install_kiosk_setup(self, path: str | None = None):
        """Kiosk laptop: create the campaign of a setup file here."""
        path = path or self._ask_open(
            self.tr("Install kiosk setup file"), self.tr("Kiosk setup file (*.cskiosk)")
        )
        if not path:
            return None
        secret = self._admin_passphrase(
            self.tr(
                "Enter the admin passphrase: it locks this campaign's bundle key on this laptop."
            )
        )
        if secret is None:
            return None
        return self.state.run_task(
            _install_setup,
            self.state.store,
            path,
            secret,
            title=self.tr("Installing {0}").format(Path(path).name),
            on_result=self._installed,
            on_error=lambda exc: self._failed(self.tr("The setup file was not installed"), exc),
            cancellable=False,
        )

    def _admin_passphrase(self, prompt: str) -> str | None:
        """The admin passphrase, checked; chosen now when none is set (None: cancelled)."""
        settings = self.state.settings
        if not settings.has_passphrase:
            chosen = passphrase.ask_new_passphrase(self)
            if chosen is None:
                return None
            try:
                settings.set_passphrase(chosen)
                self.state.save_settings()
            except CultureScopeError as exc:
                messages.error(self, self.tr("Passphrase not saved"), messages.describe(exc))
                return None
            return chosen
        typed = passphrase.ask_passphrase(self, prompt)
        if typed is None:
            return None
        if not settings.check_passphrase(typed):
            messages.error(
                self,
                self.tr("Wrong passphrase"),
                self.tr("The admin passphrase is wrong; nothing was installed."),
            )
            return None
        return typed

    def _installed(self, result) -> None:
        campaign, created = result
        self.state.set_campaign(campaign)
        self.state.notify_data_changed()
        messages.info(
            self,
            self.tr("Campaign installed") if created else self.tr("Already installed"),
            (
                self.tr('The campaign "{0}" is ready for the kiosk on this laptop.')
                if created
                else self.tr('The campaign "{0}" was installed here already; nothing changed.')
            ).format(campaign.name),
        )

    def export_bundle(self, path: str | None = None):
        """Kiosk laptop: write the selected campaign's responses to a bundle."""
        c = self.selected() or self.state.current_campaign
        if c is None:
            return None
        path = path or self._ask_save(
            self.tr("Export response bundle"),
            f"{self._file_stem(c.name)}-{dt.date.today().isoformat()}{bundles.BUNDLE_SUFFIX}",
            self.tr("Response bundle (*.csbundle)"),
            bundles.BUNDLE_SUFFIX,
        )
        if not path:
            return None
        secret = None
        if bundles.key_is_sealed(self.state.store, c):
            secret = passphrase.ask_passphrase(
                self, self.tr("Enter the admin passphrase to unlock the bundle key.")
            )
            if secret is None:
                return None
        return self.state.run_task(
            _export_bundle,
            self.state.store,
            c.id,
            path,
            secret,
            title=self.tr("Exporting {0}").format(c.name),
            on_result=lambda result: messages.info(
                self,
                self.tr("Bundle exported"),
                self.tr('{0} responses of "{1}" written to {2}.').format(
                    result[1], c.name, Path(result[0]).name
                ),
                self.tr("Merge it on the lead's machine: Kiosk laptops → Merge bundle…"),
            ),
            on_error=lambda exc: self._failed(self.tr("The bundle was not exported"), exc),
            cancellable=False,
        )

    def merge_bundle(self, path: str | None = None):
        """Lead's machine: add a bundle's new responses to its campaign."""
        path = path or self._ask_open(
            self.tr("Merge response bundle"), self.tr("Response bundle (*.csbundle)")
        )
        if not path:
            return None
        return self.state.run_task(
            _merge_bundle,
            self.state.store,
            path,
            title=self.tr("Merging {0}").format(Path(path).name),
            on_result=self._merged,
            on_error=self._merge_failed,
        )

    def _merged(self, result: bundles.MergeResult) -> None:
        self.state.notify_data_changed()
        messages.info(
            self,
            self.tr("Bundle merged"),
            self.tr('{0} responses added to "{1}", {2} already stored.').format(
                result.added, result.campaign.name, result.already_stored
            ),
        )

    def _merge_failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            return
        self._failed(
            self.tr("The bundle was not merged"),
            exc,
            self.tr(
                "Nothing was stored. Check that the file is the one the kiosk laptop "
                "exported, and that its campaign was set up from this database."
            ),
        )

    def _failed(self, title: str, exc: BaseException, next_step: str = "") -> None:
        messages.error(self, title, messages.describe(exc), next_step)
