/* places.c: a small gazetteer of the places reference lists name (places.h). The tables are
 * sorted by strcmp (a unit test checks it) and searched by bsearch. */
#include "places.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

/* Countries and regions, in their usual English names and a few of their own. */
static const char *const countries[] = {
    "Algeria",
    "Argentina",
    "Australia",
    "Austria",
    "Bangladesh",
    "Belgium",
    "Brasil",
    "Brazil",
    "Bulgaria",
    "Canada",
    "Chile",
    "China",
    "Colombia",
    "Croatia",
    "Cuba",
    "Czech Republic",
    "Czechia",
    "Denmark",
    "Deutschland",
    "Ecuador",
    "Egypt",
    "England",
    "Espa\xc3\xb1"
    "a",
    "Estonia",
    "Ethiopia",
    "Finland",
    "France",
    "Germany",
    "Ghana",
    "Greece",
    "Hungary",
    "Iceland",
    "India",
    "Indonesia",
    "Iran",
    "Ireland",
    "Israel",
    "Italia",
    "Italy",
    "Japan",
    "Kenya",
    "Korea",
    "Latvia",
    "Lithuania",
    "Luxembourg",
    "Malaysia",
    "Mexico",
    "Morocco",
    "Nederland",
    "Netherlands",
    "New Zealand",
    "Nigeria",
    "Norway",
    "Pakistan",
    "Peru",
    "Philippines",
    "Poland",
    "Portugal",
    "Romania",
    "Russia",
    "Saudi Arabia",
    "Scotland",
    "Senegal",
    "Serbia",
    "Singapore",
    "Slovakia",
    "Slovenia",
    "South Africa",
    "South Korea",
    "Spain",
    "Sweden",
    "Switzerland",
    "Taiwan",
    "Tanzania",
    "Thailand",
    "The Netherlands",
    "Tunisia",
    "Turkey",
    "U.K",
    "U.S.A",
    "UK",
    "USA",
    "Uganda",
    "Ukraine",
    "United Kingdom",
    "United States",
    "Uruguay",
    "Venezuela",
    "Vietnam",
    "Wales",
    "Zimbabwe",
};

/* US states and Canadian provinces: postal codes, names and the older abbreviations. */
static const char *const states[] = {
    "AB",
    "AK",
    "AL",
    "AR",
    "AZ",
    "Ala",
    "Alabama",
    "Alaska",
    "Alberta",
    "Ariz",
    "Arizona",
    "Ark",
    "Arkansas",
    "BC",
    "British Columbia",
    "CA",
    "CO",
    "CT",
    "Calif",
    "California",
    "Colo",
    "Colorado",
    "Conn",
    "Connecticut",
    "D. C",
    "D.C",
    "DC",
    "DE",
    "Del",
    "Delaware",
    "FL",
    "Fla",
    "Florida",
    "GA",
    "Ga",
    "Georgia",
    "HI",
    "Hawaii",
    "IA",
    "ID",
    "IL",
    "IN",
    "Idaho",
    "Ill",
    "Illinois",
    "Ind",
    "Indiana",
    "Iowa",
    "KS",
    "KY",
    "Kan",
    "Kansas",
    "Kentucky",
    "Ky",
    "LA",
    "La",
    "Louisiana",
    "MA",
    "MB",
    "MD",
    "ME",
    "MI",
    "MN",
    "MO",
    "MS",
    "MT",
    "Maine",
    "Manitoba",
    "Maryland",
    "Mass",
    "Massachusetts",
    "Md",
    "Mich",
    "Michigan",
    "Minn",
    "Minnesota",
    "Miss",
    "Mississippi",
    "Missouri",
    "Mo",
    "Mont",
    "Montana",
    "N. J",
    "N. Y",
    "N.C",
    "N.J",
    "N.Y",
    "NB",
    "NC",
    "ND",
    "NE",
    "NH",
    "NJ",
    "NL",
    "NM",
    "NS",
    "NV",
    "NY",
    "Neb",
    "Nebraska",
    "Nev",
    "Nevada",
    "New Hampshire",
    "New Jersey",
    "New Mexico",
    "North Carolina",
    "North Dakota",
    "OH",
    "OK",
    "ON",
    "OR",
    "Ohio",
    "Okla",
    "Oklahoma",
    "Ont",
    "Ontario",
    "Ore",
    "Oreg",
    "Oregon",
    "PA",
    "PE",
    "Pa",
    "Penn",
    "Pennsylvania",
    "QC",
    "Quebec",
    "Qu\xc3\xa9"
    "bec",
    "RI",
    "Rhode Island",
    "SC",
    "SD",
    "SK",
    "Saskatchewan",
    "South Carolina",
    "South Dakota",
    "TN",
    "TX",
    "Tenn",
    "Tennessee",
    "Tex",
    "Texas",
    "UT",
    "Utah",
    "VA",
    "VT",
    "Va",
    "Vermont",
    "Virginia",
    "WA",
    "WI",
    "WV",
    "WY",
    "Wash",
    "Washington",
    "West Virginia",
    "Wis",
    "Wisc",
    "Wisconsin",
    "Wyo",
    "Wyoming",
};

