# Fuzz harnesses (issue 9, docs/safety.md): the CSV reader with the block
# path, record sources (CSV or JSON Lines, UTF-8 or GB18030, mapped),
# pipeline files, mapping files, and the Lua household API (rule scripts as stages).  With
# gcc they are built for `make check` with a plain driver (fuzz/driver.c)
# and replay their corpus (fuzz/replay.sh); with
# `configure --enable-fuzz` (clang) they are libFuzzer binaries.  `make fuzz`
# runs each for FUZZ_SECONDS under libFuzzer (fuzz/run).
FUZZ_SECONDS = 60
FUZZ_HARNESSES = fuzz/fuzz_csv fuzz/fuzz_pipeline fuzz/fuzz_lua fuzz/fuzz_source fuzz/fuzz_mapping fuzz/fuzz_html
check_PROGRAMS += $(FUZZ_HARNESSES)
fuzz_fuzz_csv_SOURCES = fuzz/fuzz_csv.c
fuzz_fuzz_csv_CFLAGS = $(AM_CFLAGS) $(LUA_CFLAGS)
fuzz_fuzz_csv_LDADD = core/libtuopincore.la
fuzz_fuzz_pipeline_SOURCES = fuzz/fuzz_pipeline.c
fuzz_fuzz_pipeline_CFLAGS = $(AM_CFLAGS) $(LUA_CFLAGS)
fuzz_fuzz_pipeline_LDADD = core/libtuopincore.la
fuzz_fuzz_lua_SOURCES = fuzz/fuzz_lua.c
fuzz_fuzz_lua_CFLAGS = $(AM_CFLAGS) $(LUA_CFLAGS)
fuzz_fuzz_lua_LDADD = core/libtuopincore.la
fuzz_fuzz_source_SOURCES = fuzz/fuzz_source.c
fuzz_fuzz_source_CFLAGS = $(AM_CFLAGS) $(LUA_CFLAGS)
fuzz_fuzz_source_LDADD = core/libtuopincore.la
fuzz_fuzz_mapping_SOURCES = fuzz/fuzz_mapping.c
fuzz_fuzz_mapping_CFLAGS = $(AM_CFLAGS) $(LUA_CFLAGS)
fuzz_fuzz_mapping_LDADD = core/libtuopincore.la
fuzz_fuzz_html_SOURCES = fuzz/fuzz_html.c
fuzz_fuzz_html_CFLAGS = $(AM_CFLAGS) $(LUA_CFLAGS)
fuzz_fuzz_html_LDADD = core/libtuopincore.la
if ENABLE_FUZZ
fuzz_fuzz_source_LDFLAGS = $(FUZZ_LDFLAGS)
fuzz_fuzz_csv_LDFLAGS = $(FUZZ_LDFLAGS)
fuzz_fuzz_pipeline_LDFLAGS = $(FUZZ_LDFLAGS)
fuzz_fuzz_lua_LDFLAGS = $(FUZZ_LDFLAGS)
fuzz_fuzz_mapping_LDFLAGS = $(FUZZ_LDFLAGS)
fuzz_fuzz_html_LDFLAGS = $(FUZZ_LDFLAGS)
else
fuzz_fuzz_csv_SOURCES += fuzz/driver.c
fuzz_fuzz_pipeline_SOURCES += fuzz/driver.c
fuzz_fuzz_lua_SOURCES += fuzz/driver.c
fuzz_fuzz_source_SOURCES += fuzz/driver.c
fuzz_fuzz_mapping_SOURCES += fuzz/driver.c
fuzz_fuzz_html_SOURCES += fuzz/driver.c
endif
TESTS += fuzz/replay.sh
EXTRA_DIST += fuzz/replay.sh fuzz/run fuzz/driver.c fuzz/csv.dict fuzz/pipeline.dict fuzz/lua.dict \
	fuzz/source.dict fuzz/mapping.dict fuzz/html.dict \
	fuzz/corpus fuzz/regressions
CLEANFILES += fuzz/replay-csv.log fuzz/replay-pipeline.log fuzz/replay-lua.log \
	fuzz/replay-source.log fuzz/replay-mapping.log fuzz/replay-html.log

fuzz:
	@FUZZ_SECONDS='$(FUZZ_SECONDS)' FUZZ_ENABLED='$(FUZZ_ENABLED)' MAKE='$(MAKE)' \
	abs_top_srcdir='$(abs_top_srcdir)' abs_top_builddir='$(abs_top_builddir)' \
	$(SHELL) $(top_srcdir)/fuzz/run
.PHONY: fuzz
