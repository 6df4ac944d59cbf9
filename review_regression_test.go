package aistats

// Regression tests for bugs found in review: each failed before its fix.

import (
	"bytes"
	"context"
	"errors"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
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
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 204, Header: http.Header{}, Request: r}, nil
	})
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("panic on nil response Body: %v", p)
		}
	}()
	july := newRTClient(t, rt, WithAPIVersion(APIVersionJuly2026))
	for name, del := range map[string]func() error{
		"2026-03 Keys":    func() error { return newRTClient(t, rt).Keys.Delete(context.Background(), testKeyID) },
		"2026-07 Keys":    func() error { return july.Keys.Delete(context.Background(), julyMgmtID) },
		"2026-07 APIKeys": func() error { return july.APIKeys.Delete(context.Background(), julyAPIKeyID) },
	} {
		if err := del(); err != nil {
			t.Errorf("%s: a 204 with a nil Body is a success: %v", name, err)
		}
	}
}

// Finding: ctx cancelled after the 201 (with the one-time plaintext) was fully
// read: the created key is discarded and the error does NOT match ErrUnknownOutcome.
func TestCreateCancelledAfterFull201DeliversKey(t *testing.T) {
	mints := []struct {
		name    string
		version APIVersion
		status  int
		body    string
		mint    func(ctx context.Context, c *Client) (Secret, error)
	}{
		{"2026-03 Keys.Create", APIVersionMarch2026, 201, createdBody, func(ctx context.Context, c *Client) (Secret, error) {
			k, err := c.Keys.Create(ctx, &CreateKeyParams{Name: "CI"})
			return secretOf(k, err, func() Secret { return k.Secret })
		}},
		{"2026-07 Keys.Create", APIVersionJuly2026, 201, julyMgmtCreated, func(ctx context.Context, c *Client) (Secret, error) {
			k, err := c.Keys.Create(ctx, &CreateKeyParams{Name: "CI", Template: KeyTemplateReadOnly})
			return secretOf(k, err, func() Secret { return k.Secret })
		}},
		{"2026-07 APIKeys.Create", APIVersionJuly2026, 201, julyAPIKeyCreated, func(ctx context.Context, c *Client) (Secret, error) {
			k, err := c.APIKeys.Create(ctx, &CreateAPIKeyParams{Name: "CI"})
			return secretOf(k, err, func() Secret { return k.Secret })
		}},
		{"2026-07 APIKeys.Rotate", APIVersionJuly2026, 200, julyRotated, func(ctx context.Context, c *Client) (Secret, error) {
			k, err := c.APIKeys.Rotate(ctx, julyAPIKeyID, nil)
			return secretOf(k, err, func() Secret { return k.Secret })
		}},
	}
	for _, m := range mints {
		ctx, cancel := context.WithCancel(context.Background())
		c := newRTClient(t, rtFunc(func(r *http.Request) (*http.Response, error) {
			io.Copy(io.Discard, r.Body)
			cancel() // the caller's deadline/cancel arrives just as the answer completes
			return &http.Response{StatusCode: m.status, Header: http.Header{"Content-Type": {"application/json"}},
				Body: io.NopCloser(strings.NewReader(m.body)), ContentLength: int64(len(m.body)), Request: r}, nil
		}), WithAPIVersion(m.version))
		secret, err := m.mint(ctx, c)
		cancel()
		if err != nil {
			t.Errorf("%s: the answer was read in full before the cancel; the key must be delivered: %v", m.name, err)
			continue
		}
		if secret.IsZero() {
			t.Errorf("%s: the one-time secret was lost", m.name)
		}
	}
}

