# The education stage.
plugins_LTLIBRARIES += plugins/education/education.la
plugins_education_education_la_SOURCES = plugins/education/education.c
plugins_education_education_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_education_education_la_CPPFLAGS = $(PLUGIN_CPPFLAGS)
