//! The rule language shared by triggers, eligibility and suppressions.
