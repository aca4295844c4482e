#ifndef CANONLOG_BYTE_CLASSES_H
#define CANONLOG_BYTE_CLASSES_H
// The address scanner's byte classes for 64 bytes at once, one bit per byte (bit i is byte i).
// Swift's SIMD types have no "move mask", so the comparisons live here: SSE2 (every x86-64) takes
// 16 bytes per instruction; elsewhere a byte loop gives the same masks.

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

typedef struct {
    /// Hex digits, `.` and `:`: the bytes a run of address characters is made of.
    uint64_t members;
    uint64_t dots;
    uint64_t colons;
    uint64_t percents;
} anonlog_byte_masks;

// The byte loop every machine has; SIMD versions must give the same masks (the tests compare).
static inline anonlog_byte_masks anonlog_classify_full_block_portable(const uint8_t *bytes) {
    anonlog_byte_masks masks = {0, 0, 0, 0};
    for (int offset = 0; offset < 64; offset++) {
        uint8_t byte = bytes[offset];
        uint64_t bit = (uint64_t)1 << offset;
        int hex = (uint8_t)(byte - '0') <= 9 || (uint8_t)((byte | 0x20) - 'a') <= 5;
        if (hex || byte == '.' || byte == ':') masks.members |= bit;
        if (byte == '.') masks.dots |= bit;
        if (byte == ':') masks.colons |= bit;
        if (byte == '%') masks.percents |= bit;
    }
    return masks;
}

#if defined(__SSE2__)
static inline anonlog_byte_masks anonlog_classify_full_block(const uint8_t *bytes) {
    anonlog_byte_masks masks = {0, 0, 0, 0};
    const __m128i zero = _mm_setzero_si128();
    for (int offset = 0; offset < 64; offset += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(bytes + offset));
        // Unsigned "x - c <= n" is "saturating (x - c) - n == 0"; SSE2 has no unsigned compare.
        __m128i digit = _mm_cmpeq_epi8(_mm_subs_epu8(_mm_sub_epi8(x, _mm_set1_epi8('0')), _mm_set1_epi8(9)), zero);
        __m128i lower = _mm_or_si128(x, _mm_set1_epi8(0x20));
        __m128i letter = _mm_cmpeq_epi8(_mm_subs_epu8(_mm_sub_epi8(lower, _mm_set1_epi8('a')), _mm_set1_epi8(5)), zero);
        __m128i dot = _mm_cmpeq_epi8(x, _mm_set1_epi8('.'));
        __m128i colon = _mm_cmpeq_epi8(x, _mm_set1_epi8(':'));
        __m128i percent = _mm_cmpeq_epi8(x, _mm_set1_epi8('%'));
        __m128i member = _mm_or_si128(_mm_or_si128(digit, letter), _mm_or_si128(dot, colon));
        masks.members |= (uint64_t)(uint16_t)_mm_movemask_epi8(member) << offset;
        masks.dots |= (uint64_t)(uint16_t)_mm_movemask_epi8(dot) << offset;
        masks.colons |= (uint64_t)(uint16_t)_mm_movemask_epi8(colon) << offset;
        masks.percents |= (uint64_t)(uint16_t)_mm_movemask_epi8(percent) << offset;
    }
    return masks;
}
#else
static inline anonlog_byte_masks anonlog_classify_full_block(const uint8_t *bytes) {
    return anonlog_classify_full_block_portable(bytes);
}
#endif

/// The classes of `count` bytes (at most 64) at `bytes`; bits at and above `count` are clear.
static inline anonlog_byte_masks anonlog_classify_block(const uint8_t *bytes, size_t count) {
    if (count >= 64) return anonlog_classify_full_block(bytes);
    // A zero byte is in no class, so a zero-padded copy reads nothing past the end.
    uint8_t padded[64] = {0};
    memcpy(padded, bytes, count);
    return anonlog_classify_full_block(padded);
}

#endif
