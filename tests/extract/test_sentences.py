from __future__ import annotations

from geo_sites.extract.sentences import LONGEST, sentences

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


def test_a_text_without_full_stops_is_cut_at_spaces() -> None:
    text = "shelling in Kharkiv killed three people, " * 2_000  # 82,000 characters, one sentence
    found = list(sentences(text))
    assert all(len(s.text) <= LONGEST and text[s.start : s.end] == s.text for s in found)
    assert " ".join(s.text for s in found) == text.strip()  # cut at spaces: no word lost
    assert len(found) == len(text) // LONGEST + 1


def test_a_long_word_is_cut_too() -> None:
    text = "x" * 5_000
    assert [(s.start, s.end) for s in sentences(text)] == [(0, 2_000), (2_000, 4_000),
                                                            (4_000, 5_000)]  # fmt: skip
