"""“My work”: the page signing in lands on, with what waits for each person by role."""
