"""A claim its claimant withdrew (`Figure.withdrawn`) without giving another number: kept and
shown as superseded history, never current, never counted, never a dispute; an event whose
only claims were withdrawn has no figure (unknown, never zero, never the withdrawn number).

QA pass 2 item 3: ACLED writing NA where it had a count left the old count current (the list
showed it, the totals counted it); a curated figure could not say it had been withdrawn.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from brief_support import run
from briefing.compare import compare, event_total, is_disputed, sum_totals
from briefing.loader import load_dataset
from test_loader import problems_of
from testkit import MINIMAL_ACTORS, MINIMAL_SOURCES, write_tree

# The ministry said 777 on the 10th and withdrew it on the 20th; the group's 4 stands.
BOTH = """
[[event]]
id = "both"
title = "One claim withdrawn"
date = "2023-01-05"
country = "Mali"
type = "battles"
sources = ["wire"]

[[event.figures]]
metric = "killed"
value = 777
claimed_by = "ministry"
source = "wire"
date = "2023-01-10"
withdrawn = "2023-01-20"

[[event.figures]]
metric = "killed"
value = 4
claimed_by = "group"
source = "wire"
"""

# Its only killed claim withdrawn; another event with a count beside it.
ONLY = """
[[event]]
id = "only"
title = "Every claim withdrawn"
date = "2023-02-05"
country = "Mali"
type = "battles"
sources = ["wire"]

[[event.figures]]
metric = "killed"
value = 777
claimed_by = "ministry"
source = "wire"
date = "2023-02-06"
withdrawn = "2023-02-09"

[[event]]
id = "known"
title = "A count that stands"
date = "2023-02-01"
country = "Mali"
type = "battles"
sources = ["wire"]

[[event.figures]]
metric = "killed"
value = 3
claimed_by = "ministry"
source = "wire"
"""

# An actor's figures: one revised (5 → 6), one withdrawn, one standing.
ACTOR_FIGURES = """
[[actor]]
id = "cell"
name = "A Cell"
kind = "armed-group"

[[actor.figures]]
metric = "fighters"
value = 5
claimed_by = "ministry"
source = "wire"
date = "2023-01-01"

[[actor.figures]]
metric = "fighters"
value = 6
claimed_by = "ministry"
source = "wire"
date = "2023-02-01"

[[actor.figures]]
metric = "fighters"
value = 900
claimed_by = "group"
source = "claims"
date = "2023-01-01"
withdrawn = "2023-03-01"
"""
CELL_EVENT = """
[[event]]
id = "cell-attack"
title = "The cell attacks"
date = "2023-03-05"
country = "Mali"
type = "battles"
sources = ["wire"]

