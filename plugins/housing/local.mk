# The housing stage.
# Written by tools/plugin_mk (one template for every stage): change it there.
plugins_LTLIBRARIES += plugins/housing/housing.la
plugins_housing_housing_la_SOURCES = plugins/housing/housing.c
plugins_housing_housing_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_housing_housing_la_CPPFLAGS = $(PLUGIN_CPPFLAGS)
# Its unit test (cmocka), beside it through the stage test host
# (tests/unit/stage_harness.c); the flags are in tests/local.mk.
if HAVE_CMOCKA
check_PROGRAMS += plugins/housing/test_housing
TESTS += plugins/housing/test_housing
plugins_housing_test_housing_SOURCES = plugins/housing/test_housing.c $(STAGE_HARNESS)
plugins_housing_test_housing_CPPFLAGS = $(PLUGIN_TEST_CPPFLAGS)
plugins_housing_test_housing_CFLAGS = $(UNITTEST_FLAGS)
plugins_housing_test_housing_LDADD = $(UNITTEST_LIBS)
endif
