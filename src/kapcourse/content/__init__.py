"""Course content computed rather than written: the pharmacokinetic teaching model, the
lessons' figures and the practice readiness self-assessment."""
