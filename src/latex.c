/* latex.c: LaTeX in BibTeX field values <-> cite text (latex.h; the tags of markup.h).
 *
 * Reading (cite_latex_to_text) is one left-to-right scan of the value with a stack of open
 * spans: brace groups, arguments of formatting commands and font switches ({\em ...}).
 * Opening tags are written lazily, when the first text inside them arrives, so that empty
 * spans vanish and a space before a span's text lands outside its tag. A '<' is written as a
 * marker byte and settled in one last pass, once what follows it is known: only a '<' that
 * would read as a markup tag is changed (into <tex><</tex>, or {<} inside <math> and <tex>).
 *
 * Writing (cite_latex_from_text) is the inverse. Its one subtlety is <tex>: the LaTeX kept
 * there is written bare only when what follows cannot be read as more arguments of its
 * command; otherwise it is braced, which reading strips again.
 *
 * Choices the contract leaves open: $$x$$ and \(x\) read like $x$ and are written as $x$
 * (display style is not kept; \(x\) or $$x$$ only when x holds a '$'). \, and \thinspace read as
 * U+2009, ~ as U+00A0; a lone ' stays an apostrophe; ?` and !` are no ligatures. Font switches that
 * markup cannot express ({\tt x}, \small, \rm) are dropped, not kept as <tex>, since <tex>\tt</tex>
 * would lose its scope. Control characters are dropped and invalid UTF-8 becomes U+FFFD, so text is
 * always valid UTF-8 that XML can hold.
 *
 * For every text T that reading produces, reading what writing makes of T gives T back, in
 * both the ASCII and the UTF-8 form and with or without CITE_LATEX_TITLE; the unit test
 * checks this on real titles, on every character of the tables and on random bytes. Both
 * directions are linear in their input: table lookups are binary searches, and scans that
 * may fail (an unclosed brace or $) are not repeated once they have failed. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "latex.h"
#include "markup.h"

#define NONE        SIZE_MAX
#define LT_TEXT     '\x01' /* a '<' of the text, settled by settle_markers() */
#define LT_VERBATIM '\x02' /* a '<' inside <math> or <tex>, settled by settle_markers() */

/* ---- Tables ------------------------------------------------------------------------------ */

enum accent {
    ACC_GRAVE,
    ACC_ACUTE,
    ACC_CIRC,
    ACC_TILDE,
    ACC_UML,
    ACC_MACRON,
    ACC_DOT,
    ACC_BREVE,
    ACC_CARON,
    ACC_DACUTE,
    ACC_CEDIL,
    ACC_OGONEK,
    ACC_RING,
    ACC_DOTBELOW,
    ACC_BARBELOW,
    ACC_TIE,
    ACC_COUNT
};

typedef struct accent_info {
    char name;        /* the command: \` \' \^ \~ \" \= \. \u \v \H \c \k \r \d \b \t */
    uint16_t mark;    /* its combining character */
    uint16_t spacing; /* what the command gives with an empty argument; 0: none, kept as <tex> */
    bool above;       /* over the letter: written over \i and \j rather than i and j */
} accent_info;

static const accent_info accents[ACC_COUNT] = {
    [ACC_GRAVE] = { '`', 0x0300, 0x0060, true },  [ACC_ACUTE] = { '\'', 0x0301, 0x00B4, true },
    [ACC_CIRC] = { '^', 0x0302, 0x005E, true },   [ACC_TILDE] = { '~', 0x0303, 0x007E, true },
    [ACC_UML] = { '"', 0x0308, 0x00A8, true },    [ACC_MACRON] = { '=', 0x0304, 0x00AF, true },
    [ACC_DOT] = { '.', 0x0307, 0x02D9, true },    [ACC_BREVE] = { 'u', 0x0306, 0x02D8, true },
    [ACC_CARON] = { 'v', 0x030C, 0x02C7, true },  [ACC_DACUTE] = { 'H', 0x030B, 0x02DD, true },
    [ACC_CEDIL] = { 'c', 0x0327, 0x00B8, false }, [ACC_OGONEK] = { 'k', 0x0328, 0x02DB, false },
    [ACC_RING] = { 'r', 0x030A, 0x02DA, true },   [ACC_DOTBELOW] = { 'd', 0x0323, 0, false },
    [ACC_BARBELOW] = { 'b', 0x0331, 0, false },   [ACC_TIE] = { 't', 0x0361, 0, true },
};

/* A precomposed character that is one ASCII letter plus one accent. */
typedef struct accent_pair {
    uint16_t cp;
    unsigned char acc; /* enum accent */
    char base;
} accent_pair;

/* Every character of Latin-1 Supplement, Latin Extended-A and -B and Latin Extended
 * Additional (U+00C0-U+024F, U+1E00-U+1EFF) whose canonical decomposition (UnicodeData.txt)
 * is an ASCII letter and one of the marks above, sorted by code point. */
