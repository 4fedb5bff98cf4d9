"""Small reusable widgets of the main window (progress panel, filter box)."""
