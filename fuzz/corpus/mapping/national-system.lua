-- national-system.lua — the usual export layout of the national poverty-
-- alleviation information system (全国扶贫开发信息系统, the 建档立卡 registry)
-- and of the monitoring system that followed it, mapped onto the standard's
-- canonical columns and values.  Use it with
--
--     input { path = "export.csv", encoding = "gb18030", mapping = "national-system" }
--
-- or `tuopin inspect export.csv --mapping national-system` first.
--
-- How it works (docs/inputs.md has the full format):
--   * skip_rows = "auto" drops title lines above the header: the header is the
--     first record with two column names the standard or this file knows.
--   * columns: for each canonical column, the system's names for it, in order
--     of preference.  A column already named as the standard names it (in
--     English or in Chinese: 户编号, 户类型, 证件号码, 在校生状况 …) always
--     wins, so those names need no entry here.
--   * values: the system's spellings that the standard does not already
--     accept.  Values the standard accepts as they are (是/否, 已脱贫, 未脱贫,
--     脱贫户, 贫困户, 一般户, 户主, A级…D级, 学前教育, 小学, 初中, 高中, 中职,
--     大专, 本科, 辍学, 非在校生 …) need no entry.  A value not listed passes
--     unchanged and the standard judges it (BAD_VALUE, BAD_STATUS).
--
-- Where each entry was seen.  No official specification of the export is
-- public, so the names come from public code written against the system or
-- its exports; each entry says which, and "assumed" where none was found.
--   [S1] xiaoxinllleee/idap-service, bms-server/src/main/java/org/cmms/modules/
--        report/sgtzgl/ytprkmd/entity/SgtzglYtprkmd.java: the Excel columns of
--        a 已脱贫人口名单 export (户编号, 人编号, 姓名, 证件号码, 人数, 与户主关系,
--        在校生状况, 是否参加大病保险, 危房户, 是否解决安全饮用水, 人均纯收入, 户类型 …).
--   [S2] TaoziSir/povertyinformation, src/main/java/org/poverty/
--        povertyinformation/pobj/Bookbuilding.java: a 建档立卡 list (户编号,
--        人编号, 与户主关系, 在校生状况, 参加大病医疗, 脱贫属性, 贫困户属性, 致贫原因1).
--   [S3] tianyarenzai/fengxinzi, src/main/java/com/sysh/entity/AC01Part.java:
--        the system's household table AC01 (aac001 贫困户编号, aac006 贫困户属性,
--        aar010 脱贫标志).
--   [S4] wallellen/govybh, WebRoot/WEB-INF/page/report/printFamily.jsp: a
--        Jiangsu 样本户 sheet with 县码, 村码, 户码.
--   [S5] A Selenium script that fills in the system's web client
--        (cpadisc4.cpad.gov.cn), with each field's label and form id: aac091
--        是否解决安全饮用水, aab009 在校生状况, aab013 是否参加城乡居民基本医疗保险,
--        aab006 与户主关系, 危房户, 危房级别, 工资性收入, 生产经营性收入, 生产经营性支出 …
--        (public code; its repository was not identified).
--   [S6] A query-builder script over the system's person table AB01 that lists
--        the code values: AB01_AAB009 在校生状况 01 非在校生, 02 学前教育, 03 小学,
--        04 七年级, 05 八年级, 06 九年级, 07-09 高中一/二/三年级, 10-12 中职一/二/
--        三年级, 13-15 高职一/二/三年级, 16 大专及以上; AB01_AAB006 与户主关系 01
--        本人或户主, 02 配偶, 03 之子 …; AB01_AAB013 是否参加新型合作医疗 0 未参加,
--        1 参加 (public code; repository not identified).
--   [S7] A MySQL schema of a 2023 防返贫 household survey (tables pcs2309_*)
--        whose column comments name the fields: 工资性收入(元), 生产经营性收入(元),
--        财产性收入(元), 转移性收入(元), 生产经营性支出(元), 家庭人均纯收入(元),
--        户类型, 在校生情况, 是否参加城乡居民基本医疗保险, 是否参加居民医疗保险
--        (public code; repository not identified).
--   [S8] Data-check scripts run over exports, reading the columns 户编号, 户类型
--        (== '脱贫户'), 是否解决安全饮用水, 是否危房户, 是否参加城乡居民基本医疗保险 with
--        the values 是/否 (public code; repository not identified).
--   [S9] A Java entity mirroring the system's 贫困户 list (h_poor_household:
--        户编号, 人编号, 证件号码, 与户主关系, 在校生状况, 参加大病医疗, 脱贫属性,
--        贫困户属性, 危房户, 饮水安全, 人均纯收入) (public code; repository not
--        identified).
--   [S10] Filter lists of apps built on the registry: 脱贫情况 未脱贫 / 已脱贫 /
--        预脱贫 / 返贫 / 注销; 脱贫状态 已脱贫享受政策 / 已脱贫未享受政策 / 未脱贫 /
--        返贫 / 预脱贫 (public code; repositories not identified).
--   [S11] A DTO of the system's production-conditions table (aac312 饮水是否安全,
--        aac318 是否危房户, aac322 危房级别) and a page showing 危房级别 "A级"
--        (public code; repositories not identified).
--
-- Not mapped on purpose:
--   * 是否参加大病保险 / 参加大病医疗 [S1, S2, S9]: serious-illness insurance, a
--     different scheme from basic medical insurance (§3.4).
--   * 是否参加城镇职工基本医疗保险: members insured as employees rather than as
--     residents appear in a second column in the monitoring exports [S8]; the
--     mapping can give medical_insured only one column, the residents' one.  A
--     province that counts either should combine them in a rule script.
--   * 危房户 / 是否危房户 [S1, S11]: a yes/no "dilapidated house" flag, not the A-D
--     rating; the rating comes from 危房级别.  Exports that leave 危房级别 blank
--     for safe houses give MISSING_VALUE in the housing stage: fill in A or B.
--   * 注销 (deregistered) in the status column [S10]: not an assessable
--     household; it is rejected with BAD_STATUS.
--   * The exports name the county, town and village (县(市、区、旗), 乡(镇),
--     行政村 [S1]) rather than the 12-digit 行政区划代码 that region_code needs;
--     add that column (a lookup from village to code) before a run.

