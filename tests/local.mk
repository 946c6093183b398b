# Tests: cmocka unit tests (tests/unit) and end-to-end tests (tests/e2e).
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	abs_top_builddir='$(abs_top_builddir)'; abs_top_srcdir='$(abs_top_srcdir)'; \
	TUOPIN='$(abs_top_builddir)/core/tuopin'; MAKE='$(MAKE)'; CC='$(CC)'; \
	TUOPIN_LANG=en; \
	export abs_top_builddir abs_top_srcdir TUOPIN MAKE CC TUOPIN_LANG;

if HAVE_CMOCKA
UNITTEST_FLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LUA_CFLAGS)
UNITTEST_LIBS = core/libtuopincore.la $(CMOCKA_LIBS)

# One program per part of the standard, named after the module it tests.
check_PROGRAMS += tests/unit/test_csv tests/unit/test_values tests/unit/test_block \
	tests/unit/test_loader tests/unit/test_income
TESTS += tests/unit/test_csv tests/unit/test_values tests/unit/test_block \
	tests/unit/test_loader tests/unit/test_income

check_PROGRAMS += tests/unit/test_xlsx
TESTS += tests/unit/test_xlsx
tests_unit_test_xlsx_SOURCES = tests/unit/test_xlsx.c
tests_unit_test_xlsx_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_xlsx_LDADD = $(UNITTEST_LIBS)

tests_unit_test_csv_SOURCES = tests/unit/test_csv.c
tests_unit_test_csv_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_csv_LDADD = $(UNITTEST_LIBS)

tests_unit_test_values_SOURCES = tests/unit/test_values.c
tests_unit_test_values_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_values_LDADD = $(UNITTEST_LIBS)

tests_unit_test_block_SOURCES = tests/unit/test_block.c
tests_unit_test_block_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_block_LDADD = $(UNITTEST_LIBS)

# test_loader and test_income load shared objects from the build tree: the
# fixtures below and plugins/income.
tests_unit_test_loader_SOURCES = tests/unit/test_loader.c
tests_unit_test_loader_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_loader_LDADD = $(UNITTEST_LIBS)

tests_unit_test_income_SOURCES = tests/unit/test_income.c
tests_unit_test_income_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_income_LDADD = $(UNITTEST_LIBS)

# Aggregation, county decision and AF view (standard §5–§6); the results
# database; SHA-256 of the input.
check_PROGRAMS += tests/unit/test_aggregate tests/unit/test_resultsdb tests/unit/test_sha256 \
	tests/unit/test_output
TESTS += tests/unit/test_aggregate tests/unit/test_resultsdb tests/unit/test_sha256 \
	tests/unit/test_output
tests_unit_test_aggregate_SOURCES = tests/unit/test_aggregate.c
tests_unit_test_aggregate_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_aggregate_LDADD = $(UNITTEST_LIBS)
tests_unit_test_resultsdb_SOURCES = tests/unit/test_resultsdb.c
tests_unit_test_resultsdb_CFLAGS = $(UNITTEST_FLAGS) $(SQLITE_CFLAGS)
tests_unit_test_resultsdb_LDADD = $(UNITTEST_LIBS) $(SQLITE_LIBS)
# standard §9: the sample design, its weights and the ratio variance
check_PROGRAMS += tests/unit/test_field
TESTS += tests/unit/test_field
tests_unit_test_field_SOURCES = tests/unit/test_field.c
tests_unit_test_field_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_field_LDADD = $(UNITTEST_LIBS) -lm

tests_unit_test_sha256_SOURCES = tests/unit/test_sha256.c
tests_unit_test_sha256_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_sha256_LDADD = $(UNITTEST_LIBS)

# direct writes (output.c's streams, results.sqlite's VFS), in a folder of
# the build tree
tests_unit_test_output_SOURCES = tests/unit/test_output.c
tests_unit_test_output_CFLAGS = $(UNITTEST_FLAGS) $(SQLITE_CFLAGS)
tests_unit_test_output_LDADD = $(UNITTEST_LIBS) $(SQLITE_LIBS)

