"""Extracting reported incidents from report text.

``documents``  reading files and folders of reports: text, encoding, date, a status each
``sentences``  sentences with their offsets
``places``     spotting place names in text, by the gazetteer's rule of which names are places
``events``     event words and counts in a sentence
``dates``      dates in a sentence, against the report's date
``extractor``  a document's incidents, placed, each with its sentence and offsets
``evaluate``   scoring predicted places and sites against a truth table, document by document
``batch``      many files on several cores, with a manifest and a progress bar
"""

from __future__ import annotations

from .batch import Batch, check_outputs, extract_files, write_batch
from .documents import Document, Entry, read_document, read_documents
from .evaluate import Evaluation, evaluate, read_not_incident, read_truth
from .extractor import EXTRACTOR, extract
from .places import Mention, Spotted, spot_places

__all__ = [
    "EXTRACTOR",
    "Batch",
    "Document",
    "Entry",
    "Evaluation",
    "Mention",
    "Spotted",
    "check_outputs",
    "evaluate",
    "extract",
    "extract_files",
    "read_document",
    "read_documents",
    "read_not_incident",
    "read_truth",
    "spot_places",
    "write_batch",
]
