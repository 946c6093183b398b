# Message catalogues (gettext).  Sources are in English; po/zh_CN.po holds
# the Chinese, po/en.po the English (identical to the source).  The .mo files
# are built into the build tree (po/locale/LANG/LC_MESSAGES/tuopin.mo), where
# the uninstalled tuopin finds them, and installed under $(localedir).
localedir = $(datadir)/locale
EXTRA_DIST += po/POTFILES po/tuopin.pot po/zh_CN.po po/en.po po/local.mk
MOFILES = po/locale/zh_CN/LC_MESSAGES/tuopin.mo po/locale/en/LC_MESSAGES/tuopin.mo
noinst_DATA = $(MOFILES)
CLEANFILES += $(MOFILES)

po/locale/zh_CN/LC_MESSAGES/tuopin.mo: $(srcdir)/po/zh_CN.po
	@$(MKDIR_P) po/locale/zh_CN/LC_MESSAGES
	$(AM_V_GEN)$(MSGFMT) --check-format -o $@ $(srcdir)/po/zh_CN.po

po/locale/en/LC_MESSAGES/tuopin.mo: $(srcdir)/po/en.po
	@$(MKDIR_P) po/locale/en/LC_MESSAGES
	$(AM_V_GEN)$(MSGFMT) --check-format -o $@ $(srcdir)/po/en.po

install-data-local: $(MOFILES)
	for l in zh_CN en; do \
	  $(MKDIR_P) "$(DESTDIR)$(localedir)/$$l/LC_MESSAGES" && \
	  $(INSTALL_DATA) po/locale/$$l/LC_MESSAGES/tuopin.mo \
	    "$(DESTDIR)$(localedir)/$$l/LC_MESSAGES/tuopin.mo" || exit 1; \
	done

uninstall-local:
	for l in zh_CN en; do rm -f "$(DESTDIR)$(localedir)/$$l/LC_MESSAGES/tuopin.mo"; done

# Maintainers: refresh the template and the catalogues after changing messages.
update-po:
	cd $(srcdir) && $(XGETTEXT) -k_ -kN_ --from-code=UTF-8 --add-comments=TRANSLATORS \
	  --package-name=tuopin -o po/tuopin.pot `cat po/POTFILES`
	cd $(srcdir) && $(MSGMERGE) -q -U --backup=none po/zh_CN.po po/tuopin.pot
	cd $(srcdir) && $(MSGEN) po/tuopin.pot | sed -e 's/charset=CHARSET/charset=UTF-8/' -e '0,/^#, fuzzy$$/{/^#, fuzzy$$/d}' > po/en.po
.PHONY: update-po
