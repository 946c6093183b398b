return { name = "x", check = function(hh) for i = 1, 10000 do hh:warn("W", ("x<script>"):rep(199)) end end }
