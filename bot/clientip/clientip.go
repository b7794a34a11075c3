// Package clientip says which address a request came from, believing
// X-Forwarded-For only as far as it was written by proxies the operator
// trusts (TRUSTED_PROXIES). Rate limits and lockouts count against it.
package clientip

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Trusted is the set of proxies whose X-Forwarded-For is believed. The
// zero value trusts nobody: the TCP peer is the client.
type Trusted struct{ prefixes []netip.Prefix }

// Parse reads a comma-separated list of CIDRs or single addresses
// ("10.0.0.0/8, 192.168.1.7"). Empty means no trusted proxy.
func Parse(s string) (Trusted, error) {
	var t Trusted
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return Trusted{}, fmt.Errorf("%q is not an address or CIDR", f)
			}
			f = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()).String()
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return Trusted{}, fmt.Errorf("%q is not an address or CIDR", f)
		}
		t.prefixes = append(t.prefixes, p.Masked())
	}
	return t, nil
}

// Contains reports whether a is a trusted proxy.
func (t Trusted) Contains(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range t.prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// From returns the client's address. The TCP peer is it, unless the peer
// is a trusted proxy: then X-Forwarded-For is read from the right (the
// entry the nearest proxy appended) and the first address that is not a
// trusted proxy is the client. Entries left of it are the client's to
// invent and are never believed.
func From(r *http.Request, t Trusted) string {
	peer := peerAddr(r.RemoteAddr)
	if !peer.IsValid() {
		return r.RemoteAddr
	}
	if !t.Contains(peer) {
		return peer.String()
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := parseHop(hops[i])
		if err != nil {
			break // a broken entry: stop at the last address we can vouch for
		}
		client = a.Unmap()
		if !t.Contains(client) {
			break
		}
	}
	return client.String()
}

// parseHop reads one X-Forwarded-For entry: an address, or (as some
// balancers write it) an address with a port, "203.0.113.5:41234" or
// "[2001:db8::1]:41234". Without the port form such a balancer's clients
// would all be counted, and logged, as the balancer itself.
func parseHop(h string) (netip.Addr, error) {
	h = strings.TrimSpace(h)
	if a, err := netip.ParseAddr(strings.Trim(h, "[]")); err == nil {
		return a, nil
	}
	ap, err := netip.ParseAddrPort(h)
	if err != nil {
		return netip.Addr{}, err
	}
	return ap.Addr(), nil
}

// Bucket is what limits count a client address against: an IPv4 address
// itself, an IPv6 address's /64 (one subscriber's network: its holder can
// use any of its 2^64 addresses, so counting them one by one would give an
// attacker unlimited fresh addresses). Anything that is not an address is
// returned as it is.
func Bucket(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, _ := a.WithZone("").Prefix(64)
	return p.String()
}

// Network is the wider network addr belongs to: an IPv4 address's /24, an
// IPv6 address's /48 (what one site or customer is typically given, so
// one party holds its 65,536 /64s). Limits per Bucket stop one client;
// a limit per Network stops one party that rotates through the
// addresses it has (red team session 6, N4).
func Network(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	a = a.Unmap()
	bits := 48
	if a.Is4() {
		bits = 24
	}
	p, _ := a.WithZone("").Prefix(bits)
	return p.String()
}

func peerAddr(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}
