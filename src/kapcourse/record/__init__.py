"""The learner record: the progress file (store), the rules every saved answer must meet, the
export, import and merge (summary, results), the final assessment's forms and scoring,
format versions and upgrades, the course evaluation and the completion record."""
