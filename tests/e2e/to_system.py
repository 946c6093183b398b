#!/usr/bin/env python3
"""to_system.py CSV OUT — the same quarter as the national information
system exports it (data/mappings/national-system.lua): a title line above
the header, the system's column names, its value spellings, CRLF line
breaks, GB18030.  Only the canonical lower-case spellings are rewritten,
each to one system spelling, so the meaning of every value is kept."""
import csv
import io
import sys

COLUMNS = {
    "household_id": "户编号",
    "region_code": "区划代码",
    "status": "脱贫属性",
    "wage_income": "工资性收入(元)",
    "operating_income": "生产经营性收入（元）",
    "operating_cost": "生产经营性支出(元)",
    "property_income": "财产性收入(元)",
    "transfer_income": "转移性收入(元)",
    "declared_income_pc": "家庭人均纯收入(元)",
    "food_clothing_secure": "是否实现不愁吃不愁穿",
    "housing_rating": "危房级别",
    "housing_fixed": "是否完成危房改造",
    "water_safe": "是否解决安全饮用水",
    "satisfied": "群众认可",
    "person_id": "证件号码",
    "name": "姓名",
    "relation": "与户主关系",
    "birth_date": "出生日期",
    "school_status": "在校生状况",
    "medical_insured": "是否参加城乡居民基本医疗保险",
}
YESNO = {"yes": "是", "no": "否"}
VALUES = {
    "status": {"poor": "未脱贫", "exited": "已脱贫享受政策", "general": "一般农户"},
    "relation": {"head": "本人或户主"},
    "housing_rating": {"A": "A级", "B": "B级", "C": "C级", "D": "D级"},
    "medical_insured": {"yes": "参加", "no": "未参加"},
    "food_clothing_secure": YESNO,
    "housing_fixed": YESNO,
    "water_safe": YESNO,
    "satisfied": YESNO,
}
SCHOOL = {"preschool": ["学前教育"], "primary": ["小学"],
          "junior": ["七年级", "八年级", "九年级"],
          "senior": ["高中一年级", "高中二年级", "高中三年级"],
          "vocational": ["中职一年级", "中职三年级"],
          "college": ["高职二年级", "大专及以上"],
          "not_in_school": ["非在校生"], "dropout": ["辍学"], "not_enrolled": ["未入学"]}


def main():
    src, dst = sys.argv[1], sys.argv[2]
    rows = list(csv.reader(open(src, encoding="utf-8-sig", newline="")))
    header, rows = rows[0], rows[1:]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["2020年第四季度建档立卡人口信息（导出）"] + [""] * (len(header) - 1))
    w.writerow([COLUMNS.get(h, h) for h in header])
    for n, row in enumerate(rows):
        out = []
        for h, v in zip(header, row):
            if h == "school_status" and v in SCHOOL:
                choices = SCHOOL[v]
                v = choices[n % len(choices)]
            elif h in VALUES:
                v = VALUES[h].get(v, v)
            out.append(v)
        w.writerow(out)
    open(dst, "wb").write(buf.getvalue().encode("gb18030"))


main()
