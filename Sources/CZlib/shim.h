#ifndef ANNOTATE_CZLIB_SHIM_H
#define ANNOTATE_CZLIB_SHIM_H
#include <zlib.h>
#endif
