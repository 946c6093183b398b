# Tests: cmocka unit tests (tests/unit) and end-to-end tests (tests/e2e).
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	abs_top_builddir='$(abs_top_builddir)'; abs_top_srcdir='$(abs_top_srcdir)'; \
	TUOPIN='$(abs_top_builddir)/core/tuopin'; MAKE='$(MAKE)'; CC='$(CC)'; \
	export abs_top_builddir abs_top_srcdir TUOPIN MAKE CC;

if HAVE_CMOCKA
UNITTEST_FLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LUA_CFLAGS)
UNITTEST_LIBS = core/libtuopincore.la $(CMOCKA_LIBS)
endif
