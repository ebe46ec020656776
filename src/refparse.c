/* refparse.c: one free-text reference -> a CSL record, by heuristics over pcre2 patterns.
 *
 * The reference is copied, its DOI, URLs and access notes are read and blanked, then the
 * style decides where the authors end: a year in parentheses (author-date), "Name, I. 2019."
 * (Harvard without parentheses), a quoted title after a comma (IEEE), "Family GH," people
 * (Vancouver), or the first sentence end (MLA and the rest). The title follows; what remains
 * is searched for the container, volume, issue, pages, edition, publisher and place, report
 * numbers. Every pattern is bounded and only the first CITE_REF_MAX bytes are examined (a
 * list of names too long for them is cut down first, in one pass), so the time is linear in
 * the input. */
#include "refparse.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include "buf.h"
#include "places.h"
#include "rx.h"

#define CITE_REF_MAX 4096 /* bytes of a reference examined; the rest is ignored */
/* Bytes of a longer list of names that are kept, under the 2,000 that parse() splits into
 * people; the names after them become "others" (long_names) */
#define CITE_REF_NAMES 1920

enum {
    RX_LABEL,
    RX_DOI,
    RX_URL,
    RX_PMID,
    RX_ACCESSED,
    RX_AVAIL,
    RX_PARENDATE,
    RX_BAREDATE,
    RX_IEEE,
    RX_VANC,
    RX_EDITORS_IN,
    RX_EDITED_BY,
    RX_VOLISS,
    RX_VOL,
    RX_ISSUE,
    RX_PAGES,
    RX_COLONPAGES,
    RX_RANGE,
    RX_EDITION,
    RX_PUBPLACE,
    RX_REPORT,
    RX_THESIS,
    RX_YEAR,
    RX_CONT_END,
    RX_PROC,
    RX_ORG,
    RX_EDMARK,
    RX_INITFIRST,
    RX_TITLE_CUT,
    RX_FAMFIRST,
    RX_PUBWORD,
    RX_TECHREP,
    RX_EDITORS_PRE,
    RX_YVP,
    RX_HUM,
    RX_TITLE_CUT2,
    RX_ARTNUM,
    RX_YEAR_AFTER,
    RX_TITLE_CUT3,
    RX_EDWORD,
    RX_MORENAMES,
    RX_EDHEAD,
    RX_NAMEYEAR,
    RX_MORECAPS,
    RX_MOREGIVEN,
    RX_TITLE_TAIL,
    RX_TITLEFIRST,
    RX_JOURNAL_ONLY,
    RX_PAREN_ED,
    RX_COUNT
};

static const cite_rx_pattern patterns[] = {
    /* "[6]", "12.", "3)", a bullet, or a bare number before "Family," ("62 Cross, M.") */
    { "label",
      "^\\s*(?:\\[\\d{1,4}\\]|\\d{1,4}[.)](?=\\s)|[-•*–](?=\\s)"
      "|\\d{1,3}\\s+(?=\\p{Lu}[\\p{L}'’-]+,))\\s*",
      0 },
    { "doi",
      "(?:(?i:doi)\\s*:?\\s*)?(?:https?://(?:dx\\.)?doi\\.org/)?\\b(?<doi>10\\.\\d{4,9}/"
      "[^\\s\\]>]+)",
      PCRE2_CASELESS },
    { "url", "(?:https?://|www\\.)[^\\s\\]>]+", PCRE2_CASELESS },
    { "pmid", "\\b(?<kind>PMID|PMCID)\\s*:?\\s*(?<id>(?:PMC)?\\d{1,10})\\b", 0 },
    { "accessed",
      "[\\[(]?\\s*(?:last\\s+)?(?:accessed|retrieved|viewed|cited)(?:\\s+on)?:?\\s*"
      "(?<d>\\d{1,2}\\s+\\p{L}+\\.?,?\\s+\\d{4}|\\p{L}+\\.?\\s+\\d{1,2},?\\s+\\d{4}|"
      "\\d{4}-\\d\\d-\\d\\d|\\d{4}\\s+\\p{L}+\\s+\\d{1,2})\\s*[\\])]?\\.?"
      /* "Retrieved March 21, 2014, from", "Retrieved on May 3, 2015 at" */
      "(?:,?\\s*(?:from|at)(?=\\s|$))?",
      PCRE2_CASELESS },
    { "avail",
      "(?:available\\s+(?:at|from|online)|retrieved\\s+from|online|retirado\\s+de|"
      "recuperado\\s+de|disponible\\s+(?:en|sur)|dispon[ií]vel\\s+em)\\s*:?\\s*$",
      PCRE2_CASELESS },
    /* not the issue of Vancouver's "2012;279(1748):4724" */
    { "parendate",
      "(?<!;\\d|;\\d\\d|;\\d\\d\\d|;\\s\\d|;\\s\\d\\d|;\\s\\d\\d\\d)\\(\\s*(?:"
      /* the month or season before the year: "(July 1978)", "(Summer 2008)" */
      "(?:(?<mb>\\p{Lu}\\p{Ll}{2,8}\\.?)\\s+(?=(?:1[5-9]|20)\\d\\d\\s*\\)))?"
      "\\[?(?<y>(?:1[5-9]|20)\\d\\d)(?<s>[a-z])?\\]?(?&o)?(?:\\s*[,/]\\s*(?<md>[^()]{1,30}?))?"
      "|(?<lit>n\\.\\s?d\\.?|in\\s+press|forthcoming|no\\s+date)(?:\\s?-(?<ls>[a-z]))?)\\s*\\)"
      "(?&o)?"
      /* the other year of "(1995 [1992])", "([1857], 2011)", "(1968) [1916]" */
      "(?(DEFINE)(?<o>,?\\s*\\[(?:1[5-9]|20)\\d\\d\\]|,\\s*(?:1[5-9]|20)\\d\\d(?=\\s*\\))))",
      PCRE2_CASELESS },
    { "baredate",
      "[.,]\\s+(?:\\[?(?<y>(?:1[5-9]|20)\\d\\d)(?<s>[a-z])?\\]?"
      "(?:\\s*\\[(?:1[5-9]|20)\\d\\d\\]|(?<=\\])\\s+(?:1[5-9]|20)\\d\\d)?|(?<lit>n\\.\\s?d|in\\s+"
      "press|"
      "forthcoming)(?:\\.?-(?<ls>[a-z]))?)[.,:]\\s",
      PCRE2_CASELESS },
    { "ieee", "\\G(?<a>[^\"“”«»„]{1,600}?),\\s*(?=[\"“„«»]|``)", 0 },
    { "vanc",
      "\\G(?:(?:[\\p{L}'’-]+\\s+){1,3}(?&i)(?:,+\\s*(?:[\\p{L}'’-]+\\s+){1,3}(?&i)"
      "(?:\\s+(?:Jr|Sr|2nd|3rd)\\.?)?)+|(?:[\\p{L}'’-]+\\s+){1,3}\\p{Lu}{2,3}"
      "|\\p{Lu}\\p{Ll}[\\p{L}'’-]*\\s+\\p{Lu}\\.(?:-?\\p{Lu}\\.){0,2}"
      "(?=\\s(?!\\p{Lu}[\\p{L}'’-]*(?:[.,]\\s|\\s+(?:(?:and|&)\\s+\\p{Lu}|et\\s)))))"
      "(?:,?\\s+et\\s+al(?:,(?=\\s))?)?(?:[.:]\\s|(?<=[.,])\\s)"
      "(?(DEFINE)(?<i>\\p{Lu}(?:\\.?-?\\p{Lu}){0,2}\\.?))",
      0 },
    /* "In J. Smith (Eds.),", "In: G. Siepmann (Hrsg.):", "in P. Damgaard, et al. (editors)",
     * "In K. Brown (gen. ed.)", "In R. Laffont (éd.)", "(sous la dir.)", "(a cura di)" */
    { "editors_in",
      "\\G(?:In:?|in)\\s+(?<e>[^()]{1,300}?)\\s*\\((?:eds?|Eds?|Hrsg|Hg|[Ee]ditors?|éds?|dirs?|"
      "coords?|gen\\.\\s?eds?|sous\\s+la\\s+dir(?:ection)?|a\\s+cura\\s+di)\\.?\\s?\\)[,.:]?\\s*",
      0 },
    { "edited_by",
      "(?:\\G|[,.]\\s*|\\s)(?:[Ee]dited\\s+by|[Ee]ds?\\.\\s+by|[Ee]ds?\\.)\\s+"
      "(?<e>\\p{Lu}(?:[^.()\\d]|(?<=\\b\\p{Lu})\\.){1,200}?)"
      "(?=(?<!\\b\\p{Lu})\\.|\\(|,\\s+(?=\\d|pp?\\.|\\p{Lu}\\p{Ll}+(?:,|\\s*:))|$)",
      0 },
    /* not the last page and the year of "259-316 (1962)" */
    { "voliss", "(?<![\\d.\\-])(?<!–)(?<v>\\d{1,5})\\s*\\((?<i>[^()]{1,20})\\)", 0 },
    { "vol", "\\b(?:vol(?:ume)?\\.?|Bd\\.|v\\.)\\s*(?<v>\\d+[a-z]?)", PCRE2_CASELESS },
    { "issue", "\\b(?:no|nr|issue|num)\\.?\\s*(?<i>\\d+(?:[-–/]\\d+)?)", PCRE2_CASELESS },
    { "pages", "\\b(?:pp?\\.?|pages?|S\\.)\\s*(?<p>[eA-Z]?\\d+(?:\\s*[-–—]+\\s*[eA-Z]?\\d+)?)", 0 },
    { "colonpages", ":\\s*(?<p>[A-Za-z]{0,3}\\d+(?:\\s*[-–—]+\\s*[A-Za-z]{0,3}\\d+)?)\\b", 0 },
    { "range", "(?<![\\d(])(?<p>\\d+\\s*[-–—]+\\s*\\d+)(?![\\d)])", 0 },
    { "edition", "\\b(?<n>\\d+)\\s*(?:st|nd|rd|th)?\\.?\\s+(?:edn|ed|edition|Aufl)\\b\\.?",
      PCRE2_CASELESS },
    { "pubplace",
      "(?:\\G|[.,()]\\s*)(?<place>(?&w)(?:(?:[ ,]+|\\s+(?:and|und|et|&)\\s+|\\s*[;/]\\s*|"
      "\\s+(?:de|do|da|del|di|am|upon|on|sur|en)\\s+)(?&w)){0,3}"
      /* "Palo Alto (CA): Stanford University Press", "Halle (Saale): Universität" */
      "(?:\\s\\(\\p{Lu}[\\p{L}.]{1,15}\\))?)"
      "\\s*:\\s*(?<pub>(?:(?!\\s(?!(?:1[5-9]|20)\\d\\d\\b)\\d+\\s*[,(:])[^.;:()\\[\\]\"“”]|(?<="
      "\\b\\p{Lu})\\.){2,120}?)"
      "\\s*(?=[,.;()]|$)"
      /* a word of a place: "St.", "N.Y." and "Calif.:" end in a period, "Relations." of a
       * title does not; no place is one letter ("J. Phys. B: At. Mol. Opt. Phys.") */
      "(?(DEFINE)(?<w>\\p{Lu}(?=[\\p{L}.])(?:[\\p{L}'’-]|\\.(?=\\p{L}))*"
      "(?:(?<=\\b\\p{Lu}|\\b\\p{Lu}\\p{L}|\\b\\p{Lu}\\p{L}\\p{L})\\.|\\.(?=\\s*:))?))",
      0 },
    { "report",
      "(?<g>(?:\\p{Lu}[\\p{L}-]*\\s+){0,4}(?:Report|Brief|Paper|Note|Bulletin|Series|"
      "Memorandum|Report\\s+Series))\\s+(?:No\\.?|Number|no\\.|nr\\.)\\s*(?<n>[\\w/"
      "-]+(?:\\.\\d+)?)",
      0 },
    { "thesis",
      "\\b(?:Ph\\.?\\s?D\\.?|doctoral|master'?s?|M\\.?A\\.?|M\\.?Sc\\.?|bachelor'?s?)\\s+"
      "(?:thesis|dissertation)|\\b(?:thesis|dissertation)\\b",
      PCRE2_CASELESS },
    /* a year, not a page or volume that looks like one ("pp. 2054–2060", "vol. 1505") */
    { "year",
      "(?<![\\d])(?<!\\bpp\\.\\s)(?<!\\bpp\\.)(?<![^\\d]\\sp\\.\\s)"
      "(?<!\\b[Vv]ol\\.\\s)(?<!\\b[Vv]ol\\.)"
      "(?<!pp\\.\\s\\d\\d\\d\\d[-–])(?<!pp\\.\\d\\d\\d\\d[-–])(?<![^\\d]\\sp\\.\\s\\d\\d\\d\\d[-–])"
      "(?<y>(?:1[5-9]|20)\\d\\d)(?<s>[a-z])?(?!\\d)",
      0 },
    { "cont_end",
      "\\s*(?:[,.;:]\\s*(?=\\d(?!(?:\\d{3}|\\d{0,2}(?:st|nd|rd|th)\\.?)\\s+[^,;:()]{0,80}?"
      "\\b(?:Conference|Symposium|Workshop|Congress|Meeting|Colloquium)\\b)|vol\\b|Vol\\b|no\\.|pp?"
      "\\.|[Pp]ages?|\\(|doi|https?:|"
      "Available|Retrieved|Pp\\.?\\s)|\\((?!\\p{Lu}{2,}(?:[-*]?\\d\\d(?:\\d\\d)?)?\\)|"
      /* "Education comparée (nouvelle série), 6", not "Ellipses (Paris), 178" */
      "\\p{Ll}[^()\\d,]{0,30}\\)\\s*,?\\s*(?!(?:1[5-9]|20)\\d\\d\\b)\\d)|;|\\s\\d+"
      "\\s*[(:,;.]|,\\s+\\d|"
      "\\s\\d+\\s+\\d+\\s*[-–]\\s*\\d|"
      ",\\s+(?:Winter|Spring|Summer|Fall|Autumn)\\b|"
      ",\\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\\.?(?:\\s|,|$)|"
      ",\\s+(?i:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|"
      "décembre|printemps|été|automne|hiver)\\b|"
      ",\\s+(?:to appear|in press|forthcoming)|[,.]?\\s+(?:v\\.\\s*\\d|No\\.?\\s*\\d|n°|"
      "[Ee]dited\\s+by|[Ee]ds?\\.\\s|[Vv]olume\\s)|"
      "[.,]\\s+Trans(?:lated)?\\.?\\s+(?:by\\s+)?\\p{Lu}\\p{Ll}+\\s+\\p{Lu}|,\\s+\\p{Lu}[\\p{L}. "
      "]{1,30},\\s+(?:\\p{Lu}{2}|"
      "USA|UK|Canada|Germany|France|Italy|Japan|Spain|Australia|China)\\b)",
      0 },
    { "proc", "\\b(?:proceedings|proc\\.|conference|symposium|workshop|congress)\\b",
      PCRE2_CASELESS },
    { "org",
      "\\b(?:International|Group|Council|Organi[sz]ation|Nations|Association|Institute|"
      "Society|Committee|Agency|Bank|Ministry|Department|Division|University|Cent(?:er|re)|Office|"
      "Commission|Fund|Foundation|Union|Board|Service|Bureau|Federation|Inc|Ltd|Corporation|"
      "Network|Team|Consortium|Project|Initiative|Alliance|Government|Programme|Program|"
      "Trust|Council|Authority|Forum|Watch|Amnesty|UNESCO|UNICEF|OECD|WHO|NASA)\\b",
      0 },
    { "edmark", "\\s*[(\\[]?\\b(?:eds?|Eds?|Hrsg|editors?)\\.?[)\\]]?\\s*[,.]?\\s*$", 0 },
    { "initfirst",
      "\\G(?<a>(?:(?&p)(?:,\\s+(?:and\\s+)?|\\s+and\\s+|\\s*&\\s*))*(?&p))[,:.]\\s+"
      "(?(DEFINE)(?<p>\\p{Lu}\\p{Ll}?\\.(?:\\s?-?\\p{Lu}\\p{Ll}?\\.)*\\s*"
      "(?:(?:van|von|de|der|den|du|da|di|la|le|dos|del)\\s+){0,3}\\p{Lu}[\\p{L}'’-]+"
      "(?:\\s+Jr\\.?)?))",
      0 },
    /* a genre after a comma ends a title: "Title, Ph.D. thesis", "Title, Tech Report #296" */
    { "title_cut",
      ",\\s+(?=(?:Ph\\.?\\s?D|Master'?s|M\\.\\s?Sc|Doctoral|Diploma|Tech(?:nical)?\\.?\\s+[Rr]ep|"
      "TR[\\s#-]*\\d|Preprint|Internal\\s+[Rr]eport|Working\\s+[Pp]aper|Research\\s+[Rr]eport|"
      "Unpublished|Dissertation|Thesis|Draft)\\b)|"
      ",\\s+(?=[^,\\d](?:[^,.]|\\.(?!\\s\\p{Lu}[\\p{L}-]*[\\s,])){1,79},"
      "\\s*(?:vol|Vol|v\\.\\s*\\d|n°|\\d)|[^,:]{2,40}:\\s|to appear|in press)|"
      "\\s+\\((?=[^()]{1,80}:\\s*[^()]{1,80}\\d{4}\\))|,\\s+(?=In\\b|in:|in\\s+\\p{Lu}|Proc\\b|"
      "Proc\\.|"
      "Proceedings|Journal|J\\.|Trans\\.|IEEE|ACM|"
      "Lecture|vol\\.|Vol\\.|\\p{Lu}[\\p{L}.]*\\s[^,]{0,60}\\d)",
      0 },
    { "famfirst",
      "\\G(?<a>(?:(?&f)(?&ci)(?:[,;]\\s*(?:and\\s+|&\\s*)?|\\s+(?:and|&)\\s+))*"
      "(?&f)(?&ci)(?:,?\\s+et\\s+al\\.?)?)[,:.]?\\s+"
      "(?(DEFINE)(?<f>(?:(?:van|von|de|der|den|du|da|di|le|la|dos|del)\\s+){0,3}"
      "\\p{Lu}[\\p{L}'’-]+(?:\\s\\p{Lu}[\\p{L}'’-]+)?)"
      "(?<i>(?:\\p{Lu}\\p{Ll}\\s(?=\\p{Lu}\\.))?"
      "\\p{Lu}\\p{Ll}?\\.(?:\\s?-?\\p{Lu}\\p{Ll}?\\.)*(?:,?\\s+Jr\\.?)?)"
      "(?<ci>,\\s*(?&i)|\\s+\\((?&i)\\)))",
      0 },
    { "pubword",
      "\\b(?:Press|Publish\\w*|Publications|Wiley|Springer|Elsevier|Kaufmann|Ltd|Verlag|"
      "Sons|Books|Addison|Prentice|McGraw|Routledge|Blackwell|Sage|Macmillan|Penguin|Norton|"
      "Harper|Academic|Birkh\\w+|Dekker|Pergamon|Wadsworth|Pearson|Cengage|Éditions|Editions|"
      "Gallimard|Seuil|PUF|Karthala|Harmattan|Brill|Kluwer|Taylor|Francis|Cambridge|Oxford)\\b",
      0 },
    { "techrep",
      "\\b(?<g>(?:Technical|Tech\\.|Research|Internal|Working)\\s+(?:Report|Rep\\.|Memo|Paper|"
      "Note)|Report)\\s+(?:No\\.?\\s*|#\\s*)?(?<n>[A-Z0-9][\\w./-]*\\d[\\w./-]*)?",
      PCRE2_CASELESS },
    /* "In: C. D. Darlington & K. R. Lewis, eds. Chromosomes today": the names are checked
     * when no comma follows the mark (the group "bare" is set) */
    { "editors_pre",
      "\\G(?:In:?\\s+)?(?<e>[^()]{1,300}?),?\\s+\\(?(?:editors?|eds?\\.?)\\)?"
      "(?:,\\s+|(?<bare>\\.?\\s+(?=\\p{Lu})))",
      0 },
    { "yvp",
      "\\b(?:1[5-9]|20)\\d\\d[a-z]?[,;]\\s*(?<v>\\d{1,4})(?:\\s*\\((?<i>[^()]{1,10})\\))?\\s*[,:]"
      "\\s*"
      "(?<p>[A-Za-z]{0,3}\\d+(?:\\s*[-–]\\s*[A-Za-z]{0,3}\\d+)?)",
      0 },
    { "hum",
      "\\G(?:(?<a>(?&f),\\s+(?&g)(?:\\.?,?\\s+(?:and|&)\\s+(?&g)\\.?\\s+(?&f))?)"
      "(?:,\\s+(?<ed>eds?|editors?))?(?:\\.,|[.,])"
      "|(?<b>(?&h)\\s+(?&f)(?:,\\s+(?&h)\\s+(?&f)"
      "|,?\\s+(?:and|&)\\s+(?&h)(?:\\s+\\p{Lu}\\p{Ll}+)?\\s+(?&f))*)"
      "[.,])\\s+(?=[\\p{Lu}"
      "‘“\"'«])"
      "(?(DEFINE)(?<f>(?:(?:van|von|de|der|du|da|di|le|la)\\s+){0,2}\\p{Lu}[\\p{L}'’-]+)"
      "(?<g>\\p{Lu}\\p{Ll}+(?:\\s\\p{Lu}\\p{Ll}+)?(?:\\s+\\p{Lu}\\.(?=\\s\\p{Lu}\\.))*"
      "(?:\\s+\\p{Lu}(?=\\.))?)(?<h>\\p{Lu}\\p{Ll}+(?:\\s+\\p{Lu}\\.)*))",
      0 },
    { "title_cut2",
      ",\\s+(?=(?:Ph\\.?\\s?D|Master'?s|M\\.\\s?Sc|Doctoral|Diploma|Tech(?:nical)?\\.?\\s+[Rr]ep|"
      "TR[\\s#-]*\\d|Preprint|Internal\\s+[Rr]eport|[Ww]orking\\s+[Pp]aper|Research\\s+[Rr]eport|"
      "Unpublished|Dissertation|Thesis|Draft)\\b)|"
      /* "Title, in New Trends in Macroeconomics", "Title, in E. Brousseau (eds.)" */
      ",\\s+(?=in:?\\s+\\p{Lu})|"
      ",\\s+(?=\\p{Lu}(?:[^,:\\d]{1,40}|[^,:\\d.?()]{1,40},\\s*\\p{Lu}[^,:\\d.?()]{1,30}):\\s)|\\s+"
      "\\((?=\\p{Lu}[^():]{1,60}:\\s*[^():]{1,80}\\))",
      0 },
    { "artnum",
      "(?<![\\d.])(?<v>\\d{1,4})(?:\\s*\\((?<i>[^()]{1,10})\\))?,\\s*(?<p>[A-Za-z]?\\d{1,9})\\s*\\."
      "?\\s*$",
      0 },
    { "year_after", "\\G\\s*\\(?(?<y>(?:1[5-9]|20)\\d\\d)(?<s>[a-z])?\\)?[.,:]\\s+", 0 },
    /* where a title without a sentence end runs into "Journal Name 21(5), 55" or
     * ", Journal Name, v. 113": the journal holds no period and numbers follow it */
    { "title_cut3",
      ",\\s+(?=\\p{Lu}[^,.;:]{1,80}(?:,\\s*(?:vol\\.?\\s*\\d|Vol\\.?\\s*\\d|v\\.\\s*\\d|n°|"
      "[Nn]o\\.?\\s*\\d|pp?\\.\\s*\\d|(?!(?:1[5-9]|20)\\d\\d\\b)\\d)|\\s\\d{1,4}\\s*[(:]"
      /* "Computing in Musicology 9 152-58", "Music Conference 55-56." */
      "|\\s\\d{1,4}\\s+\\d{1,5}\\s*[-–—]+\\s*\\d{1,5}\\b|\\s\\d{1,5}\\s*[-–—]+\\s*\\d{1,5}\\s*\\.?"
      "\\s*$))|"
      ";\\s+(?=\\p{Lu}[^;.]{2,80}\\s\\d)|"
      /* "Title: Water Resources Research, v. 41 (7)" */
      ":\\s+(?=\\p{Lu}[^:,.;]{1,80},\\s*v\\.\\s*\\d)",
      0 },
    /* the rest of "Abelson, H., G. J. Sussman and J. Sussman. Title": people written given
     * name first after a first one written family first; the first of them has initials or
     * follows "and", so that a title ("The Modern Presidency.") is not taken for a name */
    /* words of an edition statement: "Third edition", "Revised and expanded", "Reprint" */
    { "edword",
      "\\b(?:edition|revised|expanded|reprint|reproduction|reissue|facsimile|translated|"
      "augmented|enlarged)\\b",
      PCRE2_CASELESS },
    { "morenames",
      "\\G(?:(?:and|&|et)\\s+(?&g)|(?&i))\\s+(?&f)"
      "(?:(?:,\\s+(?:(?:and|&|et)\\s+)?|,?\\s+(?:and|&|et)\\s+)(?&g)\\s+(?&f))*"
      "(?:,?\\s+et\\s+al\\.?)?(?=[.,]\\s|\\s*\\()"
      "(?(DEFINE)(?<f>(?:(?:van|von|de|der|den|du|da|di|le|la|dos|del)\\s+){0,3}"
      "\\p{Lu}[\\p{L}'’-]+)"
      "(?<i>\\p{Lu}\\p{Ll}?\\.(?:\\s?-?\\p{Lu}\\p{Ll}?\\.)*)"
      "(?<g>(?&i)|\\p{Lu}\\p{Ll}+(?:\\s+(?&i))?))",
      0 },
    /* the editor mark closing the names of an edited book: "Baker, David W., ed.",
     * "Gibbon D., Moore R.K. (Eds)", "Hudson, Brian (Ed.):" */
    { "edhead",
      "(?:\\s*[(\\[](?:[Ee]ds?|[Ee]ditors?|Hrsg|[Dd]irs?|[Cc]oords?)\\.?[)\\]]|"
      ",\\s*(?:eds?|editors?|Hrsg)\\b\\.?|\\s+(?:eds?|Hrsg)\\.)[.,:]?\\s+",
      0 },
    /* the year of "Adams, John P. 1969 Bottle Collecting", "GRÉGOIRE H., 1948 : Dans la
     * montagne", "Siebert, Hannes, and Sanna Tasala 2014. The Role": after the names with no
     * period before it, before a capitalised title */
    { "nameyear",
      "(?:[.,]\\s*|\\s)(?<y>(?:1[5-9]|20)\\d\\d)(?<s>[a-z])?(?:\\s*\\[(?:1[5-9]|20)\\d\\d\\])?"
      "(?:\\s*:\\s+|\\.?\\s+(?=[\\p{Lu}“\"‘«]))",
      0 },
    /* the next person of "MORASZ, Laurent. PERRIN-NIQUET, Annick. VEROT, Jean-Pierre.": a
     * family name in capitals, a comma, given names, a period */
    { "morecaps",
      "\\G\\p{Lu}[\\p{Lu}'’-]+(?:\\s+\\p{Lu}[\\p{Lu}'’-]+)?,\\s+\\p{Lu}\\p{Ll}[\\p{L}-]*"
      "(?:\\s+\\p{Lu}\\p{Ll}[\\p{L}-]*)?\\.\\s+",
      0 },
    /* the rest of "Roland, Perry, Andrew Hankinson, and Laurent Pugin.": people written given
     * name first up to a last one after "and" */
    { "moregiven",
      "\\G(?&p)(?:,\\s+(?&p))*,?\\s+(?:and|&)\\s+(?&p)(?=[.,]\\s)"
      "(?(DEFINE)(?<p>\\p{Lu}\\p{Ll}+(?:\\s+(?:\\p{Lu}\\.|\\p{Lu}\\p{Ll}+))?\\s+"
      "(?:(?:van|von|de|der|du|da|di|le|la)\\s+){0,2}\\p{Lu}[\\p{L}'’-]+))",
      0 },
    /* what ends a title in any style: ", 3rd edn.", ", ed. Jean-Claude Guy", "(Manchester,
     * 2006)" */
    { "title_tail",
      ",\\s+(?=\\d+(?:st|nd|rd|th)?\\.?\\s+(?:edn|ed|edition)\\b)"
      "|,\\s+(?=(?:eds?\\.|edited\\s+by)\\s+\\p{Lu})"
      /* "(pp. 1-27)", "(4ème ed.)", "(second edition)" */
      "|,?\\s+\\((?=pp?\\.\\s*\\d|[^()]{1,24}\\b(?:ed|edn|edition|éd)\\.?\\))"
      /* APA's description after a title: "(Report)", "(Unpublished doctoral dissertation)",
       * "(Policy Brief 2012-01)", "(H. J. Silverman, Trans.)", "(translated by D. Martin)" */
      "|,?\\s+\\((?=[^()]{0,60}\\b(?:(?:[Rr]eport|[Dd]issertation|[Tt]hesis|[Bb]rief|[Pp]aper|"
      "[Tt]ranslated|[Mm]anuscript)\\b|[Tt]rans\\.)[^()]{0,40}\\)\\s*[.,])"
      "|\\s+\\((?=\\p{Lu}[^():]{1,60},\\s*(?:1[5-9]|20)\\d\\d\\))",
      0 },
    /* the people and the year after a title that opens the reference: "Title Paltsev, S.,
     * V. Karplus and H.D. Jacoby 2014 Climate Policy" */
    { "titlefirst",
      "(?<=\\s)(?<a>(?:(?:de|van|von|der|den|du|da|di|le|la)\\s+){0,3}\\p{Lu}[\\p{L}'’-]+,\\s+(?&i)"
      "(?:,\\s+(?:and\\s+)?(?&i)\\s*(?&f)){0,40}"
      "(?:,?\\s+(?:and|&)\\s+(?&i)\\s*(?&f))?)\\s+(?<y>(?:1[5-9]|20)\\d\\d)(?<s>[a-z])?\\s+"
      "(?=\\p{Lu})"
      "(?(DEFINE)(?<f>(?:(?:de|van|von|der|den|du|da|di|le|la)\\s+){0,3}\\p{Lu}[\\p{L}'’-]+"
      "(?:\\s\\p{Lu}[\\p{L}'’-]+)?)(?<i>\\p{Lu}\\.(?:-?\\p{Lu}\\.){0,3}))",
      0 },
    /* astronomy's references without a title: "Kempner J.C., David L.P., 2004a, ApJ, 607,
     * 200" - after the date, only the journal's abbreviation, the volume and the page */
    { "journal_only",
      "\\G(?<j>\\p{Lu}[\\p{L}&.]{0,12}(?:\\s\\p{Lu}[\\p{L}&.]{0,12}){0,2}),\\s*(?<v>\\d{1,5}[A-Z]?)"
      ","
      "\\s*(?<p>[A-Z]?\\d{1,6})\\s*\\.?\\s*$",
      0 },
    /* APA's editor or translator in parentheses after a title: "(I. Mueller, Ed.)", "(A. M.
     * Henderson, & T. Parsons, Trans.)" */
    { "paren_ed",
      "\\G\\((?<e>[^()]{1,160}?),?\\s+(?<k>Eds?|Trans|Ed\\.\\s*&\\s*Trans)\\.\\)[.,]?\\s*", 0 },
};

