package aistats

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Any non-2xx answer is an *APIError whatever its size: matched by its
// sentinel, retried by the same policy, Body capped.
func TestHugeErrorBodiesStayAPIErrors(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("x", 11<<20)
	tests := []struct {
		status   int
		body     string
		want     error
		attempts int
	}{
		{503, `{"error":"busy","message":"` + huge + `"}`, ErrServer, 4},
		{503, huge, ErrServer, 4},
		{404, `{"error":"not_found","message":"` + huge + `"}`, ErrNotFound, 1},
		{500, "<html>" + huge, ErrServer, 4},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d %.10s", tt.status, tt.body), func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, reply{Status: tt.status, Body: tt.body})
			_, err := newJulyClient(t, srv.BaseURL()).Keys.Get(context.Background(), julyMgmtID)
			assert.ErrorIs(t, err, tt.want)
			assert.NotErrorIs(t, err, ErrResponseTooLarge)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.attempts, apiErr.Attempts)
			assert.Equal(t, tt.attempts, srv.count())
			assert.LessOrEqual(t, len(apiErr.Body), maxErrorBody)
			assert.Less(t, len(err.Error()), 1000)
		})
	}
	// A 2xx body over 10 MiB is still refused.
	srv := newTestServer(t, reply{Status: 200, Body: `{"data":"` + huge + `"}`})
	_, err := newJulyClient(t, srv.BaseURL()).Keys.Get(context.Background(), julyMgmtID)
	assert.ErrorIs(t, err, ErrResponseTooLarge)
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
