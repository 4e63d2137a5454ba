"""The blueprints the app registers, one per area."""
from __future__ import annotations

from flask import Blueprint

BLUEPRINTS: list[Blueprint] = []
