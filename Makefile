.PHONY: run test lint
# The README's two commands.
run:
	scripts/run.sh
test:
	scripts/test.sh
lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy haotong
