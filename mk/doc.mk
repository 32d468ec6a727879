# doc.mk: the documentation's console sessions, run and checked
# (tools/doc-test.py; tools/README.md has the conventions).
#
#   sudo make test-doc      run every ```console block of TUTORIAL.md and
#                           */README.md, compare with the recorded output
#   sudo make record-doc    the same, and write the actual output over every
#                           recording that differs: review it with git diff
#
# DOC_FILES (default: all) and DOC_CHAPTER (e.g. 1) narrow the run:
# sudo make test-doc DOC_FILES=TUTORIAL.md DOC_CHAPTER=1. DOC_STRICT=0 lets
# a plain ``` block with `$ ` lines pass (for a document being converted).

DOC_ARGS = $(if $(DOC_CHAPTER),--chapter '$(DOC_CHAPTER)') $(DOC_FILES)

.PHONY: test-doc record-doc
## testing sudo: run the docs' console sessions, compare their output (DOC_CHAPTER=N)
test-doc: deps
	$(MAKE) --no-print-directory $(TEST_PREREQUISITES)
	python3 tools/doc-test.py $(DOC_ARGS)

## testing sudo: run the docs' sessions, write actual output where it differs
record-doc: deps
	$(MAKE) --no-print-directory $(TEST_PREREQUISITES)
	python3 tools/doc-test.py --record $(DOC_ARGS)
