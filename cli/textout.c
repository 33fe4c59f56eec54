/* cli/textout.c - JSON strings and XML text on a stdio stream (cli/textout.h). */
#include "textout.h"

void cli_json_string(FILE *o, const char *s)
{
    fputc('"', o);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(o, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(o, "\\u%04x", *p);
        else
            fputc(*p, o);
    }
    fputc('"', o);
}

void cli_xml_text(FILE *o, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", o); break;
        case '>': fputs("&gt;", o); break;
        case '&': fputs("&amp;", o); break;
        case '"': fputs("&quot;", o); break;
        case '\n': fputs("&#10;", o); break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\t')
                fputc('?', o);
            else
                fputc(*s, o);
        }
    }
}
