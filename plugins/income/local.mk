# The income stage (standard §3.1).
# Written by tools/plugin_mk (one template for every stage): change it there.
plugins_LTLIBRARIES += plugins/income/income.la
plugins_income_income_la_SOURCES = plugins/income/income.c
plugins_income_income_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_income_income_la_CPPFLAGS = $(PLUGIN_CPPFLAGS)
# Its unit test (cmocka), beside it; the flags are in tests/local.mk.
if HAVE_CMOCKA
check_PROGRAMS += plugins/income/test_income
TESTS += plugins/income/test_income
plugins_income_test_income_SOURCES = plugins/income/test_income.c
plugins_income_test_income_CPPFLAGS = $(PLUGIN_TEST_CPPFLAGS)
plugins_income_test_income_CFLAGS = $(UNITTEST_FLAGS)
plugins_income_test_income_LDADD = $(UNITTEST_LIBS)
endif
