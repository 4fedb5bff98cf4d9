"""Actions of the 检查 screen beyond answering items: checklist templates in and out, 开始复查."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.domain.checklist import ChecklistFormatError
from workbench.domain.progress import Progress
from workbench.errors import WorkbenchError, os_reason
from workbench.gui.dialogs import overwrite_confirmed
from workbench.gui.session import Session
from workbench.reports import safe_file_name
from workbench.services import checklist_templates, output_paths
from workbench.services import inspection_service as service

if TYPE_CHECKING:
    from workbench.domain.inspection import InspectionRound, TemplateRecord

TEMPLATE_FILTER = "检查表模板 (*.xlsx *.xls *.ods *.yaml *.yml);;所有文件 (*)"
XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
MAX_LISTED = 20  # template problems listed one by one


def import_template(session: Session, then: Callable[[TemplateRecord], None] | None = None) -> bool:
    """导入检查表模板: choose an .xlsx/.yaml file; read and validate it and compare it with the
    stored templates on a worker (with progress); when the same code and version is stored with
    other content, ask whether to store the file as the next version (existing inspections keep
    the version they ran with); store it on the writer thread; then say what happened and call
    ``then(record)``. A bad file is told in Chinese, naming the file and its row or YAML line.

    Returns:
        True when the import was started; False when no file was chosen.
    """
    path = session.dialogs.open_file("导入检查表模板", session.last_folder, TEMPLATE_FILTER)
    if path is None:
        return False
    session.remember_folder(path)

    def read(ctx, _cancel, progress):
        progress(Progress(0, 2, f"正在读取 {path.name}…"))
        template = checklist_templates.read_template_file(path)
        progress(Progress(1, 2, "正在与已保存的模板核对…"))
        return template, checklist_templates.stored_as(ctx, template)

    def checked(result) -> None:
        template, (status, existing) = result
        if status == "same":
            _told(session, existing, created=False, then=then)
            return
        new_version = status == "changed"
        if new_version and not session.dialogs.confirm(
                "导入检查表模板", f"检查表模板“{template.title}”版本 {template.version} 已导入过，"
                "但此文件的内容与之不同。\n\n是否把此文件保存为该模板的新版本（如 1.0 → 1.1）？\n"
                "已有的检查仍使用原来的版本。"):
            return
        session.write("导入检查表模板",
                      lambda ctx: checklist_templates.store_template(ctx, template, path.name, new_version),
                      lambda stored: _told(session, *stored, then=then), failed)

    def failed(err: Exception) -> None:
        if isinstance(err, WorkbenchError):
            session.dialogs.warn("导入检查表模板", _problems_text(err))
        else:
            session.show_error("导入检查表模板", err)

    session.run_task("导入检查表模板", read, checked, failed)
    return True


def _told(session: Session, record: TemplateRecord, created: bool,
          then: Callable[[TemplateRecord], None] | None) -> None:
    if created:
        session.notify("templates")
        text = (f"已导入检查表模板“{record.title}”（版本 {record.version}，{record.item_count} 项）。"
                "新建检查时可在“检查表”中选用。")
    else:
        text = f"检查表模板“{record.title}”（版本 {record.version}）已导入过，内容相同，未重复保存。"
    session.dialogs.info("导入检查表模板", text)
    if then is not None:
        then(record)


def _problems_text(err: WorkbenchError) -> str:
    """The error, plus every problem of a template file (row, column, message) when there are several."""
    if not isinstance(err, ChecklistFormatError) or len(err.problems) < 2:
        return str(err)
    lines = [(f"第 {row} 行，" if row else "") + f"列“{column}”：{message}"
             for row, column, message in err.problems[:MAX_LISTED]]
    if len(err.problems) > MAX_LISTED:
        lines.append(f"……另有 {len(err.problems) - MAX_LISTED} 处")
    return f"{err}\n\n全部问题：\n" + "\n".join(lines) + "\n\n请修改模板文件后重新导入。"


def export_template(session: Session, record: TemplateRecord) -> bool:
    """导出检查表模板: write a stored template version as .xlsx where the user chooses, on a
    worker (the file named in a message when done; errors shown by the session).

    Returns:
        True when the export was started; False when cancelled.
    """
    name = safe_file_name(f"{record.title}_{record.version}", "检查表模板")
    chosen = session.dialogs.save_file("导出检查表模板", str(Path(session.last_folder) / f"{name}.xlsx"), XLSX_FILTER)
    if chosen is None:
        return False
    out = chosen if chosen.suffix.lower() == ".xlsx" else chosen.with_name(chosen.name + ".xlsx")
    if not overwrite_confirmed(session.dialogs, chosen, out):
        return False

    def write(ctx, _cancel, _progress) -> Path:
        output_paths.check_output(ctx, out, force=True)
        try:
            checklist_templates.export_template(ctx, record.id, out)
        except OSError as err:
            raise WorkbenchError(f"无法写入“{out}”：{os_reason(err)}。") from err
        return out

    def written(path: Path) -> None:
        session.remember_folder(path)
        session.dialogs.info("导出检查表模板", f"已导出“{record.title}”（版本 {record.version}）：\n{path}\n"
                             "修改后可用“导入检查表模板”导入；已有版本的内容改动后会作为新版本保存。")

    session.run_task("导出检查表模板", write, written)
    return True


def start_reinspection(session: Session, inspection_id: str, then: Callable[[InspectionRound], None]) -> None:
    """开始复查: ask who re-inspects, then open the next round of a completed inspection today
    (the inspection read on the reader thread, the round saved on the writer thread); ``then(round)``
    once it is stored. A cancel does nothing; a refusal shows the service's reason.

    Only the items answered 不符合 or 部分符合 are to be answered again; the others are carried.
    """
    today, name = session.ctx.today(), session.ctx.author.name

    def read(state) -> None:
        number = state.round.round + 1
        label = (f"对“{state.inspection.target}”开始第 {number} 次复查（复查日期 {today:%Y-%m-%d}）。\n"
                 "只需复查上次“不符合”“部分符合”的检查项，其余结论沿用。\n\n复查人员：")
        inspectors = session.dialogs.ask_text("开始复查", label, state.round.inspectors or name)
        if inspectors is None:
            return
        session.write("开始复查", lambda ctx: service.start_reinspection(ctx, inspection_id, inspected_on=today,
                                                                        inspectors=inspectors), then)

    session.read(lambda ctx: service.load_inspection(ctx, inspection_id), read,
                 lambda err: session.show_error("开始复查", err))
