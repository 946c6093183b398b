-- The national exit standard: the seven stages of standard §3, in order.
-- Installed with tuopin ($(pkgdatadir)/pipelines), so that it runs by name:
--   tuopin run national --input QUARTER.csv --quarter 2020Q4 --out DIR
-- The line is the national line of the quarter's year (data/national-lines.csv).
-- 国家脱贫标准：按标准第 3 节顺序的七个检查环节，随 tuopin 安装，可按名称运行：
--   tuopin run national --input 季度数据.csv --quarter 2020Q4 --out 输出目录
stage "identity"
stage "income"
stage "food_clothing"
stage "education"
stage "medical"
stage "housing"
stage "water"
