"""What the tests and the bench scripts share, and neither owns: the fake network ticket
printer and the invariants of the queue tables. Never shipped (not in the wheel, not in
the bundle); benches import from here, never from tests/."""
