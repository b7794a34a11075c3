package casestore

import "errors"

// Sentinel errors. Implementations translate driver errors into these at
// their boundary; callers test with errors.Is. Wrap them with context:
// fmt.Errorf("case %q: %w", ref, ErrNotFound).
var (
	// ErrNotFound: the thing asked for does not exist (or is not visible).
	ErrNotFound = errors.New("not found")
	// ErrConflict: a uniqueness rule or a state transition was violated.
	ErrConflict = errors.New("conflict")
	// ErrInvalid: the input breaks a domain rule (negative amount, unknown regime …).
	ErrInvalid = errors.New("invalid")
)
