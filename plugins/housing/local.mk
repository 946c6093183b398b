# The housing stage.
plugins_LTLIBRARIES += plugins/housing/housing.la
plugins_housing_housing_la_SOURCES = plugins/housing/housing.c
plugins_housing_housing_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_housing_housing_la_CPPFLAGS = $(PLUGIN_CPPFLAGS)
