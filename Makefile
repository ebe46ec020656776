# cite: make | make test | make check | make demo | make bench | make fuzz | make install PREFIX=
PREFIX  ?= /usr/local
BUILD   ?= build
CC      ?= cc
CFLAGS  ?= -O2 -g
PKGS    := libxml-2.0 libutf8proc libpcre2-8 jansson libzip
TESTPKG := cmocka
WARN    := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wvla -Wformat=2 -Wno-missing-field-initializers
# Debian packages the build and the tests need; `make deps` installs them.
DEB_BUILD := build-essential pkg-config libxml2-dev libpcre2-dev libutf8proc-dev libjansson-dev \
             libcmocka-dev libxml2-utils clang libclang-rt-14-dev libzip-dev
# Real data and peers for the tests and benchmarks: texlive's .bib files, bibutils, pandoc,
# pcre2grep (the floor of the cite check benchmark), the official CSL styles and locales
# (`cite format --style NAME`, the citeproc-js oracle's files).
DEB_DATA  := texlive-bibtex-extra bibutils pandoc hyperfine python3 pcre2-utils \
             citation-style-language-styles citation-style-language-locales

# Install the Debian packages ourselves when pkg-config cannot find a library (STYLE.md §8).
ifneq ($(MAKECMDGOALS),deps)
ifneq ($(shell pkg-config --exists $(PKGS) $(TESTPKG) 2>/dev/null && echo ok),ok)
$(info cite: pkg-config cannot find $(PKGS) $(TESTPKG); running 'make deps')
$(shell $(MAKE) --no-print-directory deps >&2)
endif
endif

CPPFLAGS += -Isrc -D_POSIX_C_SOURCE=200809L $(shell pkg-config --cflags $(PKGS))
# Where `make install` puts cite's own styles and locales (styles/); cite looks there when it
# runs outside its build tree.
STYLES_DIR := $(PREFIX)/share/cite/styles
CPPFLAGS += -DCITE_STYLES_INSTALLED='"$(STYLES_DIR)"'
LDLIBS   += $(shell pkg-config --libs $(PKGS))
TESTLIBS := $(shell pkg-config --libs $(TESTPKG) 2>/dev/null)

