/* latex.h: LaTeX in BibTeX field values <-> cite text (UTF-8 with the markup of markup.h). */
#ifndef CITE_LATEX_H
#define CITE_LATEX_H

#include "buf.h"

/* Reading: a brace group that is no command's argument becomes a <nocase> span (unless it is
 * one word that cite_latex_word_protected() protects anyway, so that import -> export ->
 * import is a fixed point). Writing: <nocase> spans and protected words get braces. For
 * titles. Without it, reading drops such braces. */
#define CITE_LATEX_TITLE 1u
/* Writing: non-ASCII as LaTeX escapes, for classic BibTeX. Without it, UTF-8 is kept. */
#define CITE_LATEX_ASCII 2u
/* url, doi, file, eprint...: no conversion either way; the value is kept byte for byte. */
#define CITE_LATEX_VERBATIM 4u

/* Appends to out the cite text of a BibTeX field value src[0..len): the value after macro
 * expansion and # concatenation, outer braces or quotes removed, inner braces intact.
 * Accents and symbols become UTF-8 ({\"o}, \'{e}, {\ss}, --, ~, \&, ``...''), formatting
 * commands become markup (\emph, \textit, {\em }, \textbf, \textsc, \textsuperscript...),
 * $...$ becomes <math>, any other command <tex> with its arguments verbatim. Whitespace runs
 * collapse to one space and the ends are trimmed. Never fails on odd input: what it cannot
 * understand it keeps. OOM is left sticky in out. */
void cite_latex_to_text(cite_buf *out, const char *src, size_t len, unsigned flags);

/* Appends to out the BibTeX field value (without outer braces) for cite text: the inverse of
 * cite_latex_to_text, so reading the result back gives text again. Escapes # $ % & _ { } ~ ^
 * and backslash; markup becomes commands, <nocase> braces. */
void cite_latex_from_text(cite_buf *out, const char *text, unsigned flags);

/* True when a title word must be braced in BibTeX so that a style cannot change its case: it
 * has an uppercase letter after its first character (DNA, LaTeX, iPhone, McCarthy, COVID-19). */
bool cite_latex_word_protected(const char *word, size_t len);

#endif
