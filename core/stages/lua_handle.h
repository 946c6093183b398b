/* lua_handle.h — the household handle `hh` (and member handles `m`) that a
 * rule script's check(hh, params) receives: typed fields pushed on demand,
 * hh:members(), hh:fail/warn/has, read-only, and refused once its call is
 * over.  Internal to lua_stage.c; the script API is in docs/scripts.md. */
#ifndef TUOPIN_LUA_HANDLE_H
#define TUOPIN_LUA_HANDLE_H

#include <stdint.h>
#include <lua.h>
#include <tuopin/stage.h>

/* Longest finding detail a script can give (bytes, cut at a character). */
#define LH_DETAIL_MAX 2000

/* Most findings one check call may add (hh:fail and hh:warn together):
 * without a bound a loop of hh:warn grows the host's memory, which no Lua
 * memory cap sees, by up to LH_DETAIL_MAX bytes per instruction or so. */
#define LH_FINDINGS_MAX 10000

/* Longest finding code (bytes): a code names a rule, and a longer one is
 * refused rather than stored (a script could otherwise hand the host a
 * megabyte code per call). */
#define LH_CODE_MAX 64

/* Most bytes of findings (codes and details) one check call may add: with
 * LH_DETAIL_MAX alone, LH_FINDINGS_MAX findings of one household could hold
 * 20 MB, and the engine holds up to (2 × jobs + 2) × 512 households at once.
 * The call that passes it ends in SCRIPT_ERROR, whose detail says how many
 * findings were kept. */
#define LH_HH_BYTES_MAX 65536

/* Most members a household may have for the handle to index them. */
#define LH_MEMBER_MAX ((size_t)((1u << 24) - 1))

/* The handle's side of one instance.  The Lua state's extra space points
 * to it (lh_attach); it must outlive the state. */
typedef struct lh_call {
    const tp_host *host;
    tp_ctx *host_ctx;
    const tp_household *hh;   /* the household of the current call */
    uintptr_t gen;            /* the current call's generation */
    int in_call;
    unsigned nfindings;       /* added in the current call */
    size_t nbytes;            /* their codes' and details' bytes */
} lh_call;

/* Makes c the handle state of L.  Call once, right after creating L. */
void lh_attach(lua_State *L, lh_call *c);

/* NAME: lh_install
 * DESCRIPTION: installs the handle metatable in L, with the declared extra
 *   columns (NULL-terminated; canonical names are skipped) looked up through
 *   c->host->column.  Raises a Lua error naming a column the input lacks, so
 *   call it inside a protected call. */
void lh_install(lua_State *L, const char *const *columns);

/* NAME: lh_begin
 * DESCRIPTION: starts a check call on hh (at most LH_MEMBER_MAX members).
 * RETURN: the light-userdata value of the household handle for this call. */
void *lh_begin(lh_call *c, const tp_household *hh);

/* Ends the call: every handle of it is refused from now on. */
void lh_end(lh_call *c);

/* s, or, when longer than LH_DETAIL_MAX bytes, its first bytes cut at a
 * UTF-8 character followed by a note of how many bytes were cut, in buf
 * (LH_DETAIL_MAX + 1 bytes; the result is at most LH_DETAIL_MAX bytes). */
const char *lh_clip(const char *s, char *buf);

/* s when it is valid UTF-8, else a copy in buf (LH_DETAIL_MAX + 1 bytes)
 * with each byte that is not part of a valid character replaced by U+FFFD
 * (cut at a character when the copy would pass LH_DETAIL_MAX bytes): a
 * finding's detail is text in every output (issue 18.9). */
const char *lh_utf8(const char *s, char *buf);

#endif
