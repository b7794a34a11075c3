// Package auth is how collectors, supervisors and creditors prove who they
// are: bcrypt passwords, rate-limited logins, session cookies with CSRF
// tokens for the console pages and bearer tokens for the JSON API.
package auth
