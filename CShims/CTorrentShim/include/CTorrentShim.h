// extern "C" API over libtorrent-rasterbar 2.0. Opaque handles, plain C structs;
// no C++ exception ever crosses this boundary (failures come back as codes + messages).
#ifndef DOWNLOADER2_CTORRENTSHIM_H
#define DOWNLOADER2_CTORRENTSHIM_H

#ifdef __cplusplus
extern "C" {
#endif

/// The libtorrent version string compiled against (e.g. "2.0.8.0"); static storage.
const char *lt_shim_version(void);

/// The libtorrent version the loaded shared library reports at run time; static storage.
const char *lt_shim_runtime_version(void);

#ifdef __cplusplus
}
#endif

#endif
