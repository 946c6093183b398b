# Tests, grouped by the folder of core/ they test, in its layer order
# (base → read → model → lua → input → stages → regions → outputs → run →
# quarters → shard → field → gen → cli; README.md, "Layout"), then the
# faults that cut across them.  cmocka unit tests are in tests/unit, end-to-end
# tests of the built command (shell, tests/e2e/lib.sh) in tests/e2e, fault
# injection in tests/fault.  Each stage plugin's own unit test is beside it,
# in plugins/NAME/test_NAME.c, registered by plugins/NAME/local.mk with the
# flags and the stage test host defined here.
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	abs_top_builddir='$(abs_top_builddir)'; abs_top_srcdir='$(abs_top_srcdir)'; \
	TUOPIN='$(abs_top_builddir)/core/tuopin'; MAKE='$(MAKE)'; CC='$(CC)'; \
	TUOPIN_LANG=en; \
	export abs_top_builddir abs_top_srcdir TUOPIN MAKE CC TUOPIN_LANG;
# Shared by the end-to-end tests of every folder.
EXTRA_DIST += tests/e2e/lib.sh tests/e2e/compare.py tests/e2e/same_run.py

if HAVE_CMOCKA
UNITTEST_FLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LUA_CFLAGS)
UNITTEST_LIBS = core/libtuopincore.la $(CMOCKA_LIBS)
# The test host that runs one stage on CSV text the engine's way
# (tests/unit/stage_harness.c), for the plugins' own tests: their
# CPPFLAGS add tests/unit for its header.
STAGE_HARNESS = tests/unit/stage_harness.c tests/unit/stage_harness.h
# a unit test's temporary folder, made and removed around its tests, with
# files put in and read back (test_engine, test_shard, test_history)
TMPDIR_FIXTURE = tests/unit/tmpdir_fixture.c tests/unit/tmpdir_fixture.h
PLUGIN_TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
endif

# ---- core/base: SHA-256 of the input; direct writes (output.c's streams,
# results.sqlite's VFS) in a folder of the build tree; the "seen before" sets
# of the split check and the identity stage; the resident-ID map.
if HAVE_CMOCKA
BASE_TESTS = tests/unit/test_sha256 tests/unit/test_output tests/unit/test_idset \
	tests/unit/test_pidmap
check_PROGRAMS += $(BASE_TESTS)
TESTS += $(BASE_TESTS)
tests_unit_test_sha256_SOURCES = tests/unit/test_sha256.c
tests_unit_test_sha256_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_sha256_LDADD = $(UNITTEST_LIBS)
tests_unit_test_output_SOURCES = tests/unit/test_output.c
tests_unit_test_output_CFLAGS = $(UNITTEST_FLAGS) $(SQLITE_CFLAGS)
tests_unit_test_output_LDADD = $(UNITTEST_LIBS) $(SQLITE_LIBS)
tests_unit_test_idset_SOURCES = tests/unit/test_idset.c
tests_unit_test_idset_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_idset_LDADD = $(UNITTEST_LIBS)
tests_unit_test_pidmap_SOURCES = tests/unit/test_pidmap.c
tests_unit_test_pidmap_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_pidmap_LDADD = $(UNITTEST_LIBS)
endif

# ---- core/read and core/model: the CSV reader; the .xlsx cell reader's
# pure parts (numbers as stored text, cell references); the value forms; household
# blocks and their structural checks (standard §1); the input limits that
# keep memory bounded (docs/safety.md).  The e2e tests run `tuopin run` on
# small inputs with structural faults, a BOM, CRLF and Chinese, quoted line
# breaks and stray quotes, outputs compared with files written by hand from
# the standard (tests/e2e/expected).
if HAVE_CMOCKA
READ_MODEL_TESTS = tests/unit/test_csv tests/unit/test_xlsx tests/unit/test_values \
	tests/unit/test_block tests/unit/test_limits
