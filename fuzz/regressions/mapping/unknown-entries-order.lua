sip_rows = -3
kip_rows = -3
