"""Synthetic corpus: reports in the genre written from the project's own templates and word
lists (world.toml, themes.toml, templates.toml), each with the gold facts it was written from."""
from ingest.synth.generator import SynthReport, generate_report

__all__ = ["SynthReport", "generate_report"]
