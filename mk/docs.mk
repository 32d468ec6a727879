# docs.mk: the picture of the chain in README.md and TUTORIAL.md.
#
#   make diagram          docs/chain.svg from its source, docs/chain.dot
#                         (Graphviz's dot); commit both
#   sudo make deps-docs   graphviz, which only make diagram needs
#
# tests/build.bats makes the picture again, elsewhere (DIAGRAM_SVG=FILE),
# and fails when the committed one differs. make deps-lint installs
# graphviz as well, so that CI, which runs it, runs that test too.

DEB_DOCS := graphviz
DIAGRAM_SVG ?= docs/chain.svg

.PHONY: diagram deps-docs
## running: docs/chain.svg, the picture of the chain, from docs/chain.dot
diagram:
	dot -Tsvg -o $(DIAGRAM_SVG) docs/chain.dot

## running sudo: install graphviz, which make diagram needs (make deps does not)
deps-docs:
	@bash tools/install-packages.sh $(DEB_DOCS)
