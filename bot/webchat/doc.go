// Package webchat is the web chat channel: the page at /chat, its session and CSRF checks, and the
// Server-Sent Events stream of the bot's replies. It knows HTTP and the browser, nothing of dialogs.
package webchat