static const accent_pair accent_pairs[] = {
    { 0x00C0, ACC_GRAVE, 'A' },    { 0x00C1, ACC_ACUTE, 'A' },    { 0x00C2, ACC_CIRC, 'A' },
    { 0x00C3, ACC_TILDE, 'A' },    { 0x00C4, ACC_UML, 'A' },      { 0x00C5, ACC_RING, 'A' },
    { 0x00C7, ACC_CEDIL, 'C' },    { 0x00C8, ACC_GRAVE, 'E' },    { 0x00C9, ACC_ACUTE, 'E' },
    { 0x00CA, ACC_CIRC, 'E' },     { 0x00CB, ACC_UML, 'E' },      { 0x00CC, ACC_GRAVE, 'I' },
    { 0x00CD, ACC_ACUTE, 'I' },    { 0x00CE, ACC_CIRC, 'I' },     { 0x00CF, ACC_UML, 'I' },
    { 0x00D1, ACC_TILDE, 'N' },    { 0x00D2, ACC_GRAVE, 'O' },    { 0x00D3, ACC_ACUTE, 'O' },
    { 0x00D4, ACC_CIRC, 'O' },     { 0x00D5, ACC_TILDE, 'O' },    { 0x00D6, ACC_UML, 'O' },
    { 0x00D9, ACC_GRAVE, 'U' },    { 0x00DA, ACC_ACUTE, 'U' },    { 0x00DB, ACC_CIRC, 'U' },
    { 0x00DC, ACC_UML, 'U' },      { 0x00DD, ACC_ACUTE, 'Y' },    { 0x00E0, ACC_GRAVE, 'a' },
    { 0x00E1, ACC_ACUTE, 'a' },    { 0x00E2, ACC_CIRC, 'a' },     { 0x00E3, ACC_TILDE, 'a' },
    { 0x00E4, ACC_UML, 'a' },      { 0x00E5, ACC_RING, 'a' },     { 0x00E7, ACC_CEDIL, 'c' },
    { 0x00E8, ACC_GRAVE, 'e' },    { 0x00E9, ACC_ACUTE, 'e' },    { 0x00EA, ACC_CIRC, 'e' },
    { 0x00EB, ACC_UML, 'e' },      { 0x00EC, ACC_GRAVE, 'i' },    { 0x00ED, ACC_ACUTE, 'i' },
    { 0x00EE, ACC_CIRC, 'i' },     { 0x00EF, ACC_UML, 'i' },      { 0x00F1, ACC_TILDE, 'n' },
    { 0x00F2, ACC_GRAVE, 'o' },    { 0x00F3, ACC_ACUTE, 'o' },    { 0x00F4, ACC_CIRC, 'o' },
    { 0x00F5, ACC_TILDE, 'o' },    { 0x00F6, ACC_UML, 'o' },      { 0x00F9, ACC_GRAVE, 'u' },
    { 0x00FA, ACC_ACUTE, 'u' },    { 0x00FB, ACC_CIRC, 'u' },     { 0x00FC, ACC_UML, 'u' },
    { 0x00FD, ACC_ACUTE, 'y' },    { 0x00FF, ACC_UML, 'y' },      { 0x0100, ACC_MACRON, 'A' },
    { 0x0101, ACC_MACRON, 'a' },   { 0x0102, ACC_BREVE, 'A' },    { 0x0103, ACC_BREVE, 'a' },
    { 0x0104, ACC_OGONEK, 'A' },   { 0x0105, ACC_OGONEK, 'a' },   { 0x0106, ACC_ACUTE, 'C' },
    { 0x0107, ACC_ACUTE, 'c' },    { 0x0108, ACC_CIRC, 'C' },     { 0x0109, ACC_CIRC, 'c' },
    { 0x010A, ACC_DOT, 'C' },      { 0x010B, ACC_DOT, 'c' },      { 0x010C, ACC_CARON, 'C' },
    { 0x010D, ACC_CARON, 'c' },    { 0x010E, ACC_CARON, 'D' },    { 0x010F, ACC_CARON, 'd' },
    { 0x0112, ACC_MACRON, 'E' },   { 0x0113, ACC_MACRON, 'e' },   { 0x0114, ACC_BREVE, 'E' },
    { 0x0115, ACC_BREVE, 'e' },    { 0x0116, ACC_DOT, 'E' },      { 0x0117, ACC_DOT, 'e' },
    { 0x0118, ACC_OGONEK, 'E' },   { 0x0119, ACC_OGONEK, 'e' },   { 0x011A, ACC_CARON, 'E' },
    { 0x011B, ACC_CARON, 'e' },    { 0x011C, ACC_CIRC, 'G' },     { 0x011D, ACC_CIRC, 'g' },
    { 0x011E, ACC_BREVE, 'G' },    { 0x011F, ACC_BREVE, 'g' },    { 0x0120, ACC_DOT, 'G' },
    { 0x0121, ACC_DOT, 'g' },      { 0x0122, ACC_CEDIL, 'G' },    { 0x0123, ACC_CEDIL, 'g' },
    { 0x0124, ACC_CIRC, 'H' },     { 0x0125, ACC_CIRC, 'h' },     { 0x0128, ACC_TILDE, 'I' },
    { 0x0129, ACC_TILDE, 'i' },    { 0x012A, ACC_MACRON, 'I' },   { 0x012B, ACC_MACRON, 'i' },
    { 0x012C, ACC_BREVE, 'I' },    { 0x012D, ACC_BREVE, 'i' },    { 0x012E, ACC_OGONEK, 'I' },
    { 0x012F, ACC_OGONEK, 'i' },   { 0x0130, ACC_DOT, 'I' },      { 0x0134, ACC_CIRC, 'J' },
    { 0x0135, ACC_CIRC, 'j' },     { 0x0136, ACC_CEDIL, 'K' },    { 0x0137, ACC_CEDIL, 'k' },
    { 0x0139, ACC_ACUTE, 'L' },    { 0x013A, ACC_ACUTE, 'l' },    { 0x013B, ACC_CEDIL, 'L' },
    { 0x013C, ACC_CEDIL, 'l' },    { 0x013D, ACC_CARON, 'L' },    { 0x013E, ACC_CARON, 'l' },
    { 0x0143, ACC_ACUTE, 'N' },    { 0x0144, ACC_ACUTE, 'n' },    { 0x0145, ACC_CEDIL, 'N' },
    { 0x0146, ACC_CEDIL, 'n' },    { 0x0147, ACC_CARON, 'N' },    { 0x0148, ACC_CARON, 'n' },
    { 0x014C, ACC_MACRON, 'O' },   { 0x014D, ACC_MACRON, 'o' },   { 0x014E, ACC_BREVE, 'O' },
    { 0x014F, ACC_BREVE, 'o' },    { 0x0150, ACC_DACUTE, 'O' },   { 0x0151, ACC_DACUTE, 'o' },
    { 0x0154, ACC_ACUTE, 'R' },    { 0x0155, ACC_ACUTE, 'r' },    { 0x0156, ACC_CEDIL, 'R' },
    { 0x0157, ACC_CEDIL, 'r' },    { 0x0158, ACC_CARON, 'R' },    { 0x0159, ACC_CARON, 'r' },
    { 0x015A, ACC_ACUTE, 'S' },    { 0x015B, ACC_ACUTE, 's' },    { 0x015C, ACC_CIRC, 'S' },
    { 0x015D, ACC_CIRC, 's' },     { 0x015E, ACC_CEDIL, 'S' },    { 0x015F, ACC_CEDIL, 's' },
    { 0x0160, ACC_CARON, 'S' },    { 0x0161, ACC_CARON, 's' },    { 0x0162, ACC_CEDIL, 'T' },
    { 0x0163, ACC_CEDIL, 't' },    { 0x0164, ACC_CARON, 'T' },    { 0x0165, ACC_CARON, 't' },
    { 0x0168, ACC_TILDE, 'U' },    { 0x0169, ACC_TILDE, 'u' },    { 0x016A, ACC_MACRON, 'U' },
    { 0x016B, ACC_MACRON, 'u' },   { 0x016C, ACC_BREVE, 'U' },    { 0x016D, ACC_BREVE, 'u' },
    { 0x016E, ACC_RING, 'U' },     { 0x016F, ACC_RING, 'u' },     { 0x0170, ACC_DACUTE, 'U' },
    { 0x0171, ACC_DACUTE, 'u' },   { 0x0172, ACC_OGONEK, 'U' },   { 0x0173, ACC_OGONEK, 'u' },
    { 0x0174, ACC_CIRC, 'W' },     { 0x0175, ACC_CIRC, 'w' },     { 0x0176, ACC_CIRC, 'Y' },
    { 0x0177, ACC_CIRC, 'y' },     { 0x0178, ACC_UML, 'Y' },      { 0x0179, ACC_ACUTE, 'Z' },
    { 0x017A, ACC_ACUTE, 'z' },    { 0x017B, ACC_DOT, 'Z' },      { 0x017C, ACC_DOT, 'z' },
    { 0x017D, ACC_CARON, 'Z' },    { 0x017E, ACC_CARON, 'z' },    { 0x01CD, ACC_CARON, 'A' },
    { 0x01CE, ACC_CARON, 'a' },    { 0x01CF, ACC_CARON, 'I' },    { 0x01D0, ACC_CARON, 'i' },
    { 0x01D1, ACC_CARON, 'O' },    { 0x01D2, ACC_CARON, 'o' },    { 0x01D3, ACC_CARON, 'U' },
    { 0x01D4, ACC_CARON, 'u' },    { 0x01E6, ACC_CARON, 'G' },    { 0x01E7, ACC_CARON, 'g' },
    { 0x01E8, ACC_CARON, 'K' },    { 0x01E9, ACC_CARON, 'k' },    { 0x01EA, ACC_OGONEK, 'O' },
    { 0x01EB, ACC_OGONEK, 'o' },   { 0x01F0, ACC_CARON, 'j' },    { 0x01F4, ACC_ACUTE, 'G' },
    { 0x01F5, ACC_ACUTE, 'g' },    { 0x01F8, ACC_GRAVE, 'N' },    { 0x01F9, ACC_GRAVE, 'n' },
    { 0x021E, ACC_CARON, 'H' },    { 0x021F, ACC_CARON, 'h' },    { 0x0226, ACC_DOT, 'A' },
    { 0x0227, ACC_DOT, 'a' },      { 0x0228, ACC_CEDIL, 'E' },    { 0x0229, ACC_CEDIL, 'e' },
    { 0x022E, ACC_DOT, 'O' },      { 0x022F, ACC_DOT, 'o' },      { 0x0232, ACC_MACRON, 'Y' },
    { 0x0233, ACC_MACRON, 'y' },   { 0x1E02, ACC_DOT, 'B' },      { 0x1E03, ACC_DOT, 'b' },
    { 0x1E04, ACC_DOTBELOW, 'B' }, { 0x1E05, ACC_DOTBELOW, 'b' }, { 0x1E06, ACC_BARBELOW, 'B' },
    { 0x1E07, ACC_BARBELOW, 'b' }, { 0x1E0A, ACC_DOT, 'D' },      { 0x1E0B, ACC_DOT, 'd' },
    { 0x1E0C, ACC_DOTBELOW, 'D' }, { 0x1E0D, ACC_DOTBELOW, 'd' }, { 0x1E0E, ACC_BARBELOW, 'D' },
    { 0x1E0F, ACC_BARBELOW, 'd' }, { 0x1E10, ACC_CEDIL, 'D' },    { 0x1E11, ACC_CEDIL, 'd' },
    { 0x1E1E, ACC_DOT, 'F' },      { 0x1E1F, ACC_DOT, 'f' },      { 0x1E20, ACC_MACRON, 'G' },
    { 0x1E21, ACC_MACRON, 'g' },   { 0x1E22, ACC_DOT, 'H' },      { 0x1E23, ACC_DOT, 'h' },
    { 0x1E24, ACC_DOTBELOW, 'H' }, { 0x1E25, ACC_DOTBELOW, 'h' }, { 0x1E26, ACC_UML, 'H' },
    { 0x1E27, ACC_UML, 'h' },      { 0x1E28, ACC_CEDIL, 'H' },    { 0x1E29, ACC_CEDIL, 'h' },
    { 0x1E30, ACC_ACUTE, 'K' },    { 0x1E31, ACC_ACUTE, 'k' },    { 0x1E32, ACC_DOTBELOW, 'K' },
    { 0x1E33, ACC_DOTBELOW, 'k' }, { 0x1E34, ACC_BARBELOW, 'K' }, { 0x1E35, ACC_BARBELOW, 'k' },
    { 0x1E36, ACC_DOTBELOW, 'L' }, { 0x1E37, ACC_DOTBELOW, 'l' }, { 0x1E3A, ACC_BARBELOW, 'L' },
    { 0x1E3B, ACC_BARBELOW, 'l' }, { 0x1E3E, ACC_ACUTE, 'M' },    { 0x1E3F, ACC_ACUTE, 'm' },
    { 0x1E40, ACC_DOT, 'M' },      { 0x1E41, ACC_DOT, 'm' },      { 0x1E42, ACC_DOTBELOW, 'M' },
    { 0x1E43, ACC_DOTBELOW, 'm' }, { 0x1E44, ACC_DOT, 'N' },      { 0x1E45, ACC_DOT, 'n' },
    { 0x1E46, ACC_DOTBELOW, 'N' }, { 0x1E47, ACC_DOTBELOW, 'n' }, { 0x1E48, ACC_BARBELOW, 'N' },
    { 0x1E49, ACC_BARBELOW, 'n' }, { 0x1E54, ACC_ACUTE, 'P' },    { 0x1E55, ACC_ACUTE, 'p' },
    { 0x1E56, ACC_DOT, 'P' },      { 0x1E57, ACC_DOT, 'p' },      { 0x1E58, ACC_DOT, 'R' },
    { 0x1E59, ACC_DOT, 'r' },      { 0x1E5A, ACC_DOTBELOW, 'R' }, { 0x1E5B, ACC_DOTBELOW, 'r' },
    { 0x1E5E, ACC_BARBELOW, 'R' }, { 0x1E5F, ACC_BARBELOW, 'r' }, { 0x1E60, ACC_DOT, 'S' },
    { 0x1E61, ACC_DOT, 's' },      { 0x1E62, ACC_DOTBELOW, 'S' }, { 0x1E63, ACC_DOTBELOW, 's' },
    { 0x1E6A, ACC_DOT, 'T' },      { 0x1E6B, ACC_DOT, 't' },      { 0x1E6C, ACC_DOTBELOW, 'T' },
    { 0x1E6D, ACC_DOTBELOW, 't' }, { 0x1E6E, ACC_BARBELOW, 'T' }, { 0x1E6F, ACC_BARBELOW, 't' },
    { 0x1E7C, ACC_TILDE, 'V' },    { 0x1E7D, ACC_TILDE, 'v' },    { 0x1E7E, ACC_DOTBELOW, 'V' },
    { 0x1E7F, ACC_DOTBELOW, 'v' }, { 0x1E80, ACC_GRAVE, 'W' },    { 0x1E81, ACC_GRAVE, 'w' },
    { 0x1E82, ACC_ACUTE, 'W' },    { 0x1E83, ACC_ACUTE, 'w' },    { 0x1E84, ACC_UML, 'W' },
    { 0x1E85, ACC_UML, 'w' },      { 0x1E86, ACC_DOT, 'W' },      { 0x1E87, ACC_DOT, 'w' },
    { 0x1E88, ACC_DOTBELOW, 'W' }, { 0x1E89, ACC_DOTBELOW, 'w' }, { 0x1E8A, ACC_DOT, 'X' },
    { 0x1E8B, ACC_DOT, 'x' },      { 0x1E8C, ACC_UML, 'X' },      { 0x1E8D, ACC_UML, 'x' },
    { 0x1E8E, ACC_DOT, 'Y' },      { 0x1E8F, ACC_DOT, 'y' },      { 0x1E90, ACC_CIRC, 'Z' },
    { 0x1E91, ACC_CIRC, 'z' },     { 0x1E92, ACC_DOTBELOW, 'Z' }, { 0x1E93, ACC_DOTBELOW, 'z' },
    { 0x1E94, ACC_BARBELOW, 'Z' }, { 0x1E95, ACC_BARBELOW, 'z' }, { 0x1E96, ACC_BARBELOW, 'h' },
    { 0x1E97, ACC_UML, 't' },      { 0x1E98, ACC_RING, 'w' },     { 0x1E99, ACC_RING, 'y' },
    { 0x1EA0, ACC_DOTBELOW, 'A' }, { 0x1EA1, ACC_DOTBELOW, 'a' }, { 0x1EB8, ACC_DOTBELOW, 'E' },
    { 0x1EB9, ACC_DOTBELOW, 'e' }, { 0x1EBC, ACC_TILDE, 'E' },    { 0x1EBD, ACC_TILDE, 'e' },
    { 0x1ECA, ACC_DOTBELOW, 'I' }, { 0x1ECB, ACC_DOTBELOW, 'i' }, { 0x1ECC, ACC_DOTBELOW, 'O' },
    { 0x1ECD, ACC_DOTBELOW, 'o' }, { 0x1EE4, ACC_DOTBELOW, 'U' }, { 0x1EE5, ACC_DOTBELOW, 'u' },
    { 0x1EF2, ACC_GRAVE, 'Y' },    { 0x1EF3, ACC_GRAVE, 'y' },    { 0x1EF4, ACC_DOTBELOW, 'Y' },
    { 0x1EF5, ACC_DOTBELOW, 'y' }, { 0x1EF8, ACC_TILDE, 'Y' },    { 0x1EF9, ACC_TILDE, 'y' },
};
/* Indexes into accent_pairs, sorted by accent, then letter: compose()'s binary search. */
static const uint16_t pairs_by_accent[] = {
    0,   7,   11,  178, 16,  21,  262, 300, 26,  33,  37,  179, 42,  47,  263, 301, 1,   59,
    8,   176, 12,  216, 102, 226, 108, 17,  238, 120, 126, 22,  264, 25,  155, 27,  60,  34,
    177, 38,  217, 103, 227, 109, 43,  239, 121, 127, 48,  265, 51,  156, 2,   61,  9,   79,
    87,  13,  98,  18,  128, 23,  150, 152, 278, 28,  62,  35,  80,  88,  39,  99,  44,  129,
    49,  151, 153, 279, 3,   292, 89,  15,  19,  138, 258, 304, 29,  293, 90,  41,  45,  139,
    259, 305, 4,   10,  212, 14,  20,  24,  266, 274, 154, 30,  36,  213, 40,  46,  285, 50,
    267, 275, 52,  53,  69,  206, 91,  114, 140, 188, 54,  70,  207, 92,  115, 141, 189, 182,
    190, 63,  196, 73,  204, 83,  208, 97,  228, 232, 186, 240, 242, 248, 252, 268, 272, 276,
    157, 183, 191, 64,  197, 74,  205, 84,  209, 229, 233, 187, 241, 243, 249, 253, 269, 273,
    277, 158, 55,  71,  81,  93,  116, 142, 56,  72,  82,  94,  117, 143, 161, 65,  67,  77,
    169, 180, 163, 171, 106, 112, 165, 124, 132, 136, 167, 159, 162, 66,  68,  78,  170, 181,
    164, 175, 172, 107, 113, 166, 125, 133, 137, 168, 160, 118, 146, 119, 147, 6,   202, 184,
    85,  214, 100, 104, 110, 122, 130, 134, 32,  203, 185, 86,  215, 101, 105, 111, 123, 131,
    135, 57,  75,  95,  173, 148, 58,  76,  96,  174, 149, 5,   144, 31,  145, 286, 287, 288,
    192, 198, 290, 210, 294, 218, 222, 230, 234, 296, 244, 250, 254, 298, 260, 270, 302, 280,
    289, 193, 199, 291, 211, 295, 219, 223, 231, 235, 297, 245, 251, 255, 299, 261, 271, 303,
    281, 194, 200, 220, 224, 236, 246, 256, 282, 195, 201, 284, 221, 225, 237, 247, 257, 283,
};

