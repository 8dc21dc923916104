"""`briefing brief`, end to end in subprocesses: colour rules, width, themes, markup safety,
`--event`, `--actor` profiles, empty results, the bundled border-post event, and what it imports."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from brief_support import FIXTURE_IDS, HOSTILE_TITLE, REPO, env, needs_border_post, run, write_fixture

ESC = "\x1b"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return str(write_fixture(tmp_path_factory.mktemp("brief") / "data"))


@pytest.fixture(scope="module")
def piped(data):
    r = run("brief", "--data", data)
    assert r.returncode == 0, r.stderr
    return r.stdout


# -- colour -----------------------------------------------------------------------------------


def test_piped_brief_has_no_escape_codes_and_reads_well(piped):
    assert ESC not in piped
    for heading in (
        "Bottom line",
        "Where",
        "Who",
        "Key events",
        "Where sources disagree",
        "Sources and their reliability",
    ):
        assert f"{heading}\n{'-' * len(heading)}\n" in piped
    lines = piped.splitlines()
    assert not [ln for ln in lines if ln != ln.rstrip()], "no trailing spaces when piped"
    assert not set("─│┃━┏┓└┘╭╮") & set(piped), "ASCII rules only when piped"
    assert max(len(ln) for ln in lines) <= 100, "100 columns when piped"


def test_color_always_colours_a_pipe(data):
    r = run("brief", "--data", data, "--color", "always")
    assert r.returncode == 0, r.stderr
    assert ESC + "[" in r.stdout


@pytest.mark.parametrize(
    ("color", "env_extra", "coloured"),
    [
        ("never", {"FORCE_COLOR": "1"}, False),
        ("auto", {"FORCE_COLOR": "1"}, True),
        ("auto", {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ("always", {"NO_COLOR": "1"}, True),
        ("auto", {"TERM": "xterm-256color", "COLORTERM": "truecolor"}, False),
    ],
)
def test_color_flag_and_environment(data, color, env_extra, coloured):
    r = run("brief", "--data", data, "--color", color, env_extra=env_extra)
    assert r.returncode == 0, r.stderr
    assert (ESC in r.stdout) is coloured


def test_color_always_with_theme(data):
    r = run("brief", "--data", data, "--color", "always", "--theme", "high-contrast")
    assert r.returncode == 0, r.stderr
    assert ESC + "[" in r.stdout


def test_unknown_theme_is_one_line_listing_valid_names(data):
    r = run("brief", "--data", data, "--theme", "no-such-theme")
    assert r.returncode == 2
    assert r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1
    assert "no-such-theme" in r.stderr and "mono" in r.stderr and "briefing-dark" in r.stderr


def test_a_theme_file_that_cannot_be_read_is_named_not_called_unknown(data, tmp_path):
    """QA s18 (docs): a copied theme with a broken line (a key twice, a style Rich cannot
    parse) was "unknown theme 'mine'", the file never named, and a bad style was drawn as
    nothing; a config naming a theme no file has was said by the TUI only, never by a brief
    drawn in colour (the README says it for both)."""
    themes = tmp_path / "conf" / "briefing" / "themes"
    themes.mkdir(parents=True)
    conf = {"XDG_CONFIG_HOME": str(tmp_path / "conf")}
    mono = (REPO / "themes" / "mono.toml").read_text(encoding="utf-8").replace('name = "mono"', 'name = "mine"')
    for broken, said in (
        (mono.replace("[styles]\n", '[styles]\ntitle = "bold"\n', 1), "cannot read theme"),
        (mono.replace("[styles]\n", '[styles]\nbad = "bold notacolour"\n', 1), "[styles] bad: not a style"),
    ):
        (themes / "mine.toml").write_text(broken, encoding="utf-8")
        r = run("brief", "--data", data, "--color", "always", "--theme", "mine", env_extra=conf)
        assert r.returncode == 2 and len(r.stderr.splitlines()) == 1, r.stderr
        assert "unknown theme 'mine'" in r.stderr and f"{themes / 'mine.toml'}: {said}" in r.stderr, r.stderr
    (themes / "mine.toml").unlink()
    (tmp_path / "conf" / "briefing" / "config.toml").write_text('theme = "nope"\n', encoding="utf-8")
    r = run("brief", "--data", data, "--color", "always", env_extra=conf)
    assert r.returncode == 0 and ESC in r.stdout, r.stderr
    assert r.stderr.startswith("briefing: warning: ") and "no theme 'nope'; using briefing-dark" in r.stderr
    r = run("brief", "--data", data, env_extra=conf)  # piped: no colour, no theme read, nothing said
    assert r.returncode == 0 and r.stderr == "", r.stderr


# -- width ------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", ["40", "60", "140"])
def test_width(data, width):
    r = run("brief", "--data", data, "--width", width)
    assert r.returncode == 0, r.stderr
    wide = [ln for ln in r.stdout.splitlines() if len(ln) > int(width)]
    # but a command's word longer than the width, whole (cut, it names another folder)
    assert all(shlex_split(ln.removesuffix(" \\")) == [data] for ln in wide), wide
    assert all(_folded(r.stdout, i) for i in FIXTURE_IDS), "narrow columns fold, they never crop"


def _folded(text: str, s: str) -> bool:
    """`s` is in the text whole, or folded over consecutive lines of one column (other columns'
    words between the pieces)."""
    if s in re.sub(r"\s+", "", text):
        return True
    tokens = re.findall(r"\S+", text)
    for i, t in enumerate(tokens):
        if s.startswith(t):
            rest = s[len(t) :]
            for u in tokens[i + 1 : i + 8]:
                if rest.startswith(u):
                    rest = rest[len(u) :]
                    if not rest:
                        return True
    return False


def test_width_out_of_range_is_refused(data):
    r = run("brief", "--data", data, "--width", "5")
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "--width" in r.stderr


# -- content ----------------------------------------------------------------------------------


def test_brief_sections_show_claims_side_by_side(piped):
    assert piped.startswith("Brief: all events\n=================\n")
    for s in ("period", "generated", "dataset", "4 events, 5 actors, 3 sources, 8 figures"):
        assert s in piped
    assert "1 disputed figure in 1 event" in piped
    disputes = piped.split("Where sources disagree", 1)[1].split("Sources and their reliability", 1)[0]
    # every claim of the dispute, with claimant, carrier and rating
    assert "2 Interior Ministry" in disputes and "≥10 Example Group" in disputes
    assert "Wire Agency B2" in disputes and "Wire Agency B4" in disputes and "via Group channel" in disputes
    # ">20" and "32" can both be true: not a dispute (issue 11)
    assert ">20 Example Group" not in disputes and "32 Interior Ministry" not in disputes
    assert "About Example Group" in disputes and "~300 Interior Ministry" in disputes  # actors' own figures
    sources = piped.split("Sources and their reliability", 1)[1]
    assert "A major agency; usually reliable." in sources and "D not usually" in sources


def test_bottom_line_never_averages(piped):
    # 17 (one claim) + 32 (">20" and "32" agree on 32) + 3–5; the fourth event has no figure,
    # counted apart, never as zero
    assert "Deaths: 52–54 across 3 events with a figure; 1 event with no figure (not counted as zero)" in re.sub(
        r"\s+", " ", piped
    )


def test_empty_result_is_one_line(data):
    r = run("brief", "--data", data, "--country", "Nowhere", "--tag", "x y")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "no events match country:Nowhere tag:\"x y\" (no event has the country 'Nowhere')\n"
    # and on stderr as `export` says it (QA s16: a script could tell "no events" from a brief
    # only by parsing it); still exit 0: a country with no events yet is no error
    assert r.stderr == "briefing: " + r.stdout, r.stderr


def test_an_empty_result_says_which_country_no_event_has(data):
    """QA: a misspelt country matched nothing and said nothing; still exit 0 (a script asking
    for a country with no events yet is not an error), with the likely cause."""
    r = run("brief", "--data", data, "--country", "Tajikstan")
    assert r.returncode == 0, r.stderr
    assert "(no event has the country 'Tajikstan'; did you mean 'Tajikistan'?)" in r.stdout
    r = run("export", "--data", data, "--country", "Tajikstan", "--format", "jsonl")
    assert r.returncode == 0 and r.stdout == ""
    assert "did you mean 'Tajikistan'?" in r.stderr


def test_a_misspelt_country_beside_a_good_one_is_said_too(data):
    """QA: `country:Tajikstan,Iran` briefed the Iran events and said nothing of `Tajikstan`: the
    note came only with an empty result. It goes to stderr, so the brief or export is unchanged."""
    for cmd in (("brief",), ("export", "--format", "jsonl")):
        r = run(*cmd, "--data", data, "--filter", "country:Tajikstan,Tajikistan")
        assert r.returncode == 0 and r.stdout, r.stderr
        assert "briefing: note: no event has the country 'Tajikstan'; did you mean 'Tajikistan'?" in r.stderr
        assert "Tajikstan" not in r.stdout.replace("country:Tajikstan", ""), cmd
        good = run(*cmd, "--data", data, "--filter", "country:Tajikistan")
        assert good.returncode == 0 and "note:" not in good.stderr


def test_bad_filter_is_refused(data):
    r = run("brief", "--data", data, "--filter", "colour:red")
    assert r.returncode == 2
    assert "colour" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_markup_and_escapes_print_literally(data, piped):
    hostile = HOSTILE_TITLE.replace(ESC, "\\x1b").replace("\n", " ")
    for chunk in (
        "[bold]x[/bold]",
        "[link=http://x]y[/link]",
        "[@click=app.quit]z",
        "[/ [0]",
        "\\x1b[31mred",
        "<b>bold</b> & a|b line two",
    ):
        assert chunk in hostile
        assert chunk in piped.replace("\n" + " " * 19, " ").replace("\n   Uzbekistan      ", " "), chunk
    coloured = run("brief", "--data", data, "--color", "always").stdout
    assert "\\x1b[31mred" in coloured and ESC + "[31mred" not in coloured
    assert "[bold]x[/bold]" in coloured and "[@click=app.quit]z" in coloured
    detail = run("brief", "--data", data, "--event", "2021-03-01-hostile", "--color", "always").stdout
    assert "[link=http://x]y[/link]" in detail and "\\x1b[31mred" in detail and ESC + "[31mred" not in detail
    assert "<script>alert(1)</script>" in detail  # shown as text: a terminal renders no HTML


def test_event_in_full(data):
    r = run("brief", "--data", data, "--event", "2019-11-06-post")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("Attack on a border post\n")
    for s in (
        "2019-11-06",
        "A border post, Tajikistan",
        "Battles · Armed clash",
        "Gunmen attacked",
        "Figures compared",
        "17 Tajik authorities",
        "2 Interior Ministry",
        "≥10 Example Group",
        "at least 10 guards",
        "Example Branch",
        "perpetrator",
        "Wire Agency",
        "B usually reliable",
        "Related events",
        "Prison riot",
    ):
        assert s in out, s
    assert ESC not in out


def test_unknown_event_is_one_line(data):
    r = run("brief", "--data", data, "--event", "2019-11-06-pots")
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "2019-11-06-pots" in lines[0] and "2019-11-06-post" in lines[0]


def test_actor_filter_opens_with_the_profile(data):
    r = run("brief", "--data", data, "--actor", "EG")  # an alias
    assert r.returncode == 0, r.stderr
    out = r.stdout
    profile = out.index("Example Group\n=============")
    assert profile < out.index("Bottom line")
    for s in (
        "EG, The Example",
        "armed-group",
        "branches",
        "Example Branch",
        "An armed group used in tests.",
        "Relations",
        "Fights the ministry's forces.",
        "Figures about this actor",
        "~300 Interior Ministry",
        "1,000–2,000 A Reporter",
        "Every event of this actor (2), whatever the filter",  # QA s13: not read as the selection
        "claimant",
        "perpetrator",
    ):
        assert s in out, s
    assert "2021-03-01-hostile" not in out  # the filter still filters


def test_a_filter_narrower_than_the_actor_names_its_every_event_list_but_does_not_print_it(data, tmp_path):
    """QA s18 (a researcher): `brief -f 'actor:X country:Mali since:2024-06'` printed 200 of the
    actor's 5,707 events, whatever the filter, before the Bottom line (line 701 of 1,124), and
    ended them "use --actor with --since/--until", which that list ignores. A filter narrower
    than the actor keeps the profile and says how many events the actor has and the command
    that lists them; the Markdown export the same (it wrote every one)."""
    narrowed = run("brief", "--data", data, "-f", "actor:EG since:2019-11-07")
    assert narrowed.returncode == 0, narrowed.stderr
    out = narrowed.stdout
    assert "Example Group\n=============" in out and "Figures about this actor" in out
    assert "Every event of this actor (2), whatever the filter" not in out
    said = " ".join(out.replace(" \\\n", " ").split())  # the command's folds joined
    assert "This actor has 2 events in all, whatever the filter: briefing brief --data" in said, out
    assert "--actor grp" in said and "2019-11-06-post" not in out.split("Bottom line")[0]
    md = tmp_path / "b.md"
    r = run("export", "--data", data, "-f", "actor:EG since:2019-11-07", "--format", "md", "-o", str(md))
    assert r.returncode == 0, r.stderr
    text = md.read_text(encoding="utf-8")
    assert "### Every event of this actor" not in text and "This actor has 2 events in all" in text, text[:2000]
    whole = run("brief", "--data", data, "--actor", "EG").stdout  # the actor alone: its list, as before
    assert "Every event of this actor (2), whatever the filter" in whole
    both = run("brief", "--data", data, "-f", "actor:EG actor:ministry").stdout  # the events naming both
    assert "Every event of this actor" not in both and both.count("This actor has") == 2, both[:3000]


def test_branch_profile_shows_parent_chain(data):
    out = run("brief", "--data", data, "--actor", "branch").stdout
    assert re.search(r"part of\s+Example Group", out)


# -- filters agree with export ----------------------------------------------------------------


@pytest.mark.parametrize(
    "flags",
    [
        [],
        ["--country", "Tajikistan"],
        ["--actor", "grp"],
        ["--filter", "disputed"],
        ["--since", "2020", "--type", "riots"],
        ["--search", "border"],
        ["--filter=-country:Tajikistan", "--until", "2021-12"],
        ["--source", "paper", "--tag", "prison"],
    ],
)
def test_brief_and_export_select_the_same_events(data, flags):
    brief = run("brief", "--data", data, "--width", "200", *flags)
    export = run("export", "--data", data, "--format", "jsonl", *flags)
    assert brief.returncode == 0 and export.returncode == 0, brief.stderr + export.stderr
    exported = {json.loads(line)["id"] for line in export.stdout.splitlines()}
    shown = {i for i in FIXTURE_IDS if i in brief.stdout.split("Bottom line")[-1]}
    assert shown == exported
    if not exported:
        assert brief.stdout.startswith("no events match")


# -- what the brief imports -------------------------------------------------------------------

IMPORT_PROBE = """
import io, json, sys
sys.argv = ["briefing", *json.loads(sys.argv[1])]
out, sys.stdout = sys.stdout, io.StringIO()
from briefing.cli import main
rc = main()
sys.stdout = out
print(json.dumps({"rc": rc, "modules": sorted(sys.modules)}))
"""


def modules_of(*args: str) -> set[str]:
    r = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE, json.dumps(list(args))],
        capture_output=True,
        text=True,
        env=env(),
        cwd=REPO,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert result["rc"] == 0
    return set(result["modules"])


def test_brief_does_not_import_textual_or_heavy_rich(data):
    for args in (
        ("brief", "--data", data),
        ("brief", "--data", data, "--event", "2019-11-06-post"),
        ("brief", "--data", data, "--actor", "grp", "--color", "always"),
    ):
        mods = modules_of(*args)
        assert not {m for m in mods if m == "textual" or m.startswith("textual.")}, args
        assert not mods & {"rich.markdown", "rich.syntax", "rich.pretty", "rich.traceback", "pygments"}, args


RECORDS_ONLY_PROBE = """
import io, sys
from briefing.dataset import Dataset
from briefing.records import Actor, ActorRole, Event, Figure, Source
from briefing.render.brief import brief
from briefing.summary import gather
from briefing.render.console import make_console
from rich.console import Group
ds = Dataset([Source("s", "S", "news", "B")], [Actor("a", "A", "armed-group")],
             [Event("e", "T", "2020-01-02", "X", "battles", actors=(ActorRole("a", "perpetrator"),),
                    figures=(Figure("killed", "total", "a", "s", value=3), Figure("killed", "total", "a", "s", value=4)))])
