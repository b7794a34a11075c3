package bot

import (
	"context"
	"encoding/json"

	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/dialogs"
)

// dialogStatePrefix keys a conversation's dialog state in hot state; it
// is the key Conversations.loadState reads and afterCommit writes.
const dialogStatePrefix = "dialog:"

// DialogState returns the dialog state the bot last saved for the
// conversation (channel, address), so that the console can write to a
// debtor in the language of their chat. ok is false when there is none:
// the debtor never wrote, the state expired, or hot state is down or
// unreadable — hot state may be lost, so callers need a default.
func DialogState(ctx context.Context, hot hotstate.Store, channel, address string) (st dialogs.State, ok bool) {
	if hot == nil {
		return dialogs.State{}, false
	}
	b, err := hot.Get(ctx, dialogStatePrefix+Inbound{Channel: channel, From: address}.ConversationKey())
	if err != nil || json.Unmarshal(b, &st) != nil {
		return dialogs.State{}, false
	}
	return st, true
}
