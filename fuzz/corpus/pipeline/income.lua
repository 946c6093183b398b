-- The income stage alone, for the structural end-to-end tests: 2020Q3 with
-- the national line of 4000 yuan.  The input and output are given on the
-- command line.
quarter "2020Q3"
params { income_line = 4000 }
stage "income"