make_console("always", 100, file=io.StringIO()).print(Group(*brief(ds, gather(ds, ds.events, ""))))
print(sorted(m for m in sys.modules if m.split(".")[0] in ("pydantic", "textual", "pydantic_core")))
"""


def test_brief_rendering_itself_needs_no_pydantic():
    """Only the loader's TOML parsing imports pydantic; the brief's own code never does, so
    once records come from a cache the brief path is free of it."""
    r = subprocess.run(
        [sys.executable, "-c", RECORDS_ONLY_PROBE], capture_output=True, text=True, env=env(), cwd=REPO, timeout=60
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


# -- bundled data -----------------------------------------------------------------------------


@needs_border_post
def test_bundled_border_post_shows_17_and_the_is_claim_with_claimants():
    r = run("brief", "--event", "2019-11-06-border-post")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert ESC not in out
    lines = out.splitlines()

    def near(needle: str, other: str) -> bool:
        return any(needle in ln and other in "\n".join(lines[i : i + 3]) for i, ln in enumerate(lines))

    assert near("17 ", "Tajik"), "17 dead, with the Tajik claimant"
    assert near("≥10", "Islamic State"), "the IS claim of at least 10, with its claimant"
    assert near("2 ", "Tajik"), "the official 2, with its claimant"
    full = run("brief").stdout
    disputes = full.split("Where sources disagree", 1)[1].split("Actors involved", 1)[0]
    assert "2019-11-06-border-post" in disputes and "≥10" in disputes and "Islamic State" in disputes


@needs_border_post
def test_bundled_brief_piped_is_plain():
    r = run("brief")
    assert r.returncode == 0, r.stderr
    assert ESC not in r.stdout and "Bottom line" in r.stdout


# -- on a terminal ----------------------------------------------------------------------------


def run_on_tty(args: list[str], env_extra: dict[str, str | None], columns: int = 90) -> str:
    """Run with stdout on a pseudo-terminal of the given width; return what it printed."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefing", *args],
        stdout=slave,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env(**env_extra),
        cwd=REPO,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(master)
    assert proc.returncode == 0, proc.stderr.read()
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_terminal_gets_colour_and_its_width(data):
    out = run_on_tty(["brief", "--data", data], {"TERM": "xterm-256color"}, columns=90)
    assert ESC + "[" in out
    visible = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert max(len(line) for line in visible.splitlines()) <= 90
    assert any(len(line) > 80 for line in visible.splitlines())


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_no_color_on_a_terminal_keeps_emphasis_only(data):
    out = run_on_tty(["brief", "--data", data], {"TERM": "xterm-256color", "NO_COLOR": "1"})
    codes = set(re.findall(r"\x1b\[([0-9;]*)m", out))
    assert codes, "bold and underline still mark headings"
    colours = {c for c in codes for p in c.split(";") if p and (30 <= int(p) <= 49 or 90 <= int(p) <= 107)}
    assert not colours, colours
    never = run_on_tty(["brief", "--data", data, "--color", "never"], {"TERM": "xterm-256color"})
    assert ESC not in never


