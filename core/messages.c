/* messages.c — the catalogue of finding details (Chinese).  Stages pass a
 * code, a member index and a few arguments; the words live here only. */
#include "messages.h"
#include "schema.h"
#include "values.h"

#include <stdio.h>
#include <string.h>

const char *msg_column_label(const char *column)
{
    int c;
    if (!column) return "";
    c = schema_lookup(column);
    return c >= 0 ? schema_columns[c].zh : column;
}

void msg_mask_id(const char *id, char *out, size_t outlen)
{
    size_t n = strlen(id), i;
    int ascii = 1;
    for (i = 0; i < n; i++)
        if ((unsigned char)id[i] >= 0x80 || (unsigned char)id[i] < 0x20) ascii = 0;
    if (n == 0) {
        snprintf(out, outlen, "%s", "");
    } else if (!ascii || n <= 10) {
        snprintf(out, outlen, "****");       /* too short to show any part of */
    } else {
        snprintf(out, outlen, "%.6s%.*s%s", id, (int)(n - 10), "****************************************",
                 id + n - 4);
    }
}

void msg_finding(char *buf, size_t len, const char *code, size_t member,
                 const tp_finding_args *args)
{
    msg_finding_id(buf, len, code, member, NULL, args);
}

void msg_finding_id(char *buf, size_t len, const char *code, size_t member,
                    const char *person_id, const tp_finding_args *args)
{
    char who[128] = "", a[32], b[32];
    const char *col = args && args->column ? args->column : "";
    int64_t va = args ? args->a : 0, vb = args ? args->b : 0;
    if (member && person_id && person_id[0])
        snprintf(who, sizeof who, "第%zu名成员（%s）", member, person_id);
    else if (member)
        snprintf(who, sizeof who, "第%zu名成员", member);
    val_format_cents(va, a);
    val_format_cents(vb, b);

    if (!strcmp(code, "MISSING_VALUE"))
        snprintf(buf, len, "%s%s（%s）缺失", who, msg_column_label(col), col);
    else if (!strcmp(code, "BAD_VALUE"))
        snprintf(buf, len, "%s%s（%s）的值无效", who, msg_column_label(col), col);
    else if (!strcmp(code, "INCOME_BELOW_LINE"))
        snprintf(buf, len, "人均纯收入%s元，低于收入标准%s元", a, b);
    else if (!strcmp(code, "INCOME_MISMATCH"))
        snprintf(buf, len, "申报人均纯收入%s元，与核算的人均纯收入%s元不符", a, b);
    else if (!strcmp(code, "INCOME_NEAR_LINE"))
        snprintf(buf, len, "人均纯收入%s元，仅略高于收入标准%s元", a, b);
    else if (!strcmp(code, "INCOME_TRANSFER_DEPENDENT"))
        snprintf(buf, len, "转移性收入%s元占家庭纯收入%s元的比例超过上限", a, b);
    else if (!strcmp(code, "FOOD_CLOTHING_INSECURE"))
        snprintf(buf, len, "吃穿不愁未达标");
    else if (!strcmp(code, "SCHOOL_DROPOUT"))
        snprintf(buf, len, "%s%lld岁，处于义务教育年龄但未在校（在校生状况：%s）",
                 who, (long long)va, val_school_name((tp_school_code)vb));
    else if (!strcmp(code, "MEDICAL_UNINSURED"))
        snprintf(buf, len, "%s未参加基本医疗保险", who);
    else if (!strcmp(code, "HOUSING_UNSAFE"))
        snprintf(buf, len, "住房安全等级为%c级（危房），危房改造或搬迁未完成", (char)va);
    else if (!strcmp(code, "WATER_UNSAFE"))
        snprintf(buf, len, "饮水安全未达标");
    else if (!strcmp(code, "ID_INVALID"))
        snprintf(buf, len, va ? "%s证件号码为空" : "%s证件号码无效（校验码或出生日期不符）", who);
    else if (!strcmp(code, "ID_BIRTH_MISMATCH"))
        snprintf(buf, len, "%s出生日期与证件号码中的出生日期不一致", who);
    else if (!strcmp(code, "ID_DUPLICATE"))
        snprintf(buf, len, "%s的证件号码已在此前的成员中出现", who);
    else if (!strcmp(code, "HEAD_COUNT"))
        snprintf(buf, len, "户主人数为%lld，应为1", (long long)va);
    else
        snprintf(buf, len, "%s%s", who, code);
}
