"""The 工具 menu: settings dialog, holiday file import, evidence integrity check."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from workbench.app import settings_path
from workbench.gui.main_window import MainWindow
from workbench.gui.views.tools import ToolActions
from workbench.services import checklist_templates, sites
from workbench.services import inspection_service as service
from workbench.settings import Settings


@pytest.fixture
def tools(qtbot, session):
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    qtbot.addWidget(window)
    return ToolActions(session, window)


def test_tools_menu_lists_the_actions(qtbot, demo_session):
    window = MainWindow(demo_session)
    qtbot.addWidget(window)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "工具(&T)")
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["核查下一个未核查网站", "设置…", "导入节假日安排…", "证据完整性检查"]
    assert window.tools.settings_action.shortcut().toString() == "Ctrl+,"


def test_settings_dialog_saves_settings_and_author(qtbot, tools, session):
    session.ctx.settings.inspector = "旧名字"
    dialog = tools.open_settings()
    assert dialog.isVisible() and dialog.inspector_edit.text() == "旧名字"
    assert dialog.term_spin.value() == 10 and dialog.unit_combo.currentData() == "working"
    dialog.inspector_edit.setText("  王检查  ")
    dialog.fields["unit"].setText("某市互联网信息办公室")
    dialog.contact_edit.setText("李联系")
    dialog.phone_edit.setText("0531-86001234")
    dialog.term_spin.setValue(15)
    dialog.unit_combo.setCurrentIndex(dialog.unit_combo.findData("calendar"))
    with qtbot.waitSignal(session.changed):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert not dialog.isVisible()
    saved = Settings.load(settings_path(session.paths))
    assert (saved.inspector, saved.contact, saved.contact_phone) == ("王检查", "李联系", "0531-86001234")
    assert (saved.review_term_days, saved.review_term_unit) == (15, "calendar")
    assert session.ctx.author.inspector == "王检查"
    assert session.open_worker_context().author.inspector == "王检查"  # workers read the saved file


def test_settings_cancel_changes_nothing(qtbot, tools, session):
    dialog = tools.open_settings()
    dialog.inspector_edit.setText("不保存")
    dialog.reject()
    assert session.ctx.settings.inspector != "不保存"
    assert not settings_path(session.paths).exists()


def test_settings_unwritable_file_keeps_dialog_open(qtbot, tools, session, monkeypatch):
    def fail():
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(session, "save_settings", fail)
    before = session.ctx.settings.contact
    dialog = tools.open_settings()
    dialog.inspector_edit.setText("王检查")
    dialog.fields["unit"].setText("某市互联网信息办公室")
    dialog.contact_edit.setText("李联系")
    dialog.accept()
    assert dialog.isVisible() and "无法保存设置文件" in dialog.error_label.text()
    assert session.ctx.settings.contact == before  # rolled back


def _holiday_file(tmp_path, payload) -> object:
    path = tmp_path / "2027年节假日.json"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return path


def test_import_holidays_installs_and_reports_coverage(qtbot, tools, session, dialogs, tmp_path):
    path = _holiday_file(tmp_path, {"year": 2027, "source": "测试用安排",
                                    "holidays": [{"date": "2027-01-01", "name": "元旦"}],
                                    "workdays": ["2027-02-13"]})
    dialogs.answers.append(path)
    with qtbot.waitSignal(tools.holidays_installed, timeout=10000) as done:   # read and copied on a worker
        assert tools.import_holidays()
    installed = done.args[0]
    assert installed.years == (2027,)
    assert session.ctx.calendar_loaded and session.ctx.calendar.covered_years()[1] == 2027
    kind, title, text = dialogs.shown[-1]
    assert kind == "info" and "2027 年" in text and "—2027 年" in text
    assert Settings.load(settings_path(session.paths)).holiday_file == str(installed.path)


def test_import_holidays_bad_file_is_a_clear_warning(qtbot, tools, session, dialogs, tmp_path):
    path = _holiday_file(tmp_path, {"year": 2027, "holidays": [], "workdays": []})
    dialogs.answers.append(path)
    assert tools.import_holidays()
    qtbot.waitUntil(lambda: dialogs.shown[-1][0] == "warn", timeout=10000)
    kind, title, text = dialogs.shown[-1]
    assert kind == "warn" and title == "导入节假日安排" and "2027年节假日.json" in text
    assert session.ctx.settings.holiday_file == ""


def test_import_holidays_cancelled(tools, dialogs):
    dialogs.answers.append(None)
    assert not tools.import_holidays()
    assert [k for k, *_ in dialogs.shown] == ["open_file"]


def _inspection_with_evidence(session, tmp_path, count):
    ctx = session.ctx
    site = sites.page(ctx, session.campaign_id, limit=1)[0]
    template = next(t for t in checklist_templates.list_templates(ctx) if t.code == "pipl_compliance")
    inspection = service.start_inspection(
        ctx, campaign_id=session.campaign_id, sponsor_id=sites.detail(ctx, site.id).sponsor_id,
        template_id=template.id, inspected_on=date(2026, 11, 30), target="某单位")
    records = []
    for i in range(count):
        source = tmp_path / f"截图{i}.txt"
        source.write_text(f"证据内容 {i}", encoding="utf-8")
        records.append(service.add_evidence(ctx, inspection.id, source))
    return records


def test_evidence_check_all_intact(qtbot, demo_session, dialogs, tmp_path):
    tools = ToolActions(demo_session, None)
    _inspection_with_evidence(demo_session, tmp_path, 2)
    with qtbot.waitSignal(demo_session.task_ended, timeout=10000):
        tools.evidence_action.trigger()
    qtbot.waitUntil(lambda: bool(dialogs.shown))
    assert dialogs.shown[-1] == ("info", "证据完整性检查", "全部 2 个证据文件完好。")


def test_evidence_check_lists_missing_and_modified(qtbot, demo_session, dialogs, tmp_path):
    tools = ToolActions(demo_session, None)
    gone, changed, _ok = _inspection_with_evidence(demo_session, tmp_path, 3)
    store = demo_session.ctx.evidence_store
    store.path_of(gone.stored_path).unlink()
    target = store.path_of(changed.stored_path)
    target.chmod(0o644)
    target.write_text("被改过", encoding="utf-8")
    with qtbot.waitSignal(demo_session.task_ended, timeout=10000):
        tools.check_evidence()
    qtbot.waitUntil(lambda: bool(dialogs.shown))
    kind, _title, text = dialogs.shown[-1]
    assert kind == "warn" and "共 3 个证据文件，其中 2 个有问题" in text
    assert "截图0.txt（某单位，整体）：文件缺失" in text
    assert "截图1.txt（某单位，整体）：内容已被改动" in text
    assert "截图2.txt" not in text


def test_settings_dialog_edits_what_notices_print(qtbot, tools, session, tmp_path):
    """Issue 10: self-reference, title, basis, 复议/诉讼 bodies, term mode, letterhead and a font
    file per role are chosen in 设置 and saved."""
    dialog = tools.open_settings()
    assert dialog.self_edit.text() == "我办" and dialog.title_combo.currentText() == "责令限期改正通知书"
    dialog.fields["inspector"].setText("王检查")
    dialog.fields["unit"].setText("某市互联网信息办公室")
    dialog.self_edit.setText("我局")
    dialog.title_combo.setCurrentText("整改通知书")
    dialog.review_edit.setText("某市人民政府")
    dialog.court_edit.setText("某市某区人民法院")
    dialog.receipt_check.setChecked(True)
    dialog.letterhead_check.setChecked(True)
    chinese = _chinese_font()
    dialog.font_edits["body"].setText(chinese)  # typed, not chosen: checked before saving
    with qtbot.waitSignal(session.changed, timeout=10000):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    saved = Settings.load(settings_path(session.paths))
    assert (saved.self_reference, saved.notice_title) == ("我局", "整改通知书")
    assert (saved.review_body, saved.court) == ("某市人民政府", "某市某区人民法院")
    assert saved.deadline_from_receipt and saved.preprinted_letterhead
    assert saved.fonts == {"body": chinese}


def _chinese_font() -> str:
    """An installed Chinese TrueType font (the 黑体 role's, a .ttc face written path#n)."""
    from workbench.reports import fonts

    font = fonts.font_for("heading1")
    return f"{font.path}#{font.subfont_index}" if font.subfont_index else str(font.path)


def _latin_font() -> str:
    import glob

    found = sorted(glob.glob("/usr/share/fonts/**/DejaVuSans.ttf", recursive=True))
    if not found:
        pytest.skip("DejaVuSans.ttf (a font without Chinese glyphs) not installed")
    return found[0]


def test_font_chooser_checks_the_file_and_says_why_it_is_refused(qtbot, tools, session, dialogs, tmp_path):
    """设置 › 选择…: the file comes from the file dialog (Dialogs.open_file) and is checked off
    the GUI thread: a font without Chinese glyphs, a file that is no font and a CFF OpenType
    font are refused with a Chinese reason and nothing is saved; a Chinese TrueType font is
    named under its field and saved."""
    dialog = tools.open_settings()
    dialog.fields["inspector"].setText("王检查")
    dialog.fields["unit"].setText("某市互联网信息办公室")
    not_font = tmp_path / "说明.ttf"
    not_font.write_text("这不是字体", encoding="utf-8")
    cff = tmp_path / "思源宋体.otf"
    cff.write_bytes(b"OTTO" + b"\0" * 60)
    cases = [(_latin_font(), "缺少中文字形"), (str(not_font), "不是 TrueType 字体文件"),
             (str(cff), "PostScript（CFF）"), (str(tmp_path / "没有.ttf"), "找不到")]
    for path, reason in cases:
        dialogs.answers.append(Path(path))
        qtbot.mouseClick(dialog.font_buttons["body"], Qt.LeftButton)
        qtbot.waitUntil(lambda: dialog.checking is None and dialog.error_label.isVisible(), timeout=10000)
        note = dialog.font_notes["body"].text()  # the reason, under the field
        assert reason in note and "该文件" in note, (path, note)
        assert dialog.font_edits["body"].text() == path
        dialog.error_label.hide()
    # saving with the bad file typed in is refused too
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.checking is None and dialog.error_label.isVisible(), timeout=10000)
    assert dialog.isVisible() and "无法使用" in dialog.error_label.text()
    assert "找不到" in dialog.font_notes["body"].text()
    assert not settings_path(session.paths).exists() or Settings.load(settings_path(session.paths)).fonts == {}
    chinese = _chinese_font()
    dialogs.answers.append(Path(chinese.partition("#")[0]))
    qtbot.mouseClick(dialog.font_buttons["heading1"], Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.checking is None and dialog.font_notes["heading1"].isVisible(), timeout=10000)
    assert dialog.font_notes["heading1"].text().startswith("✓ ")
    dialog.font_edits["body"].setText("")
    with qtbot.waitSignal(session.changed, timeout=10000):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert Settings.load(settings_path(session.paths)).fonts == {"heading1": chinese.partition("#")[0]}


