#ifndef CANONLOG_CRYPTO_SHIM_H
#define CANONLOG_CRYPTO_SHIM_H
// The low-level SHA-256 API is deprecated in OpenSSL 3 but is the only way to keep and copy
// the HMAC inner/outer midstates by value; keying once and copying the state per call is what
// makes the per-address MAC cheap. Silence the deprecation at the single place it is used.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <openssl/hmac.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/err.h>
#endif
