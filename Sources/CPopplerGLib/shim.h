#ifndef QUARRY_CPOPPLERGLIB_SHIM_H
#define QUARRY_CPOPPLERGLIB_SHIM_H

#include <glib.h>
#include <glib-object.h>
#include <poppler.h>

#endif