@pytest.mark.parametrize("width", ["40", "48", "64", "80"])
def test_no_number_of_the_where_and_who_tables_folds_at_any_width(width):
    # What a user saw at --width 40: `90–10` over `0` and `111–1` over `21` in the tables: a toll
    # misread.  A column that does not fit is left out (the trend, then the share, then the
    # change) before a number folds; a header wraps between its words.
    text = run("brief", "--width", width).stdout
    assert max(len(line) for line in text.splitlines()) <= int(width)
    for by in ("country", "admin1", "actor"):
        doc = json.loads(run("export", "--format", "json", "--table", "counts", "--by", by).stdout)
        for r in doc["rows"][:10]:
            if r["killed_low"] is None:
                continue
            lo, hi = r["killed_low"], r["killed_high"]
            span = f"≥{lo:,}" if hi is None else (f"{lo:,}" if lo == hi else f"{lo:,}–{hi:,}")
            assert re.search(rf"(^|\s){re.escape(span)}(\s|$)", text, re.M), (by, r["name"], span)


def test_a_brief_that_skipped_invalid_records_says_so_itself(tmp_path):
    # What a user saw: `brief --skip-invalid > out.txt` said "events 37 selected of 37", and
    # nothing in out.txt told that the Mastung bombing's record had been left out (only stderr).
    import shutil

    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    path = data / "events" / "tajikistan-2018-2019.toml"
    text = path.read_text("utf-8")
    path.write_text(
        text.replace('value = 32\nqualifier = "at-least"', 'value = "thirty-two"\nqualifier = "at-least"', 1)
    )
    brief = run("brief", "--data", str(data), "--skip-invalid")
    assert brief.returncode == 0, brief.stderr
    assert re.search(r"^skipped\s+1 invalid record left out \(--skip-invalid\)$", brief.stdout, re.M), brief.stdout[
        :600
    ]
    md = run("export", "--format", "md", "--data", str(data), "--skip-invalid")
    assert "- **Skipped:** 1 invalid record left out (--skip-invalid)" in md.stdout
    clean = run("brief")
    assert "skipped" not in clean.stdout.split("Bottom line")[0]


# -- the timeline summed by quarter or year --------------------------------------------------


def _chart_events() -> list:
    from briefing.records import Event, Figure

    def e(eid: str, day: str, killed: int | None = None) -> Event:
        figures = (Figure("killed", "total", "a", "s", value=killed),) if killed is not None else ()
        return Event(eid, eid, day, "Benin", "battles", figures=figures)

    return [
        e("y24", "2024", 5),  # a year: in no month, wholly in the 2024 bar (and so its deaths)
        e("m24", "2024-03", 2),
        e("d24", "2024-05-02"),
        e("y19", "2019"),  # no figure: counted apart in the 2019 bar, never as zero
        e("q19", "2019-10-05", 1),
        e("d15", "2015-01-02", 3),
    ]


def test_a_year_dated_event_is_counted_in_its_year_bar():
    """QA: the bundled brief's 2024 bar said 2 of the 6 events dated 2024; four were dated only
    `2024`, in no month, so in no bar even when the months were summed into years."""
    from datetime import date

    from briefing import analysis as A
    from briefing.render.trends import chart_rows, timeline_note

    t = A.analyse(_chart_events(), A.Period(date(2015, 1, 1), date(2024, 12, 31)))
    assert t.unit == "month" and t.not_placed == 2
    chart = chart_rows(t)
    assert chart.per == "year" and chart.not_placed == 0
    rows = {r.label: (r.events, r.deaths) for r in chart.rows}
    assert rows["2024"] == (3, A.Deaths(7, 7, 2, 1))
    assert rows["2019"] == (2, A.Deaths(1, 1, 1, 1))
    assert rows["2015"] == (1, A.Deaths(3, 3, 1, 0))
    assert sum(r.events for r in chart.rows) == t.count
    assert "in no bar" not in timeline_note(t, chart)


