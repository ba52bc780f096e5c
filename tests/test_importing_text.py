"""Property tests of the header normaliser and the answer-label parser."""

from __future__ import annotations

import math
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from culturescope.importing.answers import ScaleReader
from culturescope.importing.problems import column_letter
from culturescope.importing.text import normalise, normalise_label, similarity
from culturescope.instruments import Scale

words = st.lists(
    st.text(alphabet=string.ascii_letters + "éüß", min_size=1, max_size=8), min_size=1, max_size=8
).map(" ".join)
numbering = st.builds(
    lambda fmt, n: fmt.format(n=n),
    st.sampled_from(
        ["Q{n}. ", "Q{n} ", "{n}) ", "{n}. ", "({n}) ", "Question {n}: ", "{n} - ", "#{n} "]
    ),
    st.integers(min_value=1, max_value=999),
)
punctuation = st.text(alphabet="?.!:;,*'\"()-– \t", max_size=3)


@given(text=words, prefix=numbering, tail=punctuation)
def test_numbering_case_and_punctuation_do_not_matter(text, prefix, tail):
    base = normalise(text)
    assert normalise(prefix + text + tail) == base
    assert normalise("  " + text.upper() + tail) == normalise(text.lower())
    assert normalise(text.replace(" ", "  \n ")) == base


@given(text=words)
def test_normalised_text_is_plain_words(text):
    out = normalise(text)
    assert out == out.strip() and "  " not in out
    assert all(ch.isalnum() or ch == " " for ch in out)
    assert similarity(out, out) == 1.0


AGREE = Scale(
    "agree5",
    5,
    ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"),
    na_code=0,
    na_label="Not applicable / don't know",
)


@settings(max_examples=200)
@given(
    code=st.integers(min_value=1, max_value=5),
    case=st.sampled_from([str, str.upper, str.lower, str.title]),
    pad=st.sampled_from(["", " ", "  ", "\t"]),
)
def test_labels_parse_whatever_the_case_and_spacing(code, case, pad):
    reader = ScaleReader(AGREE)
    assert reader.value(pad + case(AGREE.labels[code - 1]) + pad) == (code, None)
    assert reader.value(f"{code} - {AGREE.labels[code - 1]}") == (code, None)
    for cell in (code, float(code), str(code), f" {code}.0 "):
        assert reader.value(cell) == (code, None)


@given(x=st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False)))
def test_numbers_outside_the_scale_are_problems(x):
    value, message = ScaleReader(AGREE).value(x)
    if float(x).is_integer() and int(x) in (0, 1, 2, 3, 4, 5):
        assert (value, message) == (int(x), None)
    else:
        assert math.isnan(value) and message


@given(text=st.text(max_size=20))
def test_unknown_text_is_a_problem_or_a_known_answer(text):
    value, message = ScaleReader(AGREE).value(text)
    if not text.strip():
        assert math.isnan(value) and message is None
    elif message is None:
        assert value in (0, 1, 2, 3, 4, 5)
    else:
        assert math.isnan(value)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("N/A", 0),
        ("n/a", 0),
        ("Don’t know", 0),
        ("not applicable / don't know", 0),
        ("Agree (4)", 4),
    ],
)
def test_na_words_and_numbered_labels(text, code):
    assert ScaleReader(AGREE).value(text) == (code, None)


def test_contradicting_number_and_label():
    _, message = ScaleReader(AGREE).value("2 - Agree")
    assert message == "'2 - Agree': the number 2 and the label mean different answers"


def test_labels_keep_their_numbers_and_column_letters():
    assert normalise_label("2 to 5 times") != normalise_label("5 times")
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]