# The "seen before" sets of the split check and the identity stage.
check_PROGRAMS += tests/unit/test_idset
TESTS += tests/unit/test_idset
tests_unit_test_idset_SOURCES = tests/unit/test_idset.c
tests_unit_test_idset_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_idset_LDADD = $(UNITTEST_LIBS)

endif

# Stage fixtures for test_loader: built for `make check` only, as real
# modules (-rpath makes libtool build a shared object, never installed).
FIXTURE_LDFLAGS = -module -avoid-version -shared -rpath /nowhere $(SAN_CFLAGS)
check_LTLIBRARIES += tests/fixtures/good_stage.la tests/fixtures/bad_abi_stage.la \
	tests/fixtures/bad_size_stage.la tests/fixtures/no_symbol_stage.la \
	tests/fixtures/no_check_stage.la tests/fixtures/old_stage.la tests/fixtures/v1_stage.la
# old_stage and v1_stage stand for stages built for ABI 1 (tuopin 0.1, 0.2).
tests_fixtures_old_stage_la_SOURCES = tests/fixtures/old_stage.c tests/fixtures/abi1.h
tests_fixtures_v1_stage_la_SOURCES = tests/fixtures/v1_stage.c tests/fixtures/abi1.h
tests_fixtures_v1_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)
tests_fixtures_old_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)
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

# Reports and counties end to end.  agg_fixture writes every aggregate output
# from hand-built households (no engine) for the report checks; counties.sh
# runs tuopin on a hand-made quarter and compares counties.csv.
check_PROGRAMS += tests/unit/agg_fixture
tests_unit_agg_fixture_SOURCES = tests/unit/agg_fixture.c
tests_unit_agg_fixture_LDADD = core/libtuopincore.la
TESTS += tests/e2e/counties.sh tests/e2e/report_html.sh tests/e2e/report_xlsx.sh
EXTRA_DIST += tests/e2e/counties.sh tests/e2e/report_html.sh tests/e2e/report_xlsx.sh \
	tests/e2e/check_xlsx.py tests/e2e/data/counties.csv tests/e2e/data/counties.lua \
	tests/e2e/expected/counties/counties.csv

# End-to-end tests: the built `tuopin run` on small inputs, outputs compared
# with files written by hand from the standard (tests/e2e/expected) or with
# the standard's own worked examples (tests/e2e/examples).
E2E_TESTS = \
	tests/e2e/structural.sh \
	tests/e2e/bom_crlf_chinese.sh \
	tests/e2e/quoted_breaks.sh \
	tests/e2e/fatal_errors.sh \
	tests/e2e/run_contract.sh \
	tests/e2e/external_stage.sh \
	tests/e2e/many_scripts.sh \
	tests/e2e/examples_quarter.sh \
	tests/e2e/examples_faulty.sh \
	tests/e2e/examples_counties.sh \
	tests/e2e/examples_rosters.sh \
	tests/e2e/rosters.sh \
	tests/e2e/examples_stray.sh \
	tests/e2e/stray_quotes.sh \
	tests/e2e/cli.sh
TESTS += $(E2E_TESTS)
EXTRA_DIST += $(E2E_TESTS) tests/e2e/lib.sh tests/e2e/compare.py \
	tests/e2e/data/income.lua tests/e2e/data/structural.csv \
	tests/e2e/data/bom_crlf_chinese.csv tests/e2e/data/quoted_breaks.csv \
	tests/e2e/data/external_stage.c tests/e2e/data/roster_rule.lua \
	tests/e2e/expected/structural tests/e2e/expected/bom_crlf_chinese \
	tests/e2e/expected/quoted_breaks tests/e2e/examples

