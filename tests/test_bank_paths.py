"""quizzes/ holds the item banks and the table of renamed banks (migrations.yml), which is
not a bank: loaders must skip it, and a misnamed bank must still be found and reported."""

from kapcourse.bank.model import bank_paths


def test_bank_paths_skip_the_migration_table_but_not_a_misnamed_bank(tmp_path):
    for name in ("01_intro.yml", "migrations.yml", "notes.yml", "02_next.yml", "readme.txt"):
        (tmp_path / name).write_text("x: 1\n", encoding="utf-8")
    assert [p.name for p in bank_paths(tmp_path)] == ["01_intro.yml", "02_next.yml", "notes.yml"]
