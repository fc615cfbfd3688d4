// OpenSSL's libcrypto (the one libtorrent links): EVP digests use SHA-NI where the CPU has it.
#ifndef DOWNLOADER2_CCRYPTO_H
#define DOWNLOADER2_CCRYPTO_H
#include <openssl/evp.h>
#endif