# The national stages (standard §3.2–§3.7) one cmocka program each, through
# a test host (stage_harness) that reads CSV text the engine's way; and the
# national pipeline end to end on a hand-written quarter.
if HAVE_CMOCKA
STAGE_TESTS = tests/unit/test_food_clothing tests/unit/test_education \
	tests/unit/test_medical tests/unit/test_housing tests/unit/test_water \
	tests/unit/test_identity tests/unit/test_rosters
check_PROGRAMS += $(STAGE_TESTS)
TESTS += $(STAGE_TESTS)
STAGE_HARNESS = tests/unit/stage_harness.c tests/unit/stage_harness.h
tests_unit_test_food_clothing_SOURCES = tests/unit/test_food_clothing.c $(STAGE_HARNESS)
tests_unit_test_food_clothing_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_food_clothing_LDADD = $(UNITTEST_LIBS)
tests_unit_test_education_SOURCES = tests/unit/test_education.c $(STAGE_HARNESS)
tests_unit_test_education_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_education_LDADD = $(UNITTEST_LIBS)
tests_unit_test_medical_SOURCES = tests/unit/test_medical.c $(STAGE_HARNESS)
tests_unit_test_medical_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_medical_LDADD = $(UNITTEST_LIBS)
tests_unit_test_housing_SOURCES = tests/unit/test_housing.c $(STAGE_HARNESS)
tests_unit_test_housing_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_housing_LDADD = $(UNITTEST_LIBS)
tests_unit_test_water_SOURCES = tests/unit/test_water.c $(STAGE_HARNESS)
tests_unit_test_water_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_water_LDADD = $(UNITTEST_LIBS)
tests_unit_test_identity_SOURCES = tests/unit/test_identity.c $(STAGE_HARNESS)
tests_unit_test_identity_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_identity_LDADD = $(UNITTEST_LIBS)
tests_unit_test_rosters_SOURCES = tests/unit/test_rosters.c $(STAGE_HARNESS)
tests_unit_test_rosters_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_rosters_LDADD = $(UNITTEST_LIBS)
endif
TESTS += tests/e2e/national.sh
# standard §7: lines and thresholds are raised, never lowered (issue 17.3)
TESTS += tests/e2e/standard_line.sh
EXTRA_DIST += tests/e2e/standard_line.sh
EXTRA_DIST += tests/e2e/national.sh tests/e2e/data/national.lua \
	tests/e2e/data/national.csv tests/e2e/data/national_zh.csv \
	tests/e2e/expected/national/households.csv tests/e2e/expected/national/findings.csv \
	tests/e2e/expected/national/rejects.csv

# Lua rule scripts: the sandbox attacked directly (test_sandbox), scripts as
# stages through the test host of core/stages/testhost.c, and `tuopin test` on the
# shipped scripts (test_lua_stage).  bench_lua_stage measures the cost per
# household; it is built by make check but not run.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_sandbox tests/unit/test_lua_stage tests/unit/bench_lua_stage
TESTS += tests/unit/test_sandbox tests/unit/test_lua_stage
tests_unit_test_sandbox_SOURCES = tests/unit/test_sandbox.c
tests_unit_test_sandbox_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_sandbox_LDADD = $(UNITTEST_LIBS)
tests_unit_test_lua_stage_SOURCES = tests/unit/test_lua_stage.c
tests_unit_test_lua_stage_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_lua_stage_LDADD = $(UNITTEST_LIBS)
tests_unit_bench_lua_stage_SOURCES = tests/unit/bench_lua_stage.c
tests_unit_bench_lua_stage_LDADD = core/libtuopincore.la
endif
EXTRA_DIST += scripts

