"""The completion record's fixed text: what the record is, the name limit,
the commitment heading and the page's style. A leaf module, because both the record
(:mod:`kapcourse.record.completion`) and the course data shipped to the book
(:func:`kapcourse.record.summary.final_json`) need it; it imports nothing of the package.
"""

STATEMENT = (
    "This is a self-attested record of a self-assessment. The learner typed the name above "
    "and the scores come from their own saved answers, which nobody has checked. It is not "
    "accredited continuing education (CE, CME or CPD), not a qualification, and not evidence "
    "of competence to provide ketamine- or psychedelic-assisted therapy."
)
MAX_NAME = 100
COMMITMENT_HEADING = "My commitment to change (in my own words; not assessed)"

CSS = """
body { font-family: Helvetica, Arial, sans-serif; max-width: 44rem; margin: 2rem auto;
       padding: 0 1rem; color: #000; background: #fff; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } .subtitle { margin-top: 0; }
h2 { font-size: 1.05rem; margin: 1.2rem 0 0.3rem; } ul { margin: 0; padding-left: 1.2rem; }
.statement { border: 2px solid #000; padding: 0.6rem 0.8rem; }
@page { size: A4; margin: 18mm; } @media print { body { margin: 0; max-width: none; } }
"""
