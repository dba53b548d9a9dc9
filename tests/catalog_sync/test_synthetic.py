from datetime import date

import pytest

from catalog_sync.readers import read_registry
from catalog_sync.synthetic import main, write_synthetic_registry
from catalog_sync.validation import validate_rows

AS_OF = date(2026, 11, 23)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_synthetic_registry_round_trips(tmp_path, fmt):
    # Given a synthetic registry of 400 rows
    path = tmp_path / f"registry.{fmt}"
    summary = write_synthetic_registry(path, 400, seed=3, as_of=AS_OF, fmt=fmt)
    # When read and validated
    accepted, rejections = validate_rows(read_registry(path).rows, as_of=AS_OF)
    # Then exactly the deliberately broken rows are rejected
    assert summary.rows == 400
    assert 0 < summary.invalid_rows < 60
    assert len(accepted) == 400 - summary.invalid_rows
    assert len({r.row for r in rejections}) == summary.invalid_rows
    assert len({row.certificate_key for row in accepted}) == len(accepted)


def test_same_seed_same_file(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    write_synthetic_registry(first, 50, seed=1, as_of=AS_OF)
    write_synthetic_registry(second, 50, seed=1, as_of=AS_OF)
    assert first.read_bytes() == second.read_bytes()


def test_command_line(tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert main([str(out), "--rows", "30", "--as-of", "2026-11-23"]) == 0
    assert "wrote 30 rows" in capsys.readouterr().out
    assert len(list(read_registry(out).rows)) == 30
