"""Lesson 08's session timeline: who does what, from arrival to integration.

The timeline is plain HTML generated here from the data below: one ``<details>`` element per
phase, which the browser opens and closes by itself. It therefore works the same in
JupyterLab (a ``text/html`` output) and in the static book, with no kernel and no script;
``_static/kapsession.css`` styles it in the book (the sphinx extension loads it only on pages
that show a timeline). Every string is escaped on the way into the page.

The tasks follow the esketamine label and REMS (the approved product, whose rules are
written down); an off-label ketamine service writes its own protocol, and the lesson says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

ROLES = ("Prescriber", "Medical monitor", "Therapist")


@dataclass(frozen=True)
class Phase:
    name: str
    when: str
    tasks: tuple[str, str, str]  # one per role, in the order of ROLES
    source: str


PHASES = (
    Phase("Arrival", "before the dose",
          ("On site for the whole session (esketamine REMS); reviews any change in health or "
           "medicines since the last visit.",
           "Checks fasting (for esketamine: no food for 2 hours, no drinks for 30 minutes) and "
           "that a ride home is arranged.",
           "Greets the client, asks how they are today and revisits their intentions."),
          "Esketamine label and REMS"),
    Phase("Consent check", "before the dose",
          ("Confirms that consent to the treatment is current.",
           "Confirms the client knows what monitoring will happen and why.",
           "Goes over the written agreements: touch, who is present, recording and the signal "
           "to stop. The client can still say no."),
          "Consent literature; this course's suggestion for the split of tasks"),
    Phase("Baseline vital signs", "before the dose",
          ("Weighs benefit and risk if blood pressure is raised (for esketamine, above 140/90 "
           "mmHg as a general guide) and decides whether to dose.",
           "Measures blood pressure, pulse and oxygen saturation.",
           "Settles the room: offers eyeshades and music, which the client may decline."),
          "Esketamine label"),
    Phase("Dosing", "time 0",
          ("Prescribes the dose; for esketamine the client uses the spray under direct "
           "observation.",
           "Observes the administration and notes the time.",
           "Stays present and quiet; does not steer the experience."),
          "Esketamine label and REMS"),
    Phase("Observation", "at least 2 hours",
          ("Stays on site; decides on any medical action and on calling emergency services.",
           "Rechecks blood pressure about 40 minutes after the dose, then as needed; watches "
           "oxygen saturation, sedation and breathing.",
           "Offers presence and agreed grounding; calls the medical monitor at once for warning "
           "signs; never restrains the client."),
          "Esketamine label and REMS; lesson 08, section 4"),
    Phase("Discharge", "when the criteria are met",
          ("Responsible for the assessment that the client is clinically stable and ready to "
           "leave.",
           "Confirms sedation and dissociation have resolved and blood pressure is at a safe "
           "level; completes the REMS monitoring form.",
           "Brief check-in; confirms the integration appointment and no driving until the next "
           "day after sleep."),
          "Esketamine label and REMS"),
    Phase("Integration", "days later",
          ("Reviews adverse effects and scores, and decides on the next dose with the client.",
           "Passes on the session record and any concerns.",
           "Leads the integration session, repeats the agreed rating scale and passes warning "
           "signs to the prescriber."),
          "Integration literature; this course's suggestion"),
)


def timeline_html(phases: tuple[Phase, ...] = PHASES) -> str:
    """The timeline as escaped HTML: an ordered list of phases, each a <details> element."""
    items = "".join(_phase_html(number, phase) for number, phase in enumerate(phases, start=1))
    return ('<div class="kt-timeline" role="region" aria-label="Session timeline: who does '
            'what">'
            '<p class="kt-hint">Open a phase to see who does what. Roles are named in words '
            'as well as colours.</p>'
            f'<ol class="kt-phases">{items}</ol></div>')


def _phase_html(number: int, phase: Phase) -> str:
    roles = "".join(
        f'<dt class="kt-role kt-role-{index}">{escape(role)}</dt><dd>{escape(task)}</dd>'
        for index, (role, task) in enumerate(zip(ROLES, phase.tasks, strict=True), start=1))
    return (f'<li class="kt-phase"><details><summary><span class="kt-step">{number}</span> '
            f'<span class="kt-name">{escape(phase.name)}</span> '
            f'<span class="kt-when">({escape(phase.when)})</span></summary>'
            f'<dl class="kt-roles">{roles}</dl>'
            f'<p class="kt-source">Source: {escape(phase.source)}</p></details></li>')


def timeline_text(phases: tuple[Phase, ...] = PHASES) -> str:
    """The same content as plain text (the notebook's text/plain output, and for screen
    readers or printing where HTML is not shown)."""
    lines = []
    for number, phase in enumerate(phases, start=1):
        lines.append(f"{number}. {phase.name} ({phase.when})")
        lines += [f"   {role}: {task}" for role, task in zip(ROLES, phase.tasks, strict=True)]
    return "\n".join(lines)


class SessionTimeline:
    """Displays the timeline in a notebook: HTML where it can, plain text otherwise."""

    def __init__(self, phases: tuple[Phase, ...] = PHASES):
        self.phases = phases

    def _repr_html_(self) -> str:
        return timeline_html(self.phases)

    def __repr__(self) -> str:
        return timeline_text(self.phases)


def session_timeline() -> SessionTimeline:
    return SessionTimeline()
