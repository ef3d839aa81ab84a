"""Extracting reported incidents from report text (issue 5, in progress).

``documents``  reading files and folders of reports: text, encoding, date, a status each
``places``     spotting place names in text with the gazetteer
"""

from __future__ import annotations

from .documents import DOCUMENT_TYPES, Document, Entry, read_document, read_documents
from .places import Mention, spot_places

__all__ = [
    "DOCUMENT_TYPES",
    "Document",
    "Entry",
    "Mention",
    "read_document",
    "read_documents",
    "spot_places",
]
