-- assess.sqlite.sql — the poverty-exit checks of standard §3–§4 in SQLite's SQL.
-- Run by sqlite.sh, which imports the CSV into the table `raw` (sqlite3's
-- .import --csv: every column TEXT, blank fields '') and creates the one-row
-- table `params` (ay, am, ad: the as-of date; line_cents; age_min, age_max).
--
-- Exact: money is turned into integer cents by string operations, never a
-- float (SQLite has no decimal type). SQLite has no regular expressions, so
-- the value forms are checked with GLOB. lower() folds ASCII letters only.
-- Identity warnings do not change an assessment, so identity is not checked.
-- Households are grouped by household_id (the generated data has no split or
-- otherwise rejected blocks). Prints "assessment count" lines.

WITH
-- persons: trimmed, birth date split into y, m, d (§1 date forms)
p1 AS (
    SELECT trim(household_id, ' ' || char(9)) AS hid,
           trim(birth_date, ' ' || char(9)) AS bd,
           trim(person_id, ' ' || char(9)) AS pid,
           lower(trim(school_status, ' ' || char(9))) AS school,
           lower(trim(medical_insured, ' ' || char(9))) AS insured,
           status, wage_income, operating_income, operating_cost, property_income,
           transfer_income, food_clothing_secure, housing_rating, housing_fixed, water_safe
    FROM raw
),
p2 AS (
    SELECT *,
           CASE
             WHEN bd GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN 1
             WHEN bd GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' THEN 4
             WHEN bd GLOB '[0-9][0-9][0-9][0-9]/[0-9]/[0-9]'
               OR bd GLOB '[0-9][0-9][0-9][0-9]/[0-9]/[0-9][0-9]'
               OR bd GLOB '[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9]'
               OR bd GLOB '[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]'
               THEN 2
             WHEN bd <> '' THEN 0          -- present but not a date: no fall-back
             -- blank: the date in a valid resident ID (§2; GB 11643 MOD 11-2)
             WHEN pid GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9Xx]'
              AND substr('10X98765432',
                         (substr(pid, 1, 1) * 7 + substr(pid, 2, 1) * 9 + substr(pid, 3, 1) * 10
                          + substr(pid, 4, 1) * 5 + substr(pid, 5, 1) * 8 + substr(pid, 6, 1) * 4
                          + substr(pid, 7, 1) * 2 + substr(pid, 8, 1) * 1 + substr(pid, 9, 1) * 6
                          + substr(pid, 10, 1) * 3 + substr(pid, 11, 1) * 7 + substr(pid, 12, 1) * 9
                          + substr(pid, 13, 1) * 10 + substr(pid, 14, 1) * 5 + substr(pid, 15, 1) * 8
                          + substr(pid, 16, 1) * 4 + substr(pid, 17, 1) * 2) % 11 + 1, 1)
                  = upper(substr(pid, 18, 1))
               THEN 3
             ELSE 0
           END AS form
    FROM p1
),
p3 AS (
    SELECT hid, school, insured,
           status, wage_income, operating_income, operating_cost, property_income,
           transfer_income, food_clothing_secure, housing_rating, housing_fixed, water_safe,
           CASE form WHEN 1 THEN CAST(substr(bd, 1, 4) AS INTEGER)
                     WHEN 2 THEN CAST(substr(bd, 1, 4) AS INTEGER)
                     WHEN 4 THEN CAST(substr(bd, 1, 4) AS INTEGER)
                     WHEN 3 THEN CAST(substr(pid, 7, 4) AS INTEGER) END AS y,
           CASE form WHEN 1 THEN CAST(substr(bd, 6, 2) AS INTEGER)
                     WHEN 4 THEN CAST(substr(bd, 5, 2) AS INTEGER)
                     WHEN 2 THEN CAST(substr(bd, 6, instr(substr(bd, 6), '/') - 1) AS INTEGER)
                     WHEN 3 THEN CAST(substr(pid, 11, 2) AS INTEGER) END AS m,
           CASE form WHEN 1 THEN CAST(substr(bd, 9, 2) AS INTEGER)
                     WHEN 4 THEN CAST(substr(bd, 7, 2) AS INTEGER)
                     WHEN 2 THEN CAST(substr(bd, 6 + instr(substr(bd, 6), '/')) AS INTEGER)
                     WHEN 3 THEN CAST(substr(pid, 13, 2) AS INTEGER) END AS d
    FROM p2
),
-- one row per household: member count, any member failing, and the
-- household-level columns (equal on every row of a sound block; take one)
hh AS (
    SELECT hid,
           count(*) AS n,
           max(
               insured NOT IN ('yes', 'y', 'true', '1', '是')            -- medical §3.4
               OR y IS NULL                                              -- age unknown §3.3
               OR NOT (y >= 1 AND m BETWEEN 1 AND 12 AND d >= 1 AND
                       d <= CASE WHEN m = 2
                                 THEN 28 + ((y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0)
                                 ELSE 30 + (m + m / 8) % 2 END)
               OR ((ay - y - (am < m OR (am = m AND ad < d))) BETWEEN age_min AND age_max
                   AND school NOT IN ('preschool', '学前教育', 'primary', '小学', 'junior', '初中',
                                      'senior', '高中', 'vocational', '中职', '技工',
                                      'college', '大专', '本科', 'home_schooling', '送教上门',
                                      'exempt', '免学'))                 -- education §3.3
           ) AS person_fail,
           lower(trim(min(status), ' ' || char(9))) AS status,
           lower(trim(min(food_clothing_secure), ' ' || char(9))) AS food,
           lower(trim(min(housing_rating), ' ' || char(9))) AS rating,
           lower(trim(min(housing_fixed), ' ' || char(9))) AS fixed,
           lower(trim(min(water_safe), ' ' || char(9))) AS water,
           trim(min(wage_income), ' ' || char(9)) AS c1,
           trim(min(operating_income), ' ' || char(9)) AS c2,
           trim(min(operating_cost), ' ' || char(9)) AS c3,
           trim(min(property_income), ' ' || char(9)) AS c4,
           trim(min(transfer_income), ' ' || char(9)) AS c5
    FROM p3, params
    GROUP BY hid
),
-- income components, one row each (k = 1..5; k = 3 is the cost)
comp AS (
    SELECT hid, k,
           CASE k WHEN 1 THEN c1 WHEN 2 THEN c2 WHEN 3 THEN c3 WHEN 4 THEN c4 ELSE c5 END AS x
    FROM hh, (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
              UNION ALL SELECT 5)
),
comp2 AS (
    SELECT hid, k, x,
           CASE WHEN substr(x, 1, 1) = '-' THEN substr(x, 2) ELSE x END AS u
    FROM comp
),
-- money (§1): -?[0-9]+(\.[0-9]{1,2})? ; cents from the digits
comp3 AS (
    SELECT hid, k, x,
           x = '' OR (u <> '' AND (
               u NOT GLOB '*[^0-9]*'
               OR (u GLOB '*[0-9].[0-9]' AND substr(u, 1, length(u) - 2) NOT GLOB '*[^0-9]*')
               OR (u GLOB '*[0-9].[0-9][0-9]' AND substr(u, 1, length(u) - 3) NOT GLOB '*[^0-9]*')))
             AS ok,
           CASE WHEN instr(u, '.') = 0 THEN u || '00'
                WHEN length(u) - instr(u, '.') = 1 THEN replace(u, '.', '') || '0'
                ELSE replace(u, '.', '') END AS digits
    FROM comp2
),
income AS (
    SELECT hid,
           -- a bad component, or a negative one (-0 is zero)
           max(NOT ok OR (substr(x, 1, 1) = '-' AND CAST(digits AS INTEGER) <> 0)) AS income_bad,
           sum(CASE WHEN x = '' OR NOT ok THEN 0
                    WHEN k = 3 THEN -CAST(digits AS INTEGER)
                    ELSE CAST(digits AS INTEGER) END) AS net
    FROM comp3
    GROUP BY hid
),
verdicts AS (
    SELECT hh.status, income.income_bad,
           NOT income.income_bad AND income.net < params.line_cents * hh.n AS below,
           income.income_bad
           OR (NOT income.income_bad AND income.net < params.line_cents * hh.n)   -- §3.1
           OR food NOT IN ('yes', 'y', 'true', '1', '是')                         -- §3.2
           OR water NOT IN ('yes', 'y', 'true', '1', '是')                        -- §3.6
           OR NOT (rating IN ('a', 'b', 'c', 'd', 'a级', 'b级', 'c级', 'd级'))     -- §3.5
           OR (substr(rating, 1, 1) IN ('c', 'd')
               AND fixed NOT IN ('yes', 'y', 'true', '1', '是'))
           OR person_fail AS failed
    FROM hh JOIN income USING (hid), params
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
