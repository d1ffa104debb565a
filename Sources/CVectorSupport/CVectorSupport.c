// SwiftPM needs a source file in a C target; everything is inline in include/CVectorSupport.h.
#include "CVectorSupport.h"