_Static_assert(CITE_ARRAY_LEN(patterns) == RX_COUNT, "one table row per RX_ name, in order");

struct cite_refparser {
    cite_rx_set *rx;
};

int cite_refparser_new(cite_refparser **out, cite_diag *diag)
{
    *out = NULL;
    cite_refparser *p = cite_calloc(1, sizeof(*p));
    if (!p)
        return CITE_ENOMEM;
    int rc = cite_rx_set_new(&p->rx, patterns, CITE_ARRAY_LEN(patterns), diag);
    if (rc != 0) {
        cite_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

void cite_refparser_free(cite_refparser *p)
{
    if (!p)
        return;
    cite_rx_set_free(p->rx);
    cite_free(p);
}

/* ---- small text helpers ---------------------------------------------------------------- */

typedef struct span {
    size_t b, e;
} span;

typedef struct ctx {
    cite_refparser *p;
    char *s; /* working copy, NUL-terminated; blanked parts are spaces */
    size_t n;
    cite_record *rec;
    int err;
    size_t names_e; /* where the names of a long list cut down end in s (long_names), or 0 */
    bool quoted;    /* the title was in quotes: an article or chapter */
} ctx;

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* True when s[i..] starts with the UTF-8 sequence lit. */
static bool at(const char *s, size_t n, size_t i, const char *lit)
{
    size_t l = strlen(lit);
    return i + l <= n && memcmp(s + i, lit, l) == 0;
}

/* Double quotes a title may open with, and the marks that close each: English “”, "", TeX
 * ``'', French « » (which nest: « un « mot » cité »), German „“ and »«. */
typedef struct quote {
    const char *open, *close, *close2; /* close2: a second accepted closing mark, or NULL */
    bool nests;
} quote;

static const quote quotes[] = {
    { .open = "\"", .close = "\"", .close2 = "\xe2\x80\x9d" },
    { .open = "\xe2\x80\x9c", .close = "\xe2\x80\x9d", .close2 = "\"" },
    { .open = "``", .close = "''", .close2 = "\"" },
    { .open = "\xc2\xab", .close = "\xc2\xbb", .nests = true },
    { .open = "\xc2\xbb", .close = "\xc2\xab", .nests = true },
    { .open = "\xe2\x80\x9e", .close = "\xe2\x80\x9c", .close2 = "\xe2\x80\x9d" },
};

/* The quote opening at s[i], or NULL. */
static const quote *quote_at(const char *s, size_t n, size_t i)
{
    for (size_t k = 0; k < CITE_ARRAY_LEN(quotes); k++)
        if (at(s, n, i, quotes[k].open))
            return &quotes[k];
    return NULL;
}

/* The offset of the mark closing q in s[from..n), its length in *len; n when unclosed. */
static size_t quote_close(const char *s, size_t from, size_t n, const quote *q, size_t *len)
{
    size_t depth = 0;
    for (size_t k = from; k < n; k++) {
        if (q->nests && at(s, n, k, q->open)) {
            depth++;
            k += strlen(q->open) - 1;
        } else if (at(s, n, k, q->close) || (q->close2 && at(s, n, k, q->close2))) {
            size_t l = at(s, n, k, q->close) ? strlen(q->close) : strlen(q->close2);
            if (depth == 0) {
                *len = l;
                return k;
            }
            depth--;
            k += l - 1;
        }
    }
    return n;
}

/* True when s[b..e) holds a double quote of any kind: an author list never does. */
static bool has_quote(const char *s, size_t b, size_t e)
{
    for (size_t i = b; i < e; i++)
        if (quote_at(s, e, i) || at(s, e, i, "\xe2\x80\x9d"))
            return true;
    return false;
}

/* Trims spaces and the characters of junk from both ends of s[*b..*e). */
static void trim(const char *s, size_t *b, size_t *e, const char *junk)
{
    for (;;) {
        if (*b < *e && (is_space(s[*b]) || strchr(junk, s[*b])))
            (*b)++;
        else if (*b < *e && at(s, *e, *b, "\xe2\x80\x9c"))
            *b += 3;
        else
            break;
    }
    for (;;) {
        if (*e > *b && (is_space(s[*e - 1]) || strchr(junk, s[*e - 1])))
            (*e)--;
        else if (*e >= *b + 3 && (at(s, *e, *e - 3, "\xe2\x80\x9d")))
            *e -= 3;
        else
            break;
    }
}

/* Sets field name to s[b..e) cleaned: markers and junk trimmed, spaces collapsed. */
static void set_clean(ctx *c, const char *name, size_t b, size_t e, const char *junk)
{
    if (c->err)
        return;
    trim(c->s, &b, &e, junk);
    if (b >= e)
        return;
    cite_buf t = CITE_BUF_INIT;
    bool sp = false;
    for (size_t i = b; i < e; i++) {
        char ch = c->s[i];
        if (is_space(ch)) {
            sp = true;
            continue;
        }
        if ((ch == '*' || ch == '_') && (i == b || i + 1 == e || is_space(c->s[i - 1]) ||
                                         is_space(c->s[i + 1]) || strchr(",.;:", c->s[i + 1])))
            continue;
        if (sp && t.len)
            cite_buf_putc(&t, ' ');
        sp = false;
        cite_buf_putc(&t, ch);
    }
    if (cite_buf_oom(&t)) {
        c->err = CITE_ENOMEM;
    } else if (t.len && cite_record_set_text(c->rec, name, t.ptr) != 0) {
        c->err = CITE_ENOMEM;
    }
    cite_buf_dispose(&t);
}

static void blank(ctx *c, size_t b, size_t e)
{
    memset(c->s + b, ' ', e - b);
}

/* Matches pattern in s[from..to); 1 on a match. Errors (limits) count as no match. */
static int find(ctx *c, int pat, size_t from, size_t to, cite_rx_result *m)
{
    if (from >= to)
        return 0;
    int rc = cite_rx_match(m, c->p->rx, (size_t)pat, c->s, to, from, 0);
    if (rc == CITE_ENOMEM)
        c->err = CITE_ENOMEM;
    return rc == 1;
}

static bool group(ctx *c, const cite_rx_result *m, int pat, const char *name, span *g)
{
    int num = cite_rx_group_number(c->p->rx, (size_t)pat, name);
    return num > 0 && cite_rx_group(m, num, &g->b, &g->e) && g->e > g->b;
}

/* True when the C string lit occurs in s[b..e). */
static bool strstr_n(const char *s, size_t b, size_t e, const char *lit)
{
    size_t l = strlen(lit);
    for (size_t i = b; i + l <= e; i++)
        if (memcmp(s + i, lit, l) == 0)
            return true;
    return false;
}

static bool only_spaces(const char *s, size_t b, size_t e)
{
    for (size_t i = b; i < e; i++)
        if (!is_space(s[i]))
            return false;
    return true;
}

/* Words after which a period does not end a sentence. */
static bool abbreviation(const char *w, size_t len)
{
    static const char *const abbr[] = {
        "ed",  "eds", "vol", "no",   "pp",    "p",    "Vol",  "No",   "Dr",   "Mr", "Mrs",
        "St",  "Jr",  "Sr",  "Proc", "Int",   "Ed",   "Eds",  "Inc",  "Ltd",  "Co", "cf",
        "vs",  "e.g", "i.e", "etc",  "Nat",   "Acad", "Sci",  "Univ", "Dept", "J",  "Rev",
        "Soc", "Am",  "Res", "Med",  "Trans", "Conf", "Symp", "Natl", "edn",  "nd", "n.d"
    };
    for (size_t i = 0; i < CITE_ARRAY_LEN(abbr); i++)
        if (strlen(abbr[i]) == len && memcmp(abbr[i], w, len) == 0)
            return true;
    return false;
}

/* "5th", "21st", "3rd": an ordinal's period abbreviates ("Proc. 5th. Workshop"). */
static bool ordinal(const char *w, size_t len)
{
    size_t d = 0;
    while (d < len && is_digit(w[d]))
        d++;
    return d > 0 && d <= 3 && len == d + 2 &&
           (memcmp(w + d, "st", 2) == 0 || memcmp(w + d, "nd", 2) == 0 ||
            memcmp(w + d, "rd", 2) == 0 || memcmp(w + d, "th", 2) == 0);
}

/* True when the word ending just before the space at s[w - 1] is lowercase, and not a
 * connective that runs into a name ("and J. Smith", "edited by J. Smith"). */
static bool lower_word_before(const char *s, size_t from, size_t w)
{
    static const char *const joins[] = { "and", "by", "et", "und", "von", "van", "de",  "del",
                                         "da",  "di", "du", "la",  "le",  "der", "den", "with",
                                         "the", "on", "of", "in",  "at",  "to",  "for", "from" };
    if (w < from + 2 || !is_space(s[w - 1]))
        return false;
    size_t e = w - 1, b = e;
    while (b > from && !is_space(s[b - 1]))
        b--;
    if (e - b < 2 || !is_lower(s[b]) || !is_lower(s[e - 1]))
        return false;
    for (size_t k = 0; k < CITE_ARRAY_LEN(joins); k++)
        if (strlen(joins[k]) == e - b && memcmp(joins[k], s + b, e - b) == 0)
            return false;
    return true;
}

/* True when the two bytes at w are a capital of Latin-1 ("É") or Cyrillic ("В"). */
static bool upper2(const char *w)
{
    unsigned char b0 = (unsigned char)w[0], b1 = (unsigned char)w[1];
    return (b0 == 0xc3 && b1 >= 0x80 && b1 <= 0x9e && b1 != 0x97) ||
           (b0 == 0xd0 && b1 >= 0x81 && b1 <= 0xaf);
}

/* sentence_end_x's mode for a title (0 is plain text, 1 names): a sentence end may close
 * italics, "<italic>Genus species.</italic>", and the offset of its '>' is returned */
#define TITLE_END 2

static int month_of(const char *w, size_t len);

/* True when the word ending at the period s[i] is a month ("Sept.", "Jan."). */
static bool month_before(const char *s, size_t from, size_t i)
{
    size_t w = i;
    while (w > from && (is_upper(s[w - 1]) || is_lower(s[w - 1])))
        w--;
    return i - w >= 3 && month_of(s + w, i - w);
}

/* True when the word after the space at s[i] is in lowercase only: no sentence starts with
 * it (a journal such as "eLife" or "mBio" has a capital inside). The small words that follow
 * an abbreviated journal's word ("Comm. of the ACM", "Trans. on Networking") or start the
 * pages ("p. 55") do not count. */
static bool lower_word_after(const char *s, size_t i, size_t to)
{
    static const char *const small[] = { "of", "on",  "in", "for", "the", "to", "p",
                                         "pp", "vol", "no", "de",  "des", "du" };
    if (i + 1 >= to || s[i] != ' ' || !is_lower(s[i + 1]))
        return false;
    size_t k = i + 1;
    for (; k < to && !is_space(s[k]) && s[k] != '.' && s[k] != ','; k++)
        if (is_upper(s[k]) || is_digit(s[k]))
            return false;
    for (size_t w = 0; w < CITE_ARRAY_LEN(small); w++)
        if (strlen(small[w]) == k - i - 1 && memcmp(small[w], s + i + 1, k - i - 1) == 0)
            return false;
    return true;
}

/* True when w[0..len) is nothing but periods. */
static bool only_dots(const char *w, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (w[i] != '.')
            return false;
    return true;
}

/* The first sentence end in s[from..to): a '.', '?' or '!' followed by a space (or the end),
 * not closing an initial ("J.") or an abbreviation. Returns the offset of the punctuation, or
 * to when there is none. Linear. */
static size_t sentence_end_x(const char *s, size_t from, size_t to, int names)
{
    for (size_t i = from; i < to; i++) {
        char ch = s[i];
        if (ch != '.' && ch != '?' && ch != '!')
            continue;
        if (names == TITLE_END && at(s, to, i + 1, "</italic>") &&
            (i + 10 >= to || is_space(s[i + 10])))
            return i + 9; /* "swift foxes <italic>Vulpes velox.</italic> Animal Conservation" */
        if (i + 1 < to && !is_space(s[i + 1]) && s[i + 1] != '"' && s[i + 1] != '\'' &&
            !at(s, to, i + 1, "\xe2\x80\x9d") && !at(s, to, i + 1, "\xe2\x80\x99"))
            continue;
        if (ch != '.')
            return i;
        if (names == TITLE_END && lower_word_after(s, i + 1, to))
            continue; /* "sp. n., a new species", "Serv. from southern India" */
        if (names == TITLE_END && i + 2 < to && is_digit(s[i + 2]) && month_before(s, from, i))
            continue; /* "after the Sept. 11, 2001, attacks" */
        size_t w = i;
        while (w > from && !is_space(s[w - 1]) && s[w - 1] != '(' && s[w - 1] != ',')
            w--;
        size_t wl = i - w;
        const char *word = s + w;
        /* initials: "J.", "J.-P.", "A.B." */
        if (wl >= 2 && word[0] == '-' && is_upper(word[1]))
            continue; /* "-P." of "J. -P." */
        if (names != 1 && wl == 1 && is_upper(word[0]) && lower_word_before(s, from, w) &&
            i + 3 < to && is_upper(s[i + 2]) && (is_lower(s[i + 3]) || is_space(s[i + 3])))
            return i; /* "mannosidase I. Journal": a numeral or letter closing the title */
        if (wl >= 1 && is_upper(word[0]) && (wl == 1 || word[1] == '.' || word[1] == '-'))
            continue;
        if (wl == 2 && upper2(word))
            continue; /* a one-letter initial outside ASCII: "В." of "Полтерович В. М." */
        if (names == 1 && wl <= 3 && is_upper(word[0]) && (wl < 2 || is_upper(word[1])) &&
            (wl < 3 || is_upper(word[2])))
            continue; /* "CM." of "Schumann, CM." */
        if (names == 1 && only_dots(word, wl + 1) &&
            (wl >= 2 || (i >= 2 && s[i - 2] == '.') || (i + 2 < to && s[i + 2] == '.')))
            continue; /* APA's ellipsis: "Nakano, S., . . . Kishimoto, T.", "..., ... &" */
        if (wl > 0 && (abbreviation(word, wl) || ordinal(word, wl)))
            continue;
        return i;
    }
    return to;
}

static size_t sentence_end(const char *s, size_t from, size_t to)
{
    return sentence_end_x(s, from, to, 0);
}

static size_t title_end(const char *s, size_t from, size_t to)
{
    return sentence_end_x(s, from, to, TITLE_END);
}

/* The end of an author list: as sentence_end, "CM." of "Schumann, CM." being initials. */
static size_t names_end(const char *s, size_t from, size_t to)
{
    return sentence_end_x(s, from, to, 1);
}

/* ---- names ----------------------------------------------------------------------------- */

static const char *const particles[] = { "de",  "van", "der", "von", "den", "du",  "da",    "di",
                                         "le",  "la",  "bin", "ten", "ter", "del", "della", "des",
                                         "dos", "das", "y",   "zu",  "Ag",  "al",  "el",    "op",
                                         "'t",  "vom", "zur", "af",  "las", "los", "do" };

static bool is_particle(const char *w, size_t len)
{
    for (size_t i = 0; i < CITE_ARRAY_LEN(particles); i++)
        if (strlen(particles[i]) == len && memcmp(particles[i], w, len) == 0)
            return true;
    return false;
}

/* An initials token: "J.", "J.-P.", "JR", "A.B.", "Ch." */
static bool is_initials(const char *w, size_t len, bool allow_bare)
{
    if (len == 0 || !is_upper(w[0]))
        return false;
    bool dot = false;
    size_t letters = 0;
    for (size_t i = 0; i < len; i++) {
        if (w[i] == '.')
            dot = true;
        else if (is_upper(w[i]))
            letters++;
        else if (w[i] == '-')
            continue;
        else if (is_lower(w[i]) && i > 0 && i + 1 < len && w[i + 1] == '.')
            continue; /* "Ch." */
        else
            return false;
    }
    return dot ? letters >= 1 : (allow_bare && letters <= 3);
}

/* "(J.-P.)": initials in parentheses, after the family name in French styles. */
static bool paren_initials(const char *w, size_t len)
{
    return len > 3 && w[0] == '(' && w[len - 1] == ')' && is_initials(w + 1, len - 2, false);
}

/* Splits s[b..e) at spaces into at most cap words. */
static size_t words(const char *s, size_t b, size_t e, span *w, size_t cap)
{
    size_t n = 0;
    size_t i = b;
    while (i < e && n < cap) {
        while (i < e && is_space(s[i]))
            i++;
        if (i >= e)
            break;
        size_t j = i;
        while (j < e && !is_space(s[j]))
            j++;
        w[n].b = i;
        w[n].e = j;
        n++;
        i = j;
    }
    return n;
}

static char *dup_words(const char *s, const span *w, size_t from, size_t to)
{
    if (from >= to)
        return NULL;
    return cite_strndup(s + w[from].b, w[to - 1].e - w[from].b);
}

/* Adds one person given family part f[..] and given part g[..] (either may be empty). */
static void add_person(ctx *c, const char *var, size_t fb, size_t fe, size_t gb, size_t ge)
{
    if (c->err)
        return;
    trim(c->s, &fb, &fe, ",;.*_ ");
    trim(c->s, &gb, &ge, ",;*_ ");
    if (fb >= fe)
        return;
    cite_name nm;
    memset(&nm, 0, sizeof(nm));
    span w[16];
    size_t nw = words(c->s, fb, fe, w, 16);
    size_t k = 0;
    while (k + 1 < nw && is_particle(c->s + w[k].b, w[k].e - w[k].b))
        k++;
    if (k > 0)
        nm.non_dropping_particle = dup_words(c->s, w, 0, k);
    nm.family = dup_words(c->s, w, k, nw);
    if (gb < ge)
        nm.given = cite_strndup(c->s + gb, ge - gb);
    bool bad = !nm.family || (k > 0 && !nm.non_dropping_particle) || (gb < ge && !nm.given);
    if (bad || cite_record_add_name(c->rec, var, &nm) != 0)
        c->err = CITE_ENOMEM;
    cite_name_dispose(&nm);
}

static void add_literal(ctx *c, const char *var, size_t b, size_t e)
{
    if (c->err)
        return;
    trim(c->s, &b, &e, ",;.*_ ");
    if (b >= e)
        return;
    cite_name nm;
    memset(&nm, 0, sizeof(nm));
    nm.literal = cite_strndup(c->s + b, e - b);
    if (!nm.literal || cite_record_add_name(c->rec, var, &nm) != 0)
        c->err = CITE_ENOMEM;
    cite_name_dispose(&nm);
}

/* One comma-free part holding a whole person: "J. Smith", "Smith JR", "John Smith",
 * "International Crisis Group". In a list of "Family Initials" people (famfirst), two words
 * without initials are the family and then the given name: "Takemura Shin-Ya". */
static void add_whole(ctx *c, const char *var, size_t b, size_t e, bool famfirst)
{
    trim(c->s, &b, &e, ",;*_ ");
    span w[16];
    size_t nw = words(c->s, b, e, w, 16);
    if (nw == 0)
        return;
    cite_rx_result m;
    if (nw >= 2 && find(c, RX_ORG, b, e, &m)) {
        add_literal(c, var, b, e);
        return;
    }
    /* "van Heel M", "van den Brand BT" (eLife, Vancouver): a particle opening a name whose
     * last word is initials goes to the trailing-initials split below */
    bool trailing = nw >= 2 && is_initials(c->s + w[nw - 1].b, w[nw - 1].e - w[nw - 1].b, true) &&
                    !is_particle(c->s + w[nw - 2].b, w[nw - 2].e - w[nw - 2].b);
    if (nw == 1 || (is_particle(c->s + w[0].b, w[0].e - w[0].b) && !trailing)) {
        add_person(c, var, b, e, 0, 0);
        return;
    }
    /* "Husson (J.-P.)": initials in parentheses after the family name */
    if (paren_initials(c->s + w[nw - 1].b, w[nw - 1].e - w[nw - 1].b)) {
        add_person(c, var, b, w[nw - 2].e, w[nw - 1].b + 1, w[nw - 1].e - 1);
        return;
    }
    /* leading initials: "J. R. Smith" */
    size_t k = 0;
    while (k + 1 < nw && is_initials(c->s + w[k].b, w[k].e - w[k].b, false))
        k++;
    if (k > 0) {
        add_person(c, var, w[k].b, e, w[0].b, w[k - 1].e);
        return;
    }
    /* trailing initials: "Smith JR", "Heidegger M." */
    if (is_initials(c->s + w[nw - 1].b, w[nw - 1].e - w[nw - 1].b, true)) {
        size_t j = nw - 1;
        while (j > 1 && is_initials(c->s + w[j - 1].b, w[j - 1].e - w[j - 1].b, false))
            j--;
        add_person(c, var, b, w[j - 1].e, w[j].b, e);
        return;
    }
    if (nw > 4) {
        add_literal(c, var, b, e);
        return;
    }
    if (famfirst && nw == 2) {
        add_person(c, var, b, w[0].e, w[1].b, e);
        return;
    }
    /* "John Smith", "Jean de La Fontaine": family starts at the first particle or last word */
    size_t f = nw - 1;
    for (size_t i = 1; i < nw - 1; i++)
        if (is_particle(c->s + w[i].b, w[i].e - w[i].b)) {
            f = i;
            break;
        }
    add_person(c, var, w[f].b, e, w[0].b, w[f - 1].e);
}

/* A comma part that can be the given half of "Family, Given": initials or one/two words. */
static bool given_like(const char *s, size_t b, size_t e)
{
    trim(s, &b, &e, " ");
    span w[8];
    size_t nw = words(s, b, e, w, 8);
    if (nw == 0 || nw > 3)
        return false;
    size_t ninit = 0;
    for (size_t i = 0; i < nw; i++)
        if (is_initials(s + w[i].b, w[i].e - w[i].b, false))
            ninit++;
    if (ninit == nw || (nw == 1 && is_initials(s + w[0].b, w[0].e - w[0].b, true)))
        return true;
    if (ninit > 0 && nw >= 2)
        return true; /* "John R." */
    /* a word without initials: a given name only when alone or with another word; a
     * non-ASCII letter may be a capital ("Екатерина", "Élodie") */
    if (nw <= 2 && (is_upper(s[w[0].b]) || (unsigned char)s[w[0].b] >= 0xc0))
        return !is_initials(s + w[nw - 1].b, w[nw - 1].e - w[nw - 1].b, true);
    return false;
}

/* A comma part that can be a family name: one to three words, none of them initials. */
static bool family_like(const char *s, size_t b, size_t e)
{
    trim(s, &b, &e, " ");
    span w[8];
    size_t nw = words(s, b, e, w, 8);
    if (nw == 0 || nw > 4)
        return false;
    for (size_t i = 0; i < nw; i++)
        if (is_initials(s + w[i].b, w[i].e - w[i].b, i == nw - 1 && nw > 1) ||
            paren_initials(s + w[i].b, w[i].e - w[i].b))
            return false;
    return true;
}

/* True when s[i..e) starts with a family name in capitals followed by a comma: "VEROT,",
 * "PERRIN-NIQUET,", "LE GALL,". */
static bool caps_family(const char *s, size_t i, size_t e)
{
    size_t j = i, caps = 0;
    while (j < e && (is_upper(s[j]) || s[j] == '-' || s[j] == '\'' || s[j] == ' ' ||
                     (unsigned char)s[j] >= 0x80)) {
        caps += is_upper(s[j]);
        j++;
    }
    return caps >= 2 && j < e && s[j] == ',' && is_upper(s[i]) && is_upper(s[i + 1]);
}

/* Splits an author list s[b..e) into people of var. */
static void parse_names(ctx *c, const char *var, size_t b, size_t e)
{
    trim(c->s, &b, &e, ",;:*_ ");
    if (b >= e)
        return;
    span parts[128];
    char sep[128]; /* the separator after each part: ',' or 'a' (and, &, ;) */
    size_t np = 0;
    size_t i = b, start = b;
    bool org = false; /* the part so far names a body: "Department of Economic" */
    while (i <= e && np < CITE_ARRAY_LEN(parts)) {
        size_t cut = 0, skip = 0;
        char kind = 'a';
        cite_rx_result om;
        if (!org && i > start && i < e && is_space(c->s[i - 1]) &&
            (at(c->s, e, i, "of ") || at(c->s, e, i, "for ")) && find(c, RX_ORG, start, i, &om))
            org = true;
        if (i == e) {
            cut = 1;
        } else if (c->s[i] == ',') {
            cut = 1;
            skip = 1;
            kind = ',';
        } else if (c->s[i] == ';' || (c->s[i] == '&' && !org)) {
            cut = 1;
            skip = 1;
        } else if (c->s[i] == '.' && i + 2 < e && c->s[i + 1] == ' ' && is_upper(c->s[i + 2]) &&
                   i > b && is_upper(c->s[i - 1]) && np > 0 && sep[np - 1] == ',' &&
                   family_like(c->s, parts[np - 1].b, parts[np - 1].e) &&
                   given_like(c->s, start, i + 1)) {
            size_t j = i + 3;
            while (j < e && (is_lower(c->s[j]) || c->s[j] == '-' || (unsigned char)c->s[j] >= 0x80))
                j++;
            if (j < e && c->s[j] == ',' && j > i + 3) {
                size_t pb = start, pe = i + 1;
                trim(c->s, &pb, &pe, " ");
                if (pb < pe && np < CITE_ARRAY_LEN(parts)) {
                    parts[np].b = pb;
                    parts[np].e = pe;
                    sep[np] = 'a';
                    np++;
                }
                i += 1;
                start = i;
                continue;
            }
        } else if (c->s[i] == '.' && i + 2 < e && c->s[i + 1] == ' ' && !is_upper(c->s[i - 1]) &&
                   caps_family(c->s, i + 2, e) && np > 0 && sep[np - 1] == ',' &&
                   given_like(c->s, start, i)) {
            /* "SIEBERT, Carole. AMAR, Béatrice": a period between people */
            size_t pb = start, pe = i;
            trim(c->s, &pb, &pe, " ");
            if (pb < pe) {
                parts[np].b = pb;
                parts[np].e = pe;
                sep[np] = 'a';
                np++;
            }
            i += 1;
            start = i;
            continue;
        } else if (i > b && is_space(c->s[i - 1]) &&
                   ((at(c->s, e, i, "and ") && !org) || at(c->s, e, i, "et al") ||
                    at(c->s, e, i, "und ") || at(c->s, e, i, "et ") || at(c->s, e, i, "y "))) {
            /* "Department of Economic and Social Affairs": one body, not two people */
            cut = 1;
            skip = at(c->s, e, i, "et al") ? e - i : (c->s[i + 1] == 'n' ? 4 : 3);
        }
        if (cut) {
            size_t pb = start, pe = i;
            trim(c->s, &pb, &pe, " ");
            if (pb < pe) {
                parts[np].b = pb;
                parts[np].e = pe;
                sep[np] = kind;
                np++;
            } else if (np > 0 && kind == 'a') {
                sep[np - 1] = 'a';
            }
            i += skip ? skip : 1;
            start = i;
            org = false;
            continue;
        }
        i++;
    }
    /* eLife and Vancouver lists: most people are "Family Initials" ("Bharioke A", "Lu Z") */
    size_t fam_init = 0;
    for (size_t k = 0; k < np; k++) {
        span w[8];
        size_t nw = words(c->s, parts[k].b, parts[k].e, w, 8);
        if (nw >= 2 && !is_initials(c->s + w[0].b, w[0].e - w[0].b, false) &&
            is_initials(c->s + w[nw - 1].b, w[nw - 1].e - w[nw - 1].b, true))
            fam_init++;
    }
    bool famfirst = fam_init >= 2 && 2 * fam_init >= np;
    for (size_t k = 0; k < np && !c->err; k++) {
        span w[8], v[8];
        size_t nw = words(c->s, parts[k].b, parts[k].e, w, 8);
        size_t nv = k + 1 < np ? words(c->s, parts[k + 1].b, parts[k + 1].e, v, 8) : 0;
        bool two_whole = nw >= 2 && nv >= 2 && !is_particle(c->s + w[0].b, w[0].e - w[0].b) &&
                         !is_initials(c->s + v[0].b, v[0].e - v[0].b, false) &&
                         !is_initials(c->s + v[nv - 1].b, v[nv - 1].e - v[nv - 1].b, false);
        if (k + 1 < np && sep[k] == ',' && !two_whole &&
            family_like(c->s, parts[k].b, parts[k].e) &&
            given_like(c->s, parts[k + 1].b, parts[k + 1].e)) {
            cite_rx_result m;
            if (nw >= 2 && find(c, RX_ORG, parts[k].b, parts[k].e, &m)) {
                add_literal(c, var, parts[k].b, parts[k].e);
                continue;
            }
            add_person(c, var, parts[k].b, parts[k].e, parts[k + 1].b, parts[k + 1].e);
            k++;
            continue;
        }
        add_whole(c, var, parts[k].b, parts[k].e, famfirst);
    }
}

/* True when the word t[0..l) can belong to a list of names: capitalised, initials, or a
 * connective or particle; no digits or brackets. */
static bool name_word(const char *t, size_t l)
{
    static const char *const small[] = { "and", "et",  "und", "y",    "e",   "&",   "de", "van",
                                         "von", "der", "den", "da",   "di",  "du",  "le", "la",
                                         "del", "dos", "al.", "al.,", "ten", "ter", "des" };
    for (size_t q = 0; q < l; q++)
        if (is_digit(t[q]) || t[q] == '(' || t[q] == '[' || t[q] == ':')
            return false;
    if (is_upper(t[0]) || (unsigned char)t[0] >= 0x80)
        return true;
    for (size_t i = 0; i < CITE_ARRAY_LEN(small); i++)
        if (strlen(small[i]) == l && memcmp(small[i], t, l) == 0)
            return true;
    return false;
}

/* True when every word of s[b..e) can belong to a list of names (name_word), and no quote. */
static bool names_only(const char *s, size_t b, size_t e)
{
    span w[64];
    size_t nw = words(s, b, e, w, 64);
    if (nw == 0 || nw == 64 || has_quote(s, b, e))
        return false;
    for (size_t k = 0; k < nw; k++)
        if (!name_word(s + w[k].b, w[k].e - w[k].b))
            return false;
    return true;
}

/* ---- dates ----------------------------------------------------------------------------- */

static const char *const months[] = { "jan", "feb", "mar", "apr", "may", "jun",
                                      "jul", "aug", "sep", "oct", "nov", "dec" };

static int month_of(const char *w, size_t len)
{
    if (len < 3)
        return 0;
    for (int i = 0; i < 12; i++) {
        bool eq = true;
        for (int k = 0; k < 3; k++) {
            char ch = w[k];
            if (is_upper(ch))
                ch = (char)(ch - 'A' + 'a');
            if (ch != months[i][k])
                eq = false;
        }
        if (eq)
            return i + 1;
    }
    return 0;
}

/* Reads "3 May 2024", "May 3, 2024", "2024-05-03", "March 4" (with year given) into text. */
static void date_text(cite_buf *out, const char *s, size_t b, size_t e, const char *year)
{
    int y = 0, mo = 0, d = 0;
    size_t i = b;
    while (i < e) {
        if (is_digit(s[i])) {
            int v = 0;
            size_t j = i;
            while (j < e && is_digit(s[j]) && v < 100000)
                v = v * 10 + (s[j++] - '0');
            if (j - i == 4 && !y)
                y = v;
            else if (j - i <= 2 && v >= 1 && v <= 12 && y && !mo && j - i == 2 && i > b &&
                     s[i - 1] == '-')
                mo = v;
            else if (j - i <= 2 && v >= 1 && v <= 31 && !d)
                d = v;
            i = j;
        } else if (is_upper(s[i]) || is_lower(s[i])) {
            size_t j = i;
            while (j < e && (is_upper(s[j]) || is_lower(s[j])))
                j++;
            int m = month_of(s + i, j - i);
            if (m && !mo)
                mo = m;
            i = j;
        } else {
            i++;
        }
    }
    if (!y && year)
        cite_buf_puts(out, year);
    else if (y)
        cite_buf_printf(out, "%04d", y);
    else
        return;
    if (mo) {
        cite_buf_printf(out, "-%02d", mo);
        if (d)
            cite_buf_printf(out, "-%02d", d);
    }
}

static void set_date(ctx *c, const char *var, const char *text, size_t len)
{
    if (c->err || len == 0)
        return;
    cite_date d;
    memset(&d, 0, sizeof(d));
    if (cite_date_parse(&d, text, len) != 0 || cite_record_set_date(c->rec, var, &d) != 0)
        c->err = CITE_ENOMEM;
    cite_date_dispose(&d);
}

/* Sets issued from a match of RX_PARENDATE / RX_BAREDATE / RX_YEAR. */
static void set_issued(ctx *c, const cite_rx_result *m, int pat)
{
    span y, sfx, md, lit;
    cite_buf t = CITE_BUF_INIT;
    if (group(c, m, pat, "y", &y)) {
        cite_buf_put(&t, c->s + y.b, y.e - y.b);
        /* the month and day after the year ("2019, March 4"), or the month before it ("July
         * 1978"), read with it */
        bool month = false;
        if (pat == RX_PARENDATE && group(c, m, pat, "md", &md))
            month = true;
        else if (pat == RX_PARENDATE && group(c, m, pat, "mb", &md)) {
            md.e = y.e;
            month = true;
        }
        if (group(c, m, pat, "s", &sfx))
            cite_buf_put(&t, c->s + sfx.b, sfx.e - sfx.b);
        else if (month) {
            char yy[5];
            memcpy(yy, c->s + y.b, 4);
            yy[4] = '\0';
            cite_buf_clear(&t);
            date_text(&t, c->s, md.b, md.e, yy);
        }
    } else if (group(c, m, pat, "lit", &lit)) {
        const char *l = c->s + lit.b;
        if (l[0] == 'n' || l[0] == 'N')
            cite_buf_puts(&t, "n.d.");
        else if (l[0] == 'i' || l[0] == 'I')
            cite_buf_puts(&t, "in press");
        else
            cite_buf_puts(&t, "forthcoming");
        /* APA's letter for several undated works of one author: "(n.d.-a)", "(in press-b)";
         * the store keeps "n.d.-a" as a literal date, which the linker reads back */
        span ls;
        if (group(c, m, pat, "ls", &ls)) {
            char letter = c->s[ls.b];
            cite_buf_putc(&t, '-');
            cite_buf_putc(&t, is_upper(letter) ? (char)(letter - 'A' + 'a') : letter);
        }
    }
    if (cite_buf_oom(&t))
        c->err = CITE_ENOMEM;
    else
        set_date(c, "issued", t.ptr, t.len);
    cite_buf_dispose(&t);
}

static bool has(const cite_record *rec, const char *name)
{
    return cite_record_field(rec, name) != NULL;
}

/* ---- the parse ------------------------------------------------------------------------- */

/* The end of the word of s[b..n) that continues a URL broken at the space s[b - 1]
 * ("http://dx.doi.org/10.1021/ es030360x", "http://news. wildlife.org/featured"), or b when
 * the word after the URL is text of its own ("accessed", "Retrieved", "2019"). */
static size_t url_continuation(const char *s, size_t b, size_t n)
{
    size_t e = b;
    while (e < n && !is_space(s[e]))
        e++;
    size_t w = e;
    while (w > b && strchr(".,;)", s[w - 1]))
        w--;
    if (w == b || !(is_lower(s[b]) || is_digit(s[b])))
        return b;
    bool letters = false, digits = false, marks = false;
    for (size_t i = b; i < w; i++) {
        letters = letters || is_lower(s[i]) || is_upper(s[i]);
        digits = digits || is_digit(s[i]);
        marks = marks || strchr("/%_=&?", s[i]) || (s[i] == '.' && i + 1 < w);
    }
    return marks || (letters && digits) ? e : b;
}

/* Joins the URLs of the working copy broken by a space: the rest of the URL moves left over
 * the space, which goes after it, so that the length, and every offset, stays. */
static void mend_urls(ctx *c)
{
    cite_rx_result m;
    char *s = c->s;
    for (size_t from = 0; find(c, RX_URL, from, c->n, &m); from = m.end) {
        /* broken at one space after a "/", "." or "-" of its path, or after an escaped space
         * ("%20"); the spaces of earlier joins pile up after the URL */
        for (size_t joins = 0;; joins++) {
            size_t gap = m.end;
            while (gap < c->n && s[gap] == ' ')
                gap++;
            if (gap == m.end || gap - m.end > joins + 1 || gap >= c->n ||
                !(strchr("/.-_=", s[m.end - 1]) || at(s, m.end, m.end - 3, "%20")))
                break;
            size_t e = url_continuation(s, gap, c->n);
            if (e == gap)
                break;
            memmove(s + m.end, s + gap, e - gap);
            memset(s + m.end + (e - gap), ' ', gap - m.end);
            m.end += e - gap;
        }
    }
}

/* DOI, URL, accessed date, "Available at:": read and blanked from the working copy. */
static void take_links(ctx *c)
{
    cite_rx_result m;
    span g;
    if (strstr(c->s, "http") || strstr(c->s, "www."))
        mend_urls(c);
    /* "http://dx.doi.org/10.1/x" printed as a link is the URL as printed too, unless "doi:"
     * before it says the link stands for the DOI alone */
    cite_buf doi_link = CITE_BUF_INIT;
    if (find(c, RX_DOI, 0, c->n, &m) && group(c, &m, RX_DOI, "doi", &g)) {
        size_t e = g.e;
        while (e > g.b && strchr(".,;)", c->s[e - 1]))
            e--;
        if (c->s[e] == ')' && memchr(c->s + g.b, '(', e - g.b))
            e++;
        set_clean(c, "DOI", g.b, e, "");
        if ((c->s[m.start] == 'h' || c->s[m.start] == 'H') && g.b > m.start)
            cite_buf_put(&doi_link, c->s + m.start, e - m.start);
        blank(c, m.start, m.end);
    }
    bool other_url = find(c, RX_URL, 0, c->n, &m);
    if (cite_buf_oom(&doi_link))
        c->err = CITE_ENOMEM;
    else if (doi_link.len && !other_url && !c->err &&
             cite_record_set_text(c->rec, "URL", doi_link.ptr) != 0)
        c->err = CITE_ENOMEM;
    cite_buf_dispose(&doi_link);
    if (find(c, RX_URL, 0, c->n, &m)) {
        size_t e = m.end;
        while (e > m.start && strchr(".,;)", c->s[e - 1]))
            e--;
        set_clean(c, "URL", m.start, e, "");
        blank(c, m.start, m.end);
    }
    /* PubMed ids, as eLife and PLOS print them: "PMID: 22160784", "PMCID: PMC3089732" */
    for (size_t at = 0; find(c, RX_PMID, at, c->n, &m) && group(c, &m, RX_PMID, "id", &g);
         at = m.end) {
        span kind;
        bool pmcid = group(c, &m, RX_PMID, "kind", &kind) && kind.e - kind.b == 5;
        set_clean(c, pmcid ? "PMCID" : "PMID", g.b, g.e, "");
        blank(c, m.start, m.end);
    }
    if (find(c, RX_ACCESSED, 0, c->n, &m) && group(c, &m, RX_ACCESSED, "d", &g)) {
        cite_buf t = CITE_BUF_INIT;
        date_text(&t, c->s, g.b, g.e, NULL);
        if (cite_buf_oom(&t))
            c->err = CITE_ENOMEM;
        else
            set_date(c, "accessed", t.ptr, t.len);
        cite_buf_dispose(&t);
        blank(c, m.start, m.end);
    }
    /* "Available at:" left dangling at the end */
    size_t e = c->n;
    while (e > 0 && is_space(c->s[e - 1]))
        e--;
    size_t from = e > 60 ? e - 60 : 0;
    if (find(c, RX_AVAIL, from, e, &m))
        blank(c, m.start, m.end);
}

/* True when s[b..e) starts with one of the words of list (each followed by a space). */
static bool starts_with_any(const char *s, size_t b, size_t e, const char *const *list, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        size_t l = strlen(list[k]);
        if (b + l < e && memcmp(s + b, list[k], l) == 0 && !is_lower(s[b + l]) &&
            !is_upper(s[b + l]))
            return true;
    }
    return false;
}

/* A sentence of the title's own, "Title. Subtitle.", rather than the container: free of
 * digits, inner periods and the words that open or name what follows a title. short_last:
 * it may end in a short capitalised word ("of the Night"), which elsewhere can be the end of
 * an abbreviated journal ("J. Mater."). */
static bool subtitle_like(ctx *c, size_t b, size_t e, bool short_last)
{
    static const char *const openers[] = { "In",        "in",        "Dans",    "Edited",
                                           "Ed",        "Eds",       "Trans",   "Translated",
                                           "Retrieved", "Available", "Paper",   "Unpublished",
                                           "Presented", "Vol",       "Volume",  "No",
                                           "Accessed",  "Thèse",     "Mémoire", "Web" };
    const char *s = c->s;
    if (e - b < 3 || e - b > 200 || !is_upper(s[b]) ||
        starts_with_any(s, b, e, openers, CITE_ARRAY_LEN(openers)))
        return false;
    size_t words = 1;
    for (size_t q = b; q < e; q++) {
        if (is_digit(s[q]) || s[q] == '.' || s[q] == '(' || s[q] == '[')
            return false;
        words += is_space(s[q]);
    }
    if (words < 2 || (b + 1 < e && is_upper(s[b + 1])))
        return false; /* "Ortodoxia", "IEEE Transactions on X": a journal */
    size_t w = e;
    while (w > b && !is_space(s[w - 1]))
        w--;
    if (e - w < 4 || (is_upper(s[w]) && e - w < 6 && !short_last))
        return false; /* "J. Mater." "Biol.": an abbreviated journal */
    cite_rx_result m;
    return !find(c, RX_PROC, b, e, &m) && !find(c, RX_THESIS, b, e, &m) &&
           !find(c, RX_TECHREP, b, e, &m) && !find(c, RX_PUBPLACE, b, e, &m) &&
           !find(c, RX_ORG, b, e, &m) && !find(c, RX_EDWORD, b, e, &m) &&
           !strstr_n(s, b, e, "diss") && !strstr_n(s, b, e, "presented");
}

/* The end of a title whose first sentence ends at te: a following sentence continues it when
 * it looks like a subtitle and what comes after it is clearly the rest of a reference, a
 * "Place: Publisher" or a named container with numbers ("Journal of X, 37, 409-425"). */
static size_t subtitle_end(ctx *c, size_t te, size_t end)
{
    static const char *const notcont[] = { "Vol",       "Volume",   "No", "In", "Retrieved",
                                           "Available", "Accessed", "pp", "Pp" };
    const char *s = c->s;
    if (te >= end || (s[te] != '.' && s[te] != '?' && s[te] != '!'))
        return te;
    size_t b2 = te + 1;
    while (b2 < end && is_space(s[b2]))
        b2++;
    size_t e2 = sentence_end(s, b2, end);
    if (e2 >= end || s[e2] != '.' || !subtitle_like(c, b2, e2, false))
        return te;
    size_t b3 = e2 + 1;
    while (b3 < end && is_space(s[b3]))
        b3++;
    cite_rx_result m;
    bool in = (at(s, end, b3, "In ") && !at(s, end, b3, "In press")) || at(s, end, b3, "In: ") ||
              at(s, end, b3, "Dans ");
    if (in || (find(c, RX_PUBPLACE, b3, end, &m) && m.start == b3))
        return e2;
    size_t w1 = b3;
    while (w1 < end && (is_upper(s[w1]) || is_lower(s[w1])))
        w1++;
    if (b3 >= end || !is_upper(s[b3]) || month_of(s + b3, w1 - b3) ||
        starts_with_any(s, b3, end, notcont, CITE_ARRAY_LEN(notcont)))
        return te;
    size_t e3 = sentence_end(s, b3, end);
    for (size_t q = b3; q < e3; q++)
        if (is_digit(s[q]))
            return e2;
    return te;
}

/* "Title (5th ed.)", "Title (Revised 3rd edition)": the edition in parentheses closing the
 * title s[tb..te) is read; returns the new end of the title. */
static size_t title_edition(ctx *c, size_t tb, size_t te)
{
    const char *s = c->s;
    size_t e = te;
    while (e > tb && (is_space(s[e - 1]) || s[e - 1] == '.' || s[e - 1] == ','))
        e--;
    if (e <= tb || s[e - 1] != ')')
        return te;
    size_t o = e - 1;
    while (o > tb && s[o - 1] != '(' && s[o - 1] != ')' && e - o < 40)
        o--;
    if (o <= tb + 1 || s[o - 1] != '(')
        return te;
    cite_rx_result m;
    span g;
    if (!find(c, RX_EDITION, o, e - 1, &m) || !group(c, &m, RX_EDITION, "n", &g))
        return te;
    if (!has(c->rec, "edition"))
        set_clean(c, "edition", g.b, g.e, "");
    return o - 1;
}

/* Title at s[*pos..end): quoted, italic or up to the sentence end. Sets *italic when the title
 * was marked italic. Moves *pos past it. */
static bool take_title(ctx *c, size_t *pos, size_t end, bool *italic)
{
    size_t i = *pos;
    while (i < end && (is_space(c->s[i]) || strchr(".,:;", c->s[i])))
        i++;
    if (i >= end)
        return false;
    const char *s = c->s;
    size_t tb = i, te = end, next = end;
    const quote *q = quote_at(s, end, i);
    if (q) {
        c->quoted = true;
        tb = i + strlen(q->open);
        size_t cl = 0;
        te = quote_close(s, tb, end, q, &cl);
        if (te < end) {
            next = te + cl;
        } else {
            te = sentence_end(s, tb, end);
            next = te < end ? te + 1 : end;
        }
    } else if (s[i] == '\'' || at(s, end, i, "\xe2\x80\x98")) {
        c->quoted = true;
        tb = i + (s[i] == '\'' ? 1 : 3);
        te = next = (size_t)-1;
        bool quoted_word = false;
        for (size_t k = tb; k < end; k++) {
            size_t ql = s[k] == '\'' ? 1 : at(s, end, k, "\xe2\x80\x99") ? 3 : 0;
            if (!ql)
                continue;
            size_t a = k + ql;
            /* "'Hard' and 'soft' principles": a quoted word inside the title */
            bool inner =
                a + 1 < end && is_space(s[a]) &&
                (is_lower(s[a + 1]) || s[a + 1] == '-' || at(s, end, a + 1, "\xe2\x80\x93")) &&
                !at(s, end, a + 1, "in ") && !at(s, end, a + 1, "dans ");
            if (inner) {
                quoted_word = true;
                continue;
            }
            if (a >= end || is_space(s[a]) ||
                (strchr(",.;:?!)", s[a]) && (a + 1 >= end || is_space(s[a + 1])))) {
                te = k;
                next = a;
                break;
            }
        }
        if (te == (size_t)-1) {
            if (quoted_word)
                tb = i; /* the title only starts with a quoted word: keep its quote */
            te = sentence_end(s, tb, end);
            next = te < end ? te + 1 : end;
        }
    } else if ((s[i] == '*' || s[i] == '_') && i + 1 < end) {
        char mk = s[i];
        tb = i + 1;
        const char *close = memchr(s + tb, mk, end - tb);
        if (close) {
            te = (size_t)(close - s);
            next = te + 1;
            *italic = true;
        } else {
            te = sentence_end(s, tb, end);
            next = te;
        }
    } else {
        te = subtitle_end(c, title_end(s, i, end), end);
        next = te < end ? te + 1 : end;
        if (te < end && s[te] != '.')
            te++; /* keep '?' and '!' */
        te = title_edition(c, tb, te);
    }
    set_clean(c, "title", tb, te, ",.;: ");
    *pos = next;
    return tb < te;
}

/* True when s[i..end) starts with a year after spaces and punctuation: ", 2004. 297 p." */
static bool year_next(const char *s, size_t i, size_t end)
{
    while (i < end && (is_space(s[i]) || s[i] == ',' || s[i] == '.'))
        i++;
    return i + 4 <= end && (s[i] == '1' || s[i] == '2') && is_digit(s[i + 1]) &&
           is_digit(s[i + 2]) && is_digit(s[i + 3]) && (i + 4 == end || !is_digit(s[i + 4]));
}

/* True when the segment at s[b..end) up to a comma or period names a publisher ("MIT Press,
 * Cambridge"). */
static bool publisher_next(ctx *c, size_t b, size_t end)
{
    size_t e = b;
    while (e < end && c->s[e] != ',' && c->s[e] != '.')
        e++;
    cite_rx_result m;
    return e - b <= 60 && find(c, RX_PUBWORD, b, e, &m);
}

/* True when s[b..e) holds only names (names_only) and some initials: "C. D. Darlington & K.
 * R. Lewis", not the title "Famulus Christi" nor "Rev." of "Rev. ed.". */
static bool initialled_names(const char *s, size_t b, size_t e)
{
    span w[32];
    size_t nw = words(s, b, e, w, CITE_ARRAY_LEN(w));
    if (nw == 0 || nw == CITE_ARRAY_LEN(w) || !names_only(s, b, e))
        return false;
    for (size_t k = 0; k < nw; k++) {
        size_t l = w[k].e - w[k].b;
        if (l && s[w[k].e - 1] == ',')
            l--;
        if (is_initials(s + w[k].b, l, false))
            return true;
    }
    return false;
}

/* Blanks the italics tags of s[b..end), once the container is read: "<italic>Professional
 * School Counseling, 9</italic>, 245-247" has its volume and pages side by side. */
static void blank_italics(ctx *c, size_t b, size_t end)
{
    for (size_t k = b; k + 8 <= end; k++) {
        if (at(c->s, end, k, "<italic>"))
            blank(c, k, k + 8);
        else if (at(c->s, end, k, "</italic>"))
            blank(c, k, k + 9);
    }
}

/* "Title. Water Research Foundation, Denver, Colo.": the body named before the place that
 * closes a reference is its publisher (a report's, most often), even without a publisher's
 * word. Not a journal's or proceedings' name, which a conference's place may follow. */
static void publisher_before_place(ctx *c, size_t b, size_t end)
{
    static const char *const journalish[] = { "Journal",   "Review",   "Proc",     "Bulletin",
                                              "Trans",     "Letters",  "Annals",   "Conference",
                                              "Symposium", "Workshop", "Congress", "Meeting",
                                              "presented", "Presented" };
    const char *s = c->s;
    size_t e = end;
    while (e > b && (is_space(s[e - 1]) || s[e - 1] == '.'))
        e--;
    size_t pt = b + cite_place_tail(s + b, e - b);
    if (pt >= e)
        return;
    size_t pe = pt;
    while (pe > b && (is_space(s[pe - 1]) || s[pe - 1] == ','))
        pe--;
    size_t pb = pe;
    while (pb > b && s[pb - 1] != ',' && s[pb - 1] != ';' &&
           !(s[pb - 1] == ' ' && pb >= b + 2 && s[pb - 2] == '.' &&
             !(pb >= b + 3 && is_upper(s[pb - 3]) && (pb < b + 4 || !is_lower(s[pb - 4])))))
        pb--;
    while (pb < pe && is_space(s[pb]))
        pb++;
    size_t te = pe;
    while (te > pb && s[te - 1] == '.')
        te--;
    if (te <= pb + 1 || te - pb > 80 || !is_upper(s[pb]) || cite_place_whole(s + pb, e - pb))
        return; /* "West Conshohocken, PA" is one place */
    size_t caps = 0, spaces = 0;
    for (size_t q = pb; q < te; q++) {
        if (is_digit(s[q]) || strchr(":()[]\"", s[q]))
            return;
        caps += is_upper(s[q]);
        spaces += is_space(s[q]);
    }
    if (spaces == 0 && caps < 2)
        return; /* "Washington", "Inc": a word of the place, or of the name before it */
    for (size_t k = 0; k < CITE_ARRAY_LEN(journalish); k++)
        if (strstr_n(s, pb, te, journalish[k]))
            return;
    const cite_field *ct = cite_record_field(c->rec, "container-title");
    if (ct && ct->text && (strlen(ct->text) != te - pb || memcmp(ct->text, s + pb, te - pb) != 0) &&
        strstr_n(s, pb, te, ct->text))
        return;
    set_clean(c, "publisher", pb, te, ",. ");
    if (ct && ct->text && strlen(ct->text) == te - pb && memcmp(ct->text, s + pb, te - pb) == 0)
        cite_record_remove(c->rec, "container-title");
    if (!has(c->rec, "publisher-place"))
        set_clean(c, "publisher-place", pt, e, ",. ");
}

/* True when a "Place: Publisher" follows a sentence end in s[b..end): the one before it,
 * "Idiosyncratic Examples: From the Personal to the Universal. Ross-on-Wye: PCCS Books", was
 * a book's title and subtitle. */
static bool pubplace_after(ctx *c, size_t b, size_t end)
{
    cite_rx_result m;
    return find(c, RX_PUBPLACE, b, end, &m) && c->s[m.start] == '.';
}

/* True when s[i..end) is a parenthesised note after a sentence end: ". (Original work
 * published 1949)." */
static bool note_next(const char *s, size_t i, size_t end)
{
    while (i < end && (is_space(s[i]) || s[i] == '.'))
        i++;
    if (i >= end || s[i] != '(')
        return false;
    const char *close = memchr(s + i, ')', end - i);
    if (!close)
        return false;
    for (size_t k = (size_t)(close - s) + 1; k < end; k++)
        if (!is_space(s[k]) && s[k] != '.')
            return false;
    return true;
}

/* The end of a publisher's name at s[i..end) continued by the last words of the reference:
 * "Dijon: IREDU, Research Institute on Education." (one or two capitalised segments after a
 * comma, without a number or colon); i when nothing continues it. */
static size_t publisher_tail(const char *s, size_t i, size_t end)
{
    size_t e = end;
    while (e > i && (is_space(s[e - 1]) || s[e - 1] == '.'))
        e--;
    if (i >= e || s[i] != ',' || e - i > 120)
        return i;
    size_t segs = 0;
    for (size_t k = i; k < e; k++) {
        if (is_digit(s[k]) || strchr(":;()[]\"", s[k]))
            return i;
        if (s[k] == ',') {
            size_t w = k + 1;
            while (w < e && is_space(s[w]))
                w++;
            if (w + 4 < e && at(s, e, w, "and ")) /* "Longman, Hurst, Rees, and Orme" */
                w += 4;
            if (w >= e || !is_upper(s[w]) || ++segs > 3)
                return i;
        }
    }
    return e;
}

/* True when s[b..e) reads as the people after "Trans.": initials, plain capitalised names
 * and "and" ("Leon S. Roudiez", "Bart Beaty and Nick Nguyen"), not the abbreviated words of
 * a journal ("Amer. Math. Soc", "Nonferrous Mat. Soc"). s is NUL-terminated. */
static bool translator_names(const char *s, size_t b, size_t e)
{
    span w[16];
    size_t nw = words(s, b, e, w, CITE_ARRAY_LEN(w));
    if (nw < 2 || nw >= CITE_ARRAY_LEN(w))
        return false;
    /* the word after them: a place or a year, not the next abbreviation of a journal */
    size_t a = e;
    while (s[a] == '.' || is_space(s[a]))
        a++;
    while (s[a] && !is_space(s[a]) && s[a] != ':' && s[a] != ',')
        a++;
    if (a > e && s[a - 1] == '.')
        return false;
    for (size_t k = 0; k < nw; k++) {
        const char *t = s + w[k].b;
        size_t l = w[k].e - w[k].b;
        if (l && t[l - 1] == ',')
            l--;
        if (is_initials(t, l, false) || (l == 3 && memcmp(t, "and", 3) == 0) ||
            (l == 1 && t[0] == '&'))
            continue;
        if (l < 2 || !is_upper(t[0]) || t[l - 1] == '.')
            return false;
        for (size_t q = 1; q < l; q++)
            if (!is_lower(t[q]) && t[q] != '-' && t[q] != '\'' && (unsigned char)t[q] < 0x80)
                return false;
    }
    return true;
}

/* The container at s[b..end): italic, or up to a volume, year or sentence end. Returns the
 * end of the container. */
static size_t take_container(ctx *c, size_t b, size_t end)
{
    const char *s = c->s;
    while (b < end && (is_space(s[b]) || strchr(".,:;", s[b])))
        b++;
    if (b >= end)
        return b;
    if (s[b] == '*' || s[b] == '_') {
        const char *close = memchr(s + b + 1, s[b], end - b - 1);
        if (close) {
            size_t ce = (size_t)(close - s);
            set_clean(c, "container-title", b + 1, ce, ",.;: ");
            return ce + 1;
        }
    }
    size_t w1 = b;
    while (w1 < end && (is_upper(s[w1]) || is_lower(s[w1])))
        w1++;
    if (month_of(s + b, w1 - b) && w1 - b <= 9 && w1 + 1 < end && is_digit(s[w1 + 1]))
        return b;
    if (is_digit(s[b]) || at(s, end, b, "vol") || at(s, end, b, "Vol") || at(s, end, b, "pp"))
        return b;
    cite_rx_result m;
    if (find(c, RX_PUBPLACE, b, end, &m) && m.start == b &&
        ((year_next(s, m.end, end) && !strstr_n(s, m.start, m.end, "Journal")) ||
         (!pubplace_after(c, m.end, end) && (m.end + 30 >= end || note_next(s, m.end, end) ||
                                             publisher_tail(s, m.end, end) > m.end))))
        return b; /* "London: Elsevier" at the end, or before the year, is no container */
    size_t ce = end;
    bool stop = find(c, RX_CONT_END, b, end, &m);
    if (stop)
        ce = m.start;
    size_t mark = ce; /* where the mark that ends the container starts: ", Ed." */
    size_t from = b;
    for (;;) {
        size_t se = sentence_end(s, from, ce);
        if (se >= ce)
            break;
        size_t w = se;
        while (w > b && !is_space(s[w - 1]))
            w--;
        /* "Softw." of "IEEE Trans. Softw. Eng., vol. 3", "<italic>Jour. AWWA</italic>": an
         * abbreviated journal word */
        if (at(s, se, w, "<italic>"))
            w += 8;
        if (stop && s[se] == '.' && is_upper(s[w]) && se - w <= 12 && se + 2 < ce &&
            is_upper(s[se + 2]) && !publisher_next(c, se + 2, ce)) {
            from = se + 1;
            continue;
        }
        ce = se;
        break;
    }
    /* "Un travestimento fiabesco. Genova: Il melangolo, 2001": a place and publisher after a
     * sentence end close the container; so does a known place after a comma ("Probabilistic
     * Methods, New York: Plenum Press") */
    span pl;
    for (size_t k = b; find(c, RX_PUBPLACE, k, ce, &m) && m.end > k; k = m.end)
        if (m.start > b &&
            (s[m.start] == '.' || (s[m.start] == ',' && group(c, &m, RX_PUBPLACE, "place", &pl) &&
                                   cite_place_whole(s + pl.b, pl.e - pl.b)))) {
            ce = m.start;
            break;
        }
    /* "Proceedings of the IFIP Conference, E. Neuhold, Ed. North-Holland": the editor named
     * before the mark that ended the container */
    size_t ee = ce;
    while (ee > b && is_space(s[ee - 1]))
        ee--;
    if (stop && ce == mark &&
        (at(s, end, mark, ", Ed.") || at(s, end, mark, ", ed.") || at(s, end, mark, ", Eds.") ||
         at(s, end, mark, ", eds."))) {
        size_t comma = ee;
        while (comma > b && s[comma - 1] != ',')
            comma--;
        if (comma > b + 1 && comma < ee && initialled_names(s, comma, ee)) {
            if (!has(c->rec, "editor"))
                parse_names(c, "editor", comma, ee);
            ce = comma - 1;
        }
    }
    /* "Proc. of the 21st VLDB Conference, Zurich, Switzerland": where it met is its place */
    size_t pt = b + cite_place_tail(s + b, ce - b);
    if (pt < ce) {
        if (!has(c->rec, "publisher-place"))
            set_clean(c, "publisher-place", pt, ce, ",.;: ");
        set_clean(c, "container-title", b, pt, ",.;: ");
        return ce;
    }
    set_clean(c, "container-title", b, ce, ",.;: ");
    return ce;
}

/* "Title. Subtitle. Place: Publisher": the container s[b..e) just taken, when a subtitle
 * followed by a place and publisher, joins the title. */
static void subtitle_to_title(ctx *c, size_t b, size_t e)
{
    const char *s = c->s;
    while (b < e && (is_space(s[b]) || strchr(".,:;", s[b])))
        b++;
    while (e > b && (is_space(s[e - 1]) || s[e - 1] == '.'))
        e--;
    const cite_field *t = cite_record_field(c->rec, "title");
    if (c->err || !t || !t->text || !subtitle_like(c, b, e, true))
        return;
    cite_buf nt = CITE_BUF_INIT;
    cite_buf_puts(&nt, t->text);
    cite_buf_puts(&nt, ". ");
    cite_buf_put(&nt, s + b, e - b);
    if (cite_buf_oom(&nt) || cite_record_set_text(c->rec, "title", nt.ptr) != 0)
        c->err = CITE_ENOMEM;
    cite_buf_dispose(&nt);
    cite_record_remove(c->rec, "container-title");
}

/* True when s[b..e) is a year (1500-2099) and perhaps its letter: "1978", "2020a". */
static bool year_only(const char *s, size_t b, size_t e)
{
    size_t n = e - b;
    return (n == 4 || (n == 5 && is_lower(s[b + 4]))) &&
           ((s[b] == '1' && s[b + 1] >= '5') || (s[b] == '2' && s[b + 1] == '0')) &&
           is_digit(s[b + 1]) && is_digit(s[b + 2]) && is_digit(s[b + 3]);
}

static void take_numbers(ctx *c, size_t b, size_t end)
{
    cite_rx_result m;
    span g;
    bool vol = false, iss = false;
    if (find(c, RX_YVP, b, end, &m) && group(c, &m, RX_YVP, "v", &g)) {
        set_clean(c, "volume", g.b, g.e, "");
        if (group(c, &m, RX_YVP, "i", &g))
            set_clean(c, "issue", g.b, g.e, "");
        if (group(c, &m, RX_YVP, "p", &g))
            set_clean(c, "page", g.b, g.e, "");
        return;
    }
    if (find(c, RX_VOL, b, end, &m) && group(c, &m, RX_VOL, "v", &g)) {
        set_clean(c, "volume", g.b, g.e, "");
        vol = true;
        if (find(c, RX_ISSUE, m.end, end, &m) && group(c, &m, RX_ISSUE, "i", &g)) {
            set_clean(c, "issue", g.b, g.e, "");
            iss = true;
        }
    }
    if (!vol && find(c, RX_VOLISS, b, end, &m)) {
        span v;
        if (group(c, &m, RX_VOLISS, "v", &v) && group(c, &m, RX_VOLISS, "i", &g)) {
            bool is_year = v.e - v.b == 4 && (c->s[v.b] == '1' || c->s[v.b] == '2');
            if (!is_year) {
                set_clean(c, "volume", v.b, v.e, "");
                vol = true;
                /* "NovT 10 (1978)": a year after the volume is the date, no issue */
                if (!year_only(c->s, g.b, g.e)) {
                    set_clean(c, "issue", g.b, g.e, "");
                    iss = true;
                }
            }
        }
    }
    if (find(c, RX_PAGES, b, end, &m) && group(c, &m, RX_PAGES, "p", &g)) {
        set_clean(c, "page", g.b, g.e, "");
    } else if (find(c, RX_COLONPAGES, b, end, &m) && group(c, &m, RX_COLONPAGES, "p", &g)) {
        set_clean(c, "page", g.b, g.e, "");
        if (!vol) {
            /* "12:45-67", French "16 : 406-417": the number before the colon is the volume */
            size_t ve = m.start;
            while (ve > b && c->s[ve - 1] == ' ' && m.start - ve < 2)
                ve--;
            size_t v = ve;
            while (v > b && is_digit(c->s[v - 1]))
                v--;
            if (v < ve && !(ve < m.start && year_only(c->s, v, ve))) {
                set_clean(c, "volume", v, ve, "");
                vol = true;
            }
        }
    } else if (find(c, RX_RANGE, b, end, &m) && group(c, &m, RX_RANGE, "p", &g)) {
        set_clean(c, "page", g.b, g.e, "");
    } else if (find(c, RX_ARTNUM, b, end, &m) && group(c, &m, RX_ARTNUM, "p", &g)) {
        /* "Cold Spring Harb Perspect Biol 4, a013680.": an article number */
        span v;
        bool is_year = false;
        if (group(c, &m, RX_ARTNUM, "v", &v))
            is_year = v.e - v.b == 4 && (c->s[v.b] == '1' || c->s[v.b] == '2');
        if (!is_year) {
            set_clean(c, "page", g.b, g.e, "");
            if (!vol) {
                set_clean(c, "volume", v.b, v.e, "");
                vol = true;
                if (group(c, &m, RX_ARTNUM, "i", &g))
                    set_clean(c, "issue", g.b, g.e, "");
            }
        }
    }
    if (!vol) {
        /* "Soins, mars 2014, n°783": the number of a French periodical without a volume is
         * its volume (AnyStyle's convention) */
        for (size_t i = b; i + 3 < end && !vol; i++) {
            if ((c->s[i] != 'n' && c->s[i] != 'N') ||
                (i > b && !is_space(c->s[i - 1]) && c->s[i - 1] != ',' && c->s[i - 1] != '('))
                continue;
            if (!at(c->s, end, i + 1, "\xc2\xb0") && !at(c->s, end, i + 1, "\xc2\xba"))
                continue;
            size_t d = i + 3;
            while (d < end && is_space(c->s[d]))
                d++;
            size_t de = d;
            while (de < end && is_digit(c->s[de]))
                de++;
            if (de > d && de - d <= 5) {
                set_clean(c, "volume", d, de, "");
                vol = true;
            }
        }
    }
    if (!vol) {
        /* "Journal 12, 45-67" / "Journal, 12, 45" : a bare number after the container */
        size_t i = b;
        while (i < end && (is_space(c->s[i]) || c->s[i] == ',' || c->s[i] == '.'))
            i++;
        size_t j = i;
        while (j < end && is_digit(c->s[j]))
            j++;
        size_t k = j; /* over a blanked "</italic>" */
        while (k < end && is_space(c->s[k]) && k - j < 10)
            k++;
        if (j > i && j - i <= 4 &&
            (k == end || c->s[k] == ',' || c->s[k] == '.' || c->s[k] == ':' ||
             (c->s[j] == ' ' && j + 1 < end && is_digit(c->s[j + 1]))) &&
            !(j - i == 4 && (c->s[i] == '1' || c->s[i] == '2')))
            set_clean(c, "volume", i, j, "");
    }
    (void)iss;
}

/* "Department of Computer Science, Stanford University": a unit and the body it belongs to
 * are one publisher. s[i..j) is the first; returns the end of the second when it follows
 * after a comma, else j. */
static size_t institution_end(const char *s, size_t i, size_t j, size_t end)
{
    static const char *const units[] = { "Dept",      "Department", "Laboratory", "Lab",
                                         "Institute", "School",     "Center",     "Centre",
                                         "Division",  "Faculty",    "University", "Univ" };
    static const char *const bodies[] = { "University",   "Univ.", "Institute", "College",
                                          "Laboratories", "Labs",  "MIT",       "Universit" };
    if (j >= end || s[j] != ',')
        return j;
    bool unit = false;
    for (size_t k = 0; k < CITE_ARRAY_LEN(units) && !unit; k++)
        unit = strstr_n(s, i, j, units[k]);
    size_t b = j + 1;
    while (b < end && is_space(s[b]))
        b++;
    size_t e = b;
    while (e < end && s[e] != ',' && s[e] != ';' && s[e] != '(' &&
           !(s[e] == '.' && (e + 1 >= end || is_space(s[e + 1])) &&
             !(e > b + 3 && at(s, end, e - 4, "Univ"))))
        e++;
    if (!unit || e - b > 60 || !is_upper(s[b]))
        return j;
    for (size_t q = b; q < e; q++)
        if (is_digit(s[q]))
            return j;
    for (size_t k = 0; k < CITE_ARRAY_LEN(bodies); k++)
        if (strstr_n(s, b, e, bodies[k]))
            return e;
    return j;
}

/* "..., Academic Press, New York, 1993": the first comma- or period-delimited segment of
 * s[b..end) that names a publisher; the segment after it, when a plain name, is the place. */
static void publisher_segment(ctx *c, size_t b, size_t end)
{
    const char *s = c->s;
    size_t i = b;
    while (i < end && !c->err) {
        while (i < end && (is_space(s[i]) || strchr(",.;:()", s[i])))
            i++;
        size_t j = i;
        while (j < end && s[j] != ',' && s[j] != ';' && s[j] != '(' && s[j] != ')' &&
               !(s[j] == '.' && (j + 1 >= end || is_space(s[j + 1])) &&
                 !(j > i + 3 && abbreviation(s + j - 4, 4)) &&
                 !(j >= i + 1 && is_upper(s[j - 1]) && (j < i + 2 || is_space(s[j - 2])))))
            j++;
        if (j > i && j - i <= 60 && is_upper(s[i])) {
            bool digits = false;
            for (size_t q = i; q < j; q++)
                digits = digits || is_digit(s[q]);
            cite_rx_result m;
            if (!digits && find(c, RX_PUBWORD, i, j, &m)) {
                j = institution_end(s, i, j, end);
                set_clean(c, "publisher", i, j, ",. ");
                if (s[j] == ',' && !has(c->rec, "publisher-place")) {
                    size_t pb = j + 1;
                    while (pb < end && is_space(s[pb]))
                        pb++;
                    size_t pe = pb;
                    while (pe < end && s[pe] != ',' && s[pe] != '.' && s[pe] != ';' && s[pe] != '(')
                        pe++;
                    bool pd = false;
                    for (size_t q = pb; q < pe; q++)
                        pd = pd || is_digit(s[q]);
                    if (pe > pb && pe - pb <= 30 && is_upper(s[pb]) && !pd)
                        set_clean(c, "publisher-place", pb, pe, ",. ");
                }
                return;
            }
        }
        i = j + 1;
    }
}

/* "Title. Pacific Institute, Oakland, Calif.": a tail of two to four comma-separated
 * capitalised segments without any number is no journal (that would have a volume or
 * pages) but a publisher and its place. Replaces the container taken from it. */
static void publisher_place_tail(ctx *c, size_t b, size_t end)
{
    static const char *const journalish[] = { "Journal", "Review",     "Proc", "Bulletin",
                                              "Trans",   "Letters",    "Acta", "Annals",
                                              "Revue",   "Zeitschrift" };
    const char *s = c->s;
    const cite_field *ct = cite_record_field(c->rec, "container-title");
    if (!ct || !ct->text || has(c->rec, "publisher") || strcmp(c->rec->type, "thesis") == 0)
        return;
    while (b < end && (is_space(s[b]) || strchr(".,;", s[b])))
        b++;
    size_t e = end;
    while (e > b && (is_space(s[e - 1]) || s[e - 1] == '.'))
        e--;
    size_t segs = 1, comma = 0;
    for (size_t q = b; q < e; q++) {
        if (is_digit(s[q]) || strchr(":;()[]\"*_", s[q]))
            return;
        if (s[q] == ',') {
            if (!comma)
                comma = q;
            segs++;
            size_t r = q + 1;
            while (r < e && is_space(s[r]))
                r++;
            if (r >= e || !is_upper(s[r]))
                return;
        }
    }
    if (segs < 2 || segs > 4 || !is_upper(s[b]) || comma - b > 60 || e - comma > 60)
        return;
    for (size_t k = 0; k < CITE_ARRAY_LEN(journalish); k++)
        if (strstr_n(s, b, comma, journalish[k]))
            return;
    cite_rx_result m;
    if (find(c, RX_PROC, b, comma, &m) || strstr_n(s, b, comma, "presented") ||
        strstr_n(s, b, comma, "Series") || sentence_end(s, b, comma) < comma)
        return;
    size_t last = e;
    while (last > b && s[last - 1] != ',')
        last--;
    while (last < e && is_space(s[last]))
        last++;
    bool state = e - last <= 3 && is_upper(s[last]) && (e - last < 2 || is_upper(s[last + 1]));
    cite_record_remove(c->rec, "container-title");
    if (segs == 2 && cite_place_word(s + b, comma - b) && !cite_place_whole(s + b, e - b)) {
        /* "Paris, PUF", "Paris, INSEE": a known place first, then its publisher */
        set_clean(c, "publisher-place", b, comma, ",. ");
        set_clean(c, "publisher", comma + 1, e, ",. ");
        return;
    }
    if (segs == 2 && state) { /* "Ann Arbor, MI": a place alone */
        set_clean(c, "publisher-place", b, e, ",. ");
        return;
    }
    set_clean(c, "publisher", b, comma, ",. ");
    set_clean(c, "publisher-place", comma + 1, e, ",. ");
}

/* True when the record's date says it is still to be published ("in press", "forthcoming"):
 * a journal article, whose volume and pages are not known yet (so is one with a DOI or a
 * link, which the caller checks). */
static bool forthcoming(const cite_record *rec)
{
    const cite_field *f = cite_record_field(rec, "issued");
    return f && f->date.literal &&
           (strncmp(f->date.literal, "in press", 8) == 0 ||
            strncmp(f->date.literal, "forthcoming", 11) == 0);
}

/* True when s[i..end) holds only spaces and punctuation. */
static bool only_punct(const char *s, size_t i, size_t end)
{
    for (; i < end; i++)
        if (!is_space(s[i]) && !strchr(".,;:", s[i]))
            return false;
    return true;
}

/* True when s[i..end) holds only a year and punctuation: ", 1982.". */
static bool only_year_after(const char *s, size_t i, size_t end)
{
    if (!year_next(s, i, end))
        return false;
    while (i < end && !is_digit(s[i]))
        i++;
    for (i += 4; i < end; i++)
        if (!is_space(s[i]) && s[i] != '.' && s[i] != ')')
            return false;
    return true;
}

/* "Raine, Kathleen. The Human Face of God. Thames and Hudson, 1982.": what stands between a
 * title and a lone year, with no volume or pages, is a book's publisher, not a journal; so is
 * the name that closes a reference ("Ostéopathie du sport. Maloine."). A city stands alone
 * there too ("Paris, 1989"): one word or "New York" without a publisher's word, or with
 * known_places_only (the closing name, which may be one word, "Athena"), a known place. */
static void container_to_publisher(ctx *c, bool known_places_only)
{
    static const char *const journalish[] = { "Journal",  "Review", "Proc",   "Bulletin", "Trans",
                                              "Letters",  "Acta",   "Annals", "Revue",    "J.",
                                              "Magazine", "News",   "Times",  "Quarterly" };
    const cite_field *ct = cite_record_field(c->rec, "container-title");
    if (c->err || c->quoted || !ct || !ct->text || has(c->rec, "publisher") ||
        strlen(ct->text) > 60)
        return;
    const char *t = ct->text;
    for (size_t k = 0; t[k]; k++)
        if (is_digit(t[k]) || t[k] == ':' || t[k] == '.' || t[k] == ',' ||
            (is_upper(t[k]) && is_upper(t[k + 1])))
            return; /* "CVPR", "Science XXXV": acronyms of conferences and journals */
    for (size_t k = 0; k < CITE_ARRAY_LEN(journalish); k++)
        if (strstr(t, journalish[k]))
            return;
    cite_rx_result m;
    if (cite_rx_match(&m, c->p->rx, RX_PROC, t, strlen(t), 0, 0) == 1)
        return;
    /* "Title, Paris, 1989": one word, or "New York", without a publisher's word names a city */
    static const char *const city_heads[] = { "New ",    "San ",  "Los ", "Saint ", "St ",
                                              "Buenos ", "Hong ", "Tel ", "Rio ",   "Ann " };
    size_t nsp = 0;
    for (size_t k = 0; t[k]; k++)
        nsp += t[k] == ' ';
    bool head = false;
    for (size_t k = 0; k < CITE_ARRAY_LEN(city_heads); k++)
        head = head || strncmp(t, city_heads[k], strlen(city_heads[k])) == 0;
    bool city = known_places_only
                    ? cite_place_whole(t, strlen(t))
                    : (nsp == 0 || (nsp == 1 && head)) &&
                          cite_rx_match(&m, c->p->rx, RX_PUBWORD, t, strlen(t), 0, 0) != 1;
    char *pub = cite_strdup(t);
    if (!pub || cite_record_set_text(c->rec, city ? "publisher-place" : "publisher", pub) != 0)
        c->err = CITE_ENOMEM;
    cite_free(pub);
    cite_record_remove(c->rec, "container-title");
}

/* Reads the details after the title: container, numbers, publisher. */
/* The end of the segment of s[from..end) that starts at from: a comma, a sentence end or end. */
static size_t segment_end(const char *s, size_t from, size_t end)
{
    size_t k = from;
    while (k < end && s[k] != ',' && !(s[k] == '.' && (k + 1 == end || is_space(s[k + 1]))))
        k++;
    return k;
}

/* "..., pages 11-19, San Jose, CA, 1992": a place among the comma-separated segments of
 * s[b..end) after the container: one segment, or a city and its region. */
static void place_segment(ctx *c, size_t b, size_t end)
{
    const char *s = c->s;
    for (size_t st = b; st < end;) {
        while (st < end && (is_space(s[st]) || s[st] == ',' || s[st] == '.'))
            st++;
        size_t k1 = segment_end(s, st, end);
        size_t k2 = k1 < end && s[k1] == ',' ? segment_end(s, k1 + 1, end) : k1;
        if (k2 > k1 && cite_place_whole(s + st, k2 - st)) {
            set_clean(c, "publisher-place", st, k2, ",.;: ");
            return;
        }
        if (k1 > st && cite_place_whole(s + st, k1 - st)) {
            set_clean(c, "publisher-place", st, k1, ",.;: ");
            return;
        }
        st = k1 + 1;
    }
}

static void take_rest(ctx *c, size_t b, size_t end, bool italic_title, bool *chapter, bool *report)
{
    cite_rx_result m;
    span g;
    const char *s = c->s;
    while (b < end && (is_space(s[b]) || strchr(".,:;", s[b])))
        b++;
    size_t rest = b, rep_end = 0;
    /* report numbers */
    if (find(c, RX_REPORT, b, end, &m) && group(c, &m, RX_REPORT, "g", &g)) {
        set_clean(c, "genre", g.b, g.e, "*_ ");
        if (group(c, &m, RX_REPORT, "n", &g))
            set_clean(c, "number", g.b, g.e, ".,*_ ");
        *report = true;
        rep_end = m.end;
        bool whole_italic = b < m.start && (s[b] == '*' || s[b] == '_');
        blank(c, m.start, m.end);
        if (whole_italic)
            blank(c, b, b + 1);
    }
    if (find(c, RX_THESIS, b, end, &m)) {
        if (!c->err && cite_record_set_type(c->rec, "thesis") != 0)
            c->err = CITE_ENOMEM;
        set_clean(c, "genre", m.start, m.end, "");
        blank(c, m.start, m.end);
    }
    /* edition */
    if (find(c, RX_EDITION, b, end, &m) && group(c, &m, RX_EDITION, "n", &g)) {
        set_clean(c, "edition", g.b, g.e, "");
        blank(c, m.start, m.end);
    }
    bool in = at(s, end, b, "In ") || at(s, end, b, "In:") || at(s, end, b, "in ") ||
              at(s, end, b, "in:");
    if (in) {
        *chapter = true;
        if (find(c, RX_EDITORS_IN, b, end, &m)) {
            if (group(c, &m, RX_EDITORS_IN, "e", &g))
                parse_names(c, "editor", g.b, g.e);
            rest = m.end;
        } else {
            rest = b + (s[b + 2] == ':' ? 3 : 2);
        }
    }
    if (!in && find(c, RX_PAREN_ED, rest, end, &m) && group(c, &m, RX_PAREN_ED, "e", &g)) {
        span k;
        if (group(c, &m, RX_PAREN_ED, "k", &k) && c->s[k.b] == 'E')
            parse_names(c, "editor", g.b, g.e);
        rest = m.end;
    }
    if (find(c, RX_EDITED_BY, rest, end, &m) && m.start == rest &&
        group(c, &m, RX_EDITED_BY, "e", &g)) {
        /* "Title. Edited by X. Place: Publisher" */
        parse_names(c, "editor", g.b, g.e);
        rest = m.end;
        while (rest < end && (is_space(s[rest]) || strchr(".,;", s[rest])))
            rest++;
    }
    size_t tr = at(s, end, rest, "Translated by ") ? 14
                : at(s, end, rest, "Trans. by ")   ? 10
                : at(s, end, rest, "Trans. ")      ? 7
                                                   : 0;
    if (tr) {
        /* "Title. Translated by K. William Whitney, Jr. Grand Rapids: Eerdmans", "Title.
         * Trans. Leon S. Roudiez. New York": the translator (CSL has no place for it here) is
         * skipped */
        size_t te = names_end(s, rest + tr, end);
        if (te + 3 < end && te - rest < 200 && (tr != 7 || translator_names(s, rest + tr, te))) {
            rest = te + 1;
            while (rest < end && is_space(s[rest]))
                rest++;
        }
    }
    span bare;
    if (find(c, RX_EDITORS_PRE, rest, end, &m) && group(c, &m, RX_EDITORS_PRE, "e", &g) &&
        m.end - rest < 300 &&
        (!group(c, &m, RX_EDITORS_PRE, "bare", &bare) || initialled_names(s, g.b, g.e))) {
        parse_names(c, "editor", g.b, g.e);
        rest = m.end;
        in = true;
        *chapter = true;
    }
    if (!*report && find(c, RX_TECHREP, rest, end, &m) && m.start - rest < 80) {
        span gg;
        if (group(c, &m, RX_TECHREP, "g", &gg))
            set_clean(c, "genre", gg.b, gg.e, "");
        if (group(c, &m, RX_TECHREP, "n", &g))
            set_clean(c, "number", g.b, g.e, ".,");
        *report = true;
        rep_end = m.end;
        blank(c, m.start, m.end);
    }
    size_t cont_b = rest;
    if (!*report || in || (s[rest] == '*' || s[rest] == '_')) {
        bool had_marker = rest < end && (s[rest] == '*' || s[rest] == '_');
        if (!italic_title || in || had_marker) {
            size_t ce = take_container(c, rest, end);
            cite_rx_result pm;
            size_t pe = ce; /* over an edition blanked before it: "Title (2 ed.). Place:" */
            while (pe < end && (is_space(s[pe]) || s[pe] == '(' || s[pe] == ')'))
                pe++;
            if (ce > rest && !in && !c->quoted && !italic_title && s[pe] == '.' &&
                find(c, RX_PUBPLACE, pe, end, &pm) && pm.start == pe)
                subtitle_to_title(c, rest, ce);
            if (ce > rest)
                rest = ce;
            /* "Title. Maloine.", "Title. Hamakua District Development Council.": a name
             * closing the reference, with no volume or pages, is a book's publisher */
            if (ce > cont_b && ce < end && s[ce] == ',' && !in && only_year_after(s, ce, end))
                container_to_publisher(c, false);
            else if (ce > cont_b && !in && only_punct(s, ce, end) && !forthcoming(c->rec) &&
                     !has(c->rec, "DOI") && !has(c->rec, "URL"))
                container_to_publisher(c, true);
        }
    }
    if (!has(c->rec, "editor") && find(c, RX_EDITED_BY, rest, end, &m) &&
        group(c, &m, RX_EDITED_BY, "e", &g)) {
        parse_names(c, "editor", g.b, g.e);
        blank(c, m.start, m.end);
    }
    /* "(Manchester, 2006)" after a book's title: its place alone */
    size_t pp = rest;
    if (pp < end && s[pp] == '(' && is_upper(s[pp + 1])) {
        /* "(West Lafayette, IN, 1998)": the place runs to the comma before the year */
        size_t q = pp + 1, last = 0;
        while (q < end && s[q] != ')' && s[q] != ':' && !is_digit(s[q]) && q - pp < 30) {
            if (s[q] == ',')
                last = q;
            q++;
        }
        q = last;
        if (q > pp && year_next(s, q, end)) {
            size_t y = q + 1;
            while (y < end && !is_digit(s[y]))
                y++;
            cite_rx_result pm;
            if (y + 4 < end && s[y + 4] == ')' && !month_of(s + pp + 1, q - pp - 1) &&
                !is_upper(s[pp + 2]) && !find(c, RX_PUBWORD, pp + 1, q, &pm))
                set_clean(c, "publisher-place", pp + 1, q, ",. ");
        }
    }
    /* publisher and place */
    if (find(c, RX_PUBPLACE, rest, end, &m)) {
        span pl, pu;
        if (group(c, &m, RX_PUBPLACE, "place", &pl) && group(c, &m, RX_PUBPLACE, "pub", &pu) &&
            !(pl.e - pl.b == 2 && at(s, end, pl.b, "In"))) {
            set_clean(c, "publisher-place", pl.b, pl.e, ",. ");
            set_clean(c, "publisher", pu.b, publisher_tail(s, m.end, end), ",. ");
        }
    }
    if (!in && !*report)
        publisher_place_tail(c, cont_b, end);
    /* "Plenum Press, New York": a container that is a publisher */
    const cite_field *ct = cite_record_field(c->rec, "container-title");
    if (ct && ct->text && !has(c->rec, "publisher") && !in) {
        cite_rx_result pm;
        size_t tl = strlen(ct->text);
        if (cite_rx_match(&pm, c->p->rx, RX_PUBWORD, ct->text, tl, 0, 0) == 1 &&
            !strstr(ct->text, "Journal") && !strstr(ct->text, "Proc") &&
            !strstr(ct->text, "Review")) {
            /* "Halsted Press, New York": the container holds the place too */
            const char *comma = strchr(ct->text, ',');
            bool split = comma && comma > ct->text && !has(c->rec, "publisher-place") &&
                         strlen(comma) < 40 && !strpbrk(ct->text, "0123456789:") &&
                         cite_rx_match(&pm, c->p->rx, RX_PUBWORD, ct->text,
                                       (size_t)(comma - ct->text), 0, 0) == 1;
            char *pub = cite_strndup(ct->text, split ? (size_t)(comma - ct->text) : tl);
            char *place = NULL;
            if (split) {
                const char *pl = comma + 1;
                while (*pl == ' ')
                    pl++;
                place = cite_strdup(pl);
            }
            if (!pub || (split && !place) || cite_record_set_text(c->rec, "publisher", pub) != 0 ||
                (split && *place && cite_record_set_text(c->rec, "publisher-place", place) != 0))
                c->err = CITE_ENOMEM;
            cite_free(pub);
            cite_free(place);
            cite_record_remove(c->rec, "container-title");
            /* the place after it: ", New York," */
            size_t pb = rest;
            while (pb < end && s[pb] != ',')
                pb++;
            if (pb < end && !has(c->rec, "publisher-place")) {
                pb++;
                while (pb < end && is_space(s[pb]))
                    pb++;
                size_t pe = pb;
                while (pe < end && s[pe] != ',' && s[pe] != '.' && s[pe] != ';' && s[pe] != '(')
                    pe++;
                if (pe > pb && is_upper(s[pb]) && pe - pb < 40) {
                    bool digits = false;
                    for (size_t q = pb; q < pe; q++)
                        digits = digits || is_digit(s[q]);
                    if (!digits)
                        set_clean(c, "publisher-place", pb, pe, ",. ");
                }
            }
        }
    }
    if (!has(c->rec, "publisher"))
        publisher_segment(c, rest, end);
    if (*report && !has(c->rec, "publisher") && rep_end) {
        size_t pb = rep_end;
        while (pb < end && (is_space(s[pb]) || strchr(".,;*_", s[pb])))
            pb++;
        size_t pe = sentence_end(s, pb, end);
        const char *comma = memchr(s + pb, ',', pe - pb);
        if (comma)
            pe = institution_end(s, pb, (size_t)(comma - s), end);
        if (pb < pe && (is_upper(s[pb])) && pe - pb < 120)
            set_clean(c, "publisher", pb, pe, ",.*_ ");
    }
    blank_italics(c, rest, end);
    take_numbers(c, rest, end);
    if (!has(c->rec, "publisher-place"))
        place_segment(c, rest, end);
    if (!in && !has(c->rec, "publisher"))
        publisher_before_place(c, cont_b, end);
}

static void decide_type(ctx *c, bool chapter, bool report, bool italic_title)
{
    if (c->err)
        return;
    cite_record *r = c->rec;
    const char *type = "document";
    const cite_field *ct = cite_record_field(r, "container-title");
    bool proc = false;
    if (ct && ct->text) {
        /* look for proceedings words in the container itself */
        const char *t = ct->text;
        proc = strstr(t, "Proceedings") || strstr(t, "Proc.") || strstr(t, "Conference") ||
               strstr(t, "Symposium") || strstr(t, "Workshop") || strstr(t, "proceedings") ||
               strstr(t, "Congress");
    }
    if (strcmp(r->type, "thesis") == 0) {
        /* the container of a thesis is its university */
        if (ct && ct->text && !has(r, "publisher")) {
            char *u = cite_strdup(ct->text);
            if (!u || cite_record_set_text(r, "publisher", u) != 0)
                c->err = CITE_ENOMEM;
            cite_free(u);
            cite_record_remove(r, "container-title");
        }
        return;
    }
    if (report)
        type = "report";
    else if (proc)
        type = "paper-conference";
    else if (chapter)
        type = "chapter";
    else if (ct)
        type = "article-journal";
    else if (italic_title || has(r, "publisher") || has(r, "edition"))
        type = "book";
    else if (has(r, "URL"))
        type = "webpage";
    if (cite_record_set_type(r, type) != 0)
        c->err = CITE_ENOMEM;
}

/* True when the period at s[d] closes a list of eLife's "Family Initials" people ("Malhotra
 * SK. 1967."): when the first person of the list, up to its comma, ends in bare initials
 * ("van Harreveld A,"), the period is no part of the last one's, unlike the "J." of "Smith, J.
 * 2019." or the "M." of "Thomson, Rodney M. 2019.". */
static bool bare_initials_end(const char *s, size_t b, size_t d)
{
    size_t e = b;
    while (e < d && s[e] != ',')
        e++;
    size_t w = e;
    while (w > b && !is_space(s[w - 1]))
        w--;
    if (w == b || w == e || e - w > 3)
        return false;
    for (size_t q = w; q < e; q++)
        if (!is_upper(s[q]) && s[q] != '-')
            return false;
    return true;
}

/* True when the word ending at s[e] (spaces skipped) is an article: "Pryor JP. The 2001 World
 * Trade Center" holds a title, not names, before its number. */
static bool article_before(const char *s, size_t b, size_t e)
{
    static const char *const arts[] = { "The", "A",   "An", "Le", "La", "Les", "Der",
                                        "Die", "Das", "El", "Il", "Un", "Une", "Los" };
    while (e > b && is_space(s[e - 1]))
        e--;
    size_t w = e;
    while (w > b && !is_space(s[w - 1]))
        w--;
    for (size_t k = 0; k < CITE_ARRAY_LEN(arts); k++)
        if (strlen(arts[k]) == e - w && memcmp(arts[k], s + w, e - w) == 0)
            return true;
    return false;
}

/* True when s[b..e) can be one person of a list separated by commas: two to four words that
 * can belong to names (name_word), the first no article ("The Archival Edge"). */
static bool comma_person(const char *s, size_t b, size_t e)
{
    span w[6];
    size_t nw = words(s, b, e, w, 6);
    size_t k = 0;
    if (nw > 0 && (at(s, e, w[0].b, "and ") || at(s, e, w[0].b, "& ")))
        k = 1;
    if (nw - k < 2 || nw - k > 4 || has_quote(s, b, e) || article_before(s, w[k].b, w[k].e))
        return false;
    for (size_t q = k; q < nw; q++)
        if (!name_word(s + w[q].b, w[q].e - w[q].b) ||
            (q > k && !is_upper(s[w[q].b]) && (unsigned char)s[w[q].b] < 0x80 &&
             !is_particle(s + w[q].b, w[q].e - w[q].b)))
            return false;
    return is_upper(s[w[k].b]) || (unsigned char)s[w[k].b] >= 0x80;
}

/* True when a segment after a comma in s[b..e) reads as a title, not a name, after at least
 * one segment that does: "Feferman, S., Transfinite Recursive Progressions of Axiomatic
 * Theories, J. Symbolic Logic, 27 (1962)" has its date at the end, not after the names. A
 * title has a colon, or a lowercase word that is no particle or connective of names. */
static bool comma_title(const char *s, size_t b, size_t e)
{
    size_t i = b, named = 0;
    while (i < e) {
        const char *comma = memchr(s + i, ',', e - i);
        size_t j = comma ? (size_t)(comma - s) : e;
        span w[8];
        size_t nw = words(s, i, j, w, 8);
        bool title = nw >= 3 && !has_quote(s, i, j) && !strstr_n(s, i, j, "et al");
        bool lower = false;
        for (size_t q = 0; q < nw && title; q++) {
            const char *t = s + w[q].b;
            size_t l = w[q].e - w[q].b;
            if (memchr(t, ':', l) || is_digit(t[0]) || t[0] == '(')
                title = q > 0 && t[0] != '(' && !is_digit(t[0]);
            lower |= q > 0 && is_lower(t[0]) && !name_word(t, l) && !is_particle(t, l);
        }
        if (title && lower && named > 0)
            return true;
        if (nw == 0 || nw > 4)
            return false;
        named++;
        i = j + 1;
    }
    return false;
}

/* "Kim-Kwang Raymond Choo, The cyber threat landscape, Computers and Security, v.30",
 * "Murugan R., Padmanabhan K., Ramesh R., Study of vibration...": people separated by commas,
 * then a title after a comma, in a reference with no sentence end after its names. Returns
 * the offset of the comma closing the names, or 0. */
static size_t comma_names(const char *s, size_t b, size_t n)
{
    size_t i = b, people = 0;
    while (i < n && people < 64) {
        size_t j = i;
        while (j < n && s[j] != ',') {
            /* a period inside the names only closes initials: "Murugan R.," "A.B.M. Ali" */
            if (s[j] == '.' && (j + 1 >= n || is_space(s[j + 1]))) {
                size_t w = j;
                while (w > i && !is_space(s[w - 1]))
                    w--;
                if (!is_initials(s + w, j + 1 - w, false))
                    return 0;
            }
            j++;
        }
        if (j >= n || strstr_n(s, i, j, "et al") || strstr_n(s, i, j, "etal"))
            return 0;
        if (!comma_person(s, i, j))
            break;
        people++;
        i = j + 1;
    }
    if (people == 0 || i >= n)
        return 0;
    size_t t = i;
    while (t < n && is_space(s[t]))
        t++;
    size_t te = t;
    while (te < n && s[te] != ',' && s[te] != '.')
        te++;
    if (t >= n || !(is_upper(s[t]) || quote_at(s, n, t) || (unsigned char)s[t] >= 0x80) ||
        names_only(s, t, te))
        return 0;
    return i - 1;
}

/* "The Godel Programming Language, MIT Press, Cambridge, Mass., 1994": the comma in
 * s[b..e) before a short segment naming a publisher that the place, the year or the end
 * follows, where a title written without a sentence end stops; 0 when there is none. */
static size_t publisher_comma(ctx *c, size_t b, size_t e)
{
    const char *s = c->s;
    for (size_t k = b + 1; k < e; k++) {
        if (s[k] != ',' || k + 2 >= e || s[k + 1] != ' ' || !is_upper(s[k + 2]))
            continue;
        size_t g = k + 2, ge = g;
        while (ge < e && s[ge] != ',' && s[ge] != '.' && s[ge] != ';' && s[ge] != '(' &&
               !is_digit(s[ge]))
            ge++;
        cite_rx_result m;
        if (ge - g <= 50 && (ge == e || s[ge] == ',' || s[ge] == '.') &&
            find(c, RX_PUBWORD, g, ge, &m))
            return k;
        /* "Title, Paris, PUF.": a known place, then its publisher closing the reference */
        if (ge < e && (s[ge] == ',' || s[ge] == ':') && cite_place_word(s + g, ge - g) &&
            sentence_end(s, ge, c->n) + 2 >= c->n && c->n - ge < 80)
            return k;
    }
    return 0;
}

/* Where "Toronto: Between the Lines" starts in a title s[b..e) that runs into its place and
 * publisher without a period ("... in Southern Africa Toronto: Between the Lines"): a known
 * place of one or two words after a space and before ": " and a capital, in the last sentence
 * of the reference s[..n). 0 when there is none. */
static size_t place_colon(const char *s, size_t b, size_t e, size_t n)
{
    for (size_t k = b + 10; k + 2 < e; k++) {
        if (s[k] != ':' || s[k + 1] != ' ' || !is_upper(s[k + 2]))
            continue;
        /* the publisher is the last sentence, or a year follows it: "Impact Craters in Brazil:
         * How Far We've Got. Meteoritics" is a title and its subtitle */
        size_t se = sentence_end(s, k + 2, n);
        if (se + 2 < n && !year_next(s, se + 1, n))
            continue;
        size_t w = k;
        for (int words = 0; words < 2 && w > b; words++) {
            while (w > b && !is_space(s[w - 1]))
                w--;
            if (w <= b + 10 || !is_upper(s[w]))
                break;
            /* not "Multicultural Youth in Australia: Settlement and Transition" */
            size_t pw = w - 1;
            while (pw > b && !is_space(s[pw - 1]))
                pw--;
            if (cite_place_word(s + w, k - w) && !strchr(".,;:", s[w - 2]) && !is_lower(s[pw]))
                return w;
            w--;
        }
    }
    return 0;
}

/* "Regulatory Control of Emissions: How Effective? Paltsev, S., V. Karplus and H.D. Jacoby
 * 2014 Climate Policy, 15(4)": a reference that opens with its title, the people and the year
 * after it. Takes the title, authors and date, sets *pos after the year; false when the text
 * before the people is no title (names only, or no lowercase word). */
static bool title_first(ctx *c, size_t b, size_t *pos)
{
    cite_rx_result m;
    span a, w[8];
    size_t lim = CITE_MIN(c->n, b + 1200);
    if (!find(c, RX_TITLEFIRST, b, lim, &m) || !group(c, &m, RX_TITLEFIRST, "a", &a) ||
        a.b < b + 20 || names_only(c->s, b, a.b))
        return false;
    size_t nw = words(c->s, b, a.b, w, CITE_ARRAY_LEN(w));
    bool lower = false;
    for (size_t k = 1; k < nw && !lower; k++)
        lower = is_lower(c->s[w[k].b]) && !is_particle(c->s + w[k].b, w[k].e - w[k].b);
    if (nw < 3 || !lower)
        return false;
    set_clean(c, "title", b, a.b, ",;:. ");
    parse_names(c, "author", a.b, a.e);
    set_issued(c, &m, RX_TITLEFIRST);
    *pos = m.end;
    return true;
}

static void parse(ctx *c)
{
    cite_rx_result m;
    span g;
    size_t n = c->n;
    /* list label */
    size_t b = 0;
    if (find(c, RX_LABEL, 0, n, &m))
        b = m.end;
    take_links(c);
    if (c->err)
        return;
    bool chapter = false, report = false, italic = false, dated = false;
    size_t auth_e = n, pos = n;
    /* author-date with the year in parentheses, unless a "G. Family, ..., Title" list ends
     * well before it */
    size_t early = n;
    if (find(c, RX_INITFIRST, b, n, &m) && group(c, &m, RX_INITFIRST, "a", &g) && c->s[g.e] == ',')
        early = m.end;
    bool titled = false, comma_style = false, initfirst = false, hum_editor = false;
    /* "Trade in the Ancient Economy, ed. Peter Garnsey, Keith Hopkins, London, 1983": an
     * edited book cited by its title, which no names open */
    size_t ed_e = CITE_MIN(n, b + 300);
    if ((strstr_n(c->s, b, ed_e, ", ed") || strstr_n(c->s, b, ed_e, ", Ed")) &&
        find(c, RX_EDITED_BY, b, ed_e, &m) && m.start > b + 10 && c->s[m.start] == ',' &&
        group(c, &m, RX_EDITED_BY, "e", &g) && names_end(c->s, b, m.start) >= m.start &&
        !names_only(c->s, b, m.start) && !has_quote(c->s, b, m.start) && is_upper(c->s[b]) &&
        c->s[m.start + 2] == 'e' && !memchr(c->s + b, ',', m.start - b) &&
        !memchr(c->s + b, '\'', m.start - b) && !strstr_n(c->s, b, m.start, "\xe2\x80\x98") &&
        !strstr_n(c->s, b, m.start, "\xe2\x80\x99")) {
        set_clean(c, "title", b, m.start, ",.;: ");
        parse_names(c, "editor", g.b, g.e);
        auth_e = b;
        pos = m.end;
        titled = true;
    }
    if (!titled && find(c, RX_PARENDATE, b, n, &m) && !(early < n && early + 20 < m.start) &&
        !comma_title(c->s, b, m.start)) {
        size_t ab = b, ae = m.start;
        size_t se = names_end(c->s, ab, ae);
        bool cut_here = c->names_e && ae + 2 >= c->names_e && ae <= c->names_e;
        bool quoted = has_quote(c->s, ab, ae) || (ae - ab > 600 && !cut_here);
        if (quoted)
            se = 0;
        else if (se >= ae || only_spaces(c->s, se + 1, ae) ||
                 (se >= 5 && at(c->s, ae, se - 5, "et al"))) {
            auth_e = ae;
            set_issued(c, &m, RX_PARENDATE);
            dated = true;
            pos = m.end;
        }
    }
    if (!titled && !dated && title_first(c, b, &pos)) {
        titled = dated = true;
        auth_e = b;
    }
    /* "Baker, David W., ed. Title": the names of an edited book end at the editor mark */
    if (!dated && !titled && find(c, RX_EDHEAD, b, CITE_MIN(n, b + 400), &m) && m.start > b &&
        names_end(c->s, b, m.start) >= m.start && names_only(c->s, b, m.start)) {
        auth_e = m.start;
        pos = m.end;
        initfirst = true;
        hum_editor = true;
    }
    if (!dated && !titled && find(c, RX_INITFIRST, b, n, &m) &&
        group(c, &m, RX_INITFIRST, "a", &g) && !(g.e + 2 < n && quote_at(c->s, n, g.e + 2))) {
        auth_e = g.e;
        pos = m.end;
        comma_style = c->s[g.e] == ',';
        initfirst = true;
    }
    size_t bare_e = CITE_MIN(n, CITE_MAX(b + 600, c->names_e + 8));
    if (!dated && !titled && !initfirst && find(c, RX_BAREDATE, b, bare_e, &m)) {
        size_t se = names_end(c->s, b, m.start);
        bool quoted = has_quote(c->s, b, m.start);
        bool digit_after = m.end < n && (is_digit(c->s[m.end]) || at(c->s, n, m.end, "pp"));
        if (se >= m.start && !quoted && !digit_after) {
            auth_e = m.start + (c->s[m.start] == '.' && !bare_initials_end(c->s, b, m.start));
            set_issued(c, &m, RX_BAREDATE);
            dated = true;
            pos = m.end;
        }
    }
    /* "Wyckoff, Martin 1984 United States Military Buttons": the year without a period after
     * it, when only names come before it */
    if (!dated && !titled && !initfirst && find(c, RX_NAMEYEAR, b, bare_e, &m) && m.start > b &&
        names_end(c->s, b, m.start) >= m.start && names_only(c->s, b, m.start) &&
        (c->s[m.start] == '.' || !article_before(c->s, b, m.start))) {
        auth_e = m.start + (c->s[m.start] == '.' && !bare_initials_end(c->s, b, m.start));
        set_issued(c, &m, RX_NAMEYEAR);
        dated = true;
        pos = m.end;
    }
    if (!dated && !titled && !comma_style && find(c, RX_IEEE, b, n, &m) &&
        group(c, &m, RX_IEEE, "a", &g) && names_end(c->s, g.b, g.e) >= g.e) {
        auth_e = g.e;
        pos = m.end;
        titled = take_title(c, &pos, n, &italic);
    }
    if (!dated && !titled && !initfirst && find(c, RX_VANC, b, n, &m) && m.start == b) {
        /* Vancouver "Smith JA, Doe B. Title" */
        auth_e = m.end - 2;
        /* "Dunfield K., Kelley E. Title": the last dot belongs to the initials */
        for (size_t q = b; q + 1 < auth_e; q++)
            if (c->s[q] == '.' && c->s[q + 1] == ',') {
                auth_e++;
                break;
            }
        pos = m.end;
        initfirst = true;
    }
    if (!dated && !titled && !initfirst && find(c, RX_FAMFIRST, b, n, &m) &&
        group(c, &m, RX_FAMFIRST, "a", &g)) {
        auth_e = g.e;
        pos = m.end;
        if (find(c, RX_MORENAMES, pos, n, &m) && m.start == pos) {
            auth_e = m.end;
            pos = m.end + 1;
        }
        comma_style = c->s[auth_e] == ',';
        initfirst = true;
    }
    if (!dated && !titled && !initfirst && find(c, RX_HUM, b, n, &m)) {
        span ed;
        hum_editor = group(c, &m, RX_HUM, "ed", &ed);
        if (group(c, &m, RX_HUM, "a", &g) || group(c, &m, RX_HUM, "b", &g)) {
            auth_e = g.e + (c->s[g.e] == '.' && is_upper(c->s[g.e - 1]));
            pos = m.end;
            comma_style = c->s[g.e] == ',';
            initfirst = true;
            if (comma_style && !hum_editor && !strstr_n(c->s, b, pos, " and ") &&
                !strstr_n(c->s, b, pos, "&") && find(c, RX_MOREGIVEN, pos, n, &m) &&
                m.start == pos) {
                auth_e = m.end;
                pos = m.end + 1;
                comma_style = c->s[auth_e] == ',';
            }
            /* "Ben Martini, Kim-Kwang Raymond Choo, Title,": more people before the title */
            size_t ce;
            if (comma_style && !hum_editor && group(c, &m, RX_HUM, "b", &g) &&
                (ce = comma_names(c->s, b, names_end(c->s, b, n))) > auth_e) {
                auth_e = ce;
                pos = ce + 1;
            }
            /* "MORASZ, Laurent. PERRIN-NIQUET, Annick. Title": more people like the first */
            while (!hum_editor && caps_family(c->s, b, n) && find(c, RX_MORECAPS, pos, n, &m) &&
                   m.start == pos) {
                pos = m.end;
                auth_e = m.end;
                while (auth_e > m.start && (is_space(c->s[auth_e - 1]) || c->s[auth_e - 1] == '.'))
                    auth_e--;
                comma_style = false;
            }
        }
    }
    if (!dated && !titled && !initfirst) {
        auth_e = names_end(c->s, b, n);
        pos = auth_e < n ? auth_e + 1 : n;
        size_t ce;
        if (!names_only(c->s, b, auth_e) && (ce = comma_names(c->s, b, auth_e)) > b) {
            auth_e = ce;
            pos = ce + 1;
            comma_style = true;
        }
    }
    /* "K.J. Comings and D.B. Booth, 2000, Title": the year right after the authors */
    if (!dated && pos < n && find(c, RX_YEAR_AFTER, pos, n, &m) && m.start == pos) {
        set_issued(c, &m, RX_YEAR_AFTER);
        dated = true;
        pos = m.end;
        comma_style = false;
    }
    /* authors, or editors when marked "(ed.)" */
    size_t ae = auth_e;
    const char *var = hum_editor ? "editor" : "author";
    if (find(c, RX_EDMARK, b, ae, &m)) {
        var = "editor";
        ae = m.start;
    }
    bool authored = false;
    if (ae > b && ae - b < 2000) {
        parse_names(c, var, b, ae);
        authored = has(c->rec, var);
    }
    if (!titled) {
        while (pos < n && (is_space(c->s[pos]) || strchr(".,;:", c->s[pos])))
            pos++;
        if (dated && find(c, RX_JOURNAL_ONLY, pos, n, &m)) {
            span j, v, p;
            if (group(c, &m, RX_JOURNAL_ONLY, "j", &j) && group(c, &m, RX_JOURNAL_ONLY, "v", &v) &&
                group(c, &m, RX_JOURNAL_ONLY, "p", &p)) {
                set_clean(c, "container-title", j.b, j.e, "");
                set_clean(c, "volume", v.b, v.e, "");
                set_clean(c, "page", p.b, p.e, "");
                titled = true;
                pos = n;
            }
        }
    }
    if (!titled) {
        size_t tend = n;
        size_t se = title_end(c->s, pos, n);
        if (find(c, comma_style ? RX_TITLE_CUT : RX_TITLE_CUT2, pos, n, &m) && m.start < se)
            tend = m.start;
        else if (!comma_style && !quote_at(c->s, n, pos) && find(c, RX_TITLE_CUT3, pos, n, &m) &&
                 m.start < se)
            tend = m.start;
        bool tail = strstr_n(c->s, pos, CITE_MIN(se, tend), " (") ||
                    strstr_n(c->s, pos, CITE_MIN(se, tend), " ed");
        if (tail && find(c, RX_TITLE_TAIL, pos, n, &m) && m.start < se && m.start < tend)
            tend = m.start;
        size_t pc = 0;
        if (!quote_at(c->s, n, pos) && c->s[pos] != '\'' && !at(c->s, n, pos, "\xe2\x80\x98"))
            pc = publisher_comma(c, pos, CITE_MIN(se, tend));
        if (pc)
            tend = pc;
        size_t pl = place_colon(c->s, pos, tend, n);
        if (pl)
            tend = pl;
        titled = take_title(c, &pos, tend, &italic);
        if (pos >= tend)
            pos = tend;
    }
    if (!dated) {
        /* the year of Vancouver, IEEE, MLA: the first plausible year after the title */
        if (find(c, RX_YEAR, pos, n, &m) || find(c, RX_YEAR, b, n, &m))
            set_issued(c, &m, RX_YEAR);
    }
    take_rest(c, pos, n, italic, &chapter, &report);
    decide_type(c, chapter, report, italic);
    (void)authored;
}

/* Where the reference text[0..len) is to be cut when it opens with a list of names longer
 * than CITE_REF_NAMES bytes (a consortium paper's thousand authors): the head keeps the names
 * of text[0..*head_e), the tail from *tail_b holds the date and everything after the names,
 * and sep (one or two bytes, NUL-terminated) joins them the way the names ended ("Zuckerbraun
 * B. 2012" gives ". "). False when the names are short, or not clearly names. One pass over
 * the text: linear, whatever its length. */
static bool long_names(
    size_t *head_e, size_t *tail_b, char sep[3], cite_refparser *p, const char *text, size_t len)
{
    size_t b = 0;
    cite_rx_result m;
    if (cite_rx_match(&m, p->rx, RX_LABEL, text, CITE_MIN(len, (size_t)32), 0, 0) == 1)
        b = m.end;
    if (len - b <= CITE_REF_NAMES)
        return false;
    size_t ne = names_end(text, b, len);
    if (ne - b <= CITE_REF_NAMES)
        return false;
    /* the head: names only, cut after a person ("Almasan A,", "Smith, J.,") */
    size_t cut = 0, any = 0, commas = 0;
    size_t lim = b + CITE_REF_NAMES;
    for (size_t i = b; i < lim;) {
        while (i < lim && (is_space(text[i]) || text[i] == '\0'))
            i++;
        size_t j = i;
        while (j < lim && !is_space(text[j]) && text[j] != '\0')
            j++;
        if (j >= lim)
            break;
        size_t l = j - i;
        if (l == 0 || !name_word(text + i, l) || has_quote(text, i, j))
            return false;
        if (text[j - 1] == ',' || text[j - 1] == ';') {
            commas++;
            any = j - 1;
            if (is_initials(text + i, l - 1, true))
                cut = j - 1;
        }
        i = j;
    }
    if (commas < 10)
        return false;
    if (!cut)
        cut = any;
    /* the tail: from the date when it comes before the first sentence end ("Zuckerbraun B.
     * 2012.", "Zorzano, A. (2012) Title"), else from that end ("..., Zhang X, et al. Title") */
    size_t t = cut + 1;
    while (t < ne && !is_digit(text[t]))
        t++;
    bool year = t + 4 <= ne && (text[t] == '1' || text[t] == '2') && is_digit(text[t + 1]) &&
                is_digit(text[t + 2]) && is_digit(text[t + 3]);
    while (year && t > cut + 1 && !is_space(text[t - 1]))
        t--;
    size_t pe = t;
    while (pe > cut && is_space(text[pe - 1]))
        pe--;
    sep[0] = sep[1] = sep[2] = '\0';
    if (!year) {
        t = ne; /* "..., Zhang X, et al. Title": the tail starts at the period */
    } else if (text[pe - 1] == '.' || text[pe - 1] == ',') {
        sep[0] = text[pe - 1];
        sep[1] = ' ';
    } else {
        sep[0] = ' ';
    }
    if (sep[0] == '.' && text[cut - 1] == '.') { /* "Smith, J." + ". (2012)" */
        sep[0] = ' ';
        sep[1] = '\0';
    }
    *head_e = cut;
    *tail_b = t;
    return true;
}

/* Adds "and others" to the names of the record, after a long list was cut. */
static void add_others(ctx *c)
{
    const char *var = has(c->rec, "author") ? "author" : has(c->rec, "editor") ? "editor" : NULL;
    if (c->err || !var)
        return;
    cite_name nm;
    memset(&nm, 0, sizeof(nm));
    nm.others = true;
    if (cite_record_add_name(c->rec, var, &nm) != 0)
        c->err = CITE_ENOMEM;
}

int cite_refparse(
    cite_record **out, bool *recognised, cite_refparser *p, const char *text, size_t len)
{
    *out = NULL;
    *recognised = false;
    cite_record *rec = cite_record_new("", "document");
    if (!rec)
        return CITE_ENOMEM;
    /* the working copy: the first CITE_REF_MAX bytes, or a long list of names cut down to its
     * first CITE_REF_NAMES bytes followed by what comes after the names */
    size_t head = len, tail = len;
    char sep[3] = "";
    bool cut = long_names(&head, &tail, sep, p, text, len);
    size_t sl = strlen(sep);
    size_t n = CITE_MIN(head + sl + (len - tail), (size_t)CITE_REF_MAX);
    ctx c = { .p = p, .n = n, .rec = rec, .names_e = cut ? head + sl : 0 };
    c.s = cite_malloc(n + 1);
    if (!c.s) {
        cite_record_free(rec);
        return CITE_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = i < head ? text[i] : i < head + sl ? sep[i - head] : text[tail + i - head - sl];
        c.s[i] = ch == '\0' ? ' ' : ch;
    }
    c.s[n] = '\0';
    /* "Lee, P. , Cockell, C. S.": a space before a comma goes after it, so that every rule
     * sees "P., " (the length, and so every offset, stays) */
    for (size_t i = 0; i + 1 < n; i++)
        if (c.s[i] == ' ' && c.s[i + 1] == ',') {
            c.s[i] = ',';
            c.s[i + 1] = ' ';
            if (i > 0 && c.s[i - 1] == ' ')
                i -= 2;
        }
    parse(&c);
    if (cut)
        add_others(&c);
    cite_free(c.s);
    if (c.err) {
        cite_record_free(rec);
        return c.err;
    }
    bool ok =
        has(rec, "issued") || ((has(rec, "author") || has(rec, "editor")) && has(rec, "title"));
    if (!ok) {
        /* not a reference: a document titled with the whole text */
        cite_record_free(rec);
        rec = cite_record_new("", "document");
        if (!rec)
            return CITE_ENOMEM;
        cite_buf t = CITE_BUF_INIT;
        cite_buf_put(&t, text, len);
        for (size_t i = 0; i < t.len; i++)
            if (t.ptr[i] == '\0')
                t.ptr[i] = ' ';
        if (cite_buf_oom(&t) || (t.len && cite_record_set_text(rec, "title", t.ptr) != 0)) {
            cite_buf_dispose(&t);
            cite_record_free(rec);
            return CITE_ENOMEM;
        }
        cite_buf_dispose(&t);
    }
    *recognised = ok;
    *out = rec;
    return 0;
}