def test_campaign_dialog_sets_the_title_of_its_notices(qtbot, demo_session):
    """The per-campaign notice title (整改通知书 vs 责令限期改正通知书) is edited in the campaign
    dialog, follows a rename, and a title that is no document name is refused there."""
    from workbench.services import campaigns, document_settings

    window = MainWindow(demo_session)
    qtbot.addWidget(window)
    ctx = demo_session.ctx
    name = campaigns.get_campaign(ctx, demo_session.campaign_id).name
    assert document_settings.notice_title(ctx, name) == "责令限期改正通知书"
    dialog = window.edit_campaign()
    assert dialog.title_combo.currentText() == ""  # the default applies
    dialog.title_combo.setCurrentText("整改\n通知")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert dialog.isVisible() and "以“书”结尾" in dialog.error_label.text()
    dialog.title_combo.setCurrentText("整改通知书")
    dialog.name_edit.setText(name + "（改名）")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert not dialog.isVisible()
    saved = Settings.load(settings_path(demo_session.paths))
    assert saved.campaign_titles == {name + "（改名）": "整改通知书"}
    assert document_settings.notice_title(ctx, name + "（改名）") == "整改通知书"
    dialog = window.edit_campaign()
    assert dialog.title_combo.currentText() == "整改通知书"
    dialog.title_combo.setCurrentText("")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert not dialog.isVisible(), (dialog.title_combo.currentText(), dialog.error_label.text())
    assert Settings.load(settings_path(demo_session.paths)).campaign_titles == {}
