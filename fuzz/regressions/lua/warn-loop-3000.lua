return { name = "x", check = function(hh) while true do hh:warn("W", ("x"):rep(3000)) end end }