check_PROGRAMS += $(READ_MODEL_TESTS)
TESTS += $(READ_MODEL_TESTS)
tests_unit_test_csv_SOURCES = tests/unit/test_csv.c
tests_unit_test_csv_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_csv_LDADD = $(UNITTEST_LIBS)
tests_unit_test_xlsx_SOURCES = tests/unit/test_xlsx.c
tests_unit_test_xlsx_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_xlsx_LDADD = $(UNITTEST_LIBS)
tests_unit_test_values_SOURCES = tests/unit/test_values.c
tests_unit_test_values_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_values_LDADD = $(UNITTEST_LIBS)
tests_unit_test_block_SOURCES = tests/unit/test_block.c
tests_unit_test_block_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_block_LDADD = $(UNITTEST_LIBS)
tests_unit_test_limits_SOURCES = tests/unit/test_limits.c
tests_unit_test_limits_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_limits_LDADD = $(UNITTEST_LIBS)
endif
READ_E2E_TESTS = tests/e2e/structural.sh tests/e2e/bom_crlf_chinese.sh \
	tests/e2e/quoted_breaks.sh tests/e2e/stray_quotes.sh tests/e2e/limits.sh
TESTS += $(READ_E2E_TESTS)
EXTRA_DIST += $(READ_E2E_TESTS) \
	tests/e2e/data/income.lua tests/e2e/data/structural.csv \
	tests/e2e/data/bom_crlf_chinese.csv tests/e2e/data/quoted_breaks.csv \
	tests/e2e/expected/structural tests/e2e/expected/bom_crlf_chinese \
	tests/e2e/expected/quoted_breaks

# ---- core/lua: the sandbox attacked directly (test_sandbox) and Lua-host
# escapes beyond it (Redis CVEs, raw access to the handle, C-side sizes, the
# C stack, host memory).
if HAVE_CMOCKA
LUA_TESTS = tests/unit/test_sandbox tests/unit/test_lua_escapes
check_PROGRAMS += $(LUA_TESTS)
TESTS += $(LUA_TESTS)
tests_unit_test_sandbox_SOURCES = tests/unit/test_sandbox.c
tests_unit_test_sandbox_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_sandbox_LDADD = $(UNITTEST_LIBS)
tests_unit_test_lua_escapes_SOURCES = tests/unit/test_lua_escapes.c
tests_unit_test_lua_escapes_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_lua_escapes_LDADD = $(UNITTEST_LIBS)
endif

# ---- core/input: record sources (GB18030, mapping files, JSON Lines,
# PostgreSQL).  test_source reads through the source at read sizes from one
# byte up; the e2e tests run the same quarter as UTF-8, as the national
# system's GB18030 export (title line, CRLF, its column names and values,
# mapped), as JSON Lines and as a PostgreSQL table (a private server started
# by the test), each giving the same households.csv; inputs_errors.sh gives
# every fault its documented error or reject; inspect.sh checks `tuopin
# inspect`.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_source
TESTS += tests/unit/test_source
tests_unit_test_source_SOURCES = tests/unit/test_source.c
tests_unit_test_source_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_source_LDADD = $(UNITTEST_LIBS)
# docs/columns.md's table is the schema table (issue 17.9)
check_PROGRAMS += tests/unit/test_columns
TESTS += tests/unit/test_columns
tests_unit_test_columns_SOURCES = tests/unit/test_columns.c
tests_unit_test_columns_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_columns_LDADD = $(UNITTEST_LIBS)
endif
INPUT_TESTS = tests/e2e/inputs_gb18030.sh tests/e2e/inputs_jsonl.sh \
	tests/e2e/inputs_postgres.sh tests/e2e/inputs_errors.sh tests/e2e/inspect.sh \
	tests/e2e/clerk_details.sh
TESTS += $(INPUT_TESTS)
EXTRA_DIST += $(INPUT_TESTS) tests/e2e/inputs_lib.sh tests/e2e/to_jsonl.py \
	tests/e2e/to_system.py tests/e2e/data/inputs_quarter.csv tests/e2e/data/inputs.lua \
	tests/e2e/data/clerk_details.csv

