//go:build !incassobot_testclock

package main

import (
	"errors"
	"time"
)

// testClock: a production build has the real clock only. INCASSOBOT_TEST_NOW
// is refused rather than ignored, so a test setting cannot silently reach
// production and a production binary never runs on a made-up date.
func testClock(getenv func(string) string) (func() time.Time, error) {
	if getenv("INCASSOBOT_TEST_NOW") != "" {
		return nil, errors.New("INCASSOBOT_TEST_NOW is only honoured by a test build (go build -tags incassobot_testclock); unset it")
	}
	return nil, nil
}
