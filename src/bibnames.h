/* bibnames.h: the BibTeX name grammar (Patashnik, "Designing BibTeX Styles" §4 and BibTeX's
 * own rules), both ways. */
#ifndef CITE_BIBNAMES_H
#define CITE_BIBNAMES_H

#include "buf.h"
#include "record.h"

/* Parses a BibTeX name list src[0..len) (a field value after macro expansion, outer
 * delimiters removed, LaTeX intact): split at " and " outside braces; each name in one of
 * the forms "First von Last", "von Last, First", "von Last, Jr, First". The von part goes to
 * non_dropping_particle. A name that is a single brace group ({World Health Organization})
 * becomes a literal; "others" sets others. Parts are converted with cite_latex_to_text.
 * *out receives a cite_malloc'd array (NULL when empty) of *n_out names; caller owns it and
 * frees each with cite_name_dispose and the array with cite_free. 0 or CITE_ENOMEM. */
int cite_bibtex_names_parse(cite_name **out, size_t *n_out, const char *src, size_t len);

/* Appends names as a BibTeX name list ("von Last, Jr, First and ..."), braced where needed
 * so that cite_bibtex_names_parse gives the same names back. latex_flags as for
 * cite_latex_from_text (CITE_LATEX_ASCII for classic BibTeX). */
void cite_bibtex_names_write(cite_buf *out, const cite_name *names, size_t n, unsigned latex_flags);

#endif
