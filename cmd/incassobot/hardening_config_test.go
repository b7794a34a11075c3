package main

import (
	"strings"
	"testing"
)

// TRUSTED_PROXIES, METRICS_ADDR and METRICS_TOKEN are read and checked
// like every other variable: a mistake stops serve with status 2.
func TestHardeningConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, value string
		bad         bool
	}{
		{"TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7", false},
		{"TRUSTED_PROXIES", "10.0.0.0/33", true},
		{"TRUSTED_PROXIES", "the balancer", true},
		{"METRICS_ADDR", "127.0.0.1:9090", false},
		{"METRICS_ADDR", "9090", true},
		{"METRICS_TOKEN", "0123456789abcdef", false},
		{"METRICS_TOKEN", "secret", true},
	} {
		cfg, err := loadConfig(func(k string) string {
			if k == tc.name {
				return tc.value
			}
			return ""
		})
		if tc.bad {
			if err == nil || !strings.Contains(err.Error(), tc.name) || exitCode(err) != 2 {
				t.Errorf("%s=%q: want a configuration error naming it, got %v", tc.name, tc.value, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s=%q: %v", tc.name, tc.value, err)
		}
		if tc.name == "METRICS_ADDR" && cfg.MetricsAddr != tc.value || tc.name == "METRICS_TOKEN" && cfg.MetricsToken != tc.value {
			t.Errorf("%s=%q not kept", tc.name, tc.value)
		}
	}
}
