columns = { status = function() end }
