-- assess.duckdb.sql — the poverty-exit checks of standard §3–§4 as DuckDB SQL.
-- Run by duckdb.mjs, which first creates the one-row table `params`
-- (ay, am, ad: the as-of date; line_cents; age_min, age_max) and replaces
-- {{CSV}} with the input file as an SQL string literal.
--
-- Exact: money is DECIMAL(18,2) (a scaled 64-bit integer) turned into integer
-- cents, never a float.
-- Identity warnings do not change an assessment, so identity is not checked.
-- Households are grouped by household_id (the generated data has no split or
-- otherwise rejected blocks). Prints one row per assessment.

-- Lower case for matching ASCII letters in any case (§1). lower() also folds
-- non-ASCII letters, but the only one that folds into ASCII is the Kelvin sign
-- (to k), and no accepted value has a k: the result is the same as ASCII-only
-- folding, and much faster than translate().
CREATE TEMP MACRO lc(x) AS lower(x);
-- trim ASCII spaces and tabs (§1); a NULL (empty) field is ''
CREATE TEMP MACRO tr(x) AS trim(coalesce(x, ''), ' ' || chr(9));
-- yes/no (§1): 1, 0, or NULL for missing or bad
CREATE TEMP MACRO yn(x) AS CASE WHEN lc(x) IN ('yes', 'y', 'true', '1', '是') THEN 1
                                WHEN lc(x) IN ('no', 'n', 'false', '0', '否') THEN 0 END;
-- an income component is sound: blank, or money (§1) that is not negative (-0 is zero)
CREATE TEMP MACRO comp_ok(x) AS x = '' OR (regexp_full_match(x, '-?[0-9]+(\.[0-9]{1,2})?')
                                           AND (x[1] <> '-' OR TRY_CAST(x AS DECIMAL(18, 2)) = 0));
CREATE TEMP MACRO cents(x) AS CASE WHEN x = '' THEN 0::BIGINT
                                   ELSE CAST(TRY_CAST(x AS DECIMAL(18, 2)) * 100 AS BIGINT) END;
