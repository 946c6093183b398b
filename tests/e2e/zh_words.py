#!/usr/bin/env python3
"""zh_words.py FILE... — untranslated English words in Chinese outputs.

Reads each file (report.html / compare.html: their Chinese view, i.e. the
English spans, styles, scripts and the language button removed; anything
else: as text) and prints every line holding an ASCII word that is not
allowed.  Allowed: finding, signal and transition codes (UPPER_CASE), words
inside <code>, file names and paths, options (--x), hexadecimal digests,
parameter names (snake_case, which are names a user types), and the short
list ALLOW below (proper names, command and national stage names), and
Lua's own messages after their Chinese frame "Lua 错误（原文）：".  Exit status 1
when any line was printed.
"""
import html
import re
import sys
ALLOW = set("""SHA tuopin UTC Lua Alkire Foster params param
NAME KEY VALUE YUAN FILE DIR
history identity income education medical housing water rosters
missed unverified""".split())  # the last two: assessment codes (standard §4)
# the commands and the national stages are names a user types; Lua's own
# messages are quoted as such after this frame
LUA_FRAME = "Lua 错误（原文）："
def words(text):
    out = []
    for w in re.findall(r"[A-Za-z][A-Za-z_'-]*[A-Za-z]", text):
        if re.fullmatch(r"[A-Z][A-Z0-9_]+", w): continue        # codes
        if "_" in w and re.fullmatch(r"[a-z][a-z0-9_]*", w): continue  # parameter names
        if w in ALLOW: continue
        out.append(w)
    return out
def zh_view(h):
    h = re.sub(r"(?s)<style.*?</style>|<script.*?</script>|<button.*?</button>", " ", h)
    h = re.sub(r'(?s)<span class="en">.*?</span>', " ", h)
    h = re.sub(r'(?s)<text[^>]*class="en[^"]*"[^>]*>.*?</text>', " ", h)
    h = re.sub(r"<title>.*?</title>", " ", h)
    h = re.sub(r"(?s)<code>.*?</code>", " ", h)
    h = re.sub(r"<[^>]+>", " ", h)
    return html.unescape(h)
bad = {}
for path in sys.argv[1:]:
    t = open(path, encoding="utf-8-sig").read()
    if path.endswith(".html"): t = zh_view(t)
    for line in t.splitlines():
        if LUA_FRAME in line:
            line = line.split(LUA_FRAME, 1)[0]
        line2 = re.sub(r"\S*/\S+|\S+\.(csv|html|xlsx|sqlite|lua|md)\b|--[a-z-]+(=\S*)?|\b[0-9a-f]{16,}\b"
                       r"|[a-z_]+\.[a-z_]+", " ", line)
        ws = words(line2)
        if ws:
            bad.setdefault(path, []).append((line.strip()[:160], ws))
for p, l in bad.items():
    for line, ws in l[:40]:
        print(f"{p}: {ws}: {line}")
sys.exit(1 if bad else 0)
