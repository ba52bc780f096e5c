"""``--help`` never sends an installed user to a docs/ folder they do not have: it names
``culturescope docs GUIDE``, which shows the guide shipped with every install."""

from __future__ import annotations

import argparse

import pytest

from culturescope.cli import build_parser, main
from culturescope.cli.docs_command import guides


def every_parser(parser: argparse.ArgumentParser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from every_parser(sub)


def test_no_help_text_points_to_a_docs_folder():
    helps = {p.prog: p.format_help() for p in every_parser(build_parser())}
    assert len(helps) > 20
    assert [prog for prog, text in helps.items() if "docs/" in text or ".md" in text] == []


def test_every_guide_a_help_text_names_is_shipped():
    named = set()
    for p in every_parser(build_parser()):
        text = " ".join(p.format_help().split())
        named |= {part.split("'")[0] for part in text.split("'culturescope docs ")[1:]}
    assert named >= {"signals", "importing", "json-formats", "bundles"}
    assert named <= set(guides())


def test_docs_lists_the_guides_and_prints_one(capsys):
    assert main(["docs"]) == 0
    listing = capsys.readouterr().out
    assert "importing  " in listing and "Importing responses" in listing
    assert "Files: " in listing
    assert main(["docs", "importing"]) == 0
    assert capsys.readouterr().out.startswith("# Importing responses\n")
    assert main(["docs", "signals.md", "--path"]) == 0
    assert capsys.readouterr().out.strip().endswith("signals.md")


def test_an_unknown_guide_is_one_line_naming_the_guides(capsys):
    assert main(["docs", "importnig"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no guide 'importnig'; the guides are: bundles, confidentiality, importing" in err


@pytest.mark.parametrize("guide", ["importing", "signals", "json-formats", "bundles"])
def test_docs_needs_no_database(capsys, tmp_path, guide):
    missing = tmp_path / "none.db"
    assert main(["--db", str(missing), "docs", guide, "--path"]) == 0
    assert not missing.exists()
