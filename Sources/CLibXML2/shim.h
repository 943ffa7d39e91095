#include <libxml/xmlversion.h>
/* Debian builds libxml2 with ICU, and libxml/encoding.h then includes the system ICU
   headers (<unicode/ucnv.h>). Foundation on Linux carries its own copy of ICU
   (_FoundationICU), and a Swift file that imports both modules fails to compile on the
   duplicate enum UErrorCode. The only thing LIBXML_ICU_ENABLED changes in the headers is
   two trailing fields of xmlCharEncodingHandler, a struct we only ever hold by pointer
   and never allocate or read, so hiding them is safe. */
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/parser.h>