LIB_SRC  := $(wildcard src/*.c)
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/%.o) $(BUILD)/gen/schema.o
CLI_SRC  := $(wildcard src/cli/*.c)
CLI_OBJ  := $(CLI_SRC:src/cli/%.c=$(BUILD)/cli/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all test unit golden realdata csl-suite check demo bench fuzz install uninstall format clean deps
all: $(BUILD)/cite $(BUILD)/libcite.a

$(BUILD)/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WARN) -fvisibility=hidden $(CFLAGS) -MMD -MP -c $< -o $@

# The store's schema is compiled in: no file to find at run time.
$(BUILD)/gen/schema.c: bib/cite.rng tools/embed.sh
	@mkdir -p $(@D)
	tools/embed.sh cite_rng_schema bib/cite.rng > $@
$(BUILD)/gen/schema.o: $(BUILD)/gen/schema.c
	$(CC) $(CFLAGS) -c $< -o $@

# style_open.o has the styles folder compiled in: rebuild it when PREFIX changes (the stamp
# is rewritten only when its content differs).
$(BUILD)/cli/style_open.o: $(BUILD)/styles-dir.stamp
$(BUILD)/styles-dir.stamp: FORCE
	@mkdir -p $(@D); echo '$(STYLES_DIR)' | cmp -s - $@ || echo '$(STYLES_DIR)' > $@
FORCE:

$(BUILD)/libcite.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/cite: $(CLI_OBJ) $(BUILD)/libcite.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libcite.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WARN) -Wno-missing-prototypes $(CFLAGS) $(LDFLAGS) -o $@ $< \
		$(BUILD)/libcite.a $(LDLIBS) $(TESTLIBS)

# make test: every unit binary, then the golden CLI cases, then real data (the texlive .bib
# round trips; cite parse scored on ../shared's labelled references, and CSL-JSON round trips
# of the CSL oracle's items and test-suite inputs, when present; the bundled briefing as
# .txt, .md, .html, .docx and .odt made with pandoc, checked alike).
test: unit golden realdata csl-suite
unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do $$t; done
golden: $(BUILD)/cite
	@CITE=$(BUILD)/cite tests/golden/run.sh
	@python3 tests/golden/reformat-roundtrip.py $(BUILD)/cite
realdata: $(BUILD)/cite
	@CITE=$(BUILD)/cite tests/realdata/texlive.sh
	@python3 tests/realdata/parse-scores.py $(BUILD)/cite
	@python3 tests/realdata/check-scores.py $(BUILD)/cite
	@python3 tests/realdata/csljson.py $(BUILD)/cite
	@python3 tests/realdata/csl-oracle.py $(BUILD)/cite
	@python3 tests/realdata/reformat-jats.py $(BUILD)/cite
	@python3 tests/realdata/formats.py $(BUILD)/cite
	@python3 tests/realdata/batch.py $(BUILD)/cite
	@python3 tests/realdata/interchange.py $(BUILD)/cite

# The CSL processor test suite (../shared/csl): passed/total per category; fails under the
# floor in tests/csl/floor.txt, which only rises, or when a category APA or Harvard needs
# (tests/csl/apa-harvard-categories.txt) falls under its own floor. Skips cleanly when
# ../shared is absent.
CSL_SHARED := ../shared/csl
$(BUILD)/tests/csl-suite: tests/csl/suite.c $(BUILD)/libcite.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WARN) -Wno-missing-prototypes $(CFLAGS) $(LDFLAGS) -o $@ $< \
		$(BUILD)/libcite.a $(LDLIBS)
csl-suite: $(BUILD)/tests/csl-suite
	@if [ -d $(CSL_SHARED)/test-suite/processor-tests/humans ]; then \
		$(BUILD)/tests/csl-suite --floor tests/csl/floor.txt \
			--categories tests/csl/apa-harvard-categories.txt \
			$(CSL_SHARED)/test-suite/processor-tests/humans $(CSL_SHARED)/locales \
			$(CSL_SHARED)/test-suite/categories.tsv; \
	else echo "skip: csl-suite: $(CSL_SHARED)/test-suite is absent"; fi

# AddressSanitizer and UBSan over the whole test suite.
check:
	$(MAKE) BUILD=build-san CC=clang LDFLAGS='-fsanitize=address,undefined' \
		CFLAGS='-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all' test

# The main job on the bundled briefing: every kind of diagnostic (exit status 1 = problems
# found, as intended; 2 would be a failure). Then the library round trip, and the library in
# our own Cite Them Right Harvard (styles/harvard.csl, no Debian package needed).
demo: $(BUILD)/cite
	$(BUILD)/cite check bib/examples/sahel-brief.txt; test $$? -eq 1
	$(BUILD)/cite reformat bib/examples/sahel-brief.txt --style apa; test $$? -le 1
	$(BUILD)/cite import bib/examples/sahel.bib -o $(BUILD)/sahel.xml
	cat $(BUILD)/sahel.xml
	$(BUILD)/cite export $(BUILD)/sahel.xml --to biblatex
	$(BUILD)/cite format $(BUILD)/sahel.xml --style harvard
	$(BUILD)/cite format $(BUILD)/sahel.xml --style harvard --cite levine2025,boeke2019

bench: $(BUILD)/cite
	python3 tests/bench/import.py $(BUILD)/cite
	python3 tests/bench/parse.py $(BUILD)/cite
	python3 tests/bench/check.py $(BUILD)/cite
	python3 tests/bench/format.py $(BUILD)/cite $(BUILD)

# libFuzzer targets: make fuzz [FUZZ_SECONDS=600]
FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_TARGETS := bibtex xml parse check reformat csljson csl html docx ris
fuzz:
	$(MAKE) BUILD=build-fuzz CC=clang CFLAGS='-O1 -g -fsanitize=fuzzer-no-link,address,undefined' \
		build-fuzz/libcite.a
	@set -e; for t in $(FUZZ_TARGETS); do mkdir -p build-fuzz/corpus-$$t; \
		echo "clang ... -o build-fuzz/fuzz_$$t tests/fuzz/fuzz_$$t.c"; \
		clang $(CPPFLAGS) $(FUZZ_FLAGS) -o build-fuzz/fuzz_$$t tests/fuzz/fuzz_$$t.c \
			build-fuzz/libcite.a $(LDLIBS); done
	build-fuzz/fuzz_bibtex -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -artifact_prefix=build-fuzz/ \
		build-fuzz/corpus-bibtex tests/fuzz/seeds/bibtex
	build-fuzz/fuzz_xml -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -artifact_prefix=build-fuzz/ \
		-dict=tests/fuzz/xml.dict \
		build-fuzz/corpus-xml tests/fuzz/seeds/xml
	build-fuzz/fuzz_parse -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -artifact_prefix=build-fuzz/ \
		build-fuzz/corpus-parse tests/fuzz/seeds/parse
	build-fuzz/fuzz_check -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -artifact_prefix=build-fuzz/ \
		build-fuzz/corpus-check tests/fuzz/seeds/check
	build-fuzz/fuzz_reformat -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
		-dict=tests/fuzz/html.dict -artifact_prefix=build-fuzz/ build-fuzz/corpus-reformat \
		tests/fuzz/seeds/check tests/fuzz/seeds/html
	build-fuzz/fuzz_csljson -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -artifact_prefix=build-fuzz/ \
		-dict=tests/fuzz/csljson.dict \
		build-fuzz/corpus-csljson tests/fuzz/seeds/csljson
	@mkdir -p build-fuzz/seeds-csl-suite; for f in $(wildcard $(CSL_SHARED)/test-suite/processor-tests/humans/*.txt); do \
		awk '/>>=+ *CSL *=+>>/{on=1;next} /<<=+ *CSL *=+<</{on=0} on' "$$f" \
			> build-fuzz/seeds-csl-suite/$$(basename "$$f" .txt).csl; done
	build-fuzz/fuzz_csl -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -artifact_prefix=build-fuzz/ \
		-dict=tests/fuzz/csl.dict \
		build-fuzz/corpus-csl tests/fuzz/seeds/csl build-fuzz/seeds-csl-suite
	build-fuzz/fuzz_html -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -artifact_prefix=build-fuzz/ \
		-dict=tests/fuzz/html.dict \
		build-fuzz/corpus-html tests/fuzz/seeds/html
	build-fuzz/fuzz_docx -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -artifact_prefix=build-fuzz/ \
		-dict=tests/fuzz/docx.dict \
		build-fuzz/corpus-docx tests/fuzz/seeds/docx
	build-fuzz/fuzz_ris -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -artifact_prefix=build-fuzz/ \
		-dict=tests/fuzz/ris.dict \
		build-fuzz/corpus-ris tests/fuzz/seeds/ris

install: $(BUILD)/cite $(BUILD)/libcite.a
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
		$(DESTDIR)$(PREFIX)/share/cite
	install -m 755 $(BUILD)/cite $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(BUILD)/libcite.a $(DESTDIR)$(PREFIX)/lib/
	install -m 644 src/cite.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 bib/cite.rng $(DESTDIR)$(PREFIX)/share/cite/
	install -d $(DESTDIR)$(STYLES_DIR)
	install -m 644 styles/*.csl styles/locales-*.xml $(DESTDIR)$(STYLES_DIR)/
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/cite $(DESTDIR)$(PREFIX)/lib/libcite.a \
		$(DESTDIR)$(PREFIX)/include/cite.h $(DESTDIR)$(PREFIX)/share/cite/cite.rng
	rm -f $(addprefix $(DESTDIR)$(STYLES_DIR)/,$(notdir $(wildcard styles/*.csl styles/locales-*.xml)))
	-rmdir $(DESTDIR)$(STYLES_DIR)

format:
	clang-format -i src/*.[ch] src/cli/*.[ch] tests/unit/*.c tests/fuzz/*.c

clean:
	rm -rf build build-san build-fuzz

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
deps:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(DEB_BUILD) $(DEB_DATA)

-include $(wildcard $(BUILD)/*.d $(BUILD)/cli/*.d)
