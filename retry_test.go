package aistats_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawList is one list call against a hand-written server of its version.
type rawList struct {
	name    string
	version aistats.APIVersion
	empty   string // an empty page in the version's envelope
	list    func(ctx context.Context, c *aistats.Client) error
}

var rawLists = []rawList{
	{name: "2026-03/Keys", version: march, empty: `{"ok":true,"limit":50,"offset":0,"total":0,"keys":[]}`,
		list: func(ctx context.Context, c *aistats.Client) error { return errOnly(c.Keys.List(ctx, nil)) }},
	{name: "2026-07/Keys", version: july, empty: `{"data":[]}`,
		list: func(ctx context.Context, c *aistats.Client) error { return errOnly(c.Keys.List(ctx, nil)) }},
	{name: "2026-07/APIKeys", version: july, empty: `{"data":[],"total_count":0}`,
		list: func(ctx context.Context, c *aistats.Client) error { return errOnly(c.APIKeys.List(ctx, nil)) }},
}

// rawClient is a client of version v for a hand-written server at srvURL.
func rawClient(t *testing.T, srvURL string, v aistats.APIVersion, opts ...aistats.Option) *aistats.Client {
	t.Helper()
	base := []aistats.Option{aistats.WithAPIKey("phaseo_v1_mk_x"), aistats.WithAPIVersion(v), aistats.WithBaseURL(srvURL + "/v1")}
	c, err := aistats.NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// countingServer answers 503 to the requests whose number is in fail (1-based)
// and page otherwise, and counts accepted TCP connections.
func countingServer(t *testing.T, page string, fail func(n int64) bool) (*httptest.Server, *atomic.Int64, *atomic.Int64) {
	t.Helper()
	var reqs, conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := reqs.Add(1)
		w.Header().Set("Content-Type", "application/json")
		if fail(n) {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"ok":false,"error":"unavailable"}`))
			return
		}
		_, _ = w.Write([]byte(page))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &reqs, &conns
}

// go-retryablehttp calls CloseIdleConnections on every failed call; the SDK
// must not let that empty the pool of a client the user passed in.
func TestRetriesKeepCallersConnectionPool(t *testing.T) {
	t.Parallel()
	for _, l := range rawLists {
		t.Run(l.name, func(t *testing.T) {
			t.Parallel()
			srv, reqs, conns := countingServer(t, l.empty, func(n int64) bool { return n >= 2 && n <= 3 })
			hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
			c := rawClient(t, srv.URL, l.version, aistats.WithHTTPClient(hc), aistats.WithMaxRetries(1),
				aistats.WithRetryWait(time.Millisecond, time.Millisecond))
			ctx := context.Background()

			require.NoError(t, l.list(ctx, c))                   // 1: ok
			assert.ErrorIs(t, l.list(ctx, c), aistats.ErrServer) // 2, 3: 503 twice, retries exhausted: a failed call
			require.NoError(t, l.list(ctx, c))                   // 4: ok, on the same connection

			assert.Equal(t, int64(4), reqs.Load())
			assert.Equal(t, int64(1), conns.Load(), "every attempt reused one pooled connection")
		})
	}
}

// Bodies are always read and closed and nothing is left running: after
// many calls, success and failure, the goroutine count returns to where it was.
func TestNoGoroutineLeak(t *testing.T) {
	servers := make([]*httptest.Server, len(rawLists))
	clients := make([]*aistats.Client, len(rawLists))
	for i, l := range rawLists {
		servers[i], _, _ = countingServer(t, l.empty, func(n int64) bool { return n%3 == 0 })
		clients[i] = rawClient(t, servers[i].URL, l.version, aistats.WithMaxRetries(0))
	}
	before := runtime.NumGoroutine()
	for i, l := range rawLists {
		for range 60 {
			_ = l.list(context.Background(), clients[i])
		}
	}
	for _, srv := range servers {
		srv.CloseClientConnections()
	}
	// Connection goroutines wind down asynchronously after the close.
	assert.Eventually(t, func() bool { return runtime.NumGoroutine() <= before+1 },
		2*time.Second, 10*time.Millisecond, "goroutines before=%d now=%d", before, runtime.NumGoroutine())
}

// A Retry-After hint that fits under the max wait is honoured.
func TestRetryAfterHintIsWaited(t *testing.T) {
	t.Parallel()
	names := make([]string, len(rawLists))
	for i, l := range rawLists {
		names[i] = l.name
	}
	concurrently(t, names, func(t *testing.T, i int) {
		l := rawLists[i]
		var reqs atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if reqs.Add(1) == 1 {
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			_, _ = w.Write([]byte(l.empty))
		}))
		defer srv.Close()
		c := rawClient(t, srv.URL, l.version, aistats.WithRetryWait(time.Millisecond, 2*time.Second))
		start := time.Now()
		require.NoError(t, l.list(context.Background(), c))
		assert.GreaterOrEqual(t, time.Since(start), 900*time.Millisecond, "waited for the 1 s hint")
		assert.Equal(t, int64(2), reqs.Load())
	})
}

// A 2xx mint answer whose body cannot be read still made a key: the caller
// must be told to look before making another.
func TestCreateUnreadableAnswerIsUnknownOutcome(t *testing.T) {
	t.Parallel()
	const id = "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40"
	mints := []struct {
		name    string
		version aistats.APIVersion
		status  int
		bodies  map[string]string
		mint    func(ctx context.Context, c *aistats.Client) error
	}{
		{name: "2026-03/Keys.Create", version: march, status: http.StatusCreated, bodies: map[string]string{
			"truncated JSON": `{"ok":true,"key":{"id":"` + id + `","key":"aistats_v1_sk_Q7xk2Pa9LmZt_`,
			"no plaintext":   `{"ok":true,"key":{"id":"` + id + `","name":"x"}}`,
		}, mint: func(ctx context.Context, c *aistats.Client) error {
			return errOnly(c.Keys.Create(ctx, createKeyParams(march, "x")))
		}},
		{name: "2026-07/Keys.Create", version: july, status: http.StatusCreated, bodies: map[string]string{
			"truncated JSON": `{"data":{"id":"` + id + `","key":"phaseo_v1_mk_Q7xk2Pa9LmZt_`,
			"no plaintext":   `{"data":{"id":"` + id + `","name":"x"}}`,
		}, mint: func(ctx context.Context, c *aistats.Client) error {
			return errOnly(c.Keys.Create(ctx, createKeyParams(july, "x")))
		}},
		{name: "2026-07/APIKeys.Create", version: july, status: http.StatusCreated, bodies: map[string]string{
			"truncated JSON": `{"data":{"id":"` + id + `","key":"phaseo_v1_sk_Q7xk2Pa9LmZt_`,
			"no plaintext":   `{"data":{"id":"` + id + `","name":"x"}}`,
		}, mint: func(ctx context.Context, c *aistats.Client) error {
			return errOnly(c.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "x"}))
		}},
		{name: "2026-07/APIKeys.Rotate", version: july, status: http.StatusOK, bodies: map[string]string{
			"truncated JSON": `{"data":{"id":"` + id + `","key":"phaseo_v1_sk_Q7xk2Pa9LmZt_`,
			"no plaintext":   `{"data":{"id":"` + id + `","name":"x"},"previous_key_expires_at":null}`,
		}, mint: func(ctx context.Context, c *aistats.Client) error {
			return errOnly(c.APIKeys.Rotate(ctx, id, nil))
		}},
	}
	for _, m := range mints {
		for name, body := range m.bodies {
			t.Run(m.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				var reqs atomic.Int64
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					reqs.Add(1)
					w.WriteHeader(m.status)
					_, _ = w.Write([]byte(body))
				}))
				defer srv.Close()
				err := m.mint(context.Background(), rawClient(t, srv.URL, m.version))
				assert.ErrorIs(t, err, aistats.ErrUnknownOutcome)
				var de *aistats.DecodeError
				assert.ErrorAs(t, err, &de)
				assert.Equal(t, int64(1), reqs.Load(), "not retried")
			})
		}
	}
}
