"""The 协作与备份 menu: work packages, conflicts to decide, the audit log, backup and restore."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.gui.models.record_table_model import Column, RecordTableModel
from workbench.gui.session import Session
from workbench.services import campaigns, conflicts, integrity
from workbench.services.audit_labels import ACTION_LABELS

if TYPE_CHECKING:   # work packages load multiprocessing and the xlsx guard: in the task that uses them
    from workbench.services import packages

PACKAGE_FILTER = "工作包 (*.wbpkg);;所有文件 (*)"
BACKUP_FILTER = "数据库备份 (*.sqlite3);;所有文件 (*)"
AUDIT_ENTITIES = (("", "全部"), ("finding", "问题"), ("review", "核查"), ("inspection", "检查"),
                  ("notice", "文书"), ("evidence", "证据"), ("campaign", "检查任务"), ("package", "工作包"))


def _show(value) -> str:
    if value is None:
        return "（空）"
    if value == "removed":
        return "删除"
    if value == "changed":
        return "保留（含修改）"
    return str(value)


def _when(at: str) -> str:
    """A stored UTC time as local time, minutes (the column header names the zone)."""
    try:
        stamp = datetime.fromisoformat((at or "").replace("Z", "+00:00"))
    except ValueError:
        return at or ""
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.astimezone().strftime("%Y-%m-%d %H:%M")


def _local_zone() -> str:
    offset = datetime.now().astimezone().utcoffset() or timedelta(0)
    hours = offset.total_seconds() / 3600
    return f"UTC{hours:+g}"


_SKIPPED = {"id", "created_at", "updated_at", "device", "inspector"}


def _field(name: str) -> str:
    return conflicts.FIELD_LABELS.get(name, name)


def _candidate(which: int):
    def text(c: conflicts.Conflict) -> str:
        if which >= len(c.candidates):
            return ""
        cand = c.candidates[which]
        shown = conflicts.value_label(c.column, cand.value) or _show(cand.value)
        return f"{shown}（{cand.inspector or cand.device}，{_when(cand.at)}）"
    return text


def _conflict_field(c: conflicts.Conflict) -> str:
    return _field(c.column) if c.column else "整条记录"


def _conflict_kind(c: conflicts.Conflict) -> str:
    return conflicts.KIND_LABELS.get(c.kind, c.kind)


def _title(c: conflicts.Conflict) -> str:
    return c.title


#: Open conflicts: 对象, 字段, 情况, 候选值一 (who, when), 候选值二 (who, when); each cell's tooltip
#: is its whole text.
CONFLICT_COLUMNS = tuple(Column(header, text, tip=text) for header, text in (
    ("对象", _title), ("字段", _conflict_field), ("情况", _conflict_kind),
    ("候选值一（谁、何时）", _candidate(0)), ("候选值二（谁、何时）", _candidate(1))))


class ConflictsDialog(QDialog):
    """合并冲突: each open conflict with both values, who and when; the user takes one
    (``decided(conflict id)`` once stored)."""

    decided = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("合并冲突：待人工裁决")
        self.resize(1100, 480)
        self.model = RecordTableModel(CONFLICT_COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectRows)
        self.table.setSelectionMode(QTableView.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel()
        self.first_button = QPushButton("采用候选值一")
        self.second_button = QPushButton("采用候选值二")
        self.first_button.clicked.connect(lambda: self.take(0))
        self.second_button.clicked.connect(lambda: self.take(1))
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.first_button)
        buttons.addWidget(self.second_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("同一字段在两台电脑上改得不同，或一边删除、另一边修改。请逐条选择要保留的值；"
                                "裁决会记入审计日志，并随下一个工作包传到其他电脑。"))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        """Read the open conflicts again (on the reader thread)."""
        self.session.read(conflicts.list_conflicts, self._rows_read, key=f"conflicts:{id(self)}")

    def _rows_read(self, rows) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.summary.setText(f"待裁决 {len(rows)} 条" if rows else "没有待裁决的冲突")
        if rows:
            self.table.selectRow(0)

    def take(self, which: int) -> bool:
        """Decide the selected conflict with its candidate number ``which`` (0 or 1), on the writer
        thread; False when there is nothing to decide. ``decided`` follows once it is stored."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return False
        conflict = self.model.rows[rows[0].row()]
        if which >= len(conflict.candidates):
            return False
        value = conflict.candidates[which].value

        def done(_result) -> None:
            self.session.notify_all()
            self.reload()
            self.decided.emit(conflict.id)

        return self.session.write("裁决冲突", lambda ctx: conflicts.decide(ctx, conflict.id, value), done)


def _audit_changes(e) -> str:
    """The 变更 of an audit entry: a package's counts, or field: before → after."""
    if e.action == "unify" and isinstance(e.after, dict):     # storage/identities.py
        return f"两台电脑各给了一个编号，并入记录 {str(e.after.get('id', ''))[:8]}（保留较小的编号）"
    if e.action in ("export", "merge") and isinstance(e.after, dict):
        return "；".join(f"{k}: {v}" for k, v in e.after.items() if k in ("file", "added", "updated",
                                                                         "unchanged", "conflicts"))
    return "；".join(
        f"{_field(k)}：{_show(a)}" if e.before is None else
        f"{_field(k)}：{_show(b)} → {_show(a)}" if e.action != "remove" else f"{_field(k)}：{_show(b)}"
        for k, (b, a) in e.changed_fields().items()
        if k not in _SKIPPED and not (e.before is None and k.endswith("_id")))


