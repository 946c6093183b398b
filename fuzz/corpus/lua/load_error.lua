error("load time\nsecond line")
