skip_rows = -3
