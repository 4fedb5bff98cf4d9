"""Inspection workbench: offline ICP filing review and security inspection for regulators."""

__version__ = "0.1.0"
