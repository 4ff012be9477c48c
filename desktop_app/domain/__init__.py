"""Pure business rules: no Qt, no database session, no clock, no I/O."""
