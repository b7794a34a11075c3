package telegramfake

import (
	"encoding/json"
	"time"
)

// Message describes one incoming message; Update renders it as the JSON
// Telegram sends (webhook body, or one element of getUpdates). Zero values
// mean: a private chat, the sender is the chat's user, sent now.
type Message struct {
	UpdateID  int   // 0: PushUpdate assigns the next one
	MessageID int   // default: UpdateID
	ChatID    int64 // the chat, and for a private chat the user
	FromID    int64 // default ChatID
	ChatType  string
	Date      time.Time
	Edited    bool // sent as edited_message
	IsBot     bool

	Text     string
	Caption  string
	Contact  *Contact
	Photo    []PhotoSize
	Document *Document
	Voice    *Voice
	Sticker  *Sticker
}

// Contact is a shared contact; UserID is set by Telegram when the number
// belongs to a Telegram user (the sender's own, with the share button).
type Contact struct {
	PhoneNumber string `json:"phone_number"`
	FirstName   string `json:"first_name"`
	UserID      int64  `json:"user_id,omitempty"`
}

// PhotoSize is one of the sizes Telegram keeps of a photo.
type PhotoSize struct {
	FileID   string `json:"file_id"`
	Width    int    `json:"width"`
	Height   int    `json:"height"`
	FileSize int    `json:"file_size,omitempty"`
}

// Document is a file sent as a file.
type Document struct {
	FileID   string `json:"file_id"`
	FileName string `json:"file_name,omitempty"`
	MimeType string `json:"mime_type,omitempty"`
	FileSize int    `json:"file_size,omitempty"`
}

// Voice is a voice note.
type Voice struct {
	FileID   string `json:"file_id"`
	Duration int    `json:"duration"`
	MimeType string `json:"mime_type,omitempty"`
	FileSize int    `json:"file_size,omitempty"`
}

// Sticker is a sticker.
type Sticker struct {
	FileID string `json:"file_id"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Emoji  string `json:"emoji,omitempty"`
}

// Update renders m as a Telegram update.
func (m Message) Update() []byte {
	from := m.FromID
	if from == 0 {
		from = m.ChatID
	}
	chatType, date, msgID := m.ChatType, m.Date, m.MessageID
	if chatType == "" {
		chatType = "private"
	}
	if date.IsZero() {
		date = time.Now()
	}
	if msgID == 0 {
		msgID = max(m.UpdateID, 1)
	}
	msg := map[string]any{
		"message_id": msgID,
		"date":       date.Unix(),
		"from":       map[string]any{"id": from, "is_bot": m.IsBot, "first_name": "Debtor", "language_code": "nl"},
		"chat":       map[string]any{"id": m.ChatID, "type": chatType, "first_name": "Debtor"},
	}
	if chatType != "private" {
		msg["chat"] = map[string]any{"id": m.ChatID, "type": chatType, "title": "A group"}
	}
	for key, v := range map[string]any{"text": m.Text, "caption": m.Caption} {
		if v != "" {
			msg[key] = v
		}
	}
	for key, v := range map[string]any{"contact": m.Contact, "document": m.Document, "voice": m.Voice, "sticker": m.Sticker} {
		if !isNilPointer(v) {
			msg[key] = v
		}
	}
	if len(m.Photo) > 0 {
		msg["photo"] = m.Photo
	}
	kind := "message"
	if m.Edited {
		kind = "edited_message"
		msg["edit_date"] = date.Unix() + 60
	}
	upd := map[string]any{kind: msg}
	if m.UpdateID > 0 {
		upd["update_id"] = m.UpdateID
	}
	b, err := json.Marshal(upd)
	if err != nil {
		panic("telegramfake: " + err.Error())
	}
	return b
}

func isNilPointer(v any) bool {
	switch p := v.(type) {
	case *Contact:
		return p == nil
	case *Document:
		return p == nil
	case *Voice:
		return p == nil
	case *Sticker:
		return p == nil
	}
	return v == nil
}

// TextUpdate is a text message in the private chat chatID.
func TextUpdate(updateID int, chatID int64, text string) []byte {
	return Message{UpdateID: updateID, ChatID: chatID, Text: text}.Update()
}

// ContactUpdate is a contact shared in the private chat chatID. With
// contactUserID == chatID it is the sender's own number, as the "share my
// phone number" button sends it; phone is as Telegram writes it
// ("31612345678", no "+").
func ContactUpdate(updateID int, chatID, contactUserID int64, phone string) []byte {
	return Message{UpdateID: updateID, ChatID: chatID,
		Contact: &Contact{PhoneNumber: phone, FirstName: "Debtor", UserID: contactUserID}}.Update()
}

// PhotoUpdate is a photo (in the sizes given, smallest first as Telegram
// lists them) in the private chat chatID.
func PhotoUpdate(updateID int, chatID int64, caption string, sizes ...PhotoSize) []byte {
	return Message{UpdateID: updateID, ChatID: chatID, Caption: caption, Photo: sizes}.Update()
}

// DocumentUpdate is a file sent as a document in the private chat chatID.
func DocumentUpdate(updateID int, chatID int64, caption string, doc Document) []byte {
	return Message{UpdateID: updateID, ChatID: chatID, Caption: caption, Document: &doc}.Update()
}
