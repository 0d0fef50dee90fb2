"""The book build: the Sphinx extensions Jupyter Book loads (quiz data, glossary, navigation,
the What changed page), lesson execution, and the vendored browser libraries (static/)."""