// secretOf is a mint's secret, or its error.
func secretOf[T any](k *T, err error, secret func() Secret) (Secret, error) {
	if err != nil || k == nil {
		return Secret{}, err
	}
	return secret(), nil
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
// end of the list although the server page was full. Both page types, both
// versions.
func TestPagesNextOptionsAfterDroppedRepeats(t *testing.T) {
	march := func(ids ...string) string {
		var parts []string
		for _, id := range ids {
			parts = append(parts, `{"id":"`+id+`","name":"n","prefix":"p","status":"active","scopes":[],"created_at":"2026-03-10T14:02:11Z"}`)
		}
		return strings.Join(parts, ",")
	}
	july := func(ids ...string) string {
		var parts []string
		for _, id := range ids {
			parts = append(parts, `{"id":"`+id+`","name":"n","prefix":"p","status":"active","created_at":"2026-08-20T10:11:12Z"}`)
		}
		return `{"data":[` + strings.Join(parts, ",") + `],"total_count":0}`
	}
	// A key was created meanwhile: k2 shifts onto the page at offset 2.
	bodies := map[string]map[string]string{
		"2026-03 Keys": {
			"":  `{"ok":true,"limit":2,"offset":0,"total":0,"keys":[` + march("k1", "k2") + `]}`,
			"2": `{"ok":true,"limit":2,"offset":2,"total":0,"keys":[` + march("k2", "k3") + `]}`,
			"4": `{"ok":true,"limit":2,"offset":4,"total":0,"keys":[` + march("k4") + `]}`,
		},
		"2026-07 Keys":    {"": july("k1", "k2"), "2": july("k2", "k3"), "4": july("k4")},
		"2026-07 APIKeys": {"": july("k1", "k2"), "2": july("k2", "k3"), "4": july("k4")},
	}
	for name, pages := range bodies {
		version := APIVersionJuly2026
		if strings.HasPrefix(name, "2026-03") {
			version = APIVersionMarch2026
		}
		c := newRTClient(t, rtFunc(func(r *http.Request) (*http.Response, error) {
			body := pages[r.URL.Query().Get("offset")]
			return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
		}), WithAPIVersion(version))
		var nexts []window
		if strings.HasSuffix(name, "APIKeys") {
			nexts = nextWindows(t, c.APIKeys.Pages(context.Background(), &ListAPIKeysOptions{Limit: 2}),
				(*APIKeyPage).NextOptions, func(o *ListAPIKeysOptions) int { return o.Offset })
		} else {
			nexts = nextWindows(t, c.Keys.Pages(context.Background(), &ListKeysOptions{Limit: 2}),
				(*KeyPage).NextOptions, func(o *ListKeysOptions) int { return o.Offset })
		}
		want := []window{{2, true}, {4, true}, {0, false}}
		if !slices.Equal(nexts, want) {
			t.Errorf("%s: NextOptions of each page = %v, want %v (page 2 was a full server page of 2 keys at offset 2)", name, nexts, want)
		}
	}
}

// window is what NextOptions says of a page: the next offset, if any.
type window struct {
	offset int
	more   bool
}

// nextWindows walks pages and returns NextOptions' answer for each.
func nextWindows[P, O any](t *testing.T, pages iter.Seq2[P, error], next func(P) (*O, bool), offset func(*O) int) []window {
	t.Helper()
	var out []window
	for page, err := range pages {
		if err != nil {
			t.Fatal(err)
		}
		w := window{}
		if o, more := next(page); more {
			w = window{offset(o), true}
		}
		out = append(out, w)
	}
	return out
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
	for _, v := range []APIVersion{APIVersionMarch2026, APIVersionJuly2026} {
		var logs bytes.Buffer
		c := newRTClient(t, rtFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 503, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("x")), Request: r}, nil
		}), WithMaxRetries(0), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))), WithAPIVersion(v))
		errs := []error{errOnly(c.Keys.Get(context.Background(), testKeyID))}
		if v == APIVersionJuly2026 {
			errs = append(errs, errOnly(c.APIKeys.Get(context.Background(), julyAPIKeyID)))
		}
		for _, err := range errs {
			if !errors.Is(err, ErrServer) {
				t.Fatalf("%s: want the 503, got %v", v, err)
			}
		}
		if strings.Contains(logs.String(), "retrying") {
			t.Fatalf("%s: a 'retrying' warning was logged although WithMaxRetries(0) made no retry", v)
		}
	}
}
