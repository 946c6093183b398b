/* schema.c — canonical columns (standard §1) and header mapping. */
#include "schema.h"
#include "values.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const schema_def schema_columns[COL_COUNT] = {
    { "household_id", "户编号", 1, "household id",
      "text", "every run",
      "not blank, no control characters; a household's rows together" },
    { "region_code", "行政区划代码", 1, "region code",
      "code", "every run",
      "12 digits: province 2, city 2, county 2, town 3, village 3" },
    { "status", "户类型", 1, "household status",
      "word", "every run",
      "`poor` (贫困户, 未脱贫), `exited` (已脱贫, 脱贫户), `general` (一般户, 非贫困户)" },
    { "wage_income", "工资性收入", 1, "wage income",
      "money", "stage income",
      "yuan a year, whole household: `-?[0-9]+(\\.[0-9]{1,2})?`, not negative; blank counts 0" },
    { "operating_income", "生产经营性收入", 1, "operating income",
      "money", "stage income",
      "as wage_income" },
    { "operating_cost", "生产经营性支出", 1, "operating cost",
      "money", "stage income",
      "as wage_income" },
    { "property_income", "财产性收入", 1, "property income",
      "money", "stage income",
      "as wage_income" },
    { "transfer_income", "转移性收入", 1, "transfer income",
      "money", "stage income",
      "as wage_income (pensions, 低保, subsidies)" },
    { "declared_income_pc", "人均纯收入", 1, "declared per-capita income",
      "money", "optional: the income mismatch check",
      "the per-capita figure on file; may be negative" },
    { "food_clothing_secure", "吃穿不愁", 1, "food and clothing secure",
      "yes/no", "stage food_clothing",
      "`yes y true 1 是` / `no n false 0 否`" },
    { "housing_rating", "住房安全等级", 1, "housing safety rating",
      "rating", "stage housing",
      "`A` `B` `C` `D` (also `A级` …); C and D are unsafe (危房)" },
    { "housing_fixed", "危房改造或搬迁完成", 1, "renovation or relocation done",
      "yes/no", "stage housing",
      "yes/no: renovation done, or relocated (易地扶贫搬迁)" },
    { "water_safe", "饮水安全", 1, "safe drinking water",
      "yes/no", "stage water",
      "yes/no" },
    { "satisfied", "群众认可", 1, "satisfaction answer",
      "yes/no", "optional: the counties' satisfaction rate",
      "yes/no: the household's answer in the satisfaction survey" },
    { "person_id", "证件号码", 0, "ID number",
      "ID", "stage identity",
      "18-character resident ID (GB 11643): 17 digits and a check character" },
    { "name", "姓名", 0, "name",
      "text", "optional",
      "any text (never shown in reports)" },
    { "relation", "与户主关系", 0, "relation to the head",
      "word", "stage identity",
      "`head` (户主) or anything else" },
    { "birth_date", "出生日期", 0, "date of birth",
      "date", "optional: ages come from person_id when it is absent",
      "`YYYY-MM-DD`, `YYYY/M/D` or `YYYYMMDD`, a real date" },
    { "school_status", "在校生状况", 0, "school status",
      "word", "stage education",
      "`preschool` (学前教育), `primary` (小学), `junior` (初中), `senior` (高中), "
      "`vocational` (中职, 技工), `college` (大专, 本科), `home_schooling` (送教上门), "
      "`exempt` (免学), `dropout` (辍学), `not_enrolled` (未入学, 失学), `not_in_school` (非在校生)" },
    { "medical_insured", "参加基本医疗保险", 0, "basic medical insurance",
      "yes/no", "stage medical",
      "yes/no" },
};

int schema_lookup(const char *name)
{
    int i;
    size_t n = strlen(name);
    for (i = 0; i < COL_COUNT; i++) {
        if (val_eq_ci(name, n, schema_columns[i].name) || !strcmp(name, schema_columns[i].zh))
            return i;
    }
    return -1;
}

/* Name i is fields[i] when fields is given, else names[i] of lens[i] bytes. */
static int map_names(schema_map *m, const char *const *names, const size_t *lens,
                     const csv_field *fields, size_t n, char *err, size_t errlen)
{
    size_t i;
    memset(m, 0, sizeof *m);
    for (i = 0; i < COL_COUNT; i++) m->pos[i] = -1;
    m->ncols = n;
    m->names = calloc(n ? n : 1, sizeof *m->names);
    m->canon = calloc(n ? n : 1, sizeof *m->canon);
    if (!m->names || !m->canon) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    for (i = 0; i < n; i++) {
        int c;
        const char *name = fields ? fields[i].p : names[i];
        size_t len = fields ? fields[i].n : lens[i];
        m->names[i] = malloc(len + 1);
        if (!m->names[i]) {
            snprintf(err, errlen, _("out of memory"));
            return -1;
        }
        memcpy(m->names[i], name, len);
        m->names[i][len] = '\0';
        c = schema_lookup(m->names[i]);
        m->canon[i] = c;
        if (c >= 0) {
            if (m->pos[c] >= 0) {
                snprintf(err, errlen, _("column %s appears twice in the header (columns %d and %zu)"),
                         schema_columns[c].name, m->pos[c] + 1, i + 1);
                return -1;
            }
            m->pos[c] = (int)i;
        }
    }
    for (i = 0; i < n; i++) {
        size_t j;
        if (m->canon[i] >= 0 || m->names[i][0] == '\0') continue;
        for (j = 0; j < i; j++) {
            if (m->canon[j] < 0 && !strcmp(m->names[i], m->names[j])) {
                /* never the cell itself: in a headerless file or after a wrong
                 * skip_rows the "header" is a row of personal data */
                snprintf(err, errlen, _("header columns %zu and %zu have the same name"), j + 1, i + 1);
                return -1;
            }
        }
    }
    return 0;
}

int schema_map_header(schema_map *m, const char *const *names, const size_t *lens,
                      size_t n, char *err, size_t errlen)
{
    return map_names(m, names, lens, NULL, n, err, errlen);
}

int schema_map_fields(schema_map *m, const csv_field *fields, size_t n, char *err, size_t errlen)
{
    return map_names(m, NULL, NULL, fields, n, err, errlen);
}

void schema_map_free(schema_map *m)
{
    size_t i;
    if (m->names)
        for (i = 0; i < m->ncols; i++) free(m->names[i]);
    free(m->names);
    free(m->canon);
    memset(m, 0, sizeof *m);
}

int schema_find(const schema_map *m, const char *name)
{
    int c = schema_lookup(name);
    size_t i;
    if (c >= 0) return m->pos[c];
    for (i = 0; i < m->ncols; i++)
        if (!strcmp(m->names[i], name)) return (int)i;
    return -1;
}