/* The kinds of command the reader knows; any other becomes <tex>. */
enum command_kind {
    CMD_SYMBOL,  /* text: \ss, \&, \TeX */
    CMD_ACCENT,  /* arg: enum accent */
    CMD_FORMAT,  /* arg: the tag of its argument (\emph{x}) */
    CMD_PLAIN,   /* its argument, without markup (\mbox{x}) */
    CMD_SWITCH,  /* arg: the tag up to the end of the group ({\em x}); NONE: dropped ({\tt x}) */
    CMD_URL,     /* its argument, unconverted */
    CMD_SPACE,   /* a space: \ , \\, \; */
    CMD_NOTHING, /* \- \/ \@ */
    CMD_MATH,    /* \( ... \) */
};

typedef struct command {
    const char *name;
    unsigned char kind; /* enum command_kind */
    unsigned char arg;
    const char *text; /* CMD_SYMBOL: UTF-8 */
} command;

/* Keep sorted by name (byte order): lookup() bisects. */
static const command commands[] = {
    { " ", CMD_SPACE, 0, NULL },
    { "\"", CMD_ACCENT, ACC_UML, NULL },
    { "#", CMD_SYMBOL, 0, "#" },
    { "$", CMD_SYMBOL, 0, "$" },
    { "%", CMD_SYMBOL, 0, "%" },
    { "&", CMD_SYMBOL, 0, "&" },
    { "'", CMD_ACCENT, ACC_ACUTE, NULL },
    { "(", CMD_MATH, 0, NULL },
    { ",", CMD_SYMBOL, 0, "\u2009" },
    { "-", CMD_NOTHING, 0, NULL },
    { ".", CMD_ACCENT, ACC_DOT, NULL },
    { "/", CMD_NOTHING, 0, NULL },
    { ";", CMD_SPACE, 0, NULL },
    { "=", CMD_ACCENT, ACC_MACRON, NULL },
    { "@", CMD_NOTHING, 0, NULL },
    { "AA", CMD_SYMBOL, 0, "Å" },
    { "AE", CMD_SYMBOL, 0, "Æ" },
    { "BibTeX", CMD_SYMBOL, 0, "BibTeX" },
    { "DH", CMD_SYMBOL, 0, "Ð" },
    { "DJ", CMD_SYMBOL, 0, "Đ" },
    { "H", CMD_ACCENT, ACC_DACUTE, NULL },
    { "Huge", CMD_SWITCH, CITE_TAG_NONE, NULL },
    { "L", CMD_SYMBOL, 0, "Ł" },
    { "LARGE", CMD_SWITCH, CITE_TAG_NONE, NULL },
    { "LaTeX", CMD_SYMBOL, 0, "LaTeX" },
    { "LaTeXe", CMD_SYMBOL, 0, "LaTeX2ε" },
    { "Large", CMD_SWITCH, CITE_TAG_NONE, NULL },
    { "NG", CMD_SYMBOL, 0, "Ŋ" },
    { "O", CMD_SYMBOL, 0, "Ø" },
    { "OE", CMD_SYMBOL, 0, "Œ" },
    { "P", CMD_SYMBOL, 0, "¶" },
    { "S", CMD_SYMBOL, 0, "§" },
    { "TH", CMD_SYMBOL, 0, "Þ" },
    { "TeX", CMD_SYMBOL, 0, "TeX" },
    { "\\", CMD_SPACE, 0, NULL },
    { "^", CMD_ACCENT, ACC_CIRC, NULL },
    { "_", CMD_SYMBOL, 0, "_" },
    { "`", CMD_ACCENT, ACC_GRAVE, NULL },
    { "aa", CMD_SYMBOL, 0, "å" },
    { "ae", CMD_SYMBOL, 0, "æ" },
    { "b", CMD_ACCENT, ACC_BARBELOW, NULL },
    { "bf", CMD_SWITCH, CITE_TAG_B, NULL },
    { "bfseries", CMD_SWITCH, CITE_TAG_B, NULL },
    { "c", CMD_ACCENT, ACC_CEDIL, NULL },
    { "copyright", CMD_SYMBOL, 0, "©" },
    { "d", CMD_ACCENT, ACC_DOTBELOW, NULL },
    { "dag", CMD_SYMBOL, 0, "†" },
    { "ddag", CMD_SYMBOL, 0, "‡" },
    { "dh", CMD_SYMBOL, 0, "ð" },
    { "dj", CMD_SYMBOL, 0, "đ" },
    { "dots", CMD_SYMBOL, 0, "…" },
    { "em", CMD_SWITCH, CITE_TAG_I, NULL },
    { "emph", CMD_FORMAT, CITE_TAG_I, NULL },
    { "euro", CMD_SYMBOL, 0, "€" },
    { "footnotesize", CMD_SWITCH, CITE_TAG_NONE, NULL },
    { "guillemotleft", CMD_SYMBOL, 0, "«" },
    { "guillemotright", CMD_SYMBOL, 0, "»" },
    { "guilsinglleft", CMD_SYMBOL, 0, "‹" },
    { "guilsinglright", CMD_SYMBOL, 0, "›" },
    { "huge", CMD_SWITCH, CITE_TAG_NONE, NULL },
    { "i", CMD_SYMBOL, 0, "ı" },
    { "it", CMD_SWITCH, CITE_TAG_I, NULL },
    { "itshape", CMD_SWITCH, CITE_TAG_I, NULL },
    { "j", CMD_SYMBOL, 0, "ȷ" },
    { "k", CMD_ACCENT, ACC_OGONEK, NULL },
    { "l", CMD_SYMBOL, 0, "ł" },
    { "large", CMD_SWITCH, CITE_TAG_NONE, NULL },
    { "ldots", CMD_SYMBOL, 0, "…" },
    { "mbox", CMD_PLAIN, 0, NULL },
    { "mdseries", CMD_SWITCH, CITE_TAG_NONE, NULL },
    { "ng", CMD_SYMBOL, 0, "ŋ" },
    { "nobreakspace", CMD_SYMBOL, 0, "\u00A0" },
    { "normalfont", CMD_SWITCH, CITE_TAG_NONE, NULL },
    { "normalsize", CMD_SWITCH, CITE_TAG_NONE, NULL },
    { "o", CMD_SYMBOL, 0, "ø" },
    { "oe", CMD_SYMBOL, 0, "œ" },
    { "pounds", CMD_SYMBOL, 0, "£" },
    { "quotedblbase", CMD_SYMBOL, 0, "„" },
    { "quotesinglbase", CMD_SYMBOL, 0, "‚" },
    { "r", CMD_ACCENT, ACC_RING, NULL },
    { "rm", CMD_SWITCH, CITE_TAG_NONE, NULL },
    { "rmfamily", CMD_SWITCH, CITE_TAG_NONE, NULL },
    { "sc", CMD_SWITCH, CITE_TAG_SC, NULL },
    { "scriptsize", CMD_SWITCH, CITE_TAG_NONE, NULL },
    { "scshape", CMD_SWITCH, CITE_TAG_SC, NULL },
    { "sf", CMD_SWITCH, CITE_TAG_NONE, NULL },
    { "sffamily", CMD_SWITCH, CITE_TAG_NONE, NULL },
    { "sl", CMD_SWITCH, CITE_TAG_I, NULL },
    { "slash", CMD_SYMBOL, 0, "/" },
    { "slshape", CMD_SWITCH, CITE_TAG_I, NULL },
    { "small", CMD_SWITCH, CITE_TAG_NONE, NULL },
    { "ss", CMD_SYMBOL, 0, "ß" },
    { "t", CMD_ACCENT, ACC_TIE, NULL },
    { "text", CMD_PLAIN, 0, NULL },
    { "textasciicircum", CMD_SYMBOL, 0, "^" },
    { "textasciigrave", CMD_SYMBOL, 0, "`" },
    { "textasciitilde", CMD_SYMBOL, 0, "~" },
    { "textbackslash", CMD_SYMBOL, 0, "\\" },
    { "textbar", CMD_SYMBOL, 0, "|" },
    { "textbf", CMD_FORMAT, CITE_TAG_B, NULL },
    { "textbraceleft", CMD_SYMBOL, 0, "{" },
    { "textbraceright", CMD_SYMBOL, 0, "}" },
    { "textbrokenbar", CMD_SYMBOL, 0, "¦" },
    { "textbullet", CMD_SYMBOL, 0, "•" },
    { "textcent", CMD_SYMBOL, 0, "¢" },
    { "textcopyright", CMD_SYMBOL, 0, "©" },
    { "textcurrency", CMD_SYMBOL, 0, "¤" },
    { "textdagger", CMD_SYMBOL, 0, "†" },
    { "textdaggerdbl", CMD_SYMBOL, 0, "‡" },
    { "textdegree", CMD_SYMBOL, 0, "°" },
    { "textdiv", CMD_SYMBOL, 0, "÷" },
    { "textdollar", CMD_SYMBOL, 0, "$" },
    { "textellipsis", CMD_SYMBOL, 0, "…" },
    { "textemdash", CMD_SYMBOL, 0, "—" },
    { "textendash", CMD_SYMBOL, 0, "–" },
    { "texteuro", CMD_SYMBOL, 0, "€" },
    { "textexclamdown", CMD_SYMBOL, 0, "¡" },
    { "textgreater", CMD_SYMBOL, 0, ">" },
    { "textit", CMD_FORMAT, CITE_TAG_I, NULL },
    { "textless", CMD_SYMBOL, 0, "<" },
    { "textlnot", CMD_SYMBOL, 0, "¬" },
    { "textmu", CMD_SYMBOL, 0, "µ" },
    { "textnormal", CMD_PLAIN, 0, NULL },
    { "textonehalf", CMD_SYMBOL, 0, "½" },
    { "textonequarter", CMD_SYMBOL, 0, "¼" },
    { "textonesuperior", CMD_SYMBOL, 0, "¹" },
    { "textordfeminine", CMD_SYMBOL, 0, "ª" },
    { "textordmasculine", CMD_SYMBOL, 0, "º" },
    { "textparagraph", CMD_SYMBOL, 0, "¶" },
    { "textperiodcentered", CMD_SYMBOL, 0, "·" },
    { "textperthousand", CMD_SYMBOL, 0, "‰" },
    { "textpm", CMD_SYMBOL, 0, "±" },
    { "textquestiondown", CMD_SYMBOL, 0, "¿" },
    { "textquotedbl", CMD_SYMBOL, 0, "\"" },
    { "textquotedblleft", CMD_SYMBOL, 0, "“" },
    { "textquotedblright", CMD_SYMBOL, 0, "”" },
    { "textquoteleft", CMD_SYMBOL, 0, "‘" },
    { "textquoteright", CMD_SYMBOL, 0, "’" },
    { "textregistered", CMD_SYMBOL, 0, "®" },
    { "textrm", CMD_PLAIN, 0, NULL },
    { "textsc", CMD_FORMAT, CITE_TAG_SC, NULL },
    { "textsection", CMD_SYMBOL, 0, "§" },
    { "textsl", CMD_FORMAT, CITE_TAG_I, NULL },
    { "textsterling", CMD_SYMBOL, 0, "£" },
    { "textsubscript", CMD_FORMAT, CITE_TAG_SUB, NULL },
    { "textsuperscript", CMD_FORMAT, CITE_TAG_SUP, NULL },
    { "textthreequarters", CMD_SYMBOL, 0, "¾" },
    { "textthreesuperior", CMD_SYMBOL, 0, "³" },
    { "texttimes", CMD_SYMBOL, 0, "×" },
    { "texttrademark", CMD_SYMBOL, 0, "™" },
    { "texttwosuperior", CMD_SYMBOL, 0, "²" },
    { "textunderscore", CMD_SYMBOL, 0, "_" },
    { "textup", CMD_PLAIN, 0, NULL },
    { "textyen", CMD_SYMBOL, 0, "¥" },
    { "th", CMD_SYMBOL, 0, "þ" },
    { "thinspace", CMD_SYMBOL, 0, "\u2009" },
    { "tiny", CMD_SWITCH, CITE_TAG_NONE, NULL },
    { "tt", CMD_SWITCH, CITE_TAG_NONE, NULL },
    { "ttfamily", CMD_SWITCH, CITE_TAG_NONE, NULL },
    { "u", CMD_ACCENT, ACC_BREVE, NULL },
    { "upshape", CMD_SWITCH, CITE_TAG_NONE, NULL },
    { "url", CMD_URL, 0, NULL },
    { "v", CMD_ACCENT, ACC_CARON, NULL },
    { "{", CMD_SYMBOL, 0, "{" },
    { "}", CMD_SYMBOL, 0, "}" },
    { "~", CMD_ACCENT, ACC_TILDE, NULL },
};