def test_by_quarter_only_an_event_spanning_several_quarters_is_left_out():
    """Summed by quarter, a year-dated event spans four bars: still in none, and the note counts
    only those; one clipped by the period to a single quarter (2019 from October) is placed."""
    from datetime import date

    from briefing import analysis as A
    from briefing.records import Event
    from briefing.render.trends import chart_rows, timeline_note

    events = [*_chart_events(), Event("y21", "y21", "2021", "Benin", "battles")]
    t = A.analyse(events, A.Period(date(2019, 10, 1), date(2024, 12, 31)))
    assert t.unit == "month" and t.not_placed == 3  # 2019 (Oct–Dec in the period), 2021, 2024
    chart = chart_rows(t)
    assert chart.per == "quarter" and chart.not_placed == 2  # 2021 and 2024
    rows = {r.label: r.events for r in chart.rows}
    assert rows["2019 Q4"] == 2 and rows["2024 Q1"] == 1 and rows["2021 Q1"] == 0
    assert sum(r.events for r in chart.rows) == t.count - 2
    note = timeline_note(t, chart)
    assert note.startswith("2 events dated only to a month or year spanning several quarters: ")


def test_one_outlying_date_does_not_fill_the_timeline_with_empty_years():
    """QA (outputs round 2): one row dated 1900 beside events of 2020-2024 made the brief's
    timeline 125 year rows, all but five `0 -`.  Summed by year and still too long, a run of
    empty years is one row; a chart that fits keeps its empty years (they are news too)."""
    from datetime import date

    from briefing import analysis as A
    from briefing.records import Event
    from briefing.render.trends import CHART_ROWS, chart_rows

    events = [*_chart_events(), Event("old", "old", "1900-01-01", "Benin", "battles")]
    t = A.analyse(events, A.Period(date(1900, 1, 1), date(2024, 12, 31)))
    chart = chart_rows(t)
    assert chart.per == "year" and len(chart.rows) <= CHART_ROWS, [r.label for r in chart.rows]
    rows = {r.label: r.events for r in chart.rows}
    assert rows == {"1900": 1, "1901–2014": 0, "2015": 1, "2016–2018": 0, "2019": 2, "2020–2023": 0, "2024": 3}
    assert sum(r.events for r in chart.rows) == t.count
    fits = chart_rows(A.analyse(_chart_events(), A.Period(date(2015, 1, 1), date(2024, 12, 31))))
    assert [r.label for r in fits.rows] == [str(y) for y in range(2015, 2025)]


def test_an_unsummed_timeline_keeps_its_not_placed_count():
    from datetime import date

    from briefing import analysis as A
    from briefing.render.trends import chart_rows, timeline_note

    t = A.analyse(_chart_events(), A.Period(date(2024, 1, 1), date(2024, 12, 31)))
    chart = chart_rows(t)
    assert chart.per == "month" and chart.not_placed == t.not_placed == 1
    assert timeline_note(t, chart).startswith("1 event dated only to a month or year spanning several months: ")


def test_timeline_bars_start_in_one_column_whatever_the_counts_width():
    """QA: `2015  9,953 ███` and `2016  10,039 ███` started their bars a column apart: the count
    was padded to 5 characters, not to the widest count."""
    import io
    from datetime import date

    from rich.console import Group

    from briefing import analysis as A
    from briefing.records import Event
    from briefing.render.console import make_console
    from briefing.render.trends import timeline

    events = [Event(f"a{i}", "t", "2024-01-15", "Benin", "battles") for i in range(10_039)]
    events += [Event(f"b{i}", "t", "2024-02-15", "Benin", "battles") for i in range(9_953)]
    t = A.analyse(events, A.Period(date(2024, 1, 1), date(2024, 2, 29)))
    out = io.StringIO()
    make_console("never", 100, file=out).print(Group(*timeline(t, None, ascii=True)))
    rows = [line for line in out.getvalue().splitlines() if line.startswith(("2024-01-15", "2024-02-12"))]
    assert len(rows) == 2 and "10,039" in rows[0] and "9,953" in rows[1], rows
    assert rows[0].index("#") == rows[1].index("#"), rows


# -- a total disputed by its groups -----------------------------------------------------------


def _outnumbered_brief(render: str) -> str:
    """The brief (or Markdown export) of one event: 5 killed in all (A) and 10 civilians (B)."""
    import io

    from briefing.dataset import Dataset
    from briefing.records import Actor, Event, Figure, Source
    from briefing.summary import gather

    ds = Dataset(
        [Source("s", "S", "news", "B")],
        [Actor("a", "Police", "state"), Actor("b", "Rights group", "other")],
        [
            Event(
                "e", "T", "2020-01-02", "X", "battles",
                figures=(Figure("killed", "total", "a", "s", value=5), Figure("killed", "civilians", "b", "s", value=10)),
            )
        ],
    )  # fmt: skip
    data = gather(ds, ds.events, "")
    if render == "md":
        from briefing.export.md import lines

        return "\n".join(lines(ds, data))
    from rich.console import Group

    from briefing.render.brief import brief
    from briefing.render.console import make_console

    out = io.StringIO()
    make_console("never", 100, file=out).print(Group(*brief(ds, data)))
    return out.getvalue()


def test_where_sources_disagree_shows_the_group_claims_that_outnumber_a_total():
    """QA: the section showed `killed 5 Police` with no `!` and not the 10 civilians it is
    disputed by, so the reader saw one unmarked number under a heading about disagreement."""
    text = _outnumbered_brief("text")
    section = text.split("Where sources disagree", 1)[1].split("Actors involved", 1)[0]
    rows = [ln for ln in section.splitlines() if "Police" in ln or "Rights group" in ln]
    assert any(ln.lstrip().startswith("!") and "5 Police" in ln for ln in rows), section
    assert any("10 Rights group" in ln for ln in rows), section
    assert "spread 5" not in section, "one number is no spread: the row says its groups add up to more"
    assert "groups add more" in section


def test_markdown_disagreements_show_the_group_claims_too():
    text = _outnumbered_brief("md")
    section = text.split("## Where sources disagree", 1)[1].split("## Actors involved", 1)[0]
    # the legend under it explains `!`: the table marks a dispute with it (QA: it said only "disputed")
    assert "| **!** killed **(disputed; groups add more)** | 5 |" in section, section
    assert "| 10 | Rights group |" in section, section


def test_the_dataset_line_says_one_event_not_one_events(tmp_path):
    # What a user saw (QA, outputs round 2): a one-event data directory's brief and Markdown
    # export said "1 events, 1 actors, 1 sources"; `validate` said "1 event, 1 actor, 1 source".
    from testkit import write_tree

    write_tree(
        tmp_path,
        {
            "sources.toml": '[[source]]\nid = "wire"\nname = "A wire"\nkind = "wire"\nreliability = "B"\n',
            "actors.toml": '[[actor]]\nid = "group"\nname = "The Group"\nkind = "armed-group"\n',
            "events/one.toml": """
                [[event]]
                id = "e1"
                title = "One attack"
                date = "2019-11-06"
                country = "Tajikistan"
                type = "battles"
                sources = ["wire"]

                [[event.figures]]
                metric = "killed"
                value = 2
                claimed_by = "group"
                source = "wire"
            """,
        },
    )
    brief = run("brief", "--data", str(tmp_path))
    assert brief.returncode == 0, brief.stderr
    assert re.search(r"^dataset\s+1 event, 1 actor, 1 source, 1 figure$", brief.stdout, re.M), brief.stdout[:600]
    md = run("export", "--format", "md", "--data", str(tmp_path))
    assert "- **Dataset:** 1 event, 1 actor, 1 source, 1 figure\n" in md.stdout, md.stdout[:600]
    bundled = run("brief").stdout
    assert re.search(r"^dataset\s+\d+ events, \d+ actors, \d+ sources, \d+ figures$", bundled, re.M)


def _hinted(text: str, start: str, markdown: bool = False) -> list[list[str]]:
    """The `briefing export ...` commands a brief names after `start`: in Markdown in a code
    span in parentheses ("and 24 more (`briefing export ...`)"), in the brief a line's end
    ("and 24 more: briefing export ...")."""
    import shlex

    found = []
    pattern = re.escape(start) + (r"`(briefing export [^`]*)`\)" if markdown else r"(briefing export .*)$")
    for m in re.finditer(pattern, text, re.M):
        found.append(shlex.split(m.group(1)))
    return found


