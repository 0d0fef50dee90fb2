"""Workshop tools for facilitators and providers: agendas and answer keys, the cohort report
(`kapcourse report`) and its summary of course evaluations."""
