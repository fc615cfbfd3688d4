// System-library shim over libcurl. curl_easy_setopt is variadic, which Swift cannot call:
// typed wrappers arrive with the fetcher (issue 4).
#ifndef DOWNLOADER2_CCURL_H
#define DOWNLOADER2_CCURL_H
#include <curl/curl.h>
#endif
