"""Baseline for the window benchmark: a bare Qt window showing a table of the first 200 sites.

Usage: python benchmarks/bare_table_window.py DB
Reads the first page of sites with one plain SQL query (no workbench code), shows them in a
QTableView over a QStandardItemModel, waits until the window is painted, prints one JSON line
``{"rows": n, "open_from_spawn_ms": t}`` (t from WORKBENCH_T0, the parent's spawn time) and exits.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

SQL = """SELECT s.site_filing_no, s.name, p.name, s.access_provider, s.city FROM site s
JOIN sponsor p ON p.id = s.sponsor_id ORDER BY s.campaign_id, s.source_row LIMIT 200"""


def main() -> None:
    app = QApplication(sys.argv[:1])
    conn = sqlite3.connect(sys.argv[1])
    rows = conn.execute(SQL).fetchall()
    model = QStandardItemModel(len(rows), 5)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            model.setItem(r, c, QStandardItem(str(value)))
    window = QMainWindow()
    table = QTableView()
    table.setModel(model)
    window.setCentralWidget(table)
    window.resize(1200, 700)
    window.show()

    def painted() -> None:
        t0 = float(os.environ.get("WORKBENCH_T0", "0") or 0)
        print(json.dumps({"rows": len(rows), "open_from_spawn_ms": round((time.time() - t0) * 1000, 1)}))
        app.quit()

    QTimer.singleShot(0, painted)
    app.exec()


if __name__ == "__main__":
    main()