/* What the ASCII form writes for a character that is not an accented letter; sorted by code
 * point. Letters are braced, so that BibTeX sorts and case-changes them as one letter. */
typedef struct symbol_out {
    uint16_t cp;
    const char *latex;
} symbol_out;

static const symbol_out symbols_out[] = {
    { 0x00A1, "\\textexclamdown{}" },
    { 0x00A2, "\\textcent{}" },
    { 0x00A3, "\\pounds{}" },
    { 0x00A4, "\\textcurrency{}" },
    { 0x00A5, "\\textyen{}" },
    { 0x00A6, "\\textbrokenbar{}" },
    { 0x00A7, "\\S{}" },
    { 0x00A8, "\\\"{}" },
    { 0x00A9, "\\copyright{}" },
    { 0x00AA, "\\textordfeminine{}" },
    { 0x00AB, "\\guillemotleft{}" },
    { 0x00AC, "\\textlnot{}" },
    { 0x00AE, "\\textregistered{}" },
    { 0x00AF, "\\={}" },
    { 0x00B0, "\\textdegree{}" },
    { 0x00B1, "\\textpm{}" },
    { 0x00B2, "\\texttwosuperior{}" },
    { 0x00B3, "\\textthreesuperior{}" },
    { 0x00B4, "\\'{}" },
    { 0x00B5, "\\textmu{}" },
    { 0x00B6, "\\P{}" },
    { 0x00B7, "\\textperiodcentered{}" },
    { 0x00B8, "\\c{}" },
    { 0x00B9, "\\textonesuperior{}" },
    { 0x00BA, "\\textordmasculine{}" },
    { 0x00BB, "\\guillemotright{}" },
    { 0x00BC, "\\textonequarter{}" },
    { 0x00BD, "\\textonehalf{}" },
    { 0x00BE, "\\textthreequarters{}" },
    { 0x00BF, "\\textquestiondown{}" },
    { 0x00C5, "{\\AA}" },
    { 0x00C6, "{\\AE}" },
    { 0x00D0, "{\\DH}" },
    { 0x00D7, "\\texttimes{}" },
    { 0x00D8, "{\\O}" },
    { 0x00DE, "{\\TH}" },
    { 0x00DF, "{\\ss}" },
    { 0x00E5, "{\\aa}" },
    { 0x00E6, "{\\ae}" },
    { 0x00F0, "{\\dh}" },
    { 0x00F7, "\\textdiv{}" },
    { 0x00F8, "{\\o}" },
    { 0x00FE, "{\\th}" },
    { 0x0110, "{\\DJ}" },
    { 0x0111, "{\\dj}" },
    { 0x0131, "{\\i}" },
    { 0x0141, "{\\L}" },
    { 0x0142, "{\\l}" },
    { 0x014A, "{\\NG}" },
    { 0x014B, "{\\ng}" },
    { 0x0152, "{\\OE}" },
    { 0x0153, "{\\oe}" },
    { 0x0237, "{\\j}" },
    { 0x02C7, "\\v{}" },
    { 0x02D8, "\\u{}" },
    { 0x02D9, "\\.{}" },
    { 0x02DA, "\\r{}" },
    { 0x02DB, "\\k{}" },
    { 0x02DD, "\\H{}" },
    { 0x2009, "\\," },
    { 0x2019, "\\textquoteright{}" },
    { 0x201A, "\\quotesinglbase{}" },
    { 0x201E, "\\quotedblbase{}" },
    { 0x2020, "\\dag{}" },
    { 0x2021, "\\ddag{}" },
    { 0x2022, "\\textbullet{}" },
    { 0x2026, "\\ldots{}" },
    { 0x2030, "\\textperthousand{}" },
    { 0x2039, "\\guilsinglleft{}" },
    { 0x203A, "\\guilsinglright{}" },
    { 0x20AC, "\\texteuro{}" },
    { 0x2122, "\\texttrademark{}" },
};