@pytest.mark.parametrize(
    "flags", [["-f", "actor:iskp"], ["--data", "COPY"], ["--data", "COPY", "--country", "Tajikistan"]]
)
def test_the_command_a_brief_names_for_the_rest_lists_the_rest(tmp_path, flags):
    # What a user saw (QA, outputs round 2): `brief -f actor:iskp` ended its Who table with
    # "... and 24 more (briefing export --table counts --by actor)"; run, that command counted
    # every bundled event, not the brief's, and under --data it read the bundled data instead.
    import csv
    import io
    import shutil

    if "COPY" in flags:
        shutil.copytree(REPO / "data", tmp_path / "data")
        flags = [str(tmp_path / "data") if f == "COPY" else f for f in flags]
    brief = run("brief", *flags, "--width", "250")
    assert brief.returncode == 0, brief.stderr
    hints = _hinted(brief.stdout, "more: ")
    assert hints, brief.stdout
    for words in hints:
        assert words[:2] == ["briefing", "export"]
        n_more = int(re.search(r"and (\d+) more: " + re.escape(shlex_join(words)), brief.stdout).group(1))
        rows = run(*words[1:], "--format", "csv")
        assert rows.returncode == 0, rows.stderr
        listed = list(csv.DictReader(io.StringIO(rows.stdout)))
        assert len(listed) == 10 + n_more, (words, len(listed), n_more)
    [every] = _hinted(brief.stdout, "Every month: ")
    timeline = run(*every[1:], "--format", "csv")
    assert timeline.returncode == 0, timeline.stderr
    events = run("export", *flags, "--format", "jsonl")
    assert sum(int(r["events"]) for r in csv.DictReader(io.StringIO(timeline.stdout))) == len(
        events.stdout.splitlines()
    )
    md = run("export", *flags, "--format", "md")  # the brief as Markdown names the same commands
    assert _hinted(md.stdout, "more (", True) == hints and _hinted(md.stdout, "every month: ", True) == [every]


def test_a_command_a_brief_names_pastes_back_whole(tmp_path):
    # What a user saw (QA s16 #13): piped at 80 columns, "... and 152 more (briefing export
    # --table counts --by actor --data '/tmp/qa pipe dätä ünï' --filter" / "country:Mali)": the
    # line broke between an option and its value (or inside the quoted path), and the two lines
    # pasted ran a broken command.  Folded now only between shell words, each folded line
    # ending in the shell's " \\"; the same on a colour terminal, whose lines Rich folded.
    import shutil

    data = tmp_path / "qa pipe dätä ünï"
    shutil.copytree(REPO / "data", data)
    for width in ("60", "80", "250"):
        for colour in ([], ["--color", "always"]):
            brief = run("brief", "--data", str(data), "-f", "actor:iskp", "--width", width, *colour)
            assert brief.returncode == 0, brief.stderr
            text = re.sub(r"\x1b\[[0-9;]*m", "", brief.stdout)
            commands = re.findall(r"(briefing export (?:.*\\\n)*.*)", text)
            assert len(commands) == 2, text  # the timeline's months, the actors left out
            for command in commands:
                words = shlex_split(command.replace("\\\n", ""))
                assert words[-4:] == ["--data", str(data), "--filter", "actor:iskp"], (command, words)
            wide = [line for line in text.splitlines() if len(line) > int(width)]
            assert all(shlex_split(line.removesuffix(" \\")) == [str(data)] for line in wide), wide  # the path alone
            assert (width == "250") is all("\\\n" not in c for c in commands), commands


def test_markdown_names_a_command_as_a_code_span_that_pastes_back(tmp_path):
    # What a user saw (QA regress 9): in the raw .md, the command was Markdown-escaped text
    # (`--data 'a\_b\*c\*'`): pasted into a shell, it named a folder with backslashes.
    import shutil

    data = tmp_path / "a_b*c*"
    shutil.copytree(REPO / "data", data)
    md = run("export", "--data", str(data), "--format", "md")
    assert md.returncode == 0, md.stderr
    spans = re.findall(r"`(briefing export [^`]*)`", md.stdout)
    assert spans and all(f"--data {shlex_join([str(data)])}" in s for s in spans), spans


def shlex_split(text: str) -> list[str]:
    import shlex

    return shlex.split(text)


def shlex_join(words: list[str]) -> str:
    import shlex

    return shlex.join(words)


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_legacy_encoding_reads_the_briefs_own_signs_as_ascii(encoding):
    # What a user saw (QA, outputs round 2): with an ASCII stdout the brief said
    # "Deaths: \u2265742" for "≥742", and ranges "12\u201318".  The signs get their ASCII
    # spelling (>=, -); what has none (a Cyrillic name) is still escaped, never a crash.
    brief = run("brief", env_extra={"PYTHONIOENCODING": encoding})
    assert brief.returncode == 0, brief.stderr
    assert "\\u2265" not in brief.stdout and "\\u2013" not in brief.stdout, brief.stdout[:800]
    assert "\\xb1" not in brief.stdout  # (QA regress 8) the legend's `about (±10%)` too
    assert re.search(r"Deaths: >=\d", brief.stdout) or re.search(r"\d+-\d+ killed", brief.stdout), brief.stdout[:800]
    assert ">=" in brief.stdout


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_legacy_encoding_keeps_the_tables_columns_in_line(encoding):
    # What a user saw (QA regress 8): `>=32` is a cell wider than `≥32`, and the cells after it
    # were a column out (`>=32     1` beside `17      2`): the grid measured the sign, not its
    # spelling.
    brief = run("brief", "--country", "Tajikistan", env_extra={"PYTHONIOENCODING": encoding})
    assert brief.returncode == 0, brief.stderr
    lines = brief.stdout.splitlines()
    head = next(i for i, ln in enumerate(lines) if ln.startswith("quarter ") and ln.endswith("no figure"))
    col = lines[head].index("no figure")
    rows = [ln for ln in lines[head + 2 :] if re.match(r"\d{4} Q\d ", ln)]
    assert any(">=" in ln[:col] for ln in rows), rows
    for ln in rows:
        assert len(ln) <= col or (ln[col - 1] == " " and ln[col].isdigit()), (ln, lines[head])


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_legacy_encoding_keeps_the_figures_table_in_line(encoding):
    # What a user saw (QA regress 10): in "Where sources disagree" the claim columns were a cell
    # out after `spread 2->=10` and `>=10 Islamic State` (the table measured `≥`, one cell).
    brief = run("brief", env_extra={"PYTHONIOENCODING": encoding})
    assert brief.returncode == 0, brief.stderr
    lines = brief.stdout.splitlines()
    head = next(i for i, ln in enumerate(lines) if ln.lstrip().startswith("figure") and "claim 1" in ln)
    starts = [lines[head].index(f"claim {k}") for k in (1, 2, 3)]
    rows = []
    for ln in lines[head + 2 :]:
        if not ln.strip() or ln.startswith("! = "):
            break
        rows.append(ln)
    assert any(">=" in ln for ln in rows), rows
    for ln in rows:  # each claim starts at its column: the gap before it is blank, on every line
        assert all(len(ln) <= at or ln[at - 2 : at] == "  " for at in starts), (ln, lines[head])


def test_a_data_folder_named_with_a_leading_dash_is_named_as_one_word():
    # What a user saw (QA regress 8): `brief --data=-dash` named `briefing export … --data -dash`,
    # which argparse reads as a flag of its own ("expected one argument").
    import argparse
    import shlex

    from briefing.commands.common import again_flags

    words = again_flags(argparse.Namespace(data="-dash", skip_invalid=True, compare_to=None), "tag:x")
    assert words == ("--data=-dash", "--skip-invalid", "--filter", "tag:x")
    from briefing.cli import build_parser

    given = ["export", "--table", "counts", *shlex.split(shlex.join(words))]
    args = build_parser(given).parse_args(given)
    assert (args.data, args.skip_invalid) == ("-dash", True)