/* Cities where publishers sit and conferences meet, as reference lists write them. */
static const char *const cities[] = {
    "Aachen",
    "Abingdon",
    "Adelaide",
    "Aldershot",
    "Amherst",
    "Amsterdam",
    "Ankara",
    "Ann Arbor",
    "Antwerp",
    "Athens",
    "Atlanta",
    "Auckland",
    "Austin",
    "Baltimore",
    "Bangalore",
    "Bangkok",
    "Barcelona",
    "Basel",
    "Basingstoke",
    "Beijing",
    "Belo Horizonte",
    "Berkeley",
    "Berlin",
    "Bern",
    "Birmingham",
    "Bogot\xc3\xa1",
    "Bologna",
    "Bonn",
    "Bordeaux",
    "Boston",
    "Boulder",
    "Bristol",
    "Brussels",
    "Budapest",
    "Buenos Aires",
    "Cairo",
    "Cambridge",
    "Canberra",
    "Cape Town",
    "Cheltenham",
    "Chicago",
    "Chichester",
    "Cologne",
    "Copenhagen",
    "Dallas",
    "Delhi",
    "Denver",
    "Detroit",
    "Dordrecht",
    "Dresden",
    "Dublin",
    "Edinburgh",
    "Englewood Cliffs",
    "Farnham",
    "Florence",
    "Frankfurt",
    "Geneva",
    "Genova",
    "Ghent",
    "Glasgow",
    "Grenoble",
    "G\xc3\xb6ttingen",
    "Hamburg",
    "Hannover",
    "Harlow",
    "Heidelberg",
    "Helsinki",
    "Hoboken",
    "Hong Kong",
    "Honolulu",
    "Houston",
    "Hove",
    "Istanbul",
    "Ithaca",
    "Jakarta",
    "Jerusalem",
    "Johannesburg",
    "Karlsruhe",
    "Kyoto",
    "K\xc3\xb6ln",
    "Las Vegas",
    "Lausanne",
    "Leeds",
    "Leiden",
    "Leipzig",
    "Leuven",
    "Lille",
    "Lima",
    "Lisboa",
    "Lisbon",
    "London",
    "Los Angeles",
    "Lyon",
    "Madrid",
    "Manchester",
    "Manila",
    "Marseille",
    "Melbourne",
    "Menlo Park",
    "Mexico City",
    "Miami",
    "Milan",
    "Milano",
    "Minneapolis",
    "Montpellier",
    "Montreal",
    "Montr\xc3\xa9"
    "al",
    "Moscow",
    "Mumbai",
    "Munich",
    "M\xc3\xbcnchen",
    "Nairobi",
    "Nantes",
    "Naples",
    "New Brunswick",
    "New Delhi",
    "New Haven",
    "New Orleans",
    "New York",
    "Newbury Park",
    "Nice",
    "Norwood",
    "Orlando",
    "Osaka",
    "Oslo",
    "Ottawa",
    "Oxford",
    "Palo Alto",
    "Paris",
    "Philadelphia",
    "Phoenix",
    "Pisa",
    "Pittsburgh",
    "Portland",
    "Prague",
    "Princeton",
    "Reading",
    "Redmond",
    "Reykjavik",
    "Rio de Janeiro",
    "Roma",
    "Rome",
    "Rotterdam",
    "Saint Petersburg",
    "San Diego",
    "San Francisco",
    "San Jose",
    "Santa Barbara",
    "Santa Monica",
    "Santiago",
    "Seattle",
    "Sebastopol",
    "Seoul",
    "Shanghai",
    "Sheffield",
    "Singapore",
    "Stanford",
    "Stockholm",
    "Strasbourg",
    "Stuttgart",
    "Sydney",
    "S\xc3\xa3o Paulo",
    "Taipei",
    "Tel Aviv",
    "Thousand Oaks",
    "Tokyo",
    "Toronto",
    "Toulouse",
    "Trondheim",
    "Tucson",
    "Turin",
    "T\xc3\xbc"
    "bingen",
    "Upper Saddle River",
    "Utrecht",
    "Vancouver",
    "Venice",
    "Vienna",
    "Warsaw",
    "Washington",
    "Weinheim",
    "Wellington",
    "Wien",
    "Wiesbaden",
    "Zurich",
    "Z\xc3\xbcrich",
};

