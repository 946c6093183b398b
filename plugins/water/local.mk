# The water stage.
# Written by tools/plugin_mk (one template for every stage): change it there.
plugins_LTLIBRARIES += plugins/water/water.la
plugins_water_water_la_SOURCES = plugins/water/water.c
plugins_water_water_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_water_water_la_CPPFLAGS = $(PLUGIN_CPPFLAGS)
# Its unit test (cmocka), beside it through the stage test host
# (tests/unit/stage_harness.c); the flags are in tests/local.mk.
if HAVE_CMOCKA
check_PROGRAMS += plugins/water/test_water
TESTS += plugins/water/test_water
plugins_water_test_water_SOURCES = plugins/water/test_water.c $(STAGE_HARNESS)
plugins_water_test_water_CPPFLAGS = $(PLUGIN_TEST_CPPFLAGS)
plugins_water_test_water_CFLAGS = $(UNITTEST_FLAGS)
plugins_water_test_water_LDADD = $(UNITTEST_LIBS)
endif
