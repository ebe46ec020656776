#!/usr/bin/env python3
"""The same document as .txt, .md, .html, .docx and .odt gives the same citations, links and
diagnostics (issue 6).

The document is our own bib/examples/sahel-brief.txt. Its hanging-indented reference list is
first written as Markdown with one paragraph per reference (in Markdown an indented line would
join the reference above it into one paragraph); pandoc, a test-time tool, makes .html, .docx
and .odt from that. `cite check --format json` runs on the original and on every variant; the
citations (text, authors, year, status, entry), the references (id, year, times cited) and the
diagnostics (severity, flag, message) must be equal, in order. Places differ by format, so
line and column are left out, and so is the "(line N)" or "(paragraph N)" an ambiguity names
its entries by. Then each variant's places are checked against its own file:
every citation's place must show the citation's first word there, every reference's line the
start of the reference (the source line of .md and .html; for .docx and .odt the paragraph,
read independently with Python's zipfile and ElementTree), and the SARIF of each holds the
same diagnostics at the same places, in the shape GitHub code scanning reads.

The same for the manuscripts of ../shared/data/jats/docs (when present): each written with a
paragraph a line, as HTML (escaped by Python) and as .docx (pandoc from that HTML; HTML in,
so that no Markdown syntax can change the text); the text version is the base.

Then cite reformat --style apa on each variant of the briefing (HTML written as HTML, .docx
and .odt as Markdown, the others in their own format): checked again, every variant must give
the same rewritten citations (text, status) and the same new reference list as the text
version, and the same counts on the summary line.

Skips cleanly when pandoc is absent. Usage: formats.py path/to/cite (from the repository
root, as make runs it)
"""
import glob
import html
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
JATS_DOCS = "../shared/data/jats/docs"


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
    place = r" \((?:(?:foot|end)note \d+, )?(?:line|paragraph) \d+\)"
    diags = [(d["severity"], d["flag"], re.sub(place, "", d["message"]))
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
        at = line[c["column"] - 1:] if c["column"] > 0 else ""
        if c["year"]:  # author-date: the author's name is there (or within the citation)
            shown = first_word(c) in at[:len(c["text"]) + 2]
        else:  # numeric: its bracket or number
            shown = at[:1] in ("[", "(") or at[:1].isdigit()
        if not shown:
            print(f"  {fmt}: {c['text']!r} at {c['line']}:{c['column']} shows {at[:20]!r}")
            bad += 1
    for r in report["references"]:
        line = lines[r["line"] - 1] if 0 < r["line"] <= len(lines) else ""
        line = re.sub(r"^(?:<[^>]*>)+", "", line)  # the tags that open an HTML paragraph
        if not r["authors"] or r["authors"][0].split()[0] not in line[:100]:
            print(f"  {fmt}: reference {r['id']} at line {r['line']} shows {line[:20]!r}")
            bad += 1
    return bad


def compare(cite, name, paths, base_key):
    """Checks every variant against paths[base_key]; the number of failures and the base's
    counts of citations and diagnostics."""
    failures = 0
    reports = {k: check_json(cite, p) for k, p in paths.items()}
    base = comparable(reports[base_key])
    for fmt, report in reports.items():
        got = comparable(report)
        for part in ("citations", "references", "diagnostics"):
            if got[part] != base[part]:
                failures += 1
                print(f"FAIL: formats: {name}.{fmt} {part} differ from {base_key}'s")
                for a, b in zip(base[part], got[part]):
                    if a != b:
                        print(f"  {base_key}: {a}\n  {fmt}: {b}")
                if len(base[part]) != len(got[part]):
                    print(f"  {len(base[part])} in {base_key}, {len(got[part])} in {fmt}")
        for problem in sarif_problems(cite, paths[fmt], report):
            failures += 1
            print(f"FAIL: formats: {name}.{fmt}: SARIF: {problem}")
        if fmt in ("md", "html", "docx", "odt"):
            bad = check_places(report, paths[fmt], fmt)
            if bad:
                failures += 1
                print(f"FAIL: formats: {name}.{fmt}: {bad} places do not show their citation "
                      "or entry")
    return failures, len(base["citations"]), len(base["diagnostics"])


def reformatted(cite, paths, tmp):
    """Reformats every variant to APA; the number of variants whose rewritten citations, list
    or counts differ from the original's."""
    results, failures = {}, 0
    for fmt, path in paths.items():
        ext = {"original": "txt", "docx": "md", "odt": "md"}.get(fmt, fmt)
        out = os.path.join(tmp, f"brief-apa-{fmt}.{ext}")
        run = subprocess.run([cite, "reformat", path, "--style", "apa", "-o", out],
                             capture_output=True, text=True)
        if run.returncode not in (0, 1) or not os.path.exists(out):
            print(f"FAIL: formats: reformat brief.{fmt}: exit {run.returncode}: {run.stderr}")
            failures += 1
            continue
        report = check_json(cite, out)
        summary = run.stderr.strip().splitlines()[-1].split(": ", 1)[-1]
        results[fmt] = {
            "citations": [(c["text"], c["status"]) for c in report["citations"]],
            "references": [(r["id"], r["year"], r["cited"]) for r in report["references"]],
            "summary": summary,
        }
    base = results.get("original")
    for fmt, got in results.items():
        for part in ("citations", "references", "summary"):
            if base and got[part] != base[part]:
                failures += 1
                print(f"FAIL: formats: brief.{fmt} reformatted: {part} differ from the text's")
                for a, b in zip(base[part] if part != "summary" else [base[part]],
                                got[part] if part != "summary" else [got[part]]):
                    if a != b:
                        print(f"  txt: {a}\n  {fmt}: {b}")
    if base:
        rewritten = sum(1 for c in base["citations"] if c[1] == "resolved")
        print(f"formats: the briefing reformatted to APA as {', '.join(results)}: "
              f"{len(base['citations'])} citations ({rewritten} resolved), "
              f"{len(base['references'])} references each; {base['summary']}")
    return failures


def html_of(paragraphs):
    body = "".join("<p>" + html.escape(p, quote=False) + "</p>\n" for p in paragraphs)
    return ('<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>manuscript</title>'
            "</head><body>\n" + body + "</body></html>\n")


def paragraphs_of_manuscript(text):
    """The paragraphs of a docs/ manuscript: blank-line separated blocks of the body joined
    into one line each, then the heading References and one paragraph a reference."""
    paras, cur, refs = [], [], False
    for line in text.split("\n"):
        if refs:
            if line.strip():
                paras.append(line)
        elif line.strip() == "References":
            paras += [" ".join(cur), line] if cur else [line]
            cur, refs = [], True
        elif not line.strip():
            if cur:
                paras.append(" ".join(cur))
            cur = []
        else:
            cur.append(line)
    if cur:
        paras.append(" ".join(cur))
    return paras


def jats_manuscripts(cite, tmp):
    """../shared's JATS manuscripts, each as text (a paragraph a line), HTML and .docx."""
    if not os.path.isdir(JATS_DOCS):
        print(f"skip: formats: {JATS_DOCS} is absent")
        return 0, 0, 0
    failures = citations = docs = 0
    for txt in sorted(glob.glob(os.path.join(JATS_DOCS, "*.txt"))):
        name = os.path.basename(txt)[:-4]
        with open(txt, encoding="utf-8") as f:
            paras = paragraphs_of_manuscript(f.read())
        paths = {k: os.path.join(tmp, f"{name}.{k}") for k in ("txt", "html", "docx")}
        with open(paths["txt"], "w", encoding="utf-8") as f:
            f.write("\n\n".join(paras) + "\n")
        with open(paths["html"], "w", encoding="utf-8") as f:
            f.write(html_of(paras))
        subprocess.run(["pandoc", paths["html"], "-o", paths["docx"]], check=True,
                       capture_output=True)
        bad, n, _ = compare(cite, name, paths, "txt")
        failures += bad
        citations += n
        docs += 1
    return failures, docs, citations


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: formats.py path/to/cite")
    cite = os.path.abspath(sys.argv[1])
    if not shutil.which("pandoc"):
        print("skip: formats: pandoc is absent (make deps installs it)")
        return 0
    with open(BRIEF, encoding="utf-8") as f:
        md = markdown_of(f.read())
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
        failures, n, d = compare(cite, "brief", paths, "original")
        if not n or not d:
            sys.exit("formats: the briefing gave no citations or no diagnostics")
        print(f"formats: the briefing as txt, md, html, docx, odt: {n} citations, {d} "
              f"diagnostics each")
        failures += reformatted(cite, paths, tmp)
        bad, docs, citations = jats_manuscripts(cite, tmp)
        failures += bad
        if docs:
            print(f"formats: {docs} JATS manuscripts as txt, html, docx: {citations} citations")
    print(f"formats: {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