typedef struct table {
    const char *const *names;
    size_t n;
} table;

static const table country_table = { countries, CITE_ARRAY_LEN(countries) };
static const table state_table = { states, CITE_ARRAY_LEN(states) };
static const table city_table = { cities, CITE_ARRAY_LEN(cities) };

static int compare_name(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

/* Exact lookup of s[0..len) after trimming spaces and one trailing period. */
static bool in_table(const table *t, const char *s, size_t len)
{
    while (len && (s[len - 1] == ' ' || s[len - 1] == '.'))
        len--;
    while (len && *s == ' ')
        s++, len--;
    char key[48];
    if (len == 0 || len >= sizeof(key))
        return false;
    memcpy(key, s, len);
    key[len] = '\0';
    return bsearch(key, t->names, t->n, sizeof(char *), compare_name) != NULL;
}

bool cite_place_word(const char *s, size_t len)
{
    return in_table(&country_table, s, len) || in_table(&state_table, s, len) ||
           in_table(&city_table, s, len);
}

/* "Timberline", "White Plains": one to three capitalised words, as an unknown city. */
static bool city_like(const char *s, size_t len)
{
    while (len && *s == ' ')
        s++, len--;
    if (len < 3 || len > 30 || !(*s >= 'A' && *s <= 'Z'))
        return false;
    size_t words = 1;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == ' ') {
            words++;
            if (i + 1 < len && !(s[i + 1] >= 'A' && s[i + 1] <= 'Z'))
                return false;
        } else if ((ch >= '0' && ch <= '9') || ch == ':' || ch == '(' || ch == ')') {
            return false;
        }
    }
    return words <= 3;
}

/* The offset of the last ',' in s[0..end), or SIZE_MAX. */
static size_t last_comma(const char *s, size_t end)
{
    while (end > 0)
        if (s[--end] == ',')
            return end;
    return SIZE_MAX;
}

size_t cite_place_tail(const char *s, size_t len)
{
    size_t end = len;
    while (end && (s[end - 1] == ' ' || s[end - 1] == '.'))
        end--;
    size_t c1 = last_comma(s, end);
    if (c1 == SIZE_MAX)
        return len;
    size_t last = c1 + 1;
    bool region = in_table(&country_table, s + last, end - last) ||
                  in_table(&state_table, s + last, end - last);
    if (!region && !in_table(&city_table, s + last, end - last))
        return len;
    /* "City, Region": the segment before a state or country is its city */
    size_t c2 = last_comma(s, c1);
    size_t prev = c2 == SIZE_MAX ? 0 : c2 + 1;
    if (region && (cite_place_word(s + prev, c1 - prev) || city_like(s + prev, c1 - prev)))
        last = prev;
    while (last < end && s[last] == ' ')
        last++;
    return last == 0 ? len : last;
}

bool cite_place_whole(const char *s, size_t len)
{
    size_t c = last_comma(s, len);
    if (c == SIZE_MAX)
        return cite_place_word(s, len);
    if (last_comma(s, c) != SIZE_MAX)
        return false;
    bool region = in_table(&country_table, s + c + 1, len - c - 1) ||
                  in_table(&state_table, s + c + 1, len - c - 1);
    return region && (cite_place_word(s, c) || city_like(s, c));
}