static int compare_pair_cp(const void *key, const void *elem)
{
    uint32_t cp = *(const uint32_t *)key, other = ((const accent_pair *)elem)->cp;
    return cp < other ? -1 : cp > other;
}

/* The accent and ASCII letter of a precomposed character, or false. */
static bool decompose(uint32_t cp, int *acc, char *base)
{
    const accent_pair *p = bsearch(&cp, accent_pairs, CITE_ARRAY_LEN(accent_pairs),
                                   sizeof(accent_pairs[0]), compare_pair_cp);
    if (!p)
        return false;
    *acc = p->acc;
    *base = p->base;
    return true;
}

/* The precomposed character of letter base under accent acc, or 0. A dotless i or j stands
 * for i or j: \'{\i} is í. */
static uint32_t compose(int acc, uint32_t base)
{
    if (base == 0x131)
        base = 'i';
    else if (base == 0x237)
        base = 'j';
    if (base >= 0x80)
        return 0;
    size_t lo = 0, hi = CITE_ARRAY_LEN(pairs_by_accent);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const accent_pair *p = &accent_pairs[pairs_by_accent[mid]];
        int cmp = p->acc != acc ? (p->acc < acc ? -1 : 1)
                                : (p->base != (char)base ? (p->base < (char)base ? -1 : 1) : 0);
        if (cmp == 0)
            return p->cp;
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* The accent whose combining character cp is, or -1. */
static int accent_of_mark(uint32_t cp)
{
    if (cp < 0x300 || cp > 0x361)
        return -1;
    for (int a = 0; a < ACC_COUNT; a++)
        if (accents[a].mark == cp)
            return a;
    return -1;
}

/* The command named name[0..len), or NULL. */
static const command *lookup(const char *name, size_t len)
{
    size_t lo = 0, hi = CITE_ARRAY_LEN(commands);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *cand = commands[mid].name;
        int cmp = strncmp(cand, name, len);
        if (cmp == 0 && cand[len] != '\0')
            cmp = 1;
        if (cmp == 0)
            return &commands[mid];
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int compare_symbol_cp(const void *key, const void *elem)
{
    uint32_t cp = *(const uint32_t *)key, other = ((const symbol_out *)elem)->cp;
    return cp < other ? -1 : cp > other;
}

static const char *symbol_latex(uint32_t cp)
{
    const symbol_out *s = bsearch(&cp, symbols_out, CITE_ARRAY_LEN(symbols_out),
                                  sizeof(symbols_out[0]), compare_symbol_cp);
    return s ? s->latex : NULL;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The length of the word separator at s[0..n): ASCII white space or a Unicode space (no-break
 * and thin spaces: "J.~Comput." is two words); 0 for anything else. */
static size_t separator_len(const char *s, size_t n)
{
    size_t len;
    if (is_space(s[0]))
        return 1;
    if ((unsigned char)s[0] < 0x80)
        return 0;
    uint32_t cp = cite_utf8_decode(s, n, &len);
    return utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_ZS ? len : 0;
}

static void put_tag(cite_buf *out, cite_tag tag, bool closing)
{
    cite_buf_puts(out, closing ? "</" : "<");
    cite_buf_puts(out, cite_markup_tag_name(tag));
    cite_buf_putc(out, '>');
}

bool cite_latex_word_protected(const char *word, size_t len)
{
    bool first = true;
    for (size_t i = 0, n; i < len; i += n) {
        utf8proc_category_t cat =
            utf8proc_category((utf8proc_int32_t)cite_utf8_decode(word + i, len - i, &n));
        bool letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
        bool digit = cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO;
        if (!first && (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT))
            return true;
        if (letter || digit)
            first = false;
    }
    return false;
}

/* ---- Reading ----------------------------------------------------------------------------- */

typedef struct frame {
    unsigned char tag; /* cite_tag the frame opens, or CITE_TAG_NONE */
    bool group;        /* closed by '}'; else a font switch, closed with its group */
    bool emitted;      /* the opening tag is in out */
    size_t tag_pos;    /* where the opening tag starts in out */
} frame;

typedef struct reader {
    cite_buf *out;
    const char *src;
    size_t len, pos;
    bool title;    /* CITE_LATEX_TITLE */
    size_t start;  /* out->len when reading began */
    frame *frames; /* open spans, innermost last */
    size_t depth, cap;
    size_t lazy;     /* frames[lazy..depth) have not written their opening tag yet */
    size_t groups;   /* open frames closed by '}' */
    bool nocase;     /* inside a <nocase> frame (they never nest) */
    bool space;      /* a space is due before the next text */
    bool have_text;  /* text has been written: later spaces count */
    bool markers;    /* out holds LT_TEXT or LT_VERBATIM bytes */
    size_t base_pos; /* where the last character of text starts; NONE after anything else */
    uint32_t base_cp;
    /* A scan of this kind failed. A failed $ or $$ scan proves that none follows; after a
     * failed brace or bracket scan (unbalanced input only) later commands take no such
     * arguments. Either way no scan repeats, so "\x{\x{\x{..." cannot make reading
     * quadratic. */
    bool no_brace, no_bracket, no_dollar, no_ddollar;
    size_t paren_fail; /* no \) before here (see paren_math) */
} reader;

/* Before text: the due space, then the opening tags that wait. */
static void flush(reader *r)
{
    if (r->space) {
        cite_buf_putc(r->out, ' ');
        r->space = false;
    }
    for (; r->lazy < r->depth; r->lazy++) {
        frame *f = &r->frames[r->lazy];
        f->emitted = true;
        if (f->tag != CITE_TAG_NONE) {
            f->tag_pos = r->out->len;
            put_tag(r->out, f->tag, false);
        }
    }
    r->have_text = true;
}

/* One character of text. A combining mark that LaTeX spells as an accent joins the letter
 * before it when a precomposed character exists, so that a raw "o" U+0308 reads as {\"o}
 * does: the writer counts on text holding no such pair. */
static void put_char(reader *r, uint32_t cp)
{
    int acc = accent_of_mark(cp);
    if (acc >= 0 && r->base_pos != NONE) {
        uint32_t composed = compose(acc, r->base_cp);
        if (composed) {
            cite_buf_truncate(r->out, r->base_pos);
            cite_buf_put_utf8(r->out, composed);
            r->base_cp = composed;
            return;
        }
    }
    flush(r);
    r->base_pos = r->out->len;
    r->base_cp = cp;
    if (cp == '<') {
        cite_buf_putc(r->out, LT_TEXT);
        r->markers = true;
    } else {
        cite_buf_put_utf8(r->out, cp);
    }
}

static void put_string(reader *r, const char *s)
{
    size_t n = strlen(s), len;
    for (size_t i = 0; i < n; i += len)
        put_char(r, cite_utf8_decode(s + i, n - i, &len));
}

static void add_space(reader *r)
{
    if (r->have_text)
        r->space = true;
    r->base_pos = NONE;
}

/* The code point at src[i] (limit: src[end]); invalid UTF-8 and noncharacters give U+FFFD. */
static uint32_t next_cp(const reader *r, size_t i, size_t end, size_t *n)
{
    uint32_t cp = cite_utf8_decode(r->src + i, end - i, n);
    return cp == 0xFFFE || cp == 0xFFFF ? 0xFFFD : cp;
}

/* <tag>src[from..to)</tag>: the LaTeX byte for byte, except that invalid UTF-8 becomes
 * U+FFFD and '<' a marker. */
static void put_verbatim(reader *r, cite_tag tag, size_t from, size_t to)
{
    flush(r);
    put_tag(r->out, tag, false);
    for (size_t i = from, n; i < to; i += n) {
        unsigned char c = (unsigned char)r->src[i];
        n = 1;
        if (c == '<') {
            cite_buf_putc(r->out, LT_VERBATIM);
            r->markers = true;
        } else if (c >= 0x80) {
            cite_buf_put_utf8(r->out, next_cp(r, i, to, &n));
        } else {
            while (i + n < to && (unsigned char)r->src[i + n] < 0x80 && r->src[i + n] != '<')
                n++;
            cite_buf_put(r->out, r->src + i, n);
        }
    }
    put_tag(r->out, tag, true);
    r->base_pos = NONE;
}

static bool push(reader *r, cite_tag tag, bool group)
{
    if (r->depth == r->cap) {
        void *items = r->frames;
        if (cite_grow_array(&items, &r->cap, r->depth + 1, sizeof(frame)) < 0) {
            r->out->oom = true;
            return false;
        }
        r->frames = items;
    }
    r->frames[r->depth++] = (frame){ .tag = (unsigned char)tag, .group = group };
    r->groups += group;
    if (tag == CITE_TAG_NOCASE)
        r->nocase = true;
    return true;
}

/* Text that needs no <nocase> in a title: one word, no markup, that the writer braces. */
static bool one_protected_word(const char *s, size_t n)
{
    if (n == 0 || memchr(s, '<', n))
        return false;
    for (size_t i = 0; i < n; i++)
        if (separator_len(s + i, n - i))
            return false;
    return cite_latex_word_protected(s, n);
}

/* Closes the innermost frame: its closing tag, or nothing when it never opened (an empty
 * span). A <nocase> around one word that the writer braces anyway is unwrapped, which makes
 * import -> export -> import a fixed point. */
static void pop(reader *r)
{
    frame f = r->frames[--r->depth];
    if (r->lazy > r->depth)
        r->lazy = r->depth;
    r->groups -= f.group;
    if (f.tag == CITE_TAG_NOCASE)
        r->nocase = false;
    if (!f.emitted || f.tag == CITE_TAG_NONE || r->out->oom)
        return;
    cite_buf *out = r->out;
    size_t open = strlen("<nocase>"), content = f.tag_pos + open;
    if (f.tag == CITE_TAG_NOCASE && one_protected_word(out->ptr + content, out->len - content)) {
        memmove(out->ptr + f.tag_pos, out->ptr + content, out->len - content);
        cite_buf_truncate(out, out->len - open);
        if (r->base_pos != NONE)
            r->base_pos -= open;
        return;
    }
    put_tag(out, (cite_tag)f.tag, true);
    r->base_pos = NONE;
}

static size_t skip_spaces(const reader *r, size_t i)
{
    while (i < r->len && is_space(r->src[i]))
        i++;
    return i;
}

/* The '}' that closes the '{' at src[i], where \{, \} and \\ are no braces; NONE if none. */
static size_t match_brace(reader *r, size_t i)
{
    size_t depth = 0;
    for (; !r->no_brace && i < r->len; i++) {
        if (r->src[i] == '\\')
            i++;
        else if (r->src[i] == '{')
            depth++;
        else if (r->src[i] == '}' && --depth == 0)
            return i;
    }
    r->no_brace = true;
    return NONE;
}

/* The ']' that closes the optional argument opened at src[i], outside braces; NONE if the
 * enclosing group or the value ends first. */
static size_t match_bracket(reader *r, size_t i)
{
    size_t depth = 0;
    for (i++; !r->no_bracket && i < r->len; i++) {
        char c = r->src[i];
        if (c == '\\')
            i++;
        else if (c == '{')
            depth++;
        else if (c == '}' && depth-- == 0)
            break;
        else if (c == ']' && depth == 0)
            return i;
    }
    r->no_bracket = true;
    return NONE;
}

/* The end of the control sequence whose backslash is at src[i]: letters (a control word,
 * *word set) or one character. i + 1 for a lone backslash at the end. */
static size_t cs_end(const reader *r, size_t i, bool *word)
{
    size_t j = i + 1, n;
    *word = j < r->len && is_letter(r->src[j]);
    if (*word) {
        while (j < r->len && is_letter(r->src[j]))
            j++;
        return j;
    }
    if (j < r->len)
        cite_utf8_decode(r->src + j, r->len - j, &n);
    return j < r->len ? j + n : j;
}

/* An unknown command, kept as <tex>: the command (with a star), then the [...] and {...}
 * arguments that follow it directly; spaces are skipped only before the first, as TeX skips
 * them after a control word. A control word without arguments eats the spaces after it. */
static void tex_command(reader *r, size_t at, size_t end, bool word)
{
    if (word && end < r->len && r->src[end] == '*')
        end++;
    size_t k = word ? skip_spaces(r, end) : end, stop = end;
    bool args = false;
    while (k < r->len) {
        size_t close = r->src[k] == '{'   ? match_brace(r, k)
                       : r->src[k] == '[' ? match_bracket(r, k)
                                          : NONE;
        if (close == NONE)
            break;
        stop = k = close + 1;
        args = true;
    }
    r->pos = args ? stop : k;
    put_verbatim(r, CITE_TAG_TEX, at, stop);
}

/* The letter an accent applies to at src[i..limit): a letter or digit, a non-ASCII
 * character, or a command that gives a letter (\i, \o, \ss...). Returns the end of it
 * (*cp set), or 0. */
static size_t parse_base(const reader *r, size_t i, size_t limit, uint32_t *cp)
{
    char c = r->src[i];
    if (c == '\\') {
        bool word;
        size_t end = cs_end(r, i, &word), n;
        const command *cmd = word && end <= limit ? lookup(r->src + i + 1, end - i - 1) : NULL;
        if (!cmd || cmd->kind != CMD_SYMBOL)
            return 0;
        *cp = cite_utf8_decode(cmd->text, strlen(cmd->text), &n);
        utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)*cp);
        bool letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
        return letter && cmd->text[n] == '\0' ? end : 0;
    }
    if (is_letter(c) || (c >= '0' && c <= '9')) {
        *cp = (unsigned char)c;
        return i + 1;
    }
    if ((unsigned char)c < 0x80)
        return 0;
    size_t n;
    *cp = next_cp(r, i, limit, &n);
    return utf8proc_category((utf8proc_int32_t)*cp) == UTF8PROC_CATEGORY_MN ? 0 : i + n;
}

/* The precomposed character, or the letter and the combining mark. */
static void put_accented(reader *r, int acc, uint32_t base)
{
    uint32_t composed = compose(acc, base);
    put_char(r, composed ? composed : base);
    if (!composed)
        put_char(r, accents[acc].mark);
}

/* The argument of an accent in braces, src[open..close]: {o}, {\i}, {} (the accent alone),
 * and {oo} for the tie. Anything else stays <tex>. */
static void accent_group(reader *r, size_t at, int acc, size_t open, size_t close)
{
    size_t a = skip_spaces(r, open + 1), b = close;
    while (b > a && is_space(r->src[b - 1]))
        b--;
    r->pos = close + 1;
    uint32_t base, second;
    size_t end = a < b ? parse_base(r, a, b, &base) : 0;
    if (a == b && accents[acc].spacing) {
        put_char(r, accents[acc].spacing);
    } else if (end == b) {
        put_accented(r, acc, base);
    } else if (end && acc == ACC_TIE && parse_base(r, end, b, &second) == b) {
        put_accented(r, acc, base);
        put_char(r, second);
    } else {
        put_verbatim(r, CITE_TAG_TEX, at, close + 1);
    }
}

/* An accent command (\"o, \"{o}, {\" o}, \'\i, \~{}) at src[at..end). Spaces before the
 * argument are skipped, as TeX does for a macro argument. */
static void accent(reader *r, size_t at, size_t end, int acc)
{
    size_t k = skip_spaces(r, end), close, stop;
    uint32_t base;
    if (k >= r->len || r->src[k] == '}' ||
        (r->src[k] == '{' && (close = match_brace(r, k)) == NONE)) {
        r->pos = k;
        put_verbatim(r, CITE_TAG_TEX, at, end);
    } else if (r->src[k] == '{') {
        accent_group(r, at, acc, k, close);
    } else if ((stop = parse_base(r, k, r->len, &base)) != 0) {
        r->pos = r->src[k] == '\\' ? skip_spaces(r, stop) : stop;
        put_accented(r, acc, base);
    } else {
        /* Not a letter: keep the accent and the token it applies to, unless that is a lone
         * backslash at the very end, which stays text (braced, \c\ would end in \}). */
        bool word = false;
        size_t n;
        if (r->src[k] == '\\')
            stop = cs_end(r, k, &word);
        else
            stop = k + (next_cp(r, k, r->len, &n), n);
        if (stop == k + 1 && r->src[k] == '\\')
            stop = end;
        r->pos = word ? skip_spaces(r, stop) : stop == end ? k : stop;
        put_verbatim(r, CITE_TAG_TEX, at, stop);
    }
}

/* \url{x}: x as text, unconverted (spaces still collapse). */
static void url(reader *r, size_t at, size_t end, size_t arg)
{
    size_t close = arg < r->len && r->src[arg] == '{' ? match_brace(r, arg) : NONE;
    if (close == NONE) {
        tex_command(r, at, end, true);
        return;
    }
    for (size_t i = arg + 1, n; i < close; i += n) {
        uint32_t cp = next_cp(r, i, close, &n);
        if (is_space(r->src[i]))
            add_space(r);
        else
            put_char(r, cp);
    }
    r->pos = close + 1;
}

static void math(reader *r, size_t from, size_t to)
{
    if (from < to)
        put_verbatim(r, CITE_TAG_MATH, from, to);
}

/* The next '$' (twice: "$$") from src[i] that no backslash escapes, or NONE. */
static size_t find_dollar(const reader *r, size_t i, bool twice)
{
    for (; i < r->len; i++) {
        if (r->src[i] == '\\')
            i++;
        else if (r->src[i] == '$' && (!twice || (i + 1 < r->len && r->src[i + 1] == '$')))
            return i;
    }
    return NONE;
}

/* $...$ or $$...$$: <math>; an unclosed $ is a dollar sign. */
static void dollar(reader *r)
{
    size_t at = r->pos, close;
    if (at + 1 < r->len && r->src[at + 1] == '$' && !r->no_ddollar) {
        if ((close = find_dollar(r, at + 2, true)) != NONE) {
            math(r, at + 2, close);
            r->pos = close + 2;
            return;
        }
        r->no_ddollar = true;
    }
    if (!r->no_dollar) {
        if ((close = find_dollar(r, at + 1, false)) != NONE) {
            math(r, at + 1, close);
            r->pos = close + 1;
            return;
        }
        r->no_dollar = true;
    }
    r->pos++;
    put_char(r, '$');
}

/* \( ... \): <math>. The \) must come before the group ends, so that a stray \( braced by the
 * writer, {\(}, stays apart from a later \(a$b\). Unclosed, the \( stays <tex>. A failed scan
 * proves that no \) comes before the point where it stopped, so later \( up to there skip it. */
static void paren_math(reader *r, size_t at, size_t end)
{
    size_t i = end, depth = 0;
    for (; r->paren_fail <= at && i < r->len; i++) {
        if (r->src[i] == '\\' && i + 1 < r->len && r->src[i + 1] == ')') {
            math(r, end, i);
            r->pos = i + 2;
            return;
        }
        if (r->src[i] == '\\')
            i++;
        else if (r->src[i] == '{')
            depth++;
        else if (r->src[i] == '}' && depth-- == 0)
            break;
    }
    if (r->paren_fail <= at)
        r->paren_fail = i;
    tex_command(r, at, end, false);
}

/* A control sequence at src[pos] (a backslash). */
static void control(reader *r)
{
    size_t at = r->pos;
    bool word;
    size_t end = cs_end(r, at, &word);
    if (end == at + 1) { /* a backslash at the very end */
        r->pos = end;
        put_char(r, '\\');
        return;
    }
    const command *cmd = lookup(r->src + at + 1, end - at - 1);
    size_t after = word ? skip_spaces(r, end) : end;
    if (!cmd && is_space(r->src[at + 1])) {
        static const command control_space = { " ", CMD_SPACE, 0, NULL };
        cmd = &control_space;
    }
    if (!cmd) {
        tex_command(r, at, end, word);
        return;
    }
    r->pos = after;
    switch ((enum command_kind)cmd->kind) {
    case CMD_SYMBOL:
        put_string(r, cmd->text);
        break;
    case CMD_ACCENT:
        accent(r, at, end, cmd->arg);
        break;
    case CMD_FORMAT:
    case CMD_PLAIN:
        if (after < r->len && r->src[after] == '{') {
            r->pos = after + 1;
            push(r, cmd->kind == CMD_FORMAT ? (cite_tag)cmd->arg : CITE_TAG_NONE, true);
        } else {
            tex_command(r, at, end, word);
        }
        break;
    case CMD_SWITCH:
        if (cmd->arg != CITE_TAG_NONE)
            push(r, (cite_tag)cmd->arg, false);
        break;
    case CMD_URL:
        url(r, at, end, after);
        break;
    case CMD_SPACE:
        add_space(r);
        break;
    case CMD_NOTHING:
        break;
    case CMD_MATH:
        paren_math(r, at, end);
        break;
    }
}

/* '{': a <nocase> span in a title unless it starts with a command ({\"o}, {\em x}, {\TeX}:
 * BibTeX's "special characters") or sits inside another; else just a group. */
static void open_brace(reader *r)
{
    r->pos++;
    bool special = r->pos < r->len && r->src[r->pos] == '\\';
    push(r, r->title && !r->nocase && !special ? CITE_TAG_NOCASE : CITE_TAG_NONE, true);
}

/* '}': closes the innermost group and the font switches inside it; a stray one is text. */
static void close_brace(reader *r)
{
    r->pos++;
    if (r->groups == 0) {
        put_char(r, '}');
        return;
    }
    while (!r->frames[r->depth - 1].group)
        pop(r);
    pop(r);
}

/* -- and --- (TeX's ligatures); a run of hyphens reads greedily: ---- is "—-". */
static void dashes(reader *r)
{
    size_t n = 0;
    for (; r->pos < r->len && r->src[r->pos] == '-'; r->pos++)
        n++;
    for (; n >= 3; n -= 3)
        put_char(r, 0x2014);
    if (n)
        put_char(r, n == 2 ? 0x2013 : '-');
}

/* `` and '' are double quotes, ` a single one; a lone ' stays an apostrophe. */
static void quotes(reader *r, char q)
{
    size_t n = 0;
    for (; r->pos < r->len && r->src[r->pos] == q; r->pos++)
        n++;
    for (; n >= 2; n -= 2)
        put_char(r, q == '`' ? 0x201C : 0x201D);
    if (n)
        put_char(r, q == '`' ? 0x2018 : '\'');
}

/* A run of bytes with no meaning to TeX, copied as they are. */
static bool ordinary(char c)
{
    switch (c) {
    case '\\':
    case '{':
    case '}':
    case '$':
    case '~':
    case '-':
    case '`':
    case '\'':
    case '<':
        return false;
    default:
        return c > ' ' && c < 0x7F;
    }
}

static void plain_run(reader *r)
{
    size_t i = r->pos;
    while (i < r->len && ordinary(r->src[i]))
        i++;
    flush(r);
    cite_buf_put(r->out, r->src + r->pos, i - r->pos);
    r->base_pos = r->out->len - 1;
    r->base_cp = (unsigned char)r->src[i - 1];
    r->pos = i;
}

static void parse(reader *r)
{
    while (r->pos < r->len && !r->out->oom) {
        char c = r->src[r->pos];
        size_t n;
        if (c == '\\') {
            control(r);
        } else if (c == '{') {
            open_brace(r);
        } else if (c == '}') {
            close_brace(r);
        } else if (c == '$') {
            dollar(r);
        } else if (c == '-') {
            dashes(r);
        } else if (c == '`' || c == '\'') {
            quotes(r, c);
        } else if (c == '~' || c == '<') {
            r->pos++;
            put_char(r, c == '~' ? 0xA0 : '<');
        } else if (is_space(c)) {
            r->pos++;
            add_space(r);
        } else if (ordinary(c)) {
            plain_run(r);
        } else if ((unsigned char)c < 0x80) {
            r->pos++; /* DEL; drop_controls() took the others */
        } else {
            uint32_t cp = next_cp(r, r->pos, r->len, &n);
            r->pos += n;
            put_char(r, cp);
        }
    }
}

/* Whether <s> or </s> at s is a markup tag (s: after the '<'). */
static bool forms_tag(const char *s, size_t n)
{
    char probe[10] = "<";
    size_t m = CITE_MIN(n, sizeof(probe) - 2), len;
    bool closing;
    memcpy(probe + 1, s, m);
    return cite_markup_tag_at(probe, m + 1, &closing, &len) != CITE_TAG_NONE;
}

/* Settles the markers: a '<' of the text that would read as a markup tag becomes
 * <tex><</tex>, one inside <math> or <tex> becomes {<} (or {\<}), any other a plain '<'. */
static void settle_markers(reader *r)
{
    cite_buf copy = CITE_BUF_INIT, *out = r->out;
    cite_buf_put(&copy, out->ptr + r->start, out->len - r->start);
    if (cite_buf_oom(&copy)) {
        out->oom = true;
        return;
    }
    cite_buf_truncate(out, r->start);
    for (size_t i = 0; i < copy.len;) {
        size_t j = i;
        while (j < copy.len && copy.ptr[j] != LT_TEXT && copy.ptr[j] != LT_VERBATIM)
            j++;
        cite_buf_put(out, copy.ptr + i, j - i);
        if (j == copy.len)
            break;
        size_t slashes = 0;
        while (slashes < j && copy.ptr[j - 1 - slashes] == '\\')
            slashes++;
        if (!forms_tag(copy.ptr + j + 1, copy.len - j - 1)) {
            cite_buf_putc(out, '<');
        } else if (copy.ptr[j] == LT_TEXT) {
            cite_buf_puts(out, "<tex><</tex>");
        } else if (slashes % 2) { /* the control symbol \< */
            cite_buf_truncate(out, out->len - 1);
            cite_buf_puts(out, "{\\<}");
        } else {
            cite_buf_puts(out, "{<}");
        }
        i = j + 1;
    }
    cite_buf_dispose(&copy);
}

/* Control characters other than tab and newlines have no place in text (TeX rejects them and
 * XML forbids them): they are dropped, \f and \v read as spaces, before anything else, so that
 * no command takes one for its name or argument. Only a value that holds one pays for the
 * copy. */
static bool drop_controls(cite_buf *clean, const char *src, size_t len)
{
    size_t i = 0;
    while (i < len &&
           ((unsigned char)src[i] >= 0x20 || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') &&
           src[i] != 0x7F)
        i++;
    if (i == len)
        return false;
    cite_buf_put(clean, src, i);
    for (; i < len; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c == '\f' || c == '\v')
            cite_buf_putc(clean, ' ');
        else if (c >= 0x20 ? c != 0x7F : c == '\t' || c == '\n' || c == '\r')
            cite_buf_putc(clean, (char)c);
    }
    return true;
}

void cite_latex_to_text(cite_buf *out, const char *src, size_t len, unsigned flags)
{
    if (flags & CITE_LATEX_VERBATIM) {
        cite_buf_put(out, src, len);
        return;
    }
    cite_buf clean = CITE_BUF_INIT;
    if (drop_controls(&clean, src, len)) {
        if (cite_buf_oom(&clean)) {
            out->oom = true;
            return;
        }
        src = clean.ptr;
        len = clean.len;
    }
    reader r = { .out = out,
                 .src = src,
                 .len = len,
                 .title = flags & CITE_LATEX_TITLE,
                 .start = out->len,
                 .base_pos = NONE };
    parse(&r);
    while (r.depth)
        pop(&r);
    if (r.markers && !out->oom)
        settle_markers(&r);
    cite_free(r.frames);
    cite_buf_dispose(&clean);
}

/* ---- Writing ----------------------------------------------------------------------------- */

typedef struct writer {
    cite_buf *out;
    unsigned flags;
    unsigned char *tags; /* open markup tags, innermost last */
    size_t depth, cap;
    size_t open[CITE_TAG_TEX + 1]; /* open spans of each tag */
    size_t tex;       /* start in out of bare <tex> LaTeX that what follows may force into
                       * braces (it ends with an argument); NONE otherwise */
    size_t protector; /* out->len right after a '{' that must not be followed by a backslash */
} writer;

/* Wraps out[at..) in braces. */
static void brace_from(cite_buf *out, size_t at)
{
    cite_buf_putc(out, '}');
    if (cite_buf_oom(out))
        return;
    memmove(out->ptr + at + 1, out->ptr + at, out->len - 1 - at);
    out->ptr[at] = '{';
    cite_buf_putc(out, '}');
}

/* Every write goes through here. A pending <tex> whose command would take a following '{'
 * or '[' as one more argument is braced first; and a protecting brace ({x} in a title) never
 * starts with a backslash, since the reader takes {\...} for a special character: {{}\&x}. */
static void emit(writer *w, const char *s, size_t n)
{
    if (n == 0)
        return;
    if (w->tex != NONE) {
        if (s[0] == '{' || s[0] == '[')
            brace_from(w->out, w->tex);
        w->tex = NONE;
    }
    if (w->protector == w->out->len && s[0] == '\\')
        cite_buf_put(w->out, "{}", 2);
    cite_buf_put(w->out, s, n);
}

static void emit_str(writer *w, const char *s)
{
    emit(w, s, strlen(s));
}

/* Writes '{' that protects what follows from BibTeX's case changes. */
static void emit_protector(writer *w)
{
    emit(w, "{", 1);
    w->protector = w->out->len;
}

/* A ligature character (-, `, '): kept apart by {} from the same character before it. */
static void emit_lig(writer *w, const char *s)
{
    if (w->out->len && w->out->ptr[w->out->len - 1] == s[0])
        emit(w, "{}", 2);
    emit_str(w, s);
}

/* {\"o}, {\'\i}, {\v{c}}: braced, so BibTeX sees one special character. letter: "o", "\i". */
static void emit_accented(writer *w, int acc, const char *letter)
{
    char head[4] = { '{', '\\', accents[acc].name, '\0' };
    bool word = is_letter(accents[acc].name);
    emit_str(w, head);
    if (word)
        emit(w, "{", 1);
    emit_str(w, letter);
    emit_str(w, word ? "}}" : "}");
}

static bool is_base_letter(uint32_t cp)
{
    return (cp < 0x80 && is_letter((char)cp)) || cp == 0x131 || cp == 0x237;
}

/* ASCII form of cp, followed in the text by s[0..n): true when written (*used: bytes of s
 * taken as well, for a combining mark). */
static bool emit_ascii(writer *w, uint32_t cp, const char *s, size_t n, size_t *used)
{
    size_t mlen;
    int acc = n ? accent_of_mark(cite_utf8_decode(s, n, &mlen)) : -1;
    char letter[2] = { (char)cp, '\0' };
    *used = 0;
    if (acc >= 0 && is_base_letter(cp) && !compose(acc, cp)) {
        /* A letter with a mark that has no precomposed form: \d{x}, \t{o}o. */
        emit_accented(w, acc, cp == 0x131 ? "\\i" : cp == 0x237 ? "\\j" : letter);
        *used = mlen;
        return true;
    }
    if (cp < 0x80)
        return false;
    const char *latex = symbol_latex(cp);
    if (latex) {
        emit_str(w, latex);
        return true;
    }
    char base;
    if (!decompose(cp, &acc, &base))
        return false;
    letter[0] = base;
    bool dotless = accents[acc].above && (base == 'i' || base == 'j');
    emit_accented(w, acc, !dotless ? letter : base == 'i' ? "\\i" : "\\j");
    return true;
}

/* Writes the character at s[0..n) (with a combining mark after it, sometimes); returns the
 * bytes used. */
static size_t write_char(writer *w, const char *s, size_t n)
{
    size_t len, used;
    uint32_t cp = cite_utf8_decode(s, n, &len);
    char esc[3] = { '\\', (char)cp, '\0' };
    switch (cp) {
    case '#':
    case '$':
    case '%':
    case '&':
    case '_':
        emit_str(w, esc);
        return len;
    case '{': /* BibTeX counts \{ as a brace: a lone one would unbalance the field */
        emit_str(w, "\\textbraceleft{}");
        return len;
    case '}':
        emit_str(w, "\\textbraceright{}");
        return len;
    case '\\':
        emit_str(w, "\\textbackslash{}");
        return len;
    case '~':
        emit_str(w, "\\textasciitilde{}");
        return len;
    case '^':
        emit_str(w, "\\textasciicircum{}");
        return len;
    case '`':
        emit_str(w, "\\textasciigrave{}");
        return len;
    case '-':
        emit_lig(w, "-");
        return len;
    case '\'':
        emit_lig(w, "'");
        return len;
    case 0xA0:
        emit_str(w, "~");
        return len;
    case 0x2013:
        emit_lig(w, "--");
        return len;
    case 0x2014:
        emit_lig(w, "---");
        return len;
    case 0x2018:
        emit_lig(w, "`");
        return len;
    case 0x201C:
        emit_lig(w, "``");
        return len;
    case 0x201D:
        emit_lig(w, "''");
        return len;
    default:
        break;
    }
    if (cp < 0x20 || cp == 0x7F)
        return len;
    if ((w->flags & CITE_LATEX_ASCII) && emit_ascii(w, cp, s + len, n - len, &used))
        return len + used;
    if (cp == 0xFFFD)
        emit_str(w, "\xEF\xBF\xBD"); /* also for invalid UTF-8 */
    else
        emit(w, s, len);
    return len;
}

/* Text between tags: in a title, each word (up to a space, a no-break or a thin space) that
 * cite_latex_word_protected() protects and no <nocase> covers is braced whole, punctuation
 * included: {(DNA),}. */
static void write_text(writer *w, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (is_space(s[i])) {
            emit(w, " ", 1);
            i++;
            continue;
        }
        if (separator_len(s + i, n - i)) {
            i += write_char(w, s + i, n - i);
            continue;
        }
        size_t j = i;
        while (j < n && !separator_len(s + j, n - j))
            j++;
        bool brace = (w->flags & CITE_LATEX_TITLE) && !w->open[CITE_TAG_NOCASE] &&
                     cite_latex_word_protected(s + i, j - i);
        if (brace)
            emit_protector(w);
        while (i < j)
            i += write_char(w, s + i, j - i);
        if (brace)
            emit(w, "}", 1);
    }
}