[[event.actors]]
actor = "cell"
role = "perpetrator"
"""


def _data(root: Path, events: str, actors: str = MINIMAL_ACTORS) -> Path:
    return write_tree(root, {"sources.toml": MINIMAL_SOURCES, "actors.toml": actors, "events.toml": events})


@pytest.fixture
def both(tmp_path: Path) -> Path:
    return _data(tmp_path / "data", BOTH)


@pytest.fixture
def only(tmp_path: Path) -> Path:
    return _data(tmp_path / "data", ONLY)


def _memory(root: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("BRIEFING_NO_CACHE", "1")
    return load_dataset(root)


def _cli(*args: str) -> str:
    r = run(*args)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_a_withdrawn_claim_is_superseded_and_the_other_claim_is_the_total(
    both: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    figures = _memory(both, monkeypatch).event("both").figures
    assert figures[0].withdrawn == "2023-01-20"
    t = event_total(figures)
    assert t is not None and (t.low, t.high, t.claimants) == (4, 4, ("group",))
    assert not is_disputed(figures)  # 777 against 4 would be a dispute, were 777 current
    [c] = compare(figures)
    assert [f.value for f in c.claims] == [4] and [f.value for f in c.superseded] == [777]

    shown = _cli("brief", "--data", str(both), "--event", "both")
    assert "withdrawn (2023-01-20)" in shown and "superseded (" not in shown

    [event] = json.loads(_cli("export", "--data", str(both)))["events"]
    assert [(f["value"], f["withdrawn"], f["superseded"]) for f in event["figures"]] == [
        (777, "2023-01-20", True),
        (4, None, False),
    ]
    rows = list(
        csv.DictReader(io.StringIO(_cli("export", "--data", str(both), "--format", "csv", "--table", "figures")))
    )
    assert [(r["value"], r["withdrawn"], r["superseded"]) for r in rows] == [
        ("4", "", "false"),
        ("777", "2023-01-20", "true"),
    ]
    events = list(csv.DictReader(io.StringIO(_cli("export", "--data", str(both), "--format", "csv"))))
    assert [(e["killed"], e["disputed_figures"]) for e in events] == [("4", "0")]
    notes = {
        o["abstract"]: o["labels"]
        for o in json.loads(_cli("export", "--data", str(both), "--format", "stix"))["objects"]
        if o["type"] == "note"
    }
    assert {"briefing:superseded", "briefing:withdrawn"} <= set(notes["killed 777 per Interior Ministry"])
    assert "briefing:superseded" not in notes["killed 4 per The Group"]


def test_an_event_whose_only_claim_was_withdrawn_has_no_figure(only: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefing.render.figures import superseded_flags
    from briefing.tui.format import killed_span

    ds = _memory(only, monkeypatch)
    e = ds.event("only")
    assert event_total(e.figures) is None
    assert killed_span(e) == ""  # the list's killed column: blank, not 777
    assert not is_disputed(e.figures) and superseded_flags(e.figures) == [True]
    [c] = compare(e.figures)  # kept, with its history: never lose a claim
    assert c.claims == () and [f.value for f in c.superseded] == [777] and not c.disputed
    assert (c.narrowest, c.consensus, c.interval, c.low, c.high) == (None, None, None, None, None)
    assert c.span == c.agreement == "withdrawn" and c.sayers == c.claimants == ()
    totals = sum_totals(event_total(x.figures) for x in ds.events)
    assert (totals.low, totals.high, totals.events, totals.unknown) == (3, 3, 1, 1)
    assert totals.text() == "3 killed across 1 event; 1 event with no figure"

    brief = _cli("brief", "--data", str(only))
    assert "Deaths: 3 across 1 event with a figure; 1 event with no figure" in brief
    assert "777" not in brief  # no key event, no total, no dispute shows the withdrawn number
    shown = _cli("brief", "--data", str(only), "--event", "only")
    assert "777" in shown and "withdrawn (2023-02-09)" in shown and "no figure" in shown
    # the TUI: the figures view's rows and the selected claim's panel
    from rich.console import Console

    from briefing.render.figures import claims_in_order, figures_table
    from briefing.tui.widgets.figures_view import claim_detail

    [claim] = claims_in_order(e.figures)
    assert claim.superseded and claim.figure.value == 777
    console = Console(width=100, record=True, color_system=None)
    console.print(figures_table(ds, e.figures), claim_detail(ds, claim, None))
    text = console.export_text()
    assert "withdrawn (2023-02-09)" in text and "superseded (" not in text
    assert "withdrawn (2023-02-09) by the claimant" in text

    [event, _known] = json.loads(_cli("export", "--data", str(only)))["events"]
    assert (event["id"], event["disputed"], event["figures"][0]["superseded"]) == ("only", False, True)
    events = {r["id"]: r for r in csv.DictReader(io.StringIO(_cli("export", "--data", str(only), "--format", "csv")))}
    assert (events["only"]["killed"], events["only"]["killed_low"]) == ("", "")


def test_the_store_agrees_an_event_whose_only_claim_was_withdrawn_has_no_figure(
    only: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing import stored
    from briefing.filters import parse
    from briefing.sqlquery import index_for
    from briefing.summary import gather
    from briefing.view import StoredDataset

    ref = _memory(only, monkeypatch)
    monkeypatch.delenv("BRIEFING_NO_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(stored, "VIEW_MIN", 1)  # two events make a view
    view = stored.load(str(only))
    assert isinstance(view, StoredDataset)
    q = parse("")
    # none last: a withdrawn 777 ranked as a count would come first
    assert [e.id for e in index_for(view).matches(q, "killed")] == ["known", "only"]
    assert [e.id for e in index_for(ref).rows(q, order="killed")] == ["known", "only"]
    deaths = gather(view, list(view.events), "", selection=q).deaths
    assert deaths == gather(ref, list(ref.events), "").deaths
    assert (deaths.low, deaths.high, deaths.events, deaths.unknown) == (3, 3, 1, 1)
    assert len(index_for(view).matches(parse("disputed"), "date")) == 0


def test_withdrawn_before_the_claims_date_is_refused(tmp_path: Path) -> None:
    root = _data(tmp_path / "data", BOTH.replace('withdrawn = "2023-01-20"', 'withdrawn = "2023-01-09"'))
    path = root / "events.toml"
    line = path.read_text().splitlines().index('withdrawn = "2023-01-09"') + 1
    assert problems_of(root) == [
        f"{path}:{line}: event 'both': figures[0].withdrawn: withdrawn (2023-01-09) is before the claim's date (2023-01-10)"
    ]
    r = run("validate", "--data", str(root))
    assert r.returncode == 2
    assert f"{path}:{line}: event 'both': figures[0].withdrawn: withdrawn (2023-01-09) is before" in r.stderr
    # the same day, or a month that holds the day, is no error
    ok = _data(tmp_path / "ok", BOTH.replace('withdrawn = "2023-01-20"', 'withdrawn = "2023-01"'))
    assert load_dataset(ok).event("both").figures[0].withdrawn == "2023-01"


def test_json_actor_figures_say_which_are_superseded_as_event_figures_do(tmp_path: Path) -> None:
    from briefing.export.jsonl import ADDED_FIGURE_FIELDS, actor_record_of
    from briefing.schema import ActorIn

    root = _data(tmp_path / "data", ONLY + CELL_EVENT, MINIMAL_ACTORS + ACTOR_FIGURES)
    doc = json.loads(_cli("export", "--data", str(root)))
    actors = {a["id"]: a for a in doc["actors"]}
    figures = actors["cell"]["figures"]
    assert [(f["value"], f["superseded"]) for f in figures] == [(5, True), (6, False), (900, True)]
    for a in doc["actors"]:
        for f in a["figures"]:
            assert set(ADDED_FIGURE_FIELDS) <= set(f)  # as an event's figures have them
        rec = actor_record_of(a)
        assert ActorIn.model_validate(rec).model_dump() == rec
    assert figures[0]["claimant"] == "Interior Ministry" and figures[2]["source_name"] == "Group channel"
    md = _cli("export", "--data", str(root), "--format", "md", "--actor", "cell")
    assert "900 (withdrawn, 2023-03-01)" in md and "5 (superseded, 2023-01-01)" in md
