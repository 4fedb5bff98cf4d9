"""Use cases that combine storage, importers, exporters and reports. No Qt here."""