# ---- core/stages: the plugin loader against the stage fixtures below,
# deliberately broken plugins; Lua rule scripts as stages through the test
# host of core/stages/testhost.c and `tuopin test` on the shipped scripts
# (test_lua_stage); bench_lua_stage measures the cost per household (built
# by make check, not run).  The e2e tests load an out-of-tree stage and run
# a pipeline of many script stages.  (Each in-tree stage's own test is in
# plugins/NAME/.)
if HAVE_CMOCKA
STAGES_TESTS = tests/unit/test_loader tests/unit/test_broken_plugins tests/unit/test_lua_stage
check_PROGRAMS += $(STAGES_TESTS) tests/unit/bench_lua_stage
TESTS += $(STAGES_TESTS)
# test_loader loads shared objects from the build tree: the fixtures below
# and plugins/income.
tests_unit_test_loader_SOURCES = tests/unit/test_loader.c
tests_unit_test_loader_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_loader_LDADD = $(UNITTEST_LIBS)
tests_unit_test_broken_plugins_SOURCES = tests/unit/test_broken_plugins.c
tests_unit_test_broken_plugins_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_broken_plugins_LDADD = $(UNITTEST_LIBS)
tests_unit_test_lua_stage_SOURCES = tests/unit/test_lua_stage.c
tests_unit_test_lua_stage_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_lua_stage_LDADD = $(UNITTEST_LIBS)
tests_unit_bench_lua_stage_SOURCES = tests/unit/bench_lua_stage.c
tests_unit_bench_lua_stage_LDADD = core/libtuopincore.la
endif
STAGES_E2E_TESTS = tests/e2e/external_stage.sh tests/e2e/many_scripts.sh tests/e2e/script_findings.sh \
	tests/e2e/stage_title.sh
TESTS += $(STAGES_E2E_TESTS)
EXTRA_DIST += $(STAGES_E2E_TESTS) tests/e2e/data/external_stage.c scripts
# Hostile and runaway rule scripts (issue 18.1, 18.2; issue 17.6): bounded
# memory and CPU per household, a script failing everywhere stops the run.
LUAGUARD_TESTS = tests/e2e/hostile_scripts.sh tests/e2e/runaway.sh
TESTS += $(LUAGUARD_TESTS)
EXTRA_DIST += $(LUAGUARD_TESTS)
# Script mistakes are errors (issue 17.5); script state and the sandbox's
# low items (issue 18.9).
SCRIPTMISTAKE_TESTS = tests/e2e/script_mistakes.sh tests/e2e/script_state.sh
TESTS += $(SCRIPTMISTAKE_TESTS)
EXTRA_DIST += $(SCRIPTMISTAKE_TESTS)
# Stage fixtures for test_loader and test_broken_plugins: built for `make
# check` only, as real modules (-rpath makes libtool build a shared object,
# never installed).  old_stage and v1_stage stand for stages built for ABI 1
# (tuopin 0.1, 0.2).
FIXTURE_LDFLAGS = -module -avoid-version -shared -rpath /nowhere $(SAN_CFLAGS)
check_LTLIBRARIES += tests/fixtures/good_stage.la tests/fixtures/bad_abi_stage.la \
	tests/fixtures/bad_size_stage.la tests/fixtures/no_symbol_stage.la \
	tests/fixtures/no_check_stage.la tests/fixtures/old_stage.la tests/fixtures/v1_stage.la \
	tests/fixtures/null_name_stage.la tests/fixtures/huge_size_stage.la \
	tests/fixtures/null_entry_stage.la tests/fixtures/bad_param_stage.la \
	tests/fixtures/bad_fingerprint_stage.la tests/fixtures/bad_code_stage.la \
	tests/fixtures/titled_stage.la
tests_fixtures_titled_stage_la_SOURCES = tests/fixtures/titled_stage.c
tests_fixtures_titled_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)
tests_fixtures_old_stage_la_SOURCES = tests/fixtures/old_stage.c tests/fixtures/abi1.h
tests_fixtures_old_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)
tests_fixtures_v1_stage_la_SOURCES = tests/fixtures/v1_stage.c tests/fixtures/abi1.h
tests_fixtures_v1_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)
tests_fixtures_good_stage_la_SOURCES = tests/fixtures/good_stage.c
tests_fixtures_good_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)
tests_fixtures_bad_abi_stage_la_SOURCES = tests/fixtures/bad_abi_stage.c
tests_fixtures_bad_abi_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)
tests_fixtures_bad_size_stage_la_SOURCES = tests/fixtures/bad_size_stage.c
tests_fixtures_bad_size_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)
tests_fixtures_no_symbol_stage_la_SOURCES = tests/fixtures/no_symbol_stage.c
tests_fixtures_no_symbol_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)
tests_fixtures_no_check_stage_la_SOURCES = tests/fixtures/no_check_stage.c
tests_fixtures_no_check_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)
tests_fixtures_null_name_stage_la_SOURCES = tests/fixtures/null_name_stage.c
tests_fixtures_null_name_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)
tests_fixtures_huge_size_stage_la_SOURCES = tests/fixtures/huge_size_stage.c
tests_fixtures_huge_size_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)
tests_fixtures_null_entry_stage_la_SOURCES = tests/fixtures/null_entry_stage.c
tests_fixtures_null_entry_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)
tests_fixtures_bad_param_stage_la_SOURCES = tests/fixtures/bad_param_stage.c
tests_fixtures_bad_param_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)
tests_fixtures_bad_fingerprint_stage_la_SOURCES = tests/fixtures/bad_fingerprint_stage.c
tests_fixtures_bad_fingerprint_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)
tests_fixtures_bad_code_stage_la_SOURCES = tests/fixtures/bad_code_stage.c
tests_fixtures_bad_code_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)