/* Whether s[0..n) has c outside \-pairs ('$' unescaped, ')' after a backslash: "\)"). */
static bool has_unescaped(const char *s, size_t n, char c, bool escaped)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n && escaped && s[i + 1] == c)
            return true;
        if (s[i] == '\\')
            i++;
        else if (!escaped && s[i] == c)
            return true;
    }
    return false;
}

/* Whether s[0..n) has a '}' that closes no '{' of its own (paren_math would stop there). */
static bool has_stray_close(const char *s, size_t n)
{
    size_t depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\')
            i++;
        else if (s[i] == '{')
            depth++;
        else if (s[i] == '}' && depth-- == 0)
            return true;
    }
    return false;
}

/* <math>x</math>: $x$; \(x\) when x holds a '$' (it came from \(...\) or $$...$$); $$x$$ when
 * \(x\) would not read back (x came from $$...$$: it holds no "$$" and ends in no '$'). */
static void write_math(writer *w, const char *s, size_t n)
{
    const char *open = "$", *close = "$";
    if (has_unescaped(s, n, '$', false)) {
        bool paren = !has_unescaped(s, n, ')', true) && !has_stray_close(s, n);
        open = paren ? "\\(" : "$$";
        close = paren ? "\\)" : "$$";
    }
    emit_str(w, open);
    emit(w, s, n);
    emit_str(w, close);
}

