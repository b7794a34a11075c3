package bot

import (
	"context"
	"sync"
	"testing"
	"time"
)

func TestArrivalOrderLetsMessagesThroughInArrivalOrder(t *testing.T) {
	var a arrivalOrder
	var mu sync.Mutex
	var got []int
	var wg sync.WaitGroup
	first, _ := a.enter(context.Background(), "sms:+31612345678")
	for i := 1; i <= 10; i++ {
		wg.Add(1)
		ready := make(chan struct{})
		go func() {
			defer wg.Done()
			close(ready)
			leave, err := a.enter(context.Background(), "sms:+31612345678")
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			got = append(got, i)
			mu.Unlock()
			leave()
		}()
		<-ready
		time.Sleep(2 * time.Millisecond) // let it queue before the next arrives
	}
	first()
	wg.Wait()
	for i, n := range got {
		if n != i+1 {
			t.Fatalf("messages went through as %v, want 1..10 in order", got)
		}
	}
}

func TestArrivalOrderGivesUpOnContextButKeepsTheLine(t *testing.T) {
	var a arrivalOrder
	first, _ := a.enter(context.Background(), "k")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := a.enter(ctx, "k"); err == nil {
		t.Fatal("enter with a cancelled context succeeded while the key was held")
	}
	third := make(chan struct{})
	go func() {
		leave, err := a.enter(context.Background(), "k")
		if err == nil {
			leave()
		}
		close(third)
	}()
	select {
	case <-third:
		t.Fatal("the third message overtook the first")
	case <-time.After(20 * time.Millisecond):
	}
	first()
	select {
	case <-third:
	case <-time.After(time.Second):
		t.Fatal("the line stalled after a waiter gave up")
	}
}

func TestArrivalOrderKeepsConversationsIndependent(t *testing.T) {
	var a arrivalOrder
	held, _ := a.enter(context.Background(), "sms:+31600000001")
	defer held()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	other, err := a.enter(ctx, "sms:+31600000002")
	if err != nil {
		t.Fatalf("another conversation waited for this one: %v", err)
	}
	other()
}
