package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/incassobot/incassobot/bot"
)

// fetchedTypes are the files worth downloading: what the bot keeps as
// evidence (a photo of a receipt, a PDF bank statement). Other files reach
// the bot with their type and size only, so the dialog can say so.
var fetchedTypes = map[string]bool{"image/jpeg": true, "image/png": true, "application/pdf": true}

// media returns the file that came with msg, fetched when it is evidence
// and within the size limit. An error means the file could not be fetched
// now and the update must be retried.
func (d decoder) media(ctx context.Context, msg *tgbotapi.Message) ([]bot.Media, error) {
	var m bot.Media
	var err error
	switch {
	case len(msg.Photo) > 0:
		m, err = d.photo(ctx, msg.Photo)
	case msg.Document != nil:
		doc := msg.Document
		m = bot.Media{ContentType: mediaType(doc.MimeType, "application/octet-stream"), Size: int64(doc.FileSize)}
		if fetchedTypes[m.ContentType] {
			m, err = d.fetch(ctx, doc.FileID, m.ContentType, m.Size)
		}
	case msg.Voice != nil:
		m = bot.Media{ContentType: mediaType(msg.Voice.MimeType, "audio/ogg"), Size: int64(msg.Voice.FileSize)}
	case msg.Audio != nil:
		m = bot.Media{ContentType: mediaType(msg.Audio.MimeType, "audio/mpeg"), Size: int64(msg.Audio.FileSize)}
	case msg.Video != nil:
		m = bot.Media{ContentType: mediaType(msg.Video.MimeType, "video/mp4"), Size: int64(msg.Video.FileSize)}
	case msg.VideoNote != nil:
		m = bot.Media{ContentType: "video/mp4", Size: int64(msg.VideoNote.FileSize)}
	case msg.Animation != nil:
		m = bot.Media{ContentType: mediaType(msg.Animation.MimeType, "video/mp4"), Size: int64(msg.Animation.FileSize)}
	case msg.Sticker != nil:
		m = bot.Media{ContentType: "image/webp", Size: int64(msg.Sticker.FileSize)}
		if msg.Sticker.IsAnimated {
			m.ContentType = "application/x-tgsticker"
		}
	default:
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []bot.Media{m}, nil
}

// photo fetches the largest size of a photo that fits the limit (Telegram
// sends each photo in several sizes, all JPEG). When even the smallest is
// too large, the bot learns the smallest size and gets no bytes.
func (d decoder) photo(ctx context.Context, sizes []tgbotapi.PhotoSize) (bot.Media, error) {
	best, smallest := -1, 0
	for i, p := range sizes {
		if p.FileSize < sizes[smallest].FileSize {
			smallest = i
		}
		if int64(p.FileSize) > d.maxMedia {
			continue
		}
		if best < 0 || p.Width*p.Height > sizes[best].Width*sizes[best].Height {
			best = i
		}
	}
	if best < 0 {
		return bot.Media{ContentType: "image/jpeg", Size: int64(sizes[smallest].FileSize)}, nil
	}
	return d.fetch(ctx, sizes[best].FileID, "image/jpeg", int64(sizes[best].FileSize))
}

// errTooLarge: the download went past the limit (its size was unknown).
var errTooLarge = errors.New("file larger than the limit")

// fetch downloads a file: getFile for its path, then a GET of the file URL.
// A file over the limit, or whose bytes are not the type it claims, comes
// back without Data. Telegram refusing the file for good (400: invalid or
// too big for bots) also gives Media without Data, so one bad file cannot
// hold up a debtor's chat; anything that may pass (5xx, 429, network) is
// an error for the caller to retry.
func (d decoder) fetch(ctx context.Context, fileID, contentType string, size int64) (bot.Media, error) {
	m := bot.Media{ContentType: contentType, Size: size}
	if size > d.maxMedia {
		return m, nil
	}
	ctx, cancel := context.WithTimeout(ctx, d.api.cfg.RequestTimeout)
	defer cancel()
	file, err := d.api.with(ctx).GetFile(tgbotapi.FileConfig{FileID: fileID})
	if err != nil {
		if retry, _ := temporary(err); retry {
			return bot.Media{}, d.api.describe("getFile", err)
		}
		d.log.Warn("telegram: file refused; passed on without its content", "err", d.api.describe("getFile", err))
		return m, nil
	}
	if int64(file.FileSize) > d.maxMedia {
		m.Size = int64(file.FileSize)
		return m, nil
	}
	data, err := d.api.download(ctx, file.FilePath, d.maxMedia)
	if errors.Is(err, errTooLarge) {
		m.Size = max(size, int64(file.FileSize), d.maxMedia+1)
		return m, nil
	} else if err != nil {
		return bot.Media{}, err
	}
	m.Size = int64(len(data))
	// The declared type comes from the sender's app; the bytes decide.
	sniffed := mediaType(http.DetectContentType(data), "application/octet-stream")
	if sniffed != contentType {
		d.log.Warn("telegram: file content differs from its declared type", "declared", contentType, "content", sniffed)
		m.ContentType = sniffed
		if !fetchedTypes[sniffed] {
			return m, nil
		}
	}
	m.Data = data
	return m, nil
}

// download GETs a file from the Bot API's file endpoint, honouring the
// configured API URL: tgbotapi's File.Link and BotAPI.GetFileDirectURL
// always point at api.telegram.org.
func (c *Client) download(ctx context.Context, filePath string, limit int64) ([]byte, error) {
	if filePath == "" {
		return nil, errors.New("telegram: getFile gave no file_path")
	}
	u := c.cfg.APIURL + "/file/bot" + c.cfg.Token + "/" + strings.TrimLeft(filePath, "/")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, c.describe("download file", err)
	}
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, c.describe("download file", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("telegram: download file: HTTP %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, c.describe("download file", err)
	}
	if int64(len(data)) > limit {
		return nil, errTooLarge
	}
	return data, nil
}

// mediaType is the bare, lower-case media type of a MIME type ("image/jpeg"
// from "IMAGE/JPEG; q=1"), or fallback when there is none.
func mediaType(s, fallback string) string {
	t, _, err := mime.ParseMediaType(s)
	if err != nil || t == "" {
		return fallback
	}
	return t
}
