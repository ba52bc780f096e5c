"""Printable questionnaire: order, tick boxes, paper sizes."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from culturescope.reports.form import FormError, write_form

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")


def _text(path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _page_size(path) -> str:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return next(line for line in info.splitlines() if line.startswith("Page size"))


@pytest.mark.parametrize(("paper", "points"), [("a4", "595.276 x 841.89"), ("letter", "612 x 792")])
def test_form_order_and_paper(flagship, tmp_path, paper, points):
    path = write_form("ai-safety-culture", tmp_path / "form.pdf", paper=paper)
    assert points in _page_size(path)
    text = " ".join(_text(path).split())
    assert "Form no." in text
    assert flagship.consent["en"].split()[0] in text
    # Demographics first, then every item in instrument order, then the comment prompts.
    positions = [text.index(d.label) for d in flagship.demographics]
    for n, item in enumerate(flagship.items, start=1):
        positions.append(text.index(" ".join(item.text_for("en").split())))
        assert f"{n}." in text
    positions += [text.index(c.text_for("en")) for c in flagship.comments]
    assert positions == sorted(positions)
    for label in flagship.scales["agree5"].labels:
        assert label in text


def test_unknown_paper(tmp_path):
    with pytest.raises(FormError, match="a4 or letter"):
        write_form("ai-safety-culture", tmp_path / "f.pdf", paper="a3")


def test_form_says_confidential_and_who_sees_what(tmp_path):
    text = " ".join(_text(write_form("ai-safety-culture", tmp_path / "f.pdf")).split())
    assert "confidential: do not write your name" in text
    assert "Your answers are confidential" in text and "Who sees what" in text
    assert "It asks for your team, role" in text
    assert "anonymous: do not write" not in text


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_form_of_either_version_never_says_anonymous(tmp_path, version):
    text = " ".join(_text(write_form(f"ai-safety-culture@{version}", tmp_path / "f.pdf")).split())
    assert "anonym" not in text.lower()
    assert text.count("Your answers are confidential.") == 1
    assert ("about ten minutes" in text) == (version == "1.1")
