/* decode.h — streaming conversion of a legacy encoding (GB18030, which
 * includes GBK and GB2312) to UTF-8 with iconv, as a byte filter between the
 * input file and the record readers.  Line breaks and every ASCII byte pass
 * through unchanged, so line numbers stay those of the original file. */
#ifndef TUOPIN_DECODE_H
#define TUOPIN_DECODE_H

#include <stddef.h>

/* Byte source: bytes read (0 at end), or -1 on error with errno. */
typedef long (*dec_read_fn)(void *ctx, char *buf, size_t len);

typedef struct decoder decoder;

/* The byte that replaces each byte of an invalid or truncated sequence in
 * the output: never valid in UTF-8, so the CSV reader flags the record
 * (ROW_ENCODING), and never a delimiter, quote or line break. */
#define DEC_BAD_BYTE 0xFF

/* NAME: dec_encoding_name
 * DESCRIPTION: the canonical name of an encoding given by the user
 *   ("gb18030", "GBK", "gb2312", "cp936" … → "gb18030"; "utf-8", "utf8" →
 *   "utf-8"), matching ASCII case-insensitively.
 * RETURN: a static string, or NULL when the encoding is not supported. */
const char *dec_encoding_name(const char *user);

/* NAME: dec_open
 * DESCRIPTION: a decoder from `encoding` (a canonical name other than
 *   utf-8) reading raw bytes from src with an input buffer of bufsize bytes
 *   (at least 1; tests use tiny sizes to split characters).
 * RETURN: the decoder (free with dec_close), or NULL with a message in err. */
decoder *dec_open(const char *encoding, dec_read_fn src, void *ctx, size_t bufsize,
                  char *err, size_t errlen);

/* NAME: dec_read
 * DESCRIPTION: up to len (≥ 1) bytes of UTF-8.  A character split across
 *   raw reads is carried over; each byte of an invalid sequence (or of a
 *   sequence cut off by the end of the input) becomes DEC_BAD_BYTE, and the
 *   bytes after it are decoded afresh, so an LF after a bad lead byte is
 *   still a line break.  Matches csv_read_fn.
 * RETURN: bytes written (0 only at the end of the input), or -1 on a read
 *   error (errno from the source). */
long dec_read(void *d, char *buf, size_t len);

/* Invalid bytes replaced so far. */
unsigned long long dec_bad_bytes(const decoder *d);
void dec_close(decoder *d);

/* NAME: dec_gb18030_valid
 * DESCRIPTION: whether [p, p+n) is entirely valid GB18030 (for guessing an
 *   input's encoding).  Thread-safe; opens its own conversion.
 * RETURN: 1 valid, 0 not, -1 when iconv has no GB18030. */
int dec_gb18030_valid(const char *p, size_t n);

#endif