# Sharded runs (tuopin split and merge, docs/sharding.md): the partial counts
# and the resident-ID map as units; split, shard runs and merge against one
# run for every split level; the same through a one-node Slurm cluster.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_agg_partial tests/unit/test_pidmap
TESTS += tests/unit/test_agg_partial tests/unit/test_pidmap
tests_unit_test_agg_partial_SOURCES = tests/unit/test_agg_partial.c
tests_unit_test_agg_partial_CFLAGS = $(UNITTEST_FLAGS) $(SQLITE_CFLAGS)
tests_unit_test_agg_partial_LDADD = $(UNITTEST_LIBS) $(SQLITE_LIBS)
tests_unit_test_pidmap_SOURCES = tests/unit/test_pidmap.c
tests_unit_test_pidmap_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_pidmap_LDADD = $(UNITTEST_LIBS)
endif
TESTS += tests/e2e/merge.sh tests/e2e/slurm.sh tests/e2e/rosters_merge.sh
EXTRA_DIST += tests/e2e/merge.sh tests/e2e/slurm.sh tests/e2e/rosters_merge.sh tests/e2e/same_run.py tests/e2e/plant_faults.py

# Quarter after quarter (issue 6): the history store, the named transitions
# and monitoring categories, the pattern signals, each rule at its
# thresholds; quarters.sh end to end on generated quarters with planted
# patterns (every planted case found, false positives bounded).
if HAVE_CMOCKA
HISTORY_TESTS = tests/unit/test_compare tests/unit/test_signals tests/unit/test_history
check_PROGRAMS += $(HISTORY_TESTS)
TESTS += $(HISTORY_TESTS)
tests_unit_test_compare_SOURCES = tests/unit/test_compare.c tests/unit/qd_fixture.h
tests_unit_test_compare_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_compare_LDADD = $(UNITTEST_LIBS)
tests_unit_test_signals_SOURCES = tests/unit/test_signals.c tests/unit/qd_fixture.h
tests_unit_test_signals_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_signals_LDADD = $(UNITTEST_LIBS)
tests_unit_test_history_SOURCES = tests/unit/test_history.c
tests_unit_test_history_CFLAGS = $(UNITTEST_FLAGS) $(SQLITE_CFLAGS)
tests_unit_test_history_LDADD = $(UNITTEST_LIBS) $(SQLITE_LIBS)
endif
TESTS += tests/e2e/quarters.sh
EXTRA_DIST += tests/e2e/quarters.sh tests/e2e/quarters_eval.py

# Record sources (issue 7): GB18030, mapping files, JSON Lines, PostgreSQL.
# test_source reads through the source at read sizes from one byte up; the
# e2e tests run the same quarter as UTF-8, as the national system's GB18030
# export (title line, CRLF, its column names and values, mapped), as JSON
# Lines and as a PostgreSQL table (a private server started by the test),
# each giving the same households.csv; inputs_errors.sh gives every fault
# its documented error or reject; inspect.sh checks `tuopin inspect`.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_source
TESTS += tests/unit/test_source
tests_unit_test_source_SOURCES = tests/unit/test_source.c
tests_unit_test_source_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_source_LDADD = $(UNITTEST_LIBS)
endif
INPUT_TESTS = tests/e2e/inputs_gb18030.sh tests/e2e/inputs_jsonl.sh \
	tests/e2e/inputs_postgres.sh tests/e2e/inputs_errors.sh tests/e2e/inspect.sh
TESTS += $(INPUT_TESTS)
EXTRA_DIST += $(INPUT_TESTS) tests/e2e/inputs_lib.sh tests/e2e/to_jsonl.py \
	tests/e2e/to_system.py tests/e2e/data/inputs_quarter.csv tests/e2e/data/inputs.lua

# Messages in the chosen language (issue 7): --lang zh and --lang en.
TESTS += tests/e2e/lang.sh tests/e2e/catalogue.sh
EXTRA_DIST += tests/e2e/lang.sh tests/e2e/catalogue.sh

