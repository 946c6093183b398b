return { name = "e", check = function(hh) error("a\nb") end }