CREATE TEMP MACRO real_date(y, m, d) AS
    y >= 1 AND m BETWEEN 1 AND 12 AND d >= 1 AND
    d <= CASE WHEN m = 2 THEN 28 + CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0
                                        THEN 1 ELSE 0 END
              ELSE 30 + (m + m // 8) % 2 END;
-- digit k (1-based) of s
CREATE TEMP MACRO dg(s, k) AS ascii(substr(s, k, 1)) - 48;

WITH
raw AS (
    SELECT * FROM read_csv({{CSV}}, header = true, all_varchar = true, delim = ',',
                           quote = '"', escape = '"', strict_mode = true, null_padding = false)
),
-- persons: birth date from birth_date, or (when blank) from a valid ID (§2)
p1 AS (
    SELECT tr(household_id) AS hid,
           tr(birth_date) AS bd,
           tr(person_id) AS pid,
           lc(tr(school_status)) AS school,
           yn(tr(medical_insured)) AS insured,
           status, wage_income, operating_income, operating_cost, property_income,
           transfer_income, food_clothing_secure, housing_rating, housing_fixed, water_safe
    FROM raw
),
p2 AS (
    SELECT * EXCLUDE (bd, pid),
           CASE WHEN bd <> '' THEN
                    CASE WHEN regexp_full_match(bd, '[0-9]{4}-[0-9]{2}-[0-9]{2}')
                             THEN [substr(bd, 1, 4), substr(bd, 6, 2), substr(bd, 9, 2)]
                         WHEN regexp_full_match(bd, '[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}')
                             THEN string_split(bd, '/')
                         WHEN regexp_full_match(bd, '[0-9]{8}')
                             THEN [substr(bd, 1, 4), substr(bd, 5, 2), substr(bd, 7, 2)]
                    END
                WHEN regexp_full_match(pid, '[0-9]{17}[0-9Xx]')
                     AND substr('10X98765432',
                                ((dg(pid, 1) * 7 + dg(pid, 2) * 9 + dg(pid, 3) * 10 + dg(pid, 4) * 5
                                  + dg(pid, 5) * 8 + dg(pid, 6) * 4 + dg(pid, 7) * 2 + dg(pid, 8) * 1
                                  + dg(pid, 9) * 6 + dg(pid, 10) * 3 + dg(pid, 11) * 7
                                  + dg(pid, 12) * 9 + dg(pid, 13) * 10 + dg(pid, 14) * 5
                                  + dg(pid, 15) * 8 + dg(pid, 16) * 4 + dg(pid, 17) * 2) % 11) + 1, 1)
                         = upper(substr(pid, 18, 1))
                    THEN [substr(pid, 7, 4), substr(pid, 11, 2), substr(pid, 13, 2)]
           END AS ymd
    FROM p1
),
p3 AS (
    SELECT * EXCLUDE (ymd),
           CAST(ymd[1] AS INTEGER) AS y, CAST(ymd[2] AS INTEGER) AS m, CAST(ymd[3] AS INTEGER) AS d
    FROM p2
),
-- one row per household: member count, any member failing, and the
-- household-level columns (equal on every row of a sound block; take one)
hh AS (
    SELECT hid,
           count(*) AS n,
           bool_or(
               insured IS DISTINCT FROM 1                               -- medical §3.4
               OR y IS NULL OR NOT real_date(y, m, d)                   -- age unknown §3.3
               OR ((ay - y - CASE WHEN am < m OR (am = m AND ad < d) THEN 1 ELSE 0 END)
                       BETWEEN age_min AND age_max
                   AND school NOT IN ('preschool', '学前教育', 'primary', '小学', 'junior', '初中',
                                      'senior', '高中', 'vocational', '中职', '技工',
                                      'college', '大专', '本科', 'home_schooling', '送教上门',
                                      'exempt', '免学'))                 -- education §3.3
           ) AS person_fail,
           lc(tr(any_value(status))) AS status,
           tr(any_value(wage_income)) AS wage, tr(any_value(operating_income)) AS opinc,
           tr(any_value(operating_cost)) AS opcost, tr(any_value(property_income)) AS prop,
           tr(any_value(transfer_income)) AS transfer,
           yn(tr(any_value(food_clothing_secure))) AS food,
           lc(tr(any_value(housing_rating))) AS rating,
           yn(tr(any_value(housing_fixed))) AS fixed,
           yn(tr(any_value(water_safe))) AS water
    FROM p3, params
    GROUP BY hid
),
h2 AS (
    SELECT *,
           NOT (comp_ok(wage) AND comp_ok(opinc) AND comp_ok(opcost) AND comp_ok(prop)
                AND comp_ok(transfer)) AS income_bad
    FROM hh
),
h3 AS (
    SELECT *,
           NOT income_bad
           AND cents(wage) + cents(opinc) - cents(opcost) + cents(prop) + cents(transfer)
               < CAST(line_cents AS BIGINT) * n AS below                    -- income §3.1
    FROM h2, params
),
verdicts AS (
    SELECT status, income_bad, below,
           income_bad OR below
           OR food IS DISTINCT FROM 1                                        -- §3.2
           OR water IS DISTINCT FROM 1                                       -- §3.6
           OR NOT regexp_full_match(rating, '[abcd](级)?')                   -- §3.5
           OR (rating[1] IN ('c', 'd') AND fixed IS DISTINCT FROM 1)
           OR person_fail AS failed
    FROM h3
)
SELECT CASE
         WHEN status IN ('poor', '贫困户', '未脱贫')
             THEN CASE WHEN failed THEN 'remains_poor' ELSE 'can_exit' END
         WHEN status IN ('exited', '已脱贫', '脱贫户')
             THEN CASE WHEN failed THEN 'wrongly_exited' ELSE 'exit_confirmed' END
         WHEN status IN ('general', '一般户', '非贫困户')
             THEN CASE WHEN below THEN 'missed' WHEN income_bad THEN 'unverified'
                       ELSE 'not_poor' END
         ELSE 'BAD_STATUS'
       END AS assessment,
       count(*) AS households
FROM verdicts
GROUP BY assessment
ORDER BY assessment;
