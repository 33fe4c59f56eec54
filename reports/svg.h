/* reports/svg.h - the SVG sanitizer: a chart file's <svg> element made fit to inline in
 * report.html, which runs no script and must stay well-formed.
 *
 * Ownership: rep_svg_inline borrows the file's text and the sink and keeps neither. It is a
 * filter on bytes, not an XML parser: it trusts a file only as far as the checks below go,
 * and refuses (writes nothing) rather than emit half a chart.
 */
#ifndef REPORTS_SVG_H
#define REPORTS_SVG_H

#include <stddef.h>

#include "out.h"

/* Writes the root <svg> element of the SVG file text buf[0..n) to o, without what comes
 * before it (a BOM, whitespace, the XML declaration, processing instructions, comments, a
 * doctype with its internal subset) or after its last "</svg>", with every <script> element
 * and every on* (event handler) attribute left out, every id="X" written id="<prefix>X" and
 * the references to it ("#X" in an href or xlink:href, "url(#X)" in any attribute value)
 * alike. Comments and CDATA sections inside are copied as they are.
 * Returns 0; or -1 with nothing written and *why set to a static reason: "no svg element"
 * (no root <svg ...> with a closing </svg>; a self-closing root counts as none) or
 * "malformed markup" (an unterminated comment, CDATA section, tag, attribute value or
 * script element, or an attribute without a quoted value). */
int rep_svg_inline(rep_out *o, const char *buf, size_t n, const char *prefix, const char **why);

#endif
