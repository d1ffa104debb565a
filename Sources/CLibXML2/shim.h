#ifndef QUARRY_CLIBXML2_SHIM_H
#define QUARRY_CLIBXML2_SHIM_H

// Debian's libxml2 is built with ICU; its headers would pull in the system ICU, which clashes with
// Foundation's own in any module that sees both (BUILD-NOTES.md). Quarry uses none of libxml2's ICU API.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#endif