/* <tex>x</tex>: x itself when nothing can change how it reads, else {x}. A command that
 * ends with an argument ("\cite{x}") is kept bare until the next byte is known. An unclosed
 * \( is always braced: bare, a later \) could close it. */
static void write_tex(writer *w, const char *s, size_t n)
{
    if (s[0] != '\\') { /* "<": the reader's escape for a '<' that looks like a tag */
        emit(w, s, n);
        return;
    }
    if (w->tex != NONE) /* two commands in a row: bracing the second would add an argument */
        brace_from(w->out, w->tex);
    w->tex = NONE;
    emit(w, s, n);
    if (cite_buf_oom(w->out))
        return;
    size_t at = w->out->len - n;
    if ((s[n - 1] == '}' || s[n - 1] == ']') && s[1] != '(') /* \( unclosed: paren_math */
        w->tex = at;
    else
        brace_from(w->out, at);
}

/* Appends the span that starts at text[i] (after its opening tag) up to its closing tag;
 * returns the position after that tag. */
static size_t write_verbatim(writer *w, cite_tag tag, const char *text, size_t i, size_t n)
{
    const char *closing = tag == CITE_TAG_MATH ? "</math>" : "</tex>";
    size_t len = strlen(closing), stop = i;
    const char *p;
    /* memchr stops at the match; strstr may measure all the rest of the text (sanitizers do),
     * which over many spans is quadratic. */
    while ((p = memchr(text + stop, '<', n - stop)) != NULL) {
        stop = (size_t)(p - text);
        if (n - stop >= len && memcmp(p, closing, len) == 0)
            break;
        stop++;
    }
    if (!p)
        stop = n;
    if (stop > i)
        (tag == CITE_TAG_MATH ? write_math : write_tex)(w, text + i, stop - i);
    return p ? stop + len : n;
}

