/* bibtex.h: what the BibTeX reader and writer share: the type and field maps between BibTeX
 * / biblatex and the CSL data model. */
#ifndef CITE_BIBTEX_H
#define CITE_BIBTEX_H

#include "record.h"

/* How a field's characters are converted (latex.h flags). */
typedef enum bib_conv {
    BIB_TEXT,     /* LaTeX to UTF-8, braces dropped */
    BIB_TITLE,    /* LaTeX to UTF-8, braces kept as <nocase> */
    BIB_VERBATIM, /* byte for byte: url, doi, file */
    BIB_NAMES,    /* the BibTeX name grammar */
    BIB_DATE,     /* biblatex/EDTF date */
} bib_conv;

/* One BibTeX field and the CSL variable it maps to. */
typedef struct bib_field_map {
    const char *bibtex; /* lowercase BibTeX/biblatex field name */
    const char *csl;    /* CSL variable, or NULL: kept under its own name */
    bib_conv conv;
} bib_field_map;

/* The CSL type for a BibTeX entry type (lowercase); "document" for one cite does not know. */
const char *cite_bibtex_csl_type(const char *bibtype);
/* The BibTeX entry type cite writes for a CSL type when no original type was kept. */
const char *cite_bibtex_default_type(const char *csl_type);
/* How the field called name (lowercase) of an entry of the given BibTeX type is read. The
 * result is static. Fields not in the map read as themselves, with BIB_TEXT. */
bib_field_map cite_bibtex_field_in(const char *bibtype, const char *name);
/* The BibTeX field name a CSL variable is written under for this entry type and dialect, or
 * NULL when the variable is written some other way (dates) or not at all. */
const char *cite_bibtex_field_out(const char *bibtype, const char *csl_var, bool biblatex);
/* How the field called name is converted, both ways: by the map, or for a field named after
 * a CSL variable ("container-title"), as the fields mapped to that variable. */
bib_conv cite_bibtex_conv(const char *name);
/* Month number 1-12 for a month name or abbreviation (English), or 0. */
int cite_bibtex_month(const char *s, size_t len);
/* BibTeX's three-letter month macro for month 1-12. */
const char *cite_bibtex_month_macro(int month);

/* Makes a citation key for rec unique in lib: the first author's family name (or the title's
 * first word) folded to ASCII letters, then the year, then a, b, ... on collisions. Caller
 * owns the result (cite_free). NULL on OOM. */
char *cite_make_key(const cite_library *lib, const cite_record *rec);

/* stem itself when no record of lib has it as id, else stem + a, b, ... z, aa, ab...: the
 * first free one. Caller owns the result (cite_free). NULL on OOM. */
char *cite_unique_key(const cite_library *lib, const char *stem);

/* What an importer does with a record before adding it to lib: *key NULL when rec's id is
 * neither empty nor taken; else a new key (cite_make_key for an empty id, cite_unique_key for
 * a taken one; the caller's, cite_free), for the caller to report and set. 0 or CITE_ENOMEM. */
int cite_key_needed(const cite_library *lib, const cite_record *rec, char **key);

#endif
