# The identity stage, with its own set of the IDs seen (no host symbols).
plugins_LTLIBRARIES += plugins/identity/identity.la
plugins_identity_identity_la_SOURCES = plugins/identity/identity.c plugins/identity/seen.c \
	plugins/identity/seen.h
plugins_identity_identity_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_identity_identity_la_CPPFLAGS = $(PLUGIN_CPPFLAGS)
