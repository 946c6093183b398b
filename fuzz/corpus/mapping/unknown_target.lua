columns = { nosuch = "x" }