def test_a_command_a_brief_names_names_the_data_set_by_the_environment(tmp_path) -> None:
    """QA s12 (TUI helper): with BRIEFING_DATA set, the commands a brief or the TUI gives
    (`briefing export --table … --data DIR`) left the data out: pasted into a script or
    another shell, they ran on the bundled data without a word."""
    import shutil

    from briefing.datadir import named_data
    from testkit import BUNDLED, run_cli

    data = tmp_path / "mine"
    shutil.copytree(BUNDLED, data)
    r = run_cli("brief", "--width", "200", "-f", "country:Tajikistan", env={"BRIEFING_DATA": str(data)})
    assert r.returncode == 0, r.stderr
    text = " ".join(r.stdout.split())  # a long command wraps
    assert 0 < text.count("briefing export ") == text.count(f"--data {data} "), text
    assert named_data("given") == "given"
    # QA s12: a relative BRIEFING_DATA is named absolute (pasted elsewhere it named another
    # folder), a blank one is no folder at all
    r = run_cli("brief", "--width", "200", "-f", "country:Tajikistan", env={"BRIEFING_DATA": "mine"}, cwd=tmp_path)
    assert r.returncode == 0 and f"--data {data} " in " ".join(r.stdout.split()), r.stdout[-300:]
    r = run_cli("validate", env={"BRIEFING_DATA": "  "})
    assert r.returncode == 0 and r.stdout.startswith("ok: 40 events"), r.stdout + r.stderr
    # QA s17 (hostile): read from `…/sp ` (its end space kept), the commands named `…/sp`,
    # another folder
    spaced = tmp_path / "sp "
    shutil.copytree(BUNDLED, spaced)
    r = run_cli("brief", "--width", "250", "-f", "country:Tajikistan", env={"BRIEFING_DATA": str(spaced)})
    assert r.returncode == 0 and f"--data '{spaced}' " in r.stdout, r.stdout[-300:]


def test_no_dispute_says_whether_anything_was_compared(tmp_path) -> None:
    """QA s14: "No disputed figures: where several claims exist, they agree" was said of ACLED's
    rows, one count an event, as if sources had been weighed and found to agree.  It says
    there was nothing to compare; where claims were compared, how many figures agree."""
    (tmp_path / "acled").mkdir()
    sample = REPO / "tests" / "scale" / "fixtures" / "acled_sample.csv"
    (tmp_path / "acled" / "a.csv").write_bytes(sample.read_bytes())
    for command in (("brief",), ("export", "--format", "markdown")):
        r = run(*command, "--data", str(tmp_path / "acled"), "--skip-invalid")
        assert "No disputed figures: no figure here has two claims to compare." in r.stdout, r.stdout
        assert "they agree" not in r.stdout
        # and where sources disagree (QA s15: "wherever a figure has several claims, they can all be true")
        assert "Nowhere: no figure here has two claims to compare." in r.stdout, r.stdout
        assert "they can all be true" not in r.stdout
    r = run("brief", "--filter", "-disputed", "--width", "200")
    assert r.returncode == 0, r.stderr
    assert "No disputed figures: the one figure that several claims give, they agree on." in r.stdout, r.stdout


REVISED = """
[[actor]]
id = "mvd"
name = "Interior Ministry"
kind = "state-agency"

[[actor]]
id = "tv-actor"
name = "Local TV"
kind = "media"

[[source]]
id = "paper"
name = "Paper"
kind = "news"
reliability = "B"

[[event]]
id = "e1"
title = "Attack on a police station"
date = "2024-03-10"
country = "Tajikistan"
type = "violence-against-civilians"
sources = ["paper"]

[[event.figures]]
metric = "killed"
value = 12
claimed_by = "mvd"
source = "paper"
date = "2024-03-10"
wording = "12 people were killed"

[[event.figures]]
metric = "killed"
value = 14
claimed_by = "mvd"
source = "paper"
date = "2024-03-12"
wording = "the toll rose to 14"

[[event.figures]]
metric = "killed"
value = 15
qualifier = "at-least"
claimed_by = "tv-actor"
source = "paper"
wording = "at least 15 dead"
"""


def test_a_revised_claim_stays_in_sight_where_sources_disagree_and_in_their_words(tmp_path) -> None:
    """QA s14: the terminal brief's "Where sources disagree" dropped the ministry's first 12,
    revised to 14 (the Markdown export keeps it, marked superseded), and `brief --event`'s
    "In their words" listed the 12 with nothing saying it was revised."""
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "r.toml").write_text(REVISED)
    r = run("brief", "--data", str(tmp_path / "d"), "--width", "200")
    assert r.returncode == 0, r.stderr
    section = r.stdout.split("Where sources disagree", 1)[1].split("! = ", 1)[0]
    assert "1 superseded" in section and "12" in section and "of 2024-03-10, superseded" in section, section
    r = run("brief", "--data", str(tmp_path / "d"), "--event", "e1", "--width", "200")
    words = r.stdout.split("In their words", 1)[1]
    assert '12 killed · total, Interior Ministry (Paper, 2024-03-10), superseded: "12 people were killed"' in words, (
        words
    )
    assert '14 killed · total, Interior Ministry (Paper, 2024-03-12): "the toll rose to 14"' in words, words


def test_a_revised_claim_s_stix_note_says_the_day_each_was_said(tmp_path) -> None:
    """QA s14: the notes of the ministry's 12 and its revision to 14 carried the event's date
    alone; each says the day its claim was made."""
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "r.toml").write_text(REVISED)
    r = run("export", "--data", str(tmp_path / "d"), "--format", "stix")
    notes = {o["abstract"]: o for o in json.loads(r.stdout)["objects"] if o["type"] == "note"}
    old, new = notes["killed 12 per Interior Ministry"], notes["killed 14 per Interior Ministry"]
    assert "said on 2024-03-10." in old["content"] and "briefing:superseded" in old["labels"]
    assert "said on 2024-03-12." in new["content"] and "briefing:superseded" not in new["labels"]
    assert "said on" not in notes["killed ≥15 per Local TV"]["content"]


def test_the_markdown_period_is_the_brief_s(tmp_path) -> None:
    """QA s14: the Markdown's `Period:` was the events' own span (`2022-03 to 2022-07`) where the
    brief says the period its numbers cover, then that span: `2022 (events dated 2022-03 to
    2022-07)`; "Markdown is the brief"."""
    r = run("brief", "-f", "since:2022-01 until:2022-12", "--width", "200")
    [period] = [line.split(None, 1)[1] for line in r.stdout.splitlines() if line.startswith("period ")]
    assert period == "2022 (events dated 2022-03 to 2022-07)", period
    r = run("export", "--format", "markdown", "-f", "since:2022-01 until:2022-12")
    assert f"- **Period:** {period}\n" in r.stdout, r.stdout[:400]


OTHER_FIGURES = """
[[actor]]
id = "mvd"
name = "Interior Ministry"
kind = "state-agency"

[[actor]]
id = "guards"
name = "Border guards"
kind = "state-agency"

[[source]]
id = "paper"
name = "Paper"
kind = "news"
reliability = "B"

[[event]]
id = "e1"
title = "Attack on a police station"
date = "2024-03-10"
country = "Tajikistan"
type = "violence-against-civilians"
sources = ["paper"]

[[event.figures]]
metric = "killed"
value = 12
claimed_by = "mvd"
source = "paper"

[[event.figures]]
metric = "detained"
subject = "suspects"
low = 20
high = 30
claimed_by = "mvd"
source = "paper"

[[event.figures]]
metric = "wounded"
value = 15
qualifier = "at-least"
claimed_by = "guards"
source = "paper"

[[event.figures]]
metric = "fled"
subject = "attackers"
value = 4
claimed_by = "mvd"
source = "paper"

[[event.figures]]
metric = "fled"
subject = "attackers"
value = 6
claimed_by = "guards"
source = "paper"
"""


