"""make bench rewrites docs/benchmarks.md but keeps the sections it does not measure (container images)."""

from bench.report import kept_sections


def test_the_container_images_section_survives_a_rewrite() -> None:
    old = "# Benchmarks\n\n## Summary\nold figures\n\n## Container images\nRasa image 3 GB\n\n## Understanding\nx\n"
    assert kept_sections(old) == "\n## Container images\nRasa image 3 GB\n"


def test_a_last_section_is_kept_to_the_end_and_a_missing_one_adds_nothing() -> None:
    assert kept_sections("# B\n## Container images\nlast line\n") == "\n## Container images\nlast line\n"
    assert kept_sections("# B\n## Summary\n") == ""
