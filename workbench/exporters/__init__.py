"""Excel workbooks the workbench writes (summary, findings ledger, import problem report)."""
