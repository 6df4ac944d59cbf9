package aistats

// Regression tests for bugs found in review: each failed before its fix.

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

const createdBody = `{"ok":true,"key":{"id":"9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40","name":"CI","prefix":"Q7xk2P","status":"active","scopes":"[\"read\"]","created_at":"2026-03-10T14:02:11.482+00:00","key":"aistats_v1_sk_Q7xk2Pa9LmZt_Zq8XwV7uT6sR5pO4nM3lK2jI1hG0fE9dC8bA7y"}}`

func newRTClient(t *testing.T, rt http.RoundTripper, extra ...Option) *Client {
	t.Helper()
	opts := append([]Option{WithAPIKey(testAPIKey), WithBaseURL("http://127.0.0.1:1/v1"),
		WithHTTPClient(&http.Client{Transport: rt}), WithRetryWait(time.Millisecond, 2*time.Millisecond)}, extra...)
	c, err := NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Finding: a RoundTripper that returns a Response with a nil Body (legal for
// net/http's own Client, which substitutes an empty body: golang.org/issue/38095)
// panics inside attemptTransport.RoundTrip.
func TestNilResponseBodyDoesNotPanic(t *testing.T) {
	c := newRTClient(t, rtFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 204, Header: http.Header{}, Request: r}, nil
	}))
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("panic on nil response Body: %v", p)
		}
	}()
	if err := c.Keys.Delete(context.Background(), testKeyID); err != nil {
		t.Fatalf("a 204 with a nil Body is a success: %v", err)
	}
}

// Finding: ctx cancelled after the 201 (with the one-time plaintext) was fully
// read: the created key is discarded and the error does NOT match ErrUnknownOutcome.
func TestCreateCancelledAfterFull201DeliversKey(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := newRTClient(t, rtFunc(func(r *http.Request) (*http.Response, error) {
		io.Copy(io.Discard, r.Body)
		cancel() // the caller's deadline/cancel arrives just as the answer completes
		return &http.Response{StatusCode: 201, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(createdBody)), ContentLength: int64(len(createdBody)), Request: r}, nil
	}))
	created, err := c.Keys.Create(ctx, &CreateKeyParams{Name: "CI"})
	if err != nil {
		t.Fatalf("the 201 was read in full before the cancel; the key must be delivered: %v", err)
	}
	if created.Secret.IsZero() {
		t.Fatal("the one-time secret was lost")
	}
}

// Finding: a single key whose stored scopes string merely starts with '['
// (server stores scope strings verbatim, contract §2.2/§5) makes the whole
// page undecodable, so List/All can never get past it.
func TestVerbatimGarbageScopesDoNotBreakList(t *testing.T) {
	body := `{"ok":true,"limit":50,"offset":0,"total":1,"keys":[{"id":"a","name":"x","prefix":"p","status":"active","scopes":"[read, write]","created_at":"2026-03-10T14:02:11.482+00:00","last_used_at":null}]}`
	c := newRTClient(t, rtFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	}))
	page, err := c.Keys.List(context.Background(), nil)
	if err != nil {
		t.Fatalf("List fails on one key with verbatim-stored scopes %q: %v", "[read, write]", err)
	}
	if got := page.Keys[0].Scopes.String(); got != "read,write" {
		t.Errorf("scopes %q, want read,write", got)
	}
}

// Pages yields pages whose Keys were filtered by dropRepeats; NextOptions on
// such a page (the documented manual-paging/checkpoint API) then reports the
// end of the list although the server page was full.
func TestPagesNextOptionsAfterDroppedRepeats(t *testing.T) {
	mk := func(ids ...string) string {
		var parts []string
		for _, id := range ids {
			parts = append(parts, `{"id":"`+id+`","name":"n","prefix":"p","status":"active","scopes":[],"created_at":"2026-03-10T14:02:11Z"}`)
		}
		return strings.Join(parts, ",")
	}
	n := 0
	c := newRTClient(t, rtFunc(func(r *http.Request) (*http.Response, error) {
		n++
		var body string
		switch r.URL.Query().Get("offset") {
		case "":
			body = `{"ok":true,"limit":2,"offset":0,"total":0,"keys":[` + mk("k1", "k2") + `]}`
		case "2": // a key was created meanwhile: k2 shifts onto this page
			body = `{"ok":true,"limit":2,"offset":2,"total":0,"keys":[` + mk("k2", "k3") + `]}`
		default:
			body = `{"ok":true,"limit":2,"offset":4,"total":0,"keys":[` + mk("k4") + `]}`
		}
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	}))
	i := 0
	for page, err := range c.Keys.Pages(context.Background(), &ListKeysOptions{Limit: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		i++
		next, more := page.NextOptions()
		if i == 2 && (!more || next.Offset != 4) {
			t.Errorf("page 2 was a full server page (2 keys at offset 2); NextOptions = %v, %v, want offset 4", next, more)
		}
	}
}

// bufferBody's error paths put the grown buffer back into bodyPool without
// release()'s 1 MiB cap check: an oversized (or truncated large) answer
// parks a >10 MiB buffer in the pool.
func TestOversizedBodyBufferNotPooled(t *testing.T) {
	debug.SetGCPercent(-1)
	defer debug.SetGCPercent(100)
	big := bytes.Repeat([]byte("x"), maxResponseBody+1)
	c := newRTClient(t, rtFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(big)), ContentLength: -1, Request: r}, nil
	}), WithMaxRetries(0))
	_, err := c.Keys.Get(context.Background(), testKeyID)
	if !errors.Is(err, ErrResponseTooLarge) {
		t.Fatal(err)
	}
	bp := bodyPool.Get().(*[]byte)
	if cap(*bp) > 1<<20 {
		t.Fatalf("pool now holds a %d-byte buffer", cap(*bp))
	}
}

func TestNoRetryLogWhenNoRetryLeft(t *testing.T) {
	var logs bytes.Buffer
	c := newRTClient(t, rtFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 503, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("x")), Request: r}, nil
	}), WithMaxRetries(0), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	_, err := c.Keys.Get(context.Background(), testKeyID)
	if !errors.Is(err, ErrServer) {
		t.Fatalf("want the 503, got %v", err)
	}
	if strings.Contains(logs.String(), "retrying") {
		t.Fatal("a 'retrying' warning was logged although WithMaxRetries(0) made no retry")
	}
}
