#!/usr/bin/env python3
"""Generate the user-agent and probe lists that anonlog's statistics ship, as Swift sources.

Usage:
  Scripts/generate-stats-lists.py [--data DIR] [--check]

Reads ../shared/data (or DIR):
  crawler-user-agents/crawler-user-agents.json   monperrus/crawler-user-agents, MIT
  crowdsec-sec-lists/*.txt                        crowdsecurity/sec-lists web/, MIT
and writes Sources/AnonLogCore/Stats/Lists/{CrawlerUserAgentList,CrowdSecWebLists}.swift with
each licence notice in the header. With --check, only verifies that the committed files are what
the script writes (exit status 1 otherwise).

The library has no regex engine in its hot path (and no Foundation), so each crawler pattern
(a regular expression) is turned into literal alternatives: a sequence of literal parts that
must appear in order, optionally anchored at the start or the end, optionally matched without
regard to ASCII case (when the pattern spells a letter as [xX]). The conversion is checked here:
every example user agent the list gives for a pattern ("instances") must match its
alternatives, and none of a set of ordinary browser user agents may match any pattern.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Sources" / "AnonLogCore" / "Stats" / "Lists"

# Field and part separators in the encoded tables (never in a user agent pattern; printable,
# because Swift string literals refuse raw control characters other than the tab).
FIELD, ALT, PART = "\t", "\u00a6", "\u00a4"

BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.135 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.129 Safari/537.36",
    "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 312.1.0.34.111",
]

# Scanner-tagged crawler entries that are attack or reconnaissance tools rather than services a
# site asked for; the others (certificate checkers, cookie auditors) stay declared crawlers.
CLASS_BY_TAG = [
    ("ai-crawler", "aiCrawler"),
    ("scanner", "scanner"),
    ("http-library", "library"),
    ("browser-automation", "library"),
]
CATEGORY_ORDER = ["ai-crawler", "scanner", "http-library", "browser-automation", "search-engine", "seo", "monitoring",
                  "feed-reader", "social-preview", "advertising", "archiver", "academic"]


# MARK: - A tiny regular-expression reader

class Gap:
    """Any run of characters (or one unknown character): splits literal parts."""


def parse(pattern):
    """Returns a list of alternatives; each is a list of tokens: str (one literal character, or
    ('ci', c) for a case-insensitive letter), Gap, '^' or '$'."""
    position = 0

    def alternation():
        nonlocal position
        branches = [sequence()]
        while position < len(pattern) and pattern[position] == "|":
            position += 1
            branches.append(sequence())
        return [alt for branch in branches for alt in branch]

    def sequence():
        nonlocal position
        alternatives = [[]]
        while position < len(pattern) and pattern[position] not in "|)":
            atom = atom_alternatives()
            if position < len(pattern) and pattern[position] in "?*+":
                quantifier = pattern[position]
                position += 1
                if quantifier == "?":
                    atom = atom + [[]]
                elif quantifier == "*":
                    atom = [[Gap]]
                else:
                    atom = [a + [Gap] for a in atom]
            alternatives = [left + right for left in alternatives for right in atom]
            if len(alternatives) > 64:
                raise ValueError("too many alternatives")
        return alternatives

    def atom_alternatives():
        nonlocal position
        char = pattern[position]
        if char == "(":
            position += 1
            if pattern.startswith("?:", position):
                position += 2
            inner = alternation()
            assert pattern[position] == ")", pattern
            position += 1
            return inner
        if char == "[":
            end = pattern.index("]", position + 1)
            body = pattern[position + 1:end]
            position = end + 1
            if len(body) == 2 and body[0].lower() == body[1].lower() and body[0].isalpha() and body[0] != body[1]:
                return [[("ci", body[0].lower())]]
            return [[Gap]]
        if char == "\\":
            escaped = pattern[position + 1]
            position += 2
            if escaped == "s":
                return [[" "]]
            if escaped in "dwSWDbB":
                return [[Gap]] if escaped not in "bB" else [[]]
            return [[escaped]]
        if char == ".":
            position += 1
            return [[Gap]]
        if char in "^$":
            position += 1
            return [[char]]
        position += 1
        return [[char]]

    alternatives = alternation()
    assert position == len(pattern), pattern
    return alternatives


def normalize(tokens):
    """(flags, parts): flags 1 = anchored at the start, 2 = at the end, 4 = ignore ASCII case."""
    flags = 0
    parts = [""]
    start_anchor_possible = True
    for index, token in enumerate(tokens):
        if token == "^":
            if index == 0:
                flags |= 1
            continue
        if token == "$":
            if index == len(tokens) - 1:
                flags |= 2
            continue
        if token is Gap:
            if parts[-1] != "":
                parts.append("")
            if index == 0 or (index == 1 and tokens[0] == "^"):
                flags &= ~1
            continue
        if isinstance(token, tuple):
            flags |= 4
            parts[-1] += token[1]
        else:
            parts[-1] += token
    if tokens and tokens[-1] is Gap:
        flags &= ~2
    parts = [p for p in parts if p != ""]
    if flags & 4:
        parts = [p.lower() for p in parts]
    return flags, parts


def alternatives_of(pattern):
    result = []
    for tokens in parse(pattern):
        flags, parts = normalize(tokens)
        if parts and (flags, parts) not in result:
            result.append((flags, parts))
    return result


def matches(alternative, text):
    """The Swift matcher's semantics (UserAgentLists.Alternative.matches)."""
    flags, parts = alternative
    subject = text.lower() if flags & 4 else text
    position = 0
    for index, part in enumerate(parts):
        first, last = index == 0, index == len(parts) - 1
        if last and flags & 2:
            return (subject.endswith(part) and len(subject) - len(part) >= position
                    and (not (first and flags & 1) or len(subject) == len(part)))
        if first and flags & 1:
            if not subject.startswith(part):
                return False
            position = len(part)
            continue
        found = subject.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def display_name(pattern, alternatives, instances):
    flags, parts = max(alternatives, key=lambda a: sum(len(p) for p in a[1]))
    name = max(parts, key=len)
    if flags & 4:
        # A case-insensitive part is lower case: take the spelling the example user agents use
        # most, mixed case first on a tie (ClaudeBot rather than claudebot).
        spellings = {}
        for instance in instances:
            found = instance.lower().find(name)
            if found >= 0:
                spelling = instance[found:found + len(name)]
                spellings[spelling] = spellings.get(spelling, 0) + 1
        if spellings:
            name = max(sorted(spellings), key=lambda x: (spellings[x], x != x.lower() and x != x.upper()))
    name = name.strip(" /;:+-_.\\!")
    if name.startswith("(") and name.endswith(")"):
        name = name[1:-1]
    return name or pattern


