# The identity stage; its sets of the IDs seen are the host's (tp_host's set functions).
# Written by tools/plugin_mk (one template for every stage): change it there.
plugins_LTLIBRARIES += plugins/identity/identity.la
plugins_identity_identity_la_SOURCES = plugins/identity/identity.c
plugins_identity_identity_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_identity_identity_la_CPPFLAGS = $(PLUGIN_CPPFLAGS)
# Its unit test (cmocka), beside it through the stage test host
# (tests/unit/stage_harness.c); the flags are in tests/local.mk.
if HAVE_CMOCKA
check_PROGRAMS += plugins/identity/test_identity
TESTS += plugins/identity/test_identity
plugins_identity_test_identity_SOURCES = plugins/identity/test_identity.c $(STAGE_HARNESS)
plugins_identity_test_identity_CPPFLAGS = $(PLUGIN_TEST_CPPFLAGS)
plugins_identity_test_identity_CFLAGS = $(UNITTEST_FLAGS)
plugins_identity_test_identity_LDADD = $(UNITTEST_LIBS)
endif
