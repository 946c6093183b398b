# The rosters stage (standard §8.2): the registry against the department rosters.
# Written by tools/plugin_mk (one template for every stage): change it there.
plugins_LTLIBRARIES += plugins/rosters/rosters.la
plugins_rosters_rosters_la_SOURCES = plugins/rosters/rosters.c
plugins_rosters_rosters_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_rosters_rosters_la_CPPFLAGS = $(PLUGIN_CPPFLAGS)
# Its unit test (cmocka), beside it through the stage test host
# (tests/unit/stage_harness.c); the flags are in tests/local.mk.
if HAVE_CMOCKA
check_PROGRAMS += plugins/rosters/test_rosters
TESTS += plugins/rosters/test_rosters
plugins_rosters_test_rosters_SOURCES = plugins/rosters/test_rosters.c $(STAGE_HARNESS)
plugins_rosters_test_rosters_CPPFLAGS = $(PLUGIN_TEST_CPPFLAGS)
plugins_rosters_test_rosters_CFLAGS = $(UNITTEST_FLAGS)
plugins_rosters_test_rosters_LDADD = $(UNITTEST_LIBS)
endif
