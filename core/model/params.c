/* params.c — declared, validated run parameters and the national lines. */
#include "params.h"
#include "i18n.h"
#include "sbuf.h"
#include "values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void params_init(params *p) { memset(p, 0, sizeof *p); }
void params_free(params *p) { free(p->e); memset(p, 0, sizeof *p); }

static int scale_of(tp_param_type t) { return t == TP_PARAM_MONEY ? 2 : t == TP_PARAM_RATIO ? 6 : 0; }

static const char *type_name(tp_param_type t)
{
    return t == TP_PARAM_MONEY ? _("an amount in yuan with at most 2 decimals")
         : t == TP_PARAM_RATIO ? _("a decimal with at most 6 decimals")
         : _("a whole number");
}

static param_entry *find(const params *p, const char *name)
{
    size_t i;
    for (i = 0; i < p->n; i++)
        if (!strcmp(p->e[i].decl->name, name)) return &p->e[i];
    return NULL;
}

const param_entry *params_find(const params *p, const char *name) { return find(p, name); }

int params_declare(params *p, const tp_param_decl *d, const char *owner, char *err, size_t errlen)
{
    for (; d && d->name; d++) {
        param_entry *e = find(p, d->name);
        if (e) {
            if (e->decl->type != d->type) {
                snprintf(err, errlen, _("parameter %s: stage %s declares it as %s, stage %s as %s"),
                         d->name, e->owner, type_name(e->decl->type), owner, type_name(d->type));
                return -1;
            }
            continue;
        }
        if (mem_grow((void **)&p->e, &p->cap, p->n + 1, sizeof *p->e) < 0) {
            snprintf(err, errlen, _("out of memory"));
            return -1;
        }
        e = &p->e[p->n++];
        memset(e, 0, sizeof *e);
        e->decl = d;
        e->owner = owner;
    }
    return 0;
}

int params_parse(const tp_param_decl *d, const char *text, int64_t *value, char *err, size_t errlen)
{
    int64_t lo, hi;
    if (val_decimal(text, scale_of(d->type), value) < 0) {
        snprintf(err, errlen, _("parameter %s: \"%s\" is not %s"), d->name, text, type_name(d->type));
        return -1;
    }
    if (d->min && val_decimal(d->min, scale_of(d->type), &lo) == 0 && *value < lo) {
        snprintf(err, errlen, _("parameter %s: %s is below its minimum %s"), d->name, text, d->min);
        return -1;
    }
    if (d->max && val_decimal(d->max, scale_of(d->type), &hi) == 0 && *value > hi) {
        snprintf(err, errlen, _("parameter %s: %s is above its maximum %s"), d->name, text, d->max);
        return -1;
    }
    return 0;
}

int params_apply(params *p, const kv_list *values, char *err, size_t errlen)
{
    size_t i;
    char msg[256];
    for (i = 0; i < values->n; i++) {
        const kv *v = &values->items[i];
        param_entry *e = find(p, v->key);
        if (!e) {
            snprintf(err, errlen, _("unknown parameter %s (in %s): no stage of this pipeline declares it"),
                     v->key, v->origin);
            return -1;
        }
        if (params_parse(e->decl, v->value, &e->value, msg, sizeof msg) < 0) {
            snprintf(err, errlen, _("%s (in %s)"), msg, v->origin);
            return -1;
        }
        e->set = 1;
        snprintf(e->text, sizeof e->text, "%s", v->value);
        snprintf(e->origin, sizeof e->origin, "%s", v->origin ? v->origin : "");
    }
    return 0;
}

