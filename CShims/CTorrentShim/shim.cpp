// libtorrent shim: the only C++ in the project. Each function catches everything it could throw.
#include "CTorrentShim.h"

#include <libtorrent/version.hpp>

extern "C" const char *lt_shim_version(void) {
    return LIBTORRENT_VERSION;
}

extern "C" const char *lt_shim_runtime_version(void) {
    return lt::version();
}
