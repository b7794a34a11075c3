// Package webpage is the middleware every browser-facing surface (the
// console, the creditor portal, the API, the web chat) puts in front of
// its routes: the security headers and the bound on request bodies. It
// exists so that the surfaces harden the same way in one place; each
// still chooses its own policy, since a page that runs a script, a page
// that runs none and a JSON API need different ones.
package webpage

import "net/http"

// Policy is what a surface's every answer carries besides
// X-Content-Type-Options: nosniff and X-Frame-Options: DENY, which all
// carry. An empty field sets nothing.
type Policy struct {
	// CSP is the Content-Security-Policy.
	CSP string
	// Referrer is the Referrer-Policy.
	Referrer string
	// NoStore sets Cache-Control: no-store on every answer (a handler may
	// set its own after).
	NoStore bool
	// MaxBody bounds every request body, in bytes (0: no bound). A body
	// read past it fails, which the form parsers report as bad input.
	MaxBody int64
}

// Secure wraps next so that every answer carries p.
func Secure(p Policy, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if p.CSP != "" {
			h.Set("Content-Security-Policy", p.CSP)
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		if p.Referrer != "" {
			h.Set("Referrer-Policy", p.Referrer)
		}
		if p.NoStore {
			h.Set("Cache-Control", "no-store")
		}
		if p.MaxBody > 0 && r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, p.MaxBody)
		}
		next.ServeHTTP(w, r)
	})
}
