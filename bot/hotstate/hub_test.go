package hotstate_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/bot/hotstate/redistest"
	"github.com/redis/go-redis/v9"
)

// Many open chats on one instance share one Redis pub/sub connection; a
// connection per stream ran Redis out of connections.
func TestRedisSubscribersShareOneConnection(t *testing.T) {
	url, prefix := redistest.NewPrefix(t)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "hubtest-" + hex.EncodeToString(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := hotstate.OpenRedis(ctx, url+"?client_name="+name, prefix)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const streams = 200
	chans := make([]<-chan []byte, streams)
	for i := range chans {
		if chans[i], err = s.Subscribe(ctx, fmt.Sprintf("web:conv-%d", i%50)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Publish(ctx, "web:conv-7", []byte("hallo")); err != nil {
		t.Fatal(err)
	}
	for i, ch := range chans {
		if i%50 == 7 {
			if got := receive(t, ch); string(got) != "hallo" {
				t.Fatalf("subscriber %d got %q", i, got)
			}
		}
	}
	opt, _ := redis.ParseURL(url)
	admin := redis.NewClient(opt)
	defer admin.Close()
	list, err := admin.ClientList(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	subscribed := 0
	for _, line := range strings.Split(list, "\n") {
		if strings.Contains(line, " name="+name+" ") && !strings.Contains(line, " sub=0 ") {
			subscribed++
		}
	}
	if subscribed != 1 {
		t.Fatalf("%d subscribers on 50 topics hold %d Redis pub/sub connections, want 1", streams, subscribed)
	}
}
