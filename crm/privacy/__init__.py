"""A person's data on request (README, "Privacy and security"): the subject-access export
(`access.person_export`, as JSON and as a page) and the erasure (`erasure.person_erase`). They
live in crm because they span every app; each app says what it holds about a person and how it
forgets it in its own `privacy` module (contacts, relationships, jobs, followups), and crm adds
the audit trail."""