# ---- core/regions: aggregation, county decision and AF view (standard
# §5–§6); the partial counts of shard runs.
if HAVE_CMOCKA
REGIONS_TESTS = tests/unit/test_aggregate tests/unit/test_agg_partial
check_PROGRAMS += $(REGIONS_TESTS)
TESTS += $(REGIONS_TESTS)
tests_unit_test_aggregate_SOURCES = tests/unit/test_aggregate.c
tests_unit_test_aggregate_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_aggregate_LDADD = $(UNITTEST_LIBS)
tests_unit_test_agg_partial_SOURCES = tests/unit/test_agg_partial.c
tests_unit_test_agg_partial_CFLAGS = $(UNITTEST_FLAGS) $(SQLITE_CFLAGS)
tests_unit_test_agg_partial_LDADD = $(UNITTEST_LIBS) $(SQLITE_LIBS)
endif

# ---- core/outputs: the results database; reports and counties end to end.
# agg_fixture writes every aggregate output from hand-built households (no
# engine) for the report checks; counties.sh runs tuopin on a hand-made
# quarter and compares counties.csv.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_resultsdb
TESTS += tests/unit/test_resultsdb
tests_unit_test_resultsdb_SOURCES = tests/unit/test_resultsdb.c
tests_unit_test_resultsdb_CFLAGS = $(UNITTEST_FLAGS) $(SQLITE_CFLAGS)
tests_unit_test_resultsdb_LDADD = $(UNITTEST_LIBS) $(SQLITE_LIBS)
endif
check_PROGRAMS += tests/unit/agg_fixture
tests_unit_agg_fixture_SOURCES = tests/unit/agg_fixture.c
tests_unit_agg_fixture_LDADD = core/libtuopincore.la
OUTPUTS_TESTS = tests/e2e/counties.sh tests/e2e/report_html.sh tests/e2e/report_xlsx.sh
# issue 18: escaped HTML; no CSV cell opens as a formula
OUTPUTS_TESTS += tests/e2e/html_escape.sh tests/e2e/csv_formulas.sh
# issue 17: report.html and compare.html printed by headless Chromium to PDF
# hold every county's row (skipped without chromium and pdftotext)
OUTPUTS_TESTS += tests/e2e/print.sh tests/e2e/charts.sh
# issue 21: village data-quality signals (quality.csv, docs/quality.md)
OUTPUTS_TESTS += tests/e2e/quality.sh tests/e2e/quality_planted.sh
# names beside codes (issue 17.8)
OUTPUTS_TESTS += tests/e2e/region_names.sh
TESTS += $(OUTPUTS_TESTS)
EXTRA_DIST += $(OUTPUTS_TESTS) tests/e2e/data/quality_villages.csv \
	tests/e2e/check_xlsx.py tests/e2e/data/counties.csv tests/e2e/data/counties.lua \
	tests/e2e/expected/counties/counties.csv

