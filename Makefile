.PHONY: demo test lint bench
demo:  ## install and serve the demo consultation on SQLite
	bash scripts/demo.sh
test:  ## install everything the tests need and run the whole suite
	bash scripts/test.sh
lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy --cache-dir .venv/.mypy_cache survey weighting field_app
bench:
	.venv/bin/python bench/weighting.py
