"""Importers: reading files people send (site lists…) into clean domain records and problem reports."""
