x = string.rep("a", 1e9)