# Trust under faults (issue 9, docs/safety.md): allocation failure looped
# over every allocation of a run (an LD_PRELOAD shim), a full disk (file-size
# limits, a small tmpfs when one can be mounted), a run killed with SIGKILL;
# personal data kept out of logs and aggregate outputs; the input limits;
# deliberately broken stage plugins.
check_LTLIBRARIES += tests/fault/failmalloc.la
tests_fault_failmalloc_la_SOURCES = tests/fault/failmalloc.c
tests_fault_failmalloc_la_CFLAGS = $(WARN_CFLAGS)
tests_fault_failmalloc_la_LDFLAGS = -module -avoid-version -shared -rpath /nowhere
SAFETY_TESTS = tests/fault/failmalloc.sh tests/fault/diskfull.sh tests/fault/killed.sh \
	tests/e2e/privacy.sh tests/e2e/limits.sh
TESTS += $(SAFETY_TESTS)
EXTRA_DIST += $(SAFETY_TESTS)
check_LTLIBRARIES += tests/fixtures/null_name_stage.la tests/fixtures/huge_size_stage.la \
	tests/fixtures/null_entry_stage.la tests/fixtures/bad_param_stage.la \
	tests/fixtures/bad_fingerprint_stage.la tests/fixtures/bad_code_stage.la
tests_fixtures_bad_fingerprint_stage_la_SOURCES = tests/fixtures/bad_fingerprint_stage.c
tests_fixtures_bad_fingerprint_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)
tests_fixtures_bad_code_stage_la_SOURCES = tests/fixtures/bad_code_stage.c
tests_fixtures_bad_code_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)
tests_fixtures_null_name_stage_la_SOURCES = tests/fixtures/null_name_stage.c
tests_fixtures_null_name_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)
tests_fixtures_huge_size_stage_la_SOURCES = tests/fixtures/huge_size_stage.c
tests_fixtures_huge_size_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)
tests_fixtures_null_entry_stage_la_SOURCES = tests/fixtures/null_entry_stage.c
tests_fixtures_null_entry_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)
tests_fixtures_bad_param_stage_la_SOURCES = tests/fixtures/bad_param_stage.c
tests_fixtures_bad_param_stage_la_LDFLAGS = $(FIXTURE_LDFLAGS)
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_broken_plugins tests/unit/test_limits
TESTS += tests/unit/test_broken_plugins tests/unit/test_limits
tests_unit_test_broken_plugins_SOURCES = tests/unit/test_broken_plugins.c
tests_unit_test_broken_plugins_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_broken_plugins_LDADD = $(UNITTEST_LIBS)
tests_unit_test_limits_SOURCES = tests/unit/test_limits.c
tests_unit_test_limits_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_limits_LDADD = $(UNITTEST_LIBS)
# Lua-host escapes beyond test_sandbox and test_lua_stage (Redis CVEs,
# raw access to the handle, C-side sizes, the C stack, host memory).
check_PROGRAMS += tests/unit/test_lua_escapes
TESTS += tests/unit/test_lua_escapes
tests_unit_test_lua_escapes_SOURCES = tests/unit/test_lua_escapes.c
tests_unit_test_lua_escapes_CFLAGS = $(UNITTEST_FLAGS)
tests_unit_test_lua_escapes_LDADD = $(UNITTEST_LIBS)
endif

# standard §9: the field verification sample (tuopin sample)
# (tuopin estimate; field_r.sh against R's survey package, skipped without R)
FIELD_TESTS = tests/e2e/field_sample.sh tests/e2e/field_estimate.sh tests/e2e/field_r.sh tests/e2e/field_xlsx.sh
TESTS += $(FIELD_TESTS)
EXTRA_DIST += $(FIELD_TESTS) tests/e2e/field_frame.py tests/e2e/field_svy.R tests/e2e/field_sheet_csv.py \
	tests/e2e/field_fill_xlsx.py

# Issue 18 hardening (second round): escaped HTML, shards reopened safely,
# one commit with a lock, quiet errors, no formulas in CSV cells.
HARDEN_TESTS = tests/e2e/html_escape.sh tests/e2e/csv_formulas.sh tests/e2e/quiet_people.sh tests/e2e/split_reopen.sh
TESTS += $(HARDEN_TESTS)
EXTRA_DIST += $(HARDEN_TESTS)