skip_rows = "auto"

columns = {
  household_id = {
    "户码",                    -- [S4]
    "贫困户编号",              -- [S3] (aac001)
  },
  region_code = {
    "行政区划编码",            -- assumed
    "区划代码",                -- assumed
    "村代码",                  -- assumed ([S4] has 村码 on a printed sheet)
    "村码",                    -- [S4]
  },
  status = {
    "脱贫属性",                -- [S2] [S9]; 户类型, the standard's own name, wins when both are there [S1] [S7] [S8]
    "户脱贫属性",              -- assumed (a variant label of 脱贫属性)
    "脱贫标志",                -- [S3] (aar010)
  },
  wage_income = {
    "工资性收入(元)",          -- [S7]; 工资性收入 [S5] is the standard's own name
    "工资性收入（元）",        -- assumed (full-width brackets, as Excel titles often have)
  },
  operating_income = {
    "生产经营性收入(元)",      -- [S7]
    "生产经营性收入（元）",    -- assumed
  },
  operating_cost = {
    "生产经营性支出(元)",      -- [S7]
    "生产经营性支出（元）",    -- assumed
  },
  property_income = {
    "财产性收入(元)",          -- [S7]
    "财产性收入（元）",        -- assumed
  },
  transfer_income = {
    "转移性收入(元)",          -- [S7]
    "转移性收入（元）",        -- assumed
  },
  declared_income_pc = {
    "家庭人均纯收入(元)",      -- [S7]; 人均纯收入 [S1] [S9] is the standard's own name
    "家庭人均纯收入（元）",    -- assumed
    "家庭人均纯收入",          -- assumed
  },
  food_clothing_secure = {
    "是否实现不愁吃不愁穿",    -- assumed
    "不愁吃不愁穿",            -- assumed
  },
  housing_rating = {
    "危房级别",                -- [S5] [S11]
    "住房安全等级鉴定",        -- assumed
  },
  housing_fixed = {
    "是否完成危房改造",        -- assumed
    "危房是否已改造",          -- assumed
  },
  water_safe = {
    "是否解决安全饮用水",      -- [S1] [S5] [S8]
    "饮水是否安全",            -- [S11] (aac312)
  },
  satisfied = {
    "是否认可脱贫结果",        -- assumed
  },
  person_id = {
    "身份证号码",              -- assumed
    "身份证号",                -- assumed
  },
  school_status = {
    "在校生情况",              -- [S7]; 在校生状况 [S1] [S2] [S5] [S6] is the standard's own name
  },
  medical_insured = {
    "是否参加城乡居民基本医疗保险",  -- [S5] [S7] [S8]
    "是否参加居民医疗保险",          -- [S7]
    "是否参加新型合作医疗",          -- [S6] (AB01_AAB013, before the merger into 城乡居民医保)
  },
}

values = {
  status = {
    ["返贫"] = "poor",              -- [S10]: back in poverty, registered poor again
    ["预脱贫"] = "poor",            -- [S10]: marked to exit this year, not yet exited; a pass gives can_exit
    ["已脱贫享受政策"] = "exited",  -- [S10]
    ["已脱贫未享受政策"] = "exited",-- [S10]
    ["稳定脱贫"] = "exited",        -- assumed
    ["一般农户"] = "general",       -- assumed (the monitoring system's name for unregistered households)
  },
  relation = {
    ["本人或户主"] = "head",        -- [S6] (code 01)
  },
  school_status = {
    ["七年级"] = "junior",          -- [S6] (04)
    ["八年级"] = "junior",          -- [S6] (05)
    ["九年级"] = "junior",          -- [S6] (06)
    ["高中一年级"] = "senior",      -- [S6] (07)
    ["高中二年级"] = "senior",      -- [S6] (08)
    ["高中三年级"] = "senior",      -- [S6] (09)
    ["中职一年级"] = "vocational",  -- [S6] (10)
    ["中职二年级"] = "vocational",  -- [S6] (11)
    ["中职三年级"] = "vocational",  -- [S6] (12)
    ["高职一年级"] = "college",     -- [S6] (13): higher vocational college (大专 level)
    ["高职二年级"] = "college",     -- [S6] (14)
    ["高职三年级"] = "college",     -- [S6] (15)
    ["大专及以上"] = "college",     -- [S6] (16)
  },
  medical_insured = {
    ["参加"] = "yes",               -- [S6] (AB01_AAB013 = 1)
    ["未参加"] = "no",              -- [S6] (AB01_AAB013 = 0)
  },
}
