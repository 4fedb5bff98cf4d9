"""The SQLite database: connections, migrations and repositories. No Qt here."""