def test_the_key_events_give_the_figures_beyond_deaths_with_who_said_them(tmp_path) -> None:
    """QA s14 (the curator): "20–30 detained" was in `brief --event`, the TUI and every export,
    but not in the brief or its Markdown, whose key events gave deaths alone; a strategic
    event's whole point ("about 10,000 militants") read as `-`.  Each figure beyond killed is
    listed under what happened, as the killed column says a total: the number, who said it,
    a dispute marked."""
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "e.toml").write_text(OTHER_FIGURES)
    r = run("brief", "--data", str(tmp_path / "d"), "--width", "200")
    assert r.returncode == 0, r.stderr
    key = r.stdout.split("Key events", 1)[1].split("Where sources disagree", 1)[0]
    flat = " ".join(key.split())
    assert "detained · suspects: 20–30 per Interior Ministry" in flat, key
    assert "wounded: ≥15 per Border guards" in flat, key
    assert "! fled · attackers: 4–6 per Interior Ministry; Border guards" in flat, key
    assert re.search(r"Attack on a police station\s+12\s", key), key  # the killed column as before
    r = run("export", "--data", str(tmp_path / "d"), "--format", "markdown")
    assert r.returncode == 0, r.stderr
    key = r.stdout.split("## Key events", 1)[1].split("## Where sources disagree", 1)[0]
    assert "detained · suspects: 20–30 per Interior Ministry" in key, key
    assert "wounded: ≥15 per Border guards" in key, key
    # the bundled strategic estimate, which read `-` and nothing else
    r = run("brief", "--width", "200")
    key = " ".join(r.stdout.split("Key events", 1)[1].split("Where sources disagree", 1)[0].split())
    assert "fighters · militants: ~10,000 per Alexander Manilov" in key, key
    assert "arrived · militants: <~6,000 per Alexander Manilov" in key, key


def test_the_key_events_fold_no_word_mid_word_at_80_columns() -> None:
    """What a user saw at 80 columns: `Afghanista` over `n`, `governmen` over `t`, `us-milita`
    over `ry`, the what-happened column kept as wide as the longest event id.  Now a long id is
    broken after a hyphen and every other word wraps whole: each piece at 80 is a word of the
    wide brief, or a hyphenated word's start (ending in its hyphen) or end."""

    def section(width: str) -> str:
        r = run("brief", "--width", width)
        assert r.returncode == 0, r.stderr
        return r.stdout.split("Key events", 1)[1].split("Ranked by significance", 1)[0]

    wide = set(section("300").split())
    allowed = set(wide)
    for w in wide:
        parts = w.split("-")
        allowed |= {"-".join(parts[i:]) for i in range(1, len(parts))}  # an end
        allowed |= {"-".join(parts[:i]) + "-" for i in range(1, len(parts))}  # a start
        allowed |= {"-".join(parts[i:j]) + "-" for i in range(1, len(parts)) for j in range(i + 1, len(parts))}
    narrow = section("80")
    assert max(len(line) for line in narrow.splitlines()) <= 80
    pieces = [p for p in narrow.split() if p not in allowed]
    assert not pieces, pieces
    # narrower still, the places stay whole (QA s15: `Afghanista` over `n` at 50–60 columns)
    for width in ("50", "60"):
        places = [w for line in section(width).splitlines() for w in line[3:17].split()]
        assert "Afghanistan" in places and not [w for w in places if w.startswith("Afghanis") and w != "Afghanistan"]


@needs_border_post
def test_a_disputed_group_s_deaths_under_an_agreed_total_are_in_the_key_event_s_row() -> None:
    """Review s15: the border post's row was marked `!` beside "17 per Tajik government", an
    agreed total, and nothing in its row was disputed about deaths: the dispute at the heart
    of the seeds (2 security forces per the authorities, at least 10 guards per the Islamic
    State) was only in "Where sources disagree", further down.  A disputed group's deaths are
    listed under what happened, as a disputed figure beyond deaths is, with who said what."""
    for fmt in ("brief", "md"):
        if fmt == "brief":
            r = run("brief", "--width", "200", "--search", "border post")
            key = r.stdout.split("Key events", 1)[1].split("Where sources disagree", 1)[0]
        else:
            r = run("export", "--format", "md", "--search", "border post")
            key = r.stdout.split("## Key events", 1)[1].split("## Where sources disagree", 1)[0]
        assert r.returncode == 0, r.stderr
        flat = " ".join(key.replace("\\", "").split())
        assert "! killed · security forces: 2–≥10 per" in flat or "! killed · security-forces: 2–≥10 per" in flat, key
        assert "Islamic State" in flat.split("killed · security", 1)[1], key


@pytest.mark.parametrize("color", ["never", "always"])
@pytest.mark.parametrize("width", ["45", "57", "64"])
def test_the_timeline_s_bars_fit_their_column_at_any_width(color: str, width: str) -> None:
    """QA s15 (regression pass): at 57 columns in colour the longest bar (2019, 15 events) was
    drawn on a line of its own under its count, and in plain text its count moved left out of
    the column: a bar was 30 cells whatever room the events column had.  Each period is now one
    line, its count right-aligned with the others, its bar as long as the column leaves room for
    and the longest bar still the longest."""
    import re as re_module

    r = run("brief", "--width", width, "--color", color)
    assert r.returncode == 0, r.stderr
    plain = re_module.sub(r"\x1b\[[0-9;]*m", "", r.stdout)
    section = plain.split("Timeline", 1)[1].split("\nSummed", 1)[0]
    rows = [line for line in section.splitlines() if re_module.match(r"^\d{4}\b", line)]
    assert len(rows) == 10, section  # 2015..2024, one line each
    assert not [line for line in section.splitlines() if re_module.match(r"^\s+█", line)], section
    counts = {m.group(1): m.end(2) for m in (re_module.match(r"^(\d{4})\s+([\d,]+)", line) for line in rows) if m}
    assert len(set(counts.values())) == 1, section  # every count ends in one column
    bars = {line.split()[0]: line.count("█") for line in rows}
    assert bars["2019"] == max(bars.values()) and bars["2019"] > bars["2022"] > bars["2024"] > 0, section
    assert all(len(line) <= int(width) for line in section.splitlines()), section


@pytest.mark.parametrize("width", ["60", "64", "68", "72"])
def test_the_key_events_fold_no_word_of_the_narrow_columns_at_60_to_72_columns(width: str) -> None:
    """QA s15 (regression pass): at 50–64 columns the killed column folded `interview,` into
    `intervie`/`w` (its minimum was 8 cells), at 66–72 `perpetrators)`, `coordinating` and
    ACLED's `shelling/artillery/missile` folded mid-word.  Each column is now as wide as its
    longest word while there is room, and a slug breaks after a `/` or a dash as after a hyphen."""
    import re as re_module

    def section(w: str) -> str:
        r = run("brief", "--width", w)
        assert r.returncode == 0, r.stderr
        return r.stdout.split("Key events", 1)[1].split("Ranked by significance", 1)[0]

    allowed = set()
    for word in section("300").split():
        parts = re_module.split(r"(?<=[-/–])", word)  # each piece keeps the mark it breaks after
        allowed |= {"".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)}
    narrow = section(width)
    assert max(len(line) for line in narrow.splitlines()) <= int(width)
    assert not [p for p in narrow.split() if p not in allowed], narrow


def test_a_brief_of_the_bundled_data_says_so(tmp_path) -> None:
    """QA s16 (a pipeline's wish): cron runs with no environment, so a job that lost its
    BRIEFING_DATA mailed a brief of the bundled sample, exit 0, with nothing in it saying whose
    data it was.  A brief or Markdown export of the bundled data says so in its header; of a
    named folder, nothing more."""
    r = run("brief", "--width", "200", env_extra={"BRIEFING_DATA": None})
    head = r.stdout.split("Bottom line", 1)[0]
    assert r.returncode == 0 and "the bundled sample" in head and "--data DIR" in head, head
    r = run("export", "--format", "md", env_extra={"BRIEFING_DATA": None})
    assert "the bundled sample" in r.stdout.split("## Bottom line", 1)[0], r.stdout[:600]
    r = run("brief", "--width", "200", "--data", str(write_fixture(tmp_path / "d")))
    assert r.returncode == 0 and "the bundled sample" not in r.stdout, r.stdout[:600]


