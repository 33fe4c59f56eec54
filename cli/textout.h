/* cli/textout.h - text for machine readers on a stdio stream: JSON strings and XML/HTML text,
 * escaped one way for every command (test --json, rules --json, explain --json, compare --json,
 * JUnit XML, the sweep's report). Write errors are the stream's (ferror), as for any fputs. */
#ifndef CLI_TEXTOUT_H
#define CLI_TEXTOUT_H

#include <stdio.h>

/* s as a JSON string with its quotes; NULL is "". Control bytes and DEL become \uXXXX. */
void cli_json_string(FILE *out, const char *s);

/* s as XML text or attribute value: & < > " escaped, a newline as &#10;, other control bytes
 * (but tab) as '?' (XML 1.0 cannot carry them). */
void cli_xml_text(FILE *out, const char *s);

#endif
