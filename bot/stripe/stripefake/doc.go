// Package stripefake is a local stand-in for the part of Stripe's API the
// bot uses (creating Checkout Sessions, on an httptest server) and for
// Stripe's webhook deliveries, signed with the endpoint's secret by
// Stripe's own library, for tests of bot/stripe and end-to-end tests.
package stripefake
