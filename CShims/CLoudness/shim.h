// System-library shim over libebur128 (EBU R128 / ITU-R BS.1770 loudness, Debian's libebur128-dev).
// No logic lives here.
#ifndef DOWNLOADER2_CLOUDNESS_H
#define DOWNLOADER2_CLOUDNESS_H
#include <ebur128.h>
#endif