# ---- core/run: the engine called directly (test_engine: every row
# evaluated or rejected, the same outputs for 1 and 2 workers, a fatal error
# commits nothing, the history left to the command); `tuopin run`'s
# contract and fatal errors; the standard's worked examples
# (tests/e2e/examples); the national pipeline on a hand-written quarter;
# department rosters (standard §8).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_engine
TESTS += tests/unit/test_engine
tests_unit_test_engine_SOURCES = tests/unit/test_engine.c $(TMPDIR_FIXTURE)
tests_unit_test_engine_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_engine_LDADD = $(UNITTEST_LIBS)
endif
# the roster index (standard §8): batches equal single adds, a reserved
# index sized to its people, the ID's key and check
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_rindex
TESTS += tests/unit/test_rindex
tests_unit_test_rindex_SOURCES = tests/unit/test_rindex.c
tests_unit_test_rindex_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_rindex_LDADD = $(UNITTEST_LIBS)
endif
RUN_TESTS = \
	tests/e2e/fatal_errors.sh \
	tests/e2e/run_contract.sh \
	tests/e2e/examples_quarter.sh \
	tests/e2e/examples_faulty.sh \
	tests/e2e/examples_counties.sh \
	tests/e2e/examples_rosters.sh \
	tests/e2e/examples_stray.sh \
	tests/e2e/rosters.sh \
	tests/e2e/national.sh
TESTS += $(RUN_TESTS)
# standard §7: lines and thresholds are raised, never lowered (issue 17.3)
TESTS += tests/e2e/standard_line.sh
EXTRA_DIST += tests/e2e/standard_line.sh
# `tuopin run national`: the installed pipelines, looked up by name (issue 17.11)
TESTS += tests/e2e/named_pipeline.sh
EXTRA_DIST += tests/e2e/named_pipeline.sh
# every word of the Chinese outputs translated (issue 17.7)
TESTS += tests/e2e/zh_words.sh
EXTRA_DIST += tests/e2e/zh_words.sh tests/e2e/zh_words.py
# issue 18.5: a failed commit keeps the previous outputs, one run at a time
# in a folder; 18.10: a birth date decades from a valid ID's; 18.6: no exact
# age beside a masked ID
TESTS += tests/e2e/one_commit.sh tests/e2e/birth_dates.sh tests/e2e/no_ages.sh
EXTRA_DIST += tests/e2e/one_commit.sh tests/e2e/birth_dates.sh tests/e2e/no_ages.sh
EXTRA_DIST += $(RUN_TESTS) tests/e2e/examples tests/e2e/data/roster_rule.lua \
	tests/e2e/data/national.lua \
	tests/e2e/data/national.csv tests/e2e/data/national_zh.csv \
	tests/e2e/expected/national/households.csv tests/e2e/expected/national/findings.csv \
	tests/e2e/expected/national/rejects.csv

# ---- core/quarters: the history store, the named transitions and
# monitoring categories, the pattern signals, each rule at its thresholds;
# quarters.sh end to end on generated quarters with planted patterns (every
# planted case found, false positives bounded).
if HAVE_CMOCKA
QUARTERS_TESTS = tests/unit/test_compare tests/unit/test_signals tests/unit/test_history
check_PROGRAMS += $(QUARTERS_TESTS)
TESTS += $(QUARTERS_TESTS)
tests_unit_test_compare_SOURCES = tests/unit/test_compare.c tests/unit/qd_fixture.h
tests_unit_test_compare_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_compare_LDADD = $(UNITTEST_LIBS)
tests_unit_test_signals_SOURCES = tests/unit/test_signals.c tests/unit/qd_fixture.h
tests_unit_test_signals_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_signals_LDADD = $(UNITTEST_LIBS)
tests_unit_test_history_SOURCES = tests/unit/test_history.c $(TMPDIR_FIXTURE)
tests_unit_test_history_CFLAGS = $(UNITTEST_FLAGS) $(SQLITE_CFLAGS)
tests_unit_test_history_LDADD = $(UNITTEST_LIBS) $(SQLITE_LIBS)
endif
TESTS += tests/e2e/quarters.sh tests/e2e/history_run.sh
EXTRA_DIST += tests/e2e/quarters.sh tests/e2e/quarters_eval.py tests/e2e/history_run.sh

