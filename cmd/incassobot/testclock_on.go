//go:build incassobot_testclock

package main

import (
	"fmt"
	"time"
)

// testClock: in a test build (-tags incassobot_testclock, as the e2e tests
// that run the binary build it), INCASSOBOT_TEST_NOW (RFC 3339) is the
// moment the process starts at; its clock then runs at the real pace. The
// follow-up run tests use it so that a real Sunday or holiday cannot hold
// their reminders back.
func testClock(getenv func(string) string) (func() time.Time, error) {
	v := getenv("INCASSOBOT_TEST_NOW")
	if v == "" {
		return nil, nil
	}
	start, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, fmt.Errorf("INCASSOBOT_TEST_NOW %q: want an RFC 3339 instant", v)
	}
	real0 := time.Now()
	return func() time.Time { return start.Add(time.Since(real0)) }, nil
}
