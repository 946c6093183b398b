# The water stage.
plugins_LTLIBRARIES += plugins/water/water.la
plugins_water_water_la_SOURCES = plugins/water/water.c
plugins_water_water_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_water_water_la_CPPFLAGS = $(PLUGIN_CPPFLAGS)
