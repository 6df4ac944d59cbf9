package aistats

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The per-attempt context behaves like context.WithTimeout's: done at the
// timeout with DeadlineExceeded, at the parent's cancellation with its
// error, at finish with Canceled; contexts derived from it follow it.

func TestAttemptCtxTimeout(t *testing.T) {
	t.Parallel()
	var a attemptCtx
	start := time.Now()
	a.start(context.Background(), start, 20*time.Millisecond)
	if d, ok := a.Deadline(); !ok || !d.Equal(start.Add(20*time.Millisecond)) {
		t.Errorf("Deadline() = %v, %v; want start+20ms, true", d, ok)
	}
	child, cancelChild := context.WithCancel(&a)
	defer cancelChild()
	if n := registered(&a); n != 1 {
		t.Fatalf("context.WithCancel registered %d functions through AfterFunc; want 1 (no goroutine)", n)
	}
	select {
	case <-child.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the derived context was not cancelled at the timeout")
	}
	if a.Err() != context.DeadlineExceeded || child.Err() != context.DeadlineExceeded {
		t.Errorf("Err() = %v, child %v; want context.DeadlineExceeded", a.Err(), child.Err())
	}
	if !errors.Is(context.Cause(child), context.DeadlineExceeded) {
		t.Errorf("Cause(child) = %v", context.Cause(child))
	}
	a.finish()
	if a.Err() != context.DeadlineExceeded {
		t.Errorf("finish changed Err to %v", a.Err())
	}
}

// registered counts the functions registered and neither run nor stopped.
func registered(a *attemptCtx) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, f := range a.fns {
		if f != nil {
			n++
		}
	}
	return n
}

func TestAttemptCtxFinish(t *testing.T) {
	t.Parallel()
	var a attemptCtx
	a.start(context.Background(), time.Now(), time.Hour)
	child, cancelChild := context.WithCancel(&a)
	defer cancelChild()
	if a.Err() != nil {
		t.Fatalf("Err() = %v before the attempt ended", a.Err())
	}
	a.finish()
	<-a.Done()
	<-child.Done()
	if a.Err() != context.Canceled || child.Err() != context.Canceled {
		t.Errorf("after finish: Err() = %v, child %v; want context.Canceled", a.Err(), child.Err())
	}
	ran := make(chan struct{})
	stop := a.AfterFunc(func() { close(ran) })
	<-ran // registered after the end: runs at once
	if stop() {
		t.Error("stop after the function ran reported true")
	}
}

func TestAttemptCtxStop(t *testing.T) {
	t.Parallel()
	var a attemptCtx
	a.start(context.Background(), time.Now(), time.Hour)
	ran := false
	stop := a.AfterFunc(func() { ran = true })
	if !stop() {
		t.Error("first stop reported false")
	}
	if stop() {
		t.Error("second stop reported true")
	}
	// A derived context cancelled on its own unregisters itself.
	_, cancelChild := context.WithCancel(&a)
	cancelChild()
	if n := registered(&a); n != 0 {
		t.Errorf("%d functions still registered after stop and the child's cancel", n)
	}
	a.finish()
	if ran {
		t.Error("a stopped function ran")
	}
}

func TestAttemptCtxParent(t *testing.T) {
	t.Parallel()
	type key struct{}
	parent, cancel := context.WithCancelCause(context.WithValue(context.Background(), key{}, "v"))
	var a attemptCtx
	a.start(parent, time.Now(), time.Hour)
	if a.Value(key{}) != "v" {
		t.Errorf("Value does not reach the parent's values")
	}
	child, cancelChild := context.WithCancel(&a)
	defer cancelChild()
	cancel(errors.New("caller gave up"))
	select {
	case <-child.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the parent's cancellation did not reach the derived context")
	}
	if a.Err() != context.Canceled {
		t.Errorf("Err() = %v; want the parent's context.Canceled", a.Err())
	}
	a.finish()

	// An earlier parent deadline is the attempt's; no timer is armed.
	dl := time.Now().Add(time.Minute)
	parent2, cancel2 := context.WithDeadline(context.Background(), dl)
	defer cancel2()
	var b attemptCtx
	b.start(parent2, time.Now(), time.Hour)
	if d, _ := b.Deadline(); !d.Equal(dl) || b.timer != nil {
		t.Errorf("Deadline() = %v (timer %v); want the parent's %v and no timer", d, b.timer != nil, dl)
	}
	b.finish()

	// A parent already done makes the attempt done at once.
	var c attemptCtx
	c.start(parent, time.Now(), time.Hour)
	if c.Err() != context.Canceled {
		t.Errorf("started under a cancelled parent: Err() = %v", c.Err())
	}
	c.finish()
}

