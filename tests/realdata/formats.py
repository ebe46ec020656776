#!/usr/bin/env python3
"""The same document as .txt, .md, .html, .docx and .odt gives the same citations, links and
diagnostics (issue 6).

The document is our own bib/examples/sahel-brief.txt. Its hanging-indented reference list is
first written as Markdown with one paragraph per reference (in Markdown an indented line would
join the reference above it into one paragraph); pandoc, a test-time tool, makes .html, .docx
and .odt from that. `cite check --format json` runs on the original and on every variant; the
citations (text, authors, year, status, entry), the references (id, year, times cited) and the
diagnostics (severity, flag, message) must be equal, in order. Places differ by format, so
line and column are left out, and so is the "(line N)" an ambiguity names its entries by (a
line of the document's text). Then each variant's places are checked against its own file:
every citation's place must show the citation's first word there, every reference's line the
start of the reference (the source line of .md and .html; for .docx and .odt the paragraph,
read independently with Python's zipfile and ElementTree), and the SARIF of each holds the
same diagnostics at the same places, in the shape GitHub code scanning reads.

Skips cleanly when pandoc is absent. Usage: formats.py path/to/cite
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
BRIEF = os.path.join(HERE, "..", "..", "bib", "examples", "sahel-brief.txt")


def markdown_of(text):
    """One line a paragraph, one paragraph a reference: indented lines join the line above."""
    lines = []
    for line in text.split("\n"):
        if line.startswith("    ") and lines:
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    out, in_refs = [], False
    for line in lines:
        if line.strip() == "Sources":
            in_refs = True
        elif in_refs and line and out and out[-1]:
            out.append("")
        out.append(line)
    return "\n".join(out)


def check_json(cite, path):
    run = subprocess.run([cite, "check", "--format", "json", path], capture_output=True,
                         text=True)
    if run.returncode not in (0, 1):
        sys.exit(f"formats: cite check {path} failed ({run.returncode}): {run.stderr}")
    return json.loads(run.stdout)


def sarif_problems(cite, path, report):
    """cite check --format sarif on path against what GitHub code scanning needs: SARIF
    2.1.0, one run, a driver with rules, and per diagnostic of the JSON report one result
    whose ruleId/ruleIndex name its rule, with a level, a message and a region at the same
    place."""
    run = subprocess.run([cite, "check", "--format", "sarif", path], capture_output=True,
                         text=True)
    sarif = json.loads(run.stdout)
    problems = []
    if sarif.get("version") != "2.1.0" or "sarif-2.1.0" not in sarif.get("$schema", ""):
        problems.append("not SARIF 2.1.0")
    (only_run,) = sarif["runs"]
    driver = only_run["tool"]["driver"]
    if driver["name"] != "cite" or only_run.get("columnKind") != "unicodeCodePoints":
        problems.append("driver name or columnKind")
    rules = driver["rules"]
    results = only_run["results"]
    if len(results) != len(report["diagnostics"]):
        problems.append(f"{len(results)} results for {len(report['diagnostics'])} diagnostics")
    for res, diag in zip(results, report["diagnostics"]):
        rule = rules[res["ruleIndex"]]
        region = res["locations"][0]["physicalLocation"]["region"]
        if (res["ruleId"] != diag["flag"] or rule["id"] != diag["flag"] or
                not rule["shortDescription"]["text"] or
                res["level"] != diag["severity"] or
                not res["message"]["text"].startswith(diag["message"]) or
                region["startLine"] != diag["line"] or
                region.get("startColumn", 0) != diag["column"] or
                not res["partialFingerprints"]):
            problems.append(f"result {res['ruleId']} at {region} differs from {diag}")
    return problems


def comparable(report):
    cits = [(c["text"], tuple(c["authors"]), c["year"], c["status"], c["reference"],
             tuple(c["candidates"])) for c in report["citations"]]
    refs = [(r["id"], r["year"], r["cited"]) for r in report["references"]]
    diags = [(d["severity"], d["flag"], re.sub(r" \(line \d+\)", "", d["message"]))
             for d in report["diagnostics"]]
    return {"citations": cits, "references": refs, "diagnostics": diags}


def first_word(citation):
    return citation["authors"][0].split()[0] if citation["authors"] else citation["text"][:4]


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def paragraphs_of(path, fmt):
    """Every paragraph of a .docx (<w:p>) or .odt (<text:p>, <text:h>) in document order,
    empty ones too, as its visible text: an independent reading to check places against."""
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("word/document.xml" if fmt == "docx" else "content.xml"))
    paras = []
    if fmt == "docx":
        for p in root.iter(W + "p"):
            parts = []
            for e in p.iter():
                if e.tag == W + "t":
                    parts.append(e.text or "")
                elif e.tag == W + "tab":
                    parts.append("\t")
            paras.append("".join(parts))
    else:
        for p in root.iter():
            if p.tag in (TEXT + "p", TEXT + "h"):
                paras.append(re.sub(r"\s+", " ", "".join(p.itertext())))
    return paras


def check_places(report, path, fmt):
    """Each citation's place shows its first author's first word: at line:column of the file
    (.md, .html; a citation may start with its bracket), or at the character of the paragraph
    the place names (.docx, .odt)."""
    bad = 0
    if fmt in ("md", "html", "txt"):
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    else:
        lines = paragraphs_of(path, fmt)
    for c in report["citations"]:
        line = lines[c["line"] - 1] if 0 < c["line"] <= len(lines) else ""
        word = first_word(c)
        at = line[c["column"] - 1:] if c["column"] > 0 else ""
        if not at.lstrip("([").startswith(word):
            print(f"  {fmt}: {c['text']!r} at {c['line']}:{c['column']} shows {at[:20]!r}")
            bad += 1
    for r in report["references"]:
        line = lines[r["line"] - 1] if 0 < r["line"] <= len(lines) else ""
        line = re.sub(r"^(?:<[^>]*>)+", "", line)  # the tags that open an HTML paragraph
        if not r["authors"] or not line.startswith(r["authors"][0].split()[0]):
            print(f"  {fmt}: reference {r['id']} at line {r['line']} shows {line[:20]!r}")
            bad += 1
    return bad


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: formats.py path/to/cite")
    cite = os.path.abspath(sys.argv[1])
    if not shutil.which("pandoc"):
        print("skip: formats: pandoc is absent (make deps installs it)")
        return 0
    with open(BRIEF, encoding="utf-8") as f:
        md = markdown_of(f.read())
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        paths = {"original": BRIEF}
        for ext in ("txt", "md"):
            paths[ext] = os.path.join(tmp, "brief." + ext)
            with open(paths[ext], "w", encoding="utf-8") as f:
                f.write(md)
        for ext in ("html", "docx", "odt"):
            paths[ext] = os.path.join(tmp, "brief." + ext)
            subprocess.run(["pandoc", paths["md"], "-s", "--metadata", "title=Sahel", "-o",
                            paths[ext]], check=True, capture_output=True)
        reports = {k: check_json(cite, p) for k, p in paths.items()}
        base = comparable(reports["original"])
        if not base["citations"] or not base["diagnostics"]:
            sys.exit("formats: the briefing gave no citations or no diagnostics")
        for fmt, report in reports.items():
            got = comparable(report)
            for part in ("citations", "references", "diagnostics"):
                if got[part] != base[part]:
                    failures += 1
                    print(f"FAIL: formats: {fmt} {part} differ from the original's")
                    for a, b in zip(base[part], got[part]):
                        if a != b:
                            print(f"  original: {a}\n  {fmt}: {b}")
                    if len(base[part]) != len(got[part]):
                        print(f"  {len(base[part])} in the original, {len(got[part])} in {fmt}")
            for problem in sarif_problems(cite, paths[fmt], report):
                failures += 1
                print(f"FAIL: formats: {fmt}: SARIF: {problem}")
            if fmt != "original":
                bad = check_places(report, paths[fmt], fmt)
                if bad:
                    failures += 1
                    print(f"FAIL: formats: {fmt}: {bad} places do not show their citation or entry")
        n = len(base["citations"])
        d = len(base["diagnostics"])
    print(f"formats: {len(reports)} formats (txt original, txt, md, html, docx, odt): "
          f"{n} citations, {d} diagnostics each; {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
