# The rosters stage (standard §8.2): the registry against the department rosters.
plugins_LTLIBRARIES += plugins/rosters/rosters.la
plugins_rosters_rosters_la_SOURCES = plugins/rosters/rosters.c
plugins_rosters_rosters_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_rosters_rosters_la_CPPFLAGS = $(PLUGIN_CPPFLAGS)
