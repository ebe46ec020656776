/* ris.c: the RIS reference types and text tags that the reader and the writer share. */
#include <string.h>

#include "ris.h"

/* CSL type <-> RIS type. The first row for a RIS type is the CSL type it reads as; the first
 * row for a CSL type is the RIS type it is written as. RIS types that only EndNote's older
 * exports use (JFULL, ABST, INPR...) are read as their nearest CSL type. */
static const struct {
    const char *csl, *ris;
} TYPES[] = {
    { "article-journal", "JOUR" },
    { "periodical", "JFULL" },
    { "review", "JOUR" },
    { "review-book", "JOUR" },
    { "article-magazine", "MGZN" },
    { "article-newspaper", "NEWS" },
    { "book", "BOOK" },
    { "chapter", "CHAP" },
    { "paper-conference", "CPAPER" },
    { "report", "RPRT" },
    { "thesis", "THES" },
    { "webpage", "ELEC" },
    { "post-weblog", "BLOG" },
    { "dataset", "DATA" },
    { "patent", "PAT" },
    { "legal_case", "CASE" },
    { "legislation", "STAT" },
    { "bill", "BILL" },
    { "map", "MAP" },
    { "motion_picture", "MPCT" },
    { "software", "COMP" },
    { "manuscript", "UNPB" },
    { "manuscript", "MANSCPT" },
    { "personal_communication", "PCOMM" },
    { "entry-encyclopedia", "ENCYC" },
    { "entry-dictionary", "DICT" },
    { "graphic", "ART" },
    { "pamphlet", "PAMP" },
    { "standard", "STAND" },
    { "song", "SOUND" },
    { "song", "MUSIC" },
    { "document", "GEN" },
    { "article", "GEN" },
    { "article-journal", "JFULL" },
    { "article-journal", "ABST" },
    { "article-journal", "INPR" },
    { "article-journal", "EJOUR" },
    { "paper-conference", "CONF" },
    { "book", "EBOOK" },
    { "book", "EDBOOK" },
    { "book", "SER" },
    { "book", "CTLG" },
    { "chapter", "ECHAP" },
    { "report", "GOVDOC" },
    { "legislation", "LEGAL" },
    { "motion_picture", "VIDEO" },
    { "personal_communication", "ICOMM" },
    { "webpage", "WEB" },
};

const char *cite_ris_type_for(const char *csl_type)
{
    for (size_t i = 0; csl_type && i < CITE_ARRAY_LEN(TYPES); i++)
        if (!strcmp(TYPES[i].csl, csl_type))
            return TYPES[i].ris;
    return "GEN";
}

const char *cite_ris_csl_type(const char *ris_type)
{
    for (size_t i = 0; i < CITE_ARRAY_LEN(TYPES); i++)
        if (!strcmp(TYPES[i].ris, ris_type))
            return TYPES[i].csl;
    return NULL;
}

/* In the order a record's lines are written: titles, then numbers, publication, identifiers,
 * notes. Names, dates, pages, ISBN/ISSN and keywords have their own rules (ris_write.c). */
static const cite_ris_tag TEXT_TAGS[] = {
    { "TI", "title" },
    { "ST", "title-short" },
    { "T2", "container-title" },
    { "J2", "container-title-short" },
    { "T3", "collection-title" },
    { "VL", "volume" },
    { "IS", "issue" },
    { "M1", "number" },
    { "NV", "number-of-volumes" },
    { "ET", "edition" },
    { "M3", "genre" },
    { "PB", "publisher" },
    { "CY", "publisher-place" },
    { "DO", "DOI" },
    { "UR", "URL" },
    { "LA", "language" },
    { "CN", "call-number" },
    { "DB", "archive" },
    { "AB", "abstract" },
    { "N1", "note" },
};

const cite_ris_tag *cite_ris_text_tags(size_t *n)
{
    *n = CITE_ARRAY_LEN(TEXT_TAGS);
    return TEXT_TAGS;
}
