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

// countingServer answers 503 to the requests whose number is in fail (1-based)
// and a list page otherwise, and counts accepted TCP connections.
func countingServer(t *testing.T, fail func(n int64) bool) (*httptest.Server, *atomic.Int64, *atomic.Int64) {
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
		_, _ = w.Write([]byte(`{"ok":true,"limit":50,"offset":0,"total":0,"keys":[]}`))
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
	srv, reqs, conns := countingServer(t, func(n int64) bool { return n >= 2 && n <= 3 })
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	c, err := aistats.NewClient(aistats.WithAPIKey("aistats_v1_sk_x"), aistats.WithBaseURL(srv.URL+"/v1"),
		aistats.WithHTTPClient(hc), aistats.WithMaxRetries(1), aistats.WithRetryWait(time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	ctx := context.Background()

	_, err = c.Keys.List(ctx, nil) // 1: ok
	require.NoError(t, err)
	_, err = c.Keys.List(ctx, nil) // 2, 3: 503 twice, retries exhausted: a failed call
	assert.ErrorIs(t, err, aistats.ErrServer)
	_, err = c.Keys.List(ctx, nil) // 4: ok, on the same connection
	require.NoError(t, err)

	assert.Equal(t, int64(4), reqs.Load())
	assert.Equal(t, int64(1), conns.Load(), "every attempt reused one pooled connection")
}

// Bodies are always read and closed and nothing is left running: after
// many calls, success and failure, the goroutine count returns to where it was.
func TestNoGoroutineLeak(t *testing.T) {
	srv, _, _ := countingServer(t, func(n int64) bool { return n%3 == 0 })
	c, err := aistats.NewClient(aistats.WithAPIKey("aistats_v1_sk_x"), aistats.WithBaseURL(srv.URL+"/v1"),
		aistats.WithMaxRetries(0))
	require.NoError(t, err)
	before := runtime.NumGoroutine()
	for range 60 {
		_, _ = c.Keys.List(context.Background(), nil)
	}
	srv.CloseClientConnections()
	// Connection goroutines wind down asynchronously after the close.
	assert.Eventually(t, func() bool { return runtime.NumGoroutine() <= before+1 },
		2*time.Second, 10*time.Millisecond, "goroutines before=%d now=%d", before, runtime.NumGoroutine())
}

// A Retry-After hint that fits under the max wait is honoured.
func TestRetryAfterHintIsWaited(t *testing.T) {
	var reqs atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if reqs.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = w.Write([]byte(`{"ok":true,"keys":[]}`))
	}))
	defer srv.Close()
	c, err := aistats.NewClient(aistats.WithAPIKey("aistats_v1_sk_x"), aistats.WithBaseURL(srv.URL+"/v1"),
		aistats.WithRetryWait(time.Millisecond, 2*time.Second))
	require.NoError(t, err)
	start := time.Now()
	_, err = c.Keys.List(context.Background(), nil)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 900*time.Millisecond, "waited for the 1 s hint")
	assert.Equal(t, int64(2), reqs.Load())
}

// A 201 whose body cannot be read still created a key: the caller must be
// told to look before creating another.
func TestCreateUnreadableAnswerIsUnknownOutcome(t *testing.T) {
	for name, body := range map[string]string{
		"truncated JSON": `{"ok":true,"key":{"id":"9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40","key":"aistats_v1_sk_Q7xk2Pa9LmZt_`,
		"no plaintext":   `{"ok":true,"key":{"id":"9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40","name":"x"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			var reqs atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				reqs.Add(1)
				w.WriteHeader(http.StatusCreated)
				_, _ = w.Write([]byte(body))
			}))
			defer srv.Close()
			c, err := aistats.NewClient(aistats.WithAPIKey("aistats_v1_sk_x"), aistats.WithBaseURL(srv.URL+"/v1"))
			require.NoError(t, err)
			_, err = c.Keys.Create(context.Background(), &aistats.CreateKeyParams{Name: "x"})
			assert.ErrorIs(t, err, aistats.ErrUnknownOutcome)
			var de *aistats.DecodeError
			assert.ErrorAs(t, err, &de)
			assert.Equal(t, int64(1), reqs.Load(), "not retried")
		})
	}
}