def test_a_long_claimant_stays_whole_in_the_killed_column_when_there_is_room(tmp_path) -> None:
    """QA s16 regression pass #9: a claimant of one long word folded in the killed column
    (`Counterterrorismdepart`/`ment…`) at every width from 60 to 92, with room to spare in the
    what-happened column: the narrow columns' floor was capped at 14 cells and the killed
    column's width at 24.  A word up to 32 cells now widens its column while there is room."""
    d = tmp_path / "d"
    d.mkdir()
    (d / "e.toml").write_text(
        OTHER_FIGURES.replace('name = "Interior Ministry"', 'name = "Counterterrorismdirectorate"'), encoding="utf-8"
    )
    for width in ("88", "100"):
        r = run("brief", "--data", str(d), "--width", width)
        key = r.stdout.split("Key events", 1)[1].split("Where sources disagree", 1)[0]
        words = key.split()
        assert "Counterterrorismdirectorate" in words and "orate" not in words, (width, key)


@pytest.mark.parametrize("width", ["50", "60", "66", "74", "82"])
def test_a_long_claimant_loses_no_letter_and_no_column_when_there_is_no_room(tmp_path, width: str) -> None:
    """QA s16 last pass #1 (a regression of the column widths just above): the killed column's
    floor raised to its longest word (31 letters) left no room at 41–82 columns: the `by` column
    was dropped and the claimant cut, letters lost (`Counterterrorismdepartmen`).  A column
    widens for its longest word only when every column's longest word fits; else the word folds
    whole, as before, and no column goes."""
    import re as re_module

    d = tmp_path / "d"
    d.mkdir()
    long_name = "Counterterrorismdepartmentofthe"
    (d / "e.toml").write_text(
        OTHER_FIGURES.replace('name = "Interior Ministry"', f'name = "{long_name}"'), encoding="utf-8"
    )
    from collections import Counter

    def key_events(w: str) -> str:
        r = run("brief", "--data", str(d), "--width", w)
        return r.stdout.split("Key events", 1)[1].split("Where sources disagree", 1)[0]

    key = key_events(width)
    assert re_module.search(r"\bby\b", key.splitlines()[2] + key.splitlines()[3]), key  # the by column's header
    # every letter the wide brief has, folded or not (a crop lost `tofthe`)
    assert Counter(c for c in key if c.isalnum()) == Counter(c for c in key_events("250") if c.isalnum()), key


def test_an_actors_deaths_say_they_are_every_sides_in_any_role_and_what_a_range_reads():
    # What a user saw (QA s17, a journalist): `brief --actor iskp` gave "Deaths: ≥679" after
    # ISKP's profile, read as ISKP's toll; it counts everyone killed in events that name ISKP in
    # any role (mentioned at the border post, the target of the Kunduz raid).  And Where's
    # "Iran 90–100" had no legend: no one said 90 (the reading of "nearly 100").
    for args in (["--actor", "iskp"], ["-f", "actor:iskp"]):
        text = run("brief", *args, "--width", "300").stdout
        [deaths] = [ln for ln in text.splitlines() if ln.startswith("- Deaths: ")]
        assert ", on every side (events naming the actor in any role; the table by actor gives each role);" in deaths
    text = run("brief", "-f", "actor:iskp,isis", "--width", "300").stdout
    assert "naming the actors in any role" in text
    # a role's term narrows the roles (the regression pass): no "any role" there
    for args in (
        ["-f", "perpetrator:iskp"],
        ["-f", "actor:isis perpetrator:isis"],
        ["-f", "actor:isis -perpetrator:isis"],
    ):
        text = run("brief", *args, "--width", "300").stdout
        assert "any role" not in text, args
    for args in (["--country", "Tajikistan"], []):
        text = run("brief", *args, "--width", "300").stdout
        [deaths] = [ln for ln in text.splitlines() if ln.startswith("- Deaths: ")]
        assert "any role" not in deaths, (args, deaths)
    text = run("brief", "--width", "300").stdout
    timeline, where = text.split("\nWhere\n", 1)
    assert re.search(r"^Iran +1 +\S+ +90–100 ", where, re.M), where
    assert (
        "killed, here and in the Where and Who tables: the range the claims allow, summed (nearly 100 allows 90–100;"
        in timeline
    )


def test_a_date_the_source_did_not_give_whole_is_marked_in_the_lists():
    # What a user saw (QA s17, a journalist): the Kabul bus bombing listed as 2022-04-30 (the
    # article dates only the claim, "on May 1", with no year; the record's note says it may have
    # been 1 May) and the Crocus attack as 2024-03-22 ("the March 22 attack"): read as said.
    # Only `--event` gave the note.  A date worked out is marked where a list shows it.
    text = run("brief", "--width", "200").stdout
    key = text.split("\nKey events\n", 1)[1].split("\nWhere sources disagree\n", 1)[0]
    assert re.search(r"^ +2024-03-22\* ", key, re.M) and re.search(r"^ +2021-08 ", key, re.M), key
    assert "* after a date: worked out, not given whole by the source (--event ID says how)." in key
    disputes = text.split("\nWhere sources disagree\n", 1)[1]
    assert "2019-11-06*  Attack on a border post" in disputes
    md = run("export", "--format", "md").stdout
    assert "| 2024-03-22\\* |" in md, md
    assert "| 2021-08 |" in md and "### 2019-11-06\\*: Attack on a border post" in md


def test_the_by_column_says_a_perpetrator_may_be_an_outlets_attribution():
    # What a user saw (QA s17, a journalist): "by Islamic State" for three Kabul-area bombings
    # no one claimed (Salaam Times lists them as "Recent ISIS attacks") read as a claim or a
    # finding; the legend said only "by = perpetrator".
    text = " ".join(run("brief").stdout.split())
    assert "by = the perpetrator as the sources name it (an outlet's attribution, not always a claim)" in text


def test_a_folded_command_measures_wide_characters_by_their_cells():
    # (QA s17 regression pass) a path in Chinese ran past the width: characters were counted,
    # each of which a terminal draws two cells wide.
    from rich.cells import cell_len

    from briefing.display import shell_words
    from briefing.render.blocks import CommandNote

    words = ["briefing", "export", "--table", "counts", "--by", "actor", "--data", "/tmp/数据 文件夹 情报 分析"]
    note = CommandNote("... and 139 more: ", shell_words([*words, "--filter", "country:Mali"]))
    for width in (40, 50, 60, 80):
        lines = note.lines(width)
        assert all(cell_len(line) <= width for line in lines), (width, lines)
        assert shlex_split(" ".join(line.removesuffix(" \\") for line in lines).split(": ", 1)[1]) == [
            *words,
            "--filter",
            "country:Mali",
        ]


def test_the_worked_out_dates_legend_only_where_a_date_is_marked(tmp_path):
    # (QA s17 regression pass) "* after a date: worked out …" printed under key events none of
    # which had a `*`.
    import shutil

    legend = "after a date: worked out, not given whole by the source"
    assert legend in " ".join(run("brief").stdout.split())
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    for path in (data / "events").glob("*.toml"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(x for x in lines if not x.startswith("date_note = ")), encoding="utf-8")
    for text in (run("brief", "--data", str(data)).stdout, run("export", "--data", str(data), "--format", "md").stdout):
        assert legend not in " ".join(text.split()) and "*  " not in text


def test_a_folded_commands_last_word_needs_no_room_for_a_continuation():
    from briefing.display import shell_words
    from briefing.render.blocks import CommandNote

    note = CommandNote("", shell_words(["briefing", "export", "--data", "/tmp/" + "x" * 33]))
    # "briefing export --data /tmp/xxx…" is 61 cells: at 61 it is one line, no " \" wanted
    assert note.lines(61) == ["briefing export --data /tmp/" + "x" * 33]
