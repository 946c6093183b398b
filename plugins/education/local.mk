# The education stage.
# Written by tools/plugin_mk (one template for every stage): change it there.
plugins_LTLIBRARIES += plugins/education/education.la
plugins_education_education_la_SOURCES = plugins/education/education.c
plugins_education_education_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_education_education_la_CPPFLAGS = $(PLUGIN_CPPFLAGS)
# Its unit test (cmocka), beside it through the stage test host
# (tests/unit/stage_harness.c); the flags are in tests/local.mk.
if HAVE_CMOCKA
check_PROGRAMS += plugins/education/test_education
TESTS += plugins/education/test_education
plugins_education_test_education_SOURCES = plugins/education/test_education.c $(STAGE_HARNESS)
plugins_education_test_education_CPPFLAGS = $(PLUGIN_TEST_CPPFLAGS)
plugins_education_test_education_CFLAGS = $(UNITTEST_FLAGS)
plugins_education_test_education_LDADD = $(UNITTEST_LIBS)
endif
