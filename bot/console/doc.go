// Package console is the collectors' web console: log in, the queue of
// chats the bot handed over, claim one, read the case and the whole
// conversation, reply through the debtor's own channel, note, hand back.
package console
