# The food_clothing stage.
# Written by tools/plugin_mk (one template for every stage): change it there.
plugins_LTLIBRARIES += plugins/food_clothing/food_clothing.la
plugins_food_clothing_food_clothing_la_SOURCES = plugins/food_clothing/food_clothing.c
plugins_food_clothing_food_clothing_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_food_clothing_food_clothing_la_CPPFLAGS = $(PLUGIN_CPPFLAGS)
# Its unit test (cmocka), beside it through the stage test host
# (tests/unit/stage_harness.c); the flags are in tests/local.mk.
if HAVE_CMOCKA
check_PROGRAMS += plugins/food_clothing/test_food_clothing
TESTS += plugins/food_clothing/test_food_clothing
plugins_food_clothing_test_food_clothing_SOURCES = plugins/food_clothing/test_food_clothing.c $(STAGE_HARNESS)
plugins_food_clothing_test_food_clothing_CPPFLAGS = $(PLUGIN_TEST_CPPFLAGS)
plugins_food_clothing_test_food_clothing_CFLAGS = $(UNITTEST_FLAGS)
plugins_food_clothing_test_food_clothing_LDADD = $(UNITTEST_LIBS)
endif
