"""Extracting reported incidents from report text (issue 5, in progress).

``documents``  reading files and folders of reports: text, encoding, date, a status each
"""

from __future__ import annotations

from .documents import DOCUMENT_TYPES, Document, Entry, read_document, read_documents

__all__ = ["DOCUMENT_TYPES", "Document", "Entry", "read_document", "read_documents"]
