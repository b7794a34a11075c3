package clientip_test

import (
	"net/http/httptest"
	"testing"

	"github.com/incassobot/incassobot/bot/clientip"
)

func TestFromBelievesOnlyTrustedProxies(t *testing.T) {
	lb, err := clientip.Parse("10.0.0.0/8, 192.168.1.7")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		trusted clientip.Trusted
		peer    string
		xff     []string
		want    string
	}{
		{"no proxy configured: a forged header is ignored", clientip.Trusted{}, "203.0.113.9:5000", []string{"1.2.3.4"}, "203.0.113.9"},
		{"untrusted peer: header ignored", lb, "203.0.113.9:5000", []string{"1.2.3.4"}, "203.0.113.9"},
		{"behind the balancer: its entry", lb, "10.1.2.3:443", []string{"198.51.100.20"}, "198.51.100.20"},
		{"an invented left entry is not believed", lb, "10.1.2.3:443", []string{"6.6.6.6, 198.51.100.20"}, "198.51.100.20"},
		{"two trusted hops are skipped", lb, "10.1.2.3:443", []string{"6.6.6.6, 198.51.100.20, 192.168.1.7"}, "198.51.100.20"},
		{"header lines are one list", lb, "10.1.2.3:443", []string{"6.6.6.6", "198.51.100.20"}, "198.51.100.20"},
		{"garbage stops the walk at the proxy", lb, "10.1.2.3:443", []string{"not-an-ip"}, "10.1.2.3"},
		{"IPv6 peer", clientip.Trusted{}, "[2001:db8::1]:80", nil, "2001:db8::1"},
		// Issue 13 (red team): balancers that append the client's port
		// had every client counted and logged as the balancer.
		{"an entry with a port", lb, "10.1.2.3:443", []string{"198.51.100.20:41234"}, "198.51.100.20"},
		{"an IPv6 entry with a port", lb, "10.1.2.3:443", []string{"[2001:db8::7]:41234"}, "2001:db8::7"},
		{"an IPv6 entry in brackets", lb, "10.1.2.3:443", []string{"[2001:db8::7]"}, "2001:db8::7"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.peer
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := clientip.From(r, c.trusted); got != c.want {
			t.Errorf("%s: From = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestParseRefusesWhatIsNotAnAddress(t *testing.T) {
	for _, bad := range []string{"10.0.0.0/33", "example.com", "10.0.0.1/8/2"} {
		if _, err := clientip.Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	if _, err := clientip.Parse(" 10.0.0.1 , ::1, fd00::/8 "); err != nil {
		t.Errorf("Parse of a good list: %v", err)
	}
}

// Limits count an IPv6 client by its /64: one subscriber's network, whose
// 2^64 addresses would otherwise each be a fresh client.
func TestBucket(t *testing.T) {
	for in, want := range map[string]string{
		"198.51.100.20":              "198.51.100.20",
		"::ffff:198.51.100.20":       "198.51.100.20",
		"2001:db8:1:2:aaaa::1":       "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff:ffff::99": "2001:db8:1:2::/64",
		"unknown":                    "unknown",
	} {
		if got := clientip.Bucket(in); got != want {
			t.Errorf("Bucket(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNetworkIsTheSlash24OrSlash48(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.77":             "203.0.113.0/24",
		"::ffff:203.0.113.77":      "203.0.113.0/24",
		"2001:db8:77:ab:1::1":      "2001:db8:77::/48",
		"2001:db8:77:ffff:ffff::9": "2001:db8:77::/48",
		"not an address":           "not an address",
	} {
		if got := clientip.Network(in); got != want {
			t.Errorf("Network(%q) = %q, want %q", in, got, want)
		}
	}
}
