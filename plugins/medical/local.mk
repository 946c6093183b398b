# The medical stage.
plugins_LTLIBRARIES += plugins/medical/medical.la
plugins_medical_medical_la_SOURCES = plugins/medical/medical.c
plugins_medical_medical_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_medical_medical_la_CPPFLAGS = $(PLUGIN_CPPFLAGS)