# MARK: - Output

def swift_string_literal(lines):
    """A Swift raw multi-line string holding `lines`, escaping nothing (the content has no #)."""
    body = "\n".join(lines)
    assert '"""#' not in body and "\\#" not in body
    return '#"""\n' + body + '\n"""#'


def license_comment(path):
    return "\n".join("// " + line if line else "//" for line in path.read_text().rstrip().splitlines())


def crawler_list(data):
    source = data / "crawler-user-agents" / "crawler-user-agents.json"
    entries = json.loads(source.read_text())
    lines, failures = [], []
    for entry in entries:
        pattern = entry["pattern"]
        alternatives = alternatives_of(pattern)
        for instance in entry.get("instances", []):
            if not any(matches(a, instance) for a in alternatives):
                failures.append(f"{pattern!r} does not match its instance {instance!r}")
        for browser in BROWSERS:
            if any(matches(a, browser) for a in alternatives):
                failures.append(f"{pattern!r} matches the browser {browser!r}")
        tags = entry.get("tags", [])
        klass = next((k for tag, k in CLASS_BY_TAG if tag in tags), "crawler")
        category = next((c for c in CATEGORY_ORDER if c in tags), "other")
        encoded = ALT.join(str(flags) + PART.join(parts) for flags, parts in alternatives)
        name = display_name(pattern, alternatives, entry.get("instances", []))
        for field in (name, encoded):
            assert FIELD not in field and "\n" not in field
        for _, parts in alternatives:
            assert not any(ALT in p or PART in p for p in parts), pattern
        lines.append(FIELD.join((name, klass, category, encoded)))
    return entries, lines, failures


def text_list(path):
    lines = []
    for raw in path.read_text().splitlines():
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        lines.append(line.replace("\\ ", " "))
    return lines


def render(data):
    entries, crawler_lines, failures = crawler_list(data)
    crawler = f"""// Generated by Scripts/generate-stats-lists.py from monperrus/crawler-user-agents
// (crawler-user-agents.json, commit 7c7f9f25, {len(entries)} patterns). Do not edit by hand.
//
{license_comment(data / "crawler-user-agents" / "LICENSE")}

extension UserAgentLists {{
    /// One line per crawler pattern: name, class, category and the pattern's literal
    /// alternatives (flags digit then parts; see Scripts/generate-stats-lists.py).
    static let crawlerTable = {swift_string_literal(crawler_lines)}
}}
"""
    crowdsec_dir = data / "crowdsec-sec-lists"
    tables = []
    for name, file in (("badUserAgentTable", "bad_user_agents.txt"), ("sensitiveFileTable", "sensitive_data.txt"),
                       ("adminInterfaceTable", "admin_interfaces.txt"), ("backdoorTable", "backdoors.txt"),
                       ("pathTraversalTable", "path_traversal.txt"), ("sqlInjectionTable", "sqli_probe_patterns.txt"),
                       ("crossSiteScriptingTable", "xss_probe_patterns.txt")):
        lines = text_list(crowdsec_dir / file)
        tables.append(f"    /// `{file}`: {len(lines)} entries.\n    static let {name} = {swift_string_literal(lines)}")
    crowdsec = f"""// Generated by Scripts/generate-stats-lists.py from crowdsecurity/sec-lists (web/, commit
// 1149fa30). Do not edit by hand. bad_user_agents.txt carries its own notice:
// Copyright (c) 2017 Mitchell Krog, MIT License (the same terms as below).
//
{license_comment(crowdsec_dir / "LICENSE")}

extension ProbeLists {{
{chr(10).join(tables)}
}}
"""
    return {"CrawlerUserAgentList.swift": crawler, "CrowdSecWebLists.swift": crowdsec}, failures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    files, failures = render(args.data)
    if failures:
        print("\n".join(failures), file=sys.stderr)
        return 1
    if args.check:
        stale = [name for name, text in files.items() if not (OUT / name).exists() or (OUT / name).read_text() != text]
        if stale:
            print("out of date: " + ", ".join(stale), file=sys.stderr)
            return 1
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (OUT / name).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
