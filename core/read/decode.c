/* decode.c — GB18030 to UTF-8 as a streaming byte filter (iconv).
 *
 * Runs of ASCII are copied as they are; iconv sees only the stretches that
 * hold multi-byte characters.  A stretch ends before the next byte below
 * 0x30: no GB18030 trail byte is that small, so a comma, quote, CR or LF
 * always ends a character and is never handed to iconv.  That keeps the
 * per-call overhead of iconv off the (mostly ASCII) bulk of a registry
 * export, and it makes the recovery from a bad byte simple: iconv stops at
 * the first byte of an invalid sequence (always ≥ 0x80), we write
 * DEC_BAD_BYTE for that one byte and go on with the next, so a line break
 * after a bad lead byte is still seen as one. */
#define _POSIX_C_SOURCE 200809L
#include "decode.h"
#include "i18n.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define OUT_SLACK 8          /* room kept for one character (≤ 4 bytes) */

struct decoder {
    iconv_t cd;
    dec_read_fn src;
    void *ctx;
    char *in;                /* raw bytes not yet converted: in[ipos, iend) */
    size_t icap, ipos, iend, readsize;
    int eof;
    char out[64];            /* for callers asking for fewer bytes */
    size_t opos, oend;
    unsigned long long bad;
};

const char *dec_encoding_name(const char *user)
{
    static const char *const gb[] = { "gb18030", "gb-18030", "gbk", "gb2312", "cp936",
                                      "euc-cn", "gb_2312", "windows-936", NULL };
    static const char *const u8[] = { "utf-8", "utf8", NULL };
    size_t i;
    if (!user) return "utf-8";
    for (i = 0; u8[i]; i++)
        if (!strcasecmp(user, u8[i])) return "utf-8";
    /* GBK and GB2312 are subsets of GB18030: decoding them as GB18030 is
     * exact, and it accepts the characters that Excel adds beyond GBK. */
    for (i = 0; gb[i]; i++)
        if (!strcasecmp(user, gb[i])) return "gb18030";
    return NULL;
}

decoder *dec_open(const char *encoding, dec_read_fn src, void *ctx, size_t bufsize,
                  char *err, size_t errlen)
{
    decoder *d;
    if (!encoding || strcmp(encoding, "gb18030")) {
        snprintf(err, errlen, _("encoding \"%s\" is not supported (utf-8 or gb18030)"),
                 encoding ? encoding : "");
        return NULL;
    }
    d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, errlen, _("out of memory"));
        return NULL;
    }
    d->cd = iconv_open("UTF-8", "GB18030");
    if (d->cd == (iconv_t)-1) {
        snprintf(err, errlen, _("this system's iconv cannot convert GB18030 to UTF-8"));
        free(d);
        return NULL;
    }
    if (bufsize < 1) bufsize = 1;
    d->readsize = bufsize;
    /* Room for a carried-over partial character besides a full read. */
    d->icap = bufsize + 8;
    d->in = malloc(d->icap);
    if (!d->in) {
        snprintf(err, errlen, _("out of memory"));
        dec_close(d);
        return NULL;
    }
    d->src = src;
    d->ctx = ctx;
    return d;
}

void dec_close(decoder *d)
{
    if (!d) return;
    if (d->cd != (iconv_t)-1) iconv_close(d->cd);
    free(d->in);
    free(d);
}

unsigned long long dec_bad_bytes(const decoder *d) { return d->bad; }

/* Reads more raw bytes after what is left in in[ipos, iend).
 * RETURN: 0, or -1 on a read error. */
static int refill(decoder *d)
{
    long got;
    size_t want;
    if (d->ipos > 0) {
        memmove(d->in, d->in + d->ipos, d->iend - d->ipos);
        d->iend -= d->ipos;
        d->ipos = 0;
    }
    want = d->icap - d->iend;
    if (want > d->readsize) want = d->readsize;
    got = d->src(d->ctx, d->in + d->iend, want);
    if (got < 0) return -1;
    if (got == 0) d->eof = 1;
    d->iend += (size_t)got;
    return 0;
}

/* Converts into dst[0, room) (room > OUT_SLACK).
 * RETURN: bytes written (0 only at the end of the input), or -1. */
static long convert(decoder *d, char *dst, size_t room)
{
    size_t o = 0;
    for (;;) {
        const unsigned char *in = (const unsigned char *)d->in;
        size_t i, end, seg;
        if (d->ipos == d->iend) {
            if (d->eof || o > 0) break;
            if (refill(d) < 0) return -1;
            continue;
        }
        if (room - o <= OUT_SLACK) break;
        /* ASCII, eight bytes at a time, while the output has room. */
        i = d->ipos;
        end = d->iend;
        {
            size_t lim = end - i < room - OUT_SLACK - o ? end - i : room - OUT_SLACK - o;
            size_t k = 0;
            while (k + 8 <= lim) {
                uint64_t w;
                memcpy(&w, in + i + k, 8);
                if (w & 0x8080808080808080ULL) break;
                memcpy(dst + o + k, in + i + k, 8);
                k += 8;
            }
            while (k < lim && in[i + k] < 0x80) {
                dst[o + k] = (char)in[i + k];
                k++;
            }
            i += k;
            o += k;
        }
        d->ipos = i;
        /* More input needed, or the output is full: the loop's top decides. */
        if (i == end || in[i] < 0x80) continue;
        /* A stretch that starts with a multi-byte character. */
        seg = i + 1;
        while (seg < end && in[seg] >= 0x30) seg++;
        {
            char *ip = d->in + i, *op = dst + o;
            size_t il = seg - i, ol = room - o;
            size_t r = iconv(d->cd, &ip, &il, &op, &ol);
            int e = errno;
            d->ipos = (size_t)(ip - d->in);
            o = (size_t)(op - dst);
            if (r != (size_t)-1) continue;
            if (e == E2BIG) break;
            if (e == EINVAL && seg == end && !d->eof) {
                /* The character goes on in the next read. */
                if (o > 0) break;
                if (refill(d) < 0) return -1;
                continue;
            }
            /* EILSEQ; or EINVAL before a byte below 0x30 or at the end of
             * the input: an invalid or truncated character. */
            if (o >= room) break;
            dst[o++] = (char)DEC_BAD_BYTE;
            d->ipos++;
            d->bad++;
            iconv(d->cd, NULL, NULL, NULL, NULL);
        }
    }
    return (long)o;
}

long dec_read(void *vd, char *buf, size_t len)
{
    decoder *d = vd;
    long n;
    if (d->opos == d->oend && len > 2 * OUT_SLACK)
        return convert(d, buf, len);
    if (d->opos == d->oend) {
        n = convert(d, d->out, sizeof d->out);
        if (n <= 0) return n;
        d->opos = 0;
        d->oend = (size_t)n;
    }
    n = (long)(d->oend - d->opos < len ? d->oend - d->opos : len);
    memcpy(buf, d->out + d->opos, (size_t)n);
    d->opos += (size_t)n;
    return n;
}

int dec_gb18030_valid(const char *p, size_t n)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    char *ip = (char *)(uintptr_t)p;
    size_t il = n;
    int ok = 1;
    if (cd == (iconv_t)-1) return -1;
    while (il > 0) {
        char buf[4096], *op = buf;
        size_t ol = sizeof buf;
        if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 && errno != E2BIG) {
            ok = 0;
            break;
        }
    }
    iconv_close(cd);
    return ok;
}