// Pooled timers stay armed between attempts: one armed for an earlier,
// shorter attempt re-arms for the next attempt's deadline instead of
// cancelling it, and one armed for a longer deadline is brought forward.
func TestAttemptTimerReuse(t *testing.T) {
	t.Parallel()
	for range 20 {
		var short attemptCtx
		short.start(context.Background(), time.Now(), 5*time.Millisecond)
		short.finish() // its timer goes back to the pool, still armed for +5ms
		var long attemptCtx
		long.start(context.Background(), time.Now(), time.Hour)
		time.Sleep(15 * time.Millisecond)
		if long.Err() != nil {
			t.Fatalf("an attempt with an hour to go was cancelled: %v", long.Err())
		}
		long.finish()

		var a attemptCtx
		a.start(context.Background(), time.Now(), time.Hour)
		a.finish() // pooled, armed for +1h
		var b attemptCtx
		start := time.Now()
		b.start(context.Background(), start, 10*time.Millisecond)
		select {
		case <-b.Done():
		case <-time.After(5 * time.Second):
			t.Fatal("a 10ms attempt on a timer armed for an hour was not cancelled")
		}
		if b.Err() != context.DeadlineExceeded || time.Since(start) < 10*time.Millisecond {
			t.Fatalf("Err() = %v after %s", b.Err(), time.Since(start))
		}
		b.finish()
	}
}

// The caller cancelling, or its deadline passing, aborts an attempt on a
// server that never answers, and is reported as the caller's error, not
// as an attempt timeout.
func TestCallerCancelAbortsHungAttempt(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL+"/v1", WithMaxRetries(0))
	for _, tc := range []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		want error
	}{
		{"cancel", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(50*time.Millisecond, cancel)
			return ctx, cancel
		}, context.Canceled},
		{"deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 50*time.Millisecond)
		}, context.DeadlineExceeded},
	} {
		ctx, cancel := tc.ctx()
		start := time.Now()
		_, err := c.Keys.Get(ctx, testKeyID)
		cancel()
		if elapsed := time.Since(start); elapsed > 5*time.Second {
			t.Errorf("%s: the call took %s", tc.name, elapsed)
		}
		var ate *AttemptTimeoutError
		if !errors.Is(err, tc.want) || errors.As(err, &ate) {
			t.Errorf("%s: err = %v; want %v and no AttemptTimeoutError", tc.name, err, tc.want)
		}
	}
}

// Sound: pooled timers are shared by clients with different timeouts; a
// timer armed for a short-timeout client never cancels a later attempt of
// a long-timeout client.
func TestPooledTimerAcrossClients(t *testing.T) {
	fast := newTestServer(t, jsonReply(200, julyMgmtJSON))
	slow := newTestServer(t, reply{Status: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: julyMgmtJSON, Delay: 300 * time.Millisecond})
	short := newTestClient(t, fast.BaseURL(), WithAPIKey(julyKey), WithTimeout(50*time.Millisecond))
	long := newTestClient(t, slow.BaseURL(), WithAPIKey(julyKey), WithTimeout(5*time.Second), WithMaxRetries(0))
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				// The short client only arms pooled timers; its own attempts
				// may time out on a loaded machine, which is not under test.
				var ate *AttemptTimeoutError
				if _, err := short.Keys.Get(context.Background(), julyMgmtID); err != nil && !errors.As(err, &ate) {
					t.Errorf("short: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := long.Keys.Get(context.Background(), julyMgmtID); err != nil {
				t.Errorf("long client cancelled by a pooled timer: %v", err)
			}
		}()
	}
	wg.Wait()
}

// Sound: contexts a RoundTripper derives from the attempt's context, and
// functions it registers with context.AfterFunc, are released when the
// attempt ends (success or per-attempt timeout), and a stopped AfterFunc
// never runs.
func TestAttemptCtxDerivedContextsReleased(t *testing.T) {
	for _, slow := range []bool{false, true} {
		var derived []context.Context
		var cancels []context.CancelFunc
		var ran, stoppedRan atomic.Int64
		var mu sync.Mutex
		rt := rtFunc(func(r *http.Request) (*http.Response, error) {
			ctx2, cancel2 := context.WithCancel(r.Context())
			mu.Lock()
			derived = append(derived, ctx2)
			cancels = append(cancels, cancel2) // called only after the check
			mu.Unlock()
			context.AfterFunc(r.Context(), func() { ran.Add(1) })
			stop := context.AfterFunc(r.Context(), func() { stoppedRan.Add(1) })
			if !stop() {
				t.Error("stop before the attempt ended returned false")
			}
			if slow {
				<-r.Context().Done()
				return nil, r.Context().Err()
			}
			return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(julyMgmtJSON)), Request: r}, nil
		})
		c := newRTClient(t, rt, WithAPIKey(julyKey), WithTimeout(30*time.Millisecond), WithMaxRetries(1))
		_, err := c.Keys.Get(context.Background(), julyMgmtID)
		if slow != (err != nil) {
			t.Errorf("slow=%v: err=%v", slow, err)
		}
		mu.Lock()
		for i, d := range derived {
			select {
			case <-d.Done():
			case <-time.After(time.Second):
				t.Errorf("slow=%v: derived context %d never done", slow, i)
			}
		}
		for _, cancel := range cancels {
			cancel()
		}
		mu.Unlock()
		deadline := time.Now().Add(time.Second)
		for ran.Load() < int64(len(derived)) && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		if ran.Load() != int64(len(derived)) || stoppedRan.Load() != 0 {
			t.Errorf("slow=%v: AfterFunc ran %d of %d, stopped ran %d", slow, ran.Load(), len(derived), stoppedRan.Load())
		}
	}
}