# ---- core/shard (docs/sharding.md): split and merge called directly
# (test_shard: the merged shard runs are the whole run byte for byte, a
# missing shard run writes nothing); split, shard runs and merge against one
# run for every split level, with planted faults, with rosters; the same
# through a one-node Slurm cluster.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_shard
TESTS += tests/unit/test_shard
tests_unit_test_shard_SOURCES = tests/unit/test_shard.c $(TMPDIR_FIXTURE)
tests_unit_test_shard_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_shard_LDADD = $(UNITTEST_LIBS)
endif
SHARD_TESTS = tests/e2e/merge.sh tests/e2e/slurm.sh tests/e2e/rosters_merge.sh
# issue 18: split reopens only the shard file it made
SHARD_TESTS += tests/e2e/split_reopen.sh
# merge follows the stages' declared roles and dimensions (stage_roles)
SHARD_TESTS += tests/e2e/merge_roles.sh
TESTS += $(SHARD_TESTS)
EXTRA_DIST += $(SHARD_TESTS) tests/e2e/plant_faults.py

# ---- core/field (standard §9): the sample design, its weights and the ratio
# variance; the field verification sample (tuopin sample); tuopin estimate
# (field_r.sh against R's survey package, skipped without R).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_field
TESTS += tests/unit/test_field
tests_unit_test_field_SOURCES = tests/unit/test_field.c
tests_unit_test_field_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_field_LDADD = $(UNITTEST_LIBS) -lm
endif
FIELD_TESTS = tests/e2e/field_sample.sh tests/e2e/field_estimate.sh tests/e2e/field_r.sh tests/e2e/field_xlsx.sh
TESTS += $(FIELD_TESTS)
EXTRA_DIST += $(FIELD_TESTS) tests/e2e/field_frame.py tests/e2e/field_svy.R tests/e2e/field_sheet_csv.py \
	tests/e2e/field_fill_xlsx.py

# ---- core/gen: `tuopin gen` is exercised by quarters.sh, merge.sh, the
# field tests and the fault tests, which run on generated quarters;
# gen_lines.sh: a generated quarter past the lines table says how to set its
# line; gen_profile.sh: the default profile's counties meet, fail and are
# incomplete, --profile stress is the earlier data (issue 17.11);
# gen_fabricated.sh: planted villages of a small quarter have households
# (issue 21).
TESTS += tests/e2e/gen_lines.sh tests/e2e/gen_profile.sh tests/e2e/gen_fabricated.sh
EXTRA_DIST += tests/e2e/gen_lines.sh tests/e2e/gen_profile.sh tests/e2e/gen_fabricated.sh

# ---- core/cli: one command line for every command; messages in the chosen
# language (--lang zh and --lang en); the catalogues complete.
CLI_TESTS = tests/e2e/cli.sh tests/e2e/lang.sh tests/e2e/catalogue.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += $(CLI_TESTS)
# issue 21: tuopin explain — a household's verdict from its re-read rows
TESTS += tests/e2e/explain.sh
EXTRA_DIST += tests/e2e/explain.sh tests/e2e/data/explain.csv
TESTS += tests/e2e/explain_history.sh
EXTRA_DIST += tests/e2e/explain_history.sh
TESTS += tests/e2e/explain_merged.sh
EXTRA_DIST += tests/e2e/explain_merged.sh
# issue 17 item 9: CSV outputs begin with the UTF-8 byte-order mark (Excel),
# --csv-bom / output { csv_bom } / TUOPIN_CSV_BOM; every reader takes them
TESTS += tests/e2e/csv_bom.sh
EXTRA_DIST += tests/e2e/csv_bom.sh

# ---- across the layers, trust under faults (issue 9, docs/safety.md):
# allocation failure looped over every allocation of a run (an LD_PRELOAD
# shim), a full disk (file-size limits, a small tmpfs when one can be
# mounted), a run killed with SIGKILL; personal data kept out of logs and
# aggregate outputs; quiet errors (issue 18: no personal data in messages).
check_LTLIBRARIES += tests/fault/failmalloc.la
tests_fault_failmalloc_la_SOURCES = tests/fault/failmalloc.c
tests_fault_failmalloc_la_CFLAGS = $(WARN_CFLAGS)
tests_fault_failmalloc_la_LDFLAGS = -module -avoid-version -shared -rpath /nowhere
SAFETY_TESTS = tests/fault/failmalloc.sh tests/fault/diskfull.sh tests/fault/killed.sh tests/fault/commit.sh \
	tests/e2e/privacy.sh tests/e2e/quiet_people.sh
TESTS += $(SAFETY_TESTS)
EXTRA_DIST += $(SAFETY_TESTS)
