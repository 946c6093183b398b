# The income stage (standard §3.1).
plugins_LTLIBRARIES += plugins/income/income.la
plugins_income_income_la_SOURCES = plugins/income/income.c
plugins_income_income_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_income_income_la_CPPFLAGS = $(PLUGIN_CPPFLAGS)
