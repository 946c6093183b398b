# The identity stage; it carries its own copy of the ID set (no host symbols).
plugins_LTLIBRARIES += plugins/identity/identity.la
plugins_identity_identity_la_SOURCES = plugins/identity/identity.c core/base/idset.c core/base/idset.h
plugins_identity_identity_la_LDFLAGS = $(PLUGIN_LDFLAGS)