def _audit_columns() -> tuple[Column, ...]:
    """Audit log entries: 时间, 设备, 检查人员, 操作, 对象, 记录 (an id's first 8 characters), 变更
    (cut at 200 characters; the tooltip has the whole text). Each cell's tooltip is its text."""
    texts = (
        (f"时间（{_local_zone()}）", lambda e: _when(e.at)), ("设备", lambda e: e.device),
        ("检查人员", lambda e: e.inspector), ("操作", lambda e: ACTION_LABELS.get(e.action, e.action)),
        ("对象", lambda e: conflicts.ENTITY_LABELS.get(e.entity, e.entity)),
        ("记录", lambda e: e.entity_id[:8]))
    return (*(Column(h, t, tip=t) for h, t in texts),
            Column("变更", lambda e: _audit_changes(e)[:200], tip=_audit_changes))


class AuditDialog(QDialog):
    """审计日志: filter by kind of record and any text (a record id, a name, an inspector)."""

    def __init__(self, session: Session, parent: QWidget | None = None, mentions: str | None = None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("审计日志")
        self.resize(1150, 560)
        self.entity = QComboBox()
        for key, label in AUDIT_ENTITIES:
            self.entity.addItem(label, key)
        self.text = QLineEdit(mentions or "")
        self.text.setPlaceholderText("筛选：记录 ID、名称、检查人员、设备……")
        self.export_button = QPushButton("导出 CSV…")
        self.status = QLabel()
        self.model = RecordTableModel(_audit_columns(), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("对象"))
        top.addWidget(self.entity)
        top.addWidget(self.text, 1)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.entity.currentIndexChanged.connect(self.reload)
        self.text.returnPressed.connect(self.reload)
        self.export_button.clicked.connect(self.export)
        self.reload()

    def filters(self) -> dict:
        """The filters chosen, as keyword arguments of storage.audit.entries."""
        text = self.text.text().strip()
        return {"entity": self.entity.currentData() or None, "text": text or None}

    def reload(self) -> None:
        """Read the (filtered) log again: the newest 1,000 entries (on the reader thread)."""
        filters = self.filters()
        self.session.read(lambda ctx: (integrity.audit_entries(ctx, limit=1000, **filters), integrity.audit_chain(ctx)),
                          self._entries_read, key=f"audit:{id(self)}")

    def _entries_read(self, result) -> None:
        rows, (total, problems) = result
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        chain = "哈希链完好" if not problems else f"哈希链有 {problems} 处问题（运行“数据库检查”查看）"
        self.status.setText(f"显示 {len(rows)} 条（共 {total} 条）；{chain}")

    def export(self) -> Path | None:
        """Save the filtered log as CSV (opens in Excel)."""
        out = self.session.dialogs.save_file("导出审计日志", str(Path(self.session.last_folder) / "审计日志.csv"),
                                             "CSV 文件 (*.csv)")
        if out is None:
            return None
        filters = self.filters()
        self.session.run_task("导出审计日志", lambda ctx, _c, _p: integrity.export_audit(ctx, out, **filters),
                              lambda n: self.session.dialogs.info("导出审计日志", f"已导出 {n} 条到 {out}"))
        return out


class SyncActions(QObject):
    """The actions of the 协作与备份 menu, with their slots; ``actions`` in menu order (None = a
    separator). Work on files and the database runs in the background (Session.run_task)."""

    def __init__(self, session: Session, window: QWidget):
        super().__init__(window)
        self.session = session
        self.window = window
        self.dialog: QDialog | None = None
        self.export_action = QAction("导出工作包…", self)
        self.import_action = QAction("导入工作包…", self)
        self.conflicts_action = QAction("合并冲突…", self)
        self.numbers_action = QAction("文号段…", self)
        self.audit_action = QAction("审计日志…", self)
        self.backup_action = QAction("备份数据库…", self)
        self.restore_action = QAction("从备份恢复…", self)
        self.check_action = QAction("数据库检查", self)
        self.export_action.setToolTip("把本机的工作导出为工作包，交给组长或同事合并")
        for action, slot in ((self.export_action, self.export_package), (self.import_action, self.import_package),
                             (self.conflicts_action, self.open_conflicts), (self.audit_action, self.open_audit),
                             (self.numbers_action, self.open_numbers),
                             (self.backup_action, self.backup), (self.restore_action, self.restore),
                             (self.check_action, self.check)):
            action.triggered.connect(slot)
        self.actions = (self.export_action, self.import_action, self.conflicts_action, self.numbers_action, None,
                        self.audit_action,
                        None, self.backup_action, self.restore_action, self.check_action)

    @Slot()
    def export_package(self) -> Path | None:
        """Export the chosen campaign's work (everything; a partner's base is used from the CLI)."""
        out = self.session.dialogs.save_file("导出工作包", str(Path(self.session.last_folder) / "工作包.wbpkg"),
                                             PACKAGE_FILTER)
        if out is None:
            return None
        name = self._campaign_name()

        def work(ctx, _cancel, _progress):
            from workbench.services import packages

            return packages.export_from_open(ctx, self.session.db_path, out, name)

        self.session.run_task("导出工作包", work, lambda res: self.session.dialogs.info(
            "导出工作包", f"已导出工作包 {res.path}（检查任务“{res.campaign}”，证据文件 {res.files} 个）。"))
        return out

    def _campaign_name(self) -> str | None:
        if not self.session.campaign_id:
            return None
        found = [c.name for c in campaigns.list_campaigns(self.session.ctx) if c.id == self.session.campaign_id]
        return found[0] if found else None

    @Slot()
    def import_package(self) -> Path | None:
        """Import a package: backup first, merge in a child process, then say what changed."""
        pkg = self.session.dialogs.open_file("导入工作包", self.session.last_folder, PACKAGE_FILTER)
        if pkg is None:
            return None

        def work(ctx, _cancel, _progress):
            from workbench.services import packages

            return packages.import_into_open(ctx, self.session.db_path, pkg)

        self.session.run_task("导入工作包", work, self._imported)
        return pkg

    def _imported(self, res: packages.ImportResult) -> None:
        self.session.notify_all()
        who = res.sender.get("inspector") or res.sender.get("device") or "?"
        text = (f"已合并 {who} 的工作包（检查任务“{res.campaign}”）：新增 {res.added}，更新 {res.updated}，"
                f"未变 {res.unchanged}，冲突 {res.conflicts}。")
        if res.conflicts:
            text += "\n有冲突需要人工裁决：请打开“协作与备份 › 合并冲突”。"
        self.session.dialogs.info("导入工作包", text)

    @Slot()
    def open_conflicts(self) -> ConflictsDialog:
        """Open the conflicts dialog (non-modal)."""
        dialog = ConflictsDialog(self.session, self.window)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def open_numbers(self) -> QDialog:
        """Open 文号段 (non-modal): blocks of 文号 per laptop, void numbers, assigning."""
        from workbench.gui.views.number_blocks_view import NumberBlocksDialog

        dialog = NumberBlocksDialog(self.session, self.window)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def open_audit(self, mentions: str | None = None) -> AuditDialog:
        """Open the audit log (non-modal), optionally filtered to one record's id."""
        dialog = AuditDialog(self.session, self.window, mentions=mentions)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def backup(self) -> Path | None:
        """Write a verified copy of the database to a chosen file."""
        out = self.session.dialogs.save_file("备份数据库", str(Path(self.session.last_folder) / "工作台备份.sqlite3"),
                                             BACKUP_FILTER)
        if out is None:
            return None
        db = self.session.db_path
        self.session.run_task("备份数据库", lambda _ctx, _c, _p: integrity.backup_to(db, out, force=True),   # the save dialog asked
                              lambda path: self.session.dialogs.info("备份数据库", f"已备份到 {path}（已通过完整性检查）。"))
        return out

    @Slot()
    def restore(self) -> Path | None:
        """Replace the database's content with a chosen backup (the current one is backed up first)."""
        newest = integrity.newest_good_backup(self.session.db_path)
        start = str(newest.path.parent) if newest else self.session.last_folder
        source = self.session.dialogs.open_file("从备份恢复", start, BACKUP_FILTER)
        if source is None or not self.session.dialogs.confirm(
                "从备份恢复", f"用 {source.name} 替换当前数据库的全部内容？\n当前的数据库会先自动备份到 "
                f"{integrity.backup_folder(self.session.db_path)}。"):
            return None

        def work(ctx, _cancel, _progress):
            return integrity.restore_open(ctx, self.session.db_path, source)

        def done(kept) -> None:
            self.session.notify_all()
            self.session.dialogs.info("从备份恢复", f"已恢复。恢复前的数据库保存在 {kept}。")

        self.session.run_task("从备份恢复", work, done)
        return source

    @Slot()
    def check(self) -> None:
        """Run every check of ``workbench check`` in the background and report."""
        db, evidence = self.session.db_path, self.session.ctx.evidence_dir

        def done(report: integrity.CheckReport) -> None:
            lines = []
            for r in report.results:
                lines.append(f"{integrity.CHECKS[r.key]}：{'通过' if r.ok else '未通过'}")
                lines += [f"  · {p}" for p in r.problems[:10]]
            if report.ok:
                self.session.dialogs.info("数据库检查", "\n".join(lines))
            else:
                self.session.dialogs.warn("数据库检查", "\n".join(lines) + "\n\n可用“从备份恢复”换回最近的完好备份。")

        self.session.run_task("数据库检查", lambda _ctx, _c, _p: integrity.check_database(db, evidence), done)


def candidates_json(conflict: conflicts.Conflict) -> str:
    """The candidates of a conflict as JSON (for tooltips and tests)."""
    return json.dumps([c.__dict__ for c in conflict.candidates], ensure_ascii=False)
