from __future__ import annotations

from geo_sites.extract.sentences import sentences

TEXT = (
    "KYIV - Authorities found a grave in Izium, an official said on Thursday (Sept. 15). "
    "Mr. Bolvinov said 440 bodies were buried.\n"
    '"Some died because of artillery fire," he said. What next?\n\n'
    "Bodies of 44 civilians were found (EPA)\n"
    "This line is wrapped in the\nmiddle of a sentence. Dr. J. Smith agreed… and left."
)


def test_sentences_and_their_offsets() -> None:
    found = list(sentences(TEXT))
    assert [s.text for s in found] == [
        "KYIV - Authorities found a grave in Izium, an official said on Thursday (Sept. 15).",
        "Mr. Bolvinov said 440 bodies were buried.",
        '"Some died because of artillery fire," he said.',
        "What next?",
        "Bodies of 44 civilians were found (EPA)",
        "This line is wrapped in the\nmiddle of a sentence.",
        "Dr. J. Smith agreed… and left.",
    ]
    assert all(TEXT[s.start : s.end] == s.text for s in found)


def test_empty_text() -> None:
    assert list(sentences("  \n\n ")) == []
