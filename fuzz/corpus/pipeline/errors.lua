quarter "2020Q4"
local t = {}
for i = 1, 10 do t[i] = i end
params { [1] = 2 }
error("line one\nline two")
