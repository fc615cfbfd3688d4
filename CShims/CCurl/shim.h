// System-library shim over libcurl. curl_easy_setopt and curl_easy_getinfo are variadic, which
// Swift cannot call: these typed wrappers are the whole of the C here.
#ifndef DOWNLOADER2_CCURL_H
#define DOWNLOADER2_CCURL_H
#include <curl/curl.h>

typedef size_t (*d2_curl_write_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode d2_curl_set_long(CURL *curl, CURLoption option, long value) { return curl_easy_setopt(curl, option, value); }
static inline CURLcode d2_curl_set_string(CURL *curl, CURLoption option, const char *value) { return curl_easy_setopt(curl, option, value); }
static inline CURLcode d2_curl_set_pointer(CURL *curl, CURLoption option, void *value) { return curl_easy_setopt(curl, option, value); }
static inline CURLcode d2_curl_set_write_function(CURL *curl, d2_curl_write_callback callback) { return curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, callback); }
static inline CURLcode d2_curl_get_long(CURL *curl, CURLINFO info, long *value) { return curl_easy_getinfo(curl, info, value); }
static inline CURLcode d2_curl_get_string(CURL *curl, CURLINFO info, char **value) { return curl_easy_getinfo(curl, info, value); }
#endif