int params_line_for_year(const char *lines_file, int year, int64_t *cents, int *verified,
                         char *source, size_t srclen, char *err, size_t errlen)
{
    FILE *f = fopen(lines_file, "r");
    char line[1024];
    int lineno = 0, found = 0;
    if (!f) {
        snprintf(err, errlen, _("%s: cannot open the table of national lines"), lines_file);
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        char *fields[4] = { NULL, NULL, NULL, NULL }, *s = line;
        int nf = 0, y;
        lineno++;
        if (lineno == 1 || line[0] == '#' || line[0] == '\n') continue;
        line[strcspn(line, "\r\n")] = '\0';
        /* year,line,"source",note — the source may be quoted with commas. */
        while (nf < 4 && s) {
            if (*s == '"') {
                char *q = strchr(s + 1, '"');
                fields[nf++] = s + 1;
                if (!q) break;
                *q = '\0';
                s = strchr(q + 1, ',');
                if (s) s++;
            } else {
                char *c = strchr(s, ',');
                fields[nf++] = s;
                if (c) { *c = '\0'; s = c + 1; } else s = NULL;
            }
        }
        if (nf < 2 || sscanf(fields[0], "%d", &y) != 1 || val_decimal(fields[1], 2, cents) < 0) {
            snprintf(err, errlen, _("%s:%d: malformed line"), lines_file, lineno);
            fclose(f);
            return -1;
        }
        if (y == year) {
            *verified = !(fields[3] && strstr(fields[3], "unverified"));
            snprintf(source, srclen, "%s", fields[2] ? fields[2] : "");
            found = 1;
            break;
        }
    }
    fclose(f);
    return found;
}

int params_line_row(const char *lines_file, int year, char *buf, size_t n)
{
    FILE *f = fopen(lines_file, "r");
    char line[1024];
    int lineno = 0, found = 0, y;
    if (!f) return -1;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (lineno == 1 || sscanf(line, "%d,", &y) != 1 || y != year) continue;
        line[strcspn(line, "\r\n")] = '\0';
        snprintf(buf, n, "%s:%d: %s", strrchr(lines_file, '/') ? strrchr(lines_file, '/') + 1 : lines_file, lineno, line);
        found = 1;
        break;
    }
    fclose(f);
    return found;
}

int params_finish(params *p, int year, const char *lines_file, char *err, size_t errlen)
{
    size_t i;
    for (i = 0; i < p->n; i++) {
        param_entry *e = &p->e[i];
        if (e->set) continue;
        if (e->decl->default_value) {
            if (params_parse(e->decl, e->decl->default_value, &e->value, err, errlen) < 0)
                return -1;
            snprintf(e->text, sizeof e->text, "%s", e->decl->default_value);
            snprintf(e->origin, sizeof e->origin, "default");
        } else if (!strcmp(e->decl->name, "income_line")) {
            char source[512], msg[256];
            int verified, r = params_line_for_year(lines_file, year, &e->value, &verified,
                                                   source, sizeof source, msg, sizeof msg);
            if (r < 0) { snprintf(err, errlen, "%s", msg); return -1; }
            if (r == 0) {
                snprintf(err, errlen, _("parameter income_line: the table of national lines (%s) has no "
                         "value for %d; give income_line in the pipeline or with --param"), lines_file, year);
                return -1;
            }
            val_format_cents(e->value, e->text);
            snprintf(e->origin, sizeof e->origin, "national table");
            if (!verified)
                fprintf(stderr, _("tuopin: notice: income_line %s for %d is unverified (%s)\n"),
                        e->text, year, source);
        } else {
            snprintf(err, errlen, _("parameter %s (stage %s) has no default: give it in the pipeline "
                     "or with --param"), e->decl->name, e->owner);
            return -1;
        }
        e->set = 1;
    }
    return 0;
}

void params_origin_text(const char *origin, char *buf, size_t n)
{
    if (!strcmp(origin, "pipeline params")) snprintf(buf, n, "%s", _("the pipeline's params"));
    else if (!strcmp(origin, "national table")) snprintf(buf, n, "%s", _("the table of national lines"));
    else if (!strcmp(origin, "default")) snprintf(buf, n, "%s", _("the default"));
    else if (!strncmp(origin, "script ", 7)) snprintf(buf, n, _("rule script %s"), origin + 7);
    else snprintf(buf, n, "%s", origin);
}

int params_get(const params *p, const char *name, int64_t *value)
{
    param_entry *e = find(p, name);
    if (!e) return -1;
    *value = e->value;
    return 0;
}
