# The food_clothing stage.
plugins_LTLIBRARIES += plugins/food_clothing/food_clothing.la
plugins_food_clothing_food_clothing_la_SOURCES = plugins/food_clothing/food_clothing.c
plugins_food_clothing_food_clothing_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_food_clothing_food_clothing_la_CPPFLAGS = $(PLUGIN_CPPFLAGS)
