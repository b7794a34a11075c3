package webchat

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/incassobot/incassobot/bot"
)

// reply is what the page receives for one bot message.
type reply struct {
	Text    string   `json:"text"`
	Options []string `json:"options,omitempty"`
}

// Send delivers a reply to the browser of conversation m.To by publishing
// it on the conversation's topic; whichever instance holds the browser's events
// stream passes it on. A browser that is gone (tab closed, phone asleep)
// is not an error: the reply is committed in the conversation already,
// and the page shows it from Config.History when it reconnects. Only a
// failing hot state is an error, and a temporary one.
func (wc *WebChat) Send(ctx context.Context, m bot.Outgoing) (string, error) {
	if m.Channel != "" && m.Channel != Channel {
		return "", &bot.SendError{Err: fmt.Errorf("webchat: cannot send on channel %q", m.Channel)}
	}
	if !ValidConversation(m.To) {
		return "", &bot.SendError{Err: errors.New("webchat: recipient is not a web chat conversation")}
	}
	b, err := json.Marshal(reply{Text: m.Text, Options: m.Options})
	if err != nil {
		return "", &bot.SendError{Err: fmt.Errorf("webchat: %w", err)}
	}
	if err := wc.hot.Publish(ctx, topic(m.To), b); err != nil {
		return "", &bot.SendError{Err: err, Temporary: true}
	}
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	return "web:out:" + hex.EncodeToString(id), nil
}
