# The medical stage.
# Written by tools/plugin_mk (one template for every stage): change it there.
plugins_LTLIBRARIES += plugins/medical/medical.la
plugins_medical_medical_la_SOURCES = plugins/medical/medical.c
plugins_medical_medical_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_medical_medical_la_CPPFLAGS = $(PLUGIN_CPPFLAGS)
# Its unit test (cmocka), beside it through the stage test host
# (tests/unit/stage_harness.c); the flags are in tests/local.mk.
if HAVE_CMOCKA
check_PROGRAMS += plugins/medical/test_medical
TESTS += plugins/medical/test_medical
plugins_medical_test_medical_SOURCES = plugins/medical/test_medical.c $(STAGE_HARNESS)
plugins_medical_test_medical_CPPFLAGS = $(PLUGIN_TEST_CPPFLAGS)
plugins_medical_test_medical_CFLAGS = $(UNITTEST_FLAGS)
plugins_medical_test_medical_LDADD = $(UNITTEST_LIBS)
endif