static void open_tag(writer *w, cite_tag tag)
{
    static const char *const latex[] = {
        [CITE_TAG_I] = "\\emph{",
        [CITE_TAG_B] = "\\textbf{",
        [CITE_TAG_SC] = "\\textsc{",
        [CITE_TAG_SUP] = "\\textsuperscript{",
        [CITE_TAG_SUB] = "\\textsubscript{",
    };
    if (w->depth == w->cap) {
        void *items = w->tags;
        if (cite_grow_array(&items, &w->cap, w->depth + 1, 1) < 0) {
            w->out->oom = true;
            return;
        }
        w->tags = items;
    }
    w->tags[w->depth++] = (unsigned char)tag;
    w->open[tag]++;
    if (tag == CITE_TAG_NOCASE)
        emit_protector(w);
    else
        emit_str(w, latex[tag]);
}

static void pop_tag(writer *w)
{
    w->open[w->tags[--w->depth]]--;
    emit(w, "}", 1);
}

/* A closing tag closes the spans opened since its opening tag; a stray one is ignored. */
static void close_tag(writer *w, cite_tag tag)
{
    if (!w->open[tag])
        return;
    while (w->tags[w->depth - 1] != tag)
        pop_tag(w);
    pop_tag(w);
}

/* The next markup tag in text[i..n), or n. */
static size_t next_tag(const char *text, size_t i, size_t n)
{
    bool closing;
    size_t len;
    for (const char *p = text + i; (p = memchr(p, '<', n - (size_t)(p - text))) != NULL; p++)
        if (cite_markup_tag_at(p, n - (size_t)(p - text), &closing, &len) != CITE_TAG_NONE)
            return (size_t)(p - text);
    return n;
}

void cite_latex_from_text(cite_buf *out, const char *text, unsigned flags)
{
    if (flags & CITE_LATEX_VERBATIM) {
        cite_buf_puts(out, text);
        return;
    }
    writer w = { .out = out, .flags = flags, .tex = NONE, .protector = NONE };
    size_t n = strlen(text);
    for (size_t i = 0; i < n && !cite_buf_oom(out);) {
        bool closing;
        size_t len;
        cite_tag tag = cite_markup_tag_at(text + i, n - i, &closing, &len);
        if (tag == CITE_TAG_NONE) {
            size_t j = next_tag(text, i + 1, n);
            write_text(&w, text + i, j - i);
            i = j;
        } else if (closing) {
            close_tag(&w, tag);
            i += len;
        } else if (tag == CITE_TAG_MATH || tag == CITE_TAG_TEX) {
            i = write_verbatim(&w, tag, text, i + len, n);
        } else {
            open_tag(&w, tag);
            i += len;
        }
    }
    while (w.depth && !cite_buf_oom(out))
        pop_tag(&w);
    cite_free(w.tags);
}
