package aistatstest

import (
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
)

// NewClient starts a fake server and returns a client for it: the fake
// client in one line.
//
//	client, srv := aistatstest.NewClient(t)
//
// The server speaks 2026-07 unless WithAPIVersion says otherwise, with the
// live server's defaults (DefaultKeyLimit). It is served in memory by
// srv.Transport(): no listener, no socket, so tests may call t.Parallel
// freely and hundreds of them run fast. srv.URL is its base URL
// ("https://aistatstest-N.invalid/v1"), answered by srv.Transport() and
// srv.HTTPClient() only. t.Cleanup closes it.
//
// The client is srv.Client() with one difference: Retry-After hints of up
// to MaxRetryAfter are waited out, longer ones end the call at once with
// the 429 or 503 as an *aistats.APIError (what a production client does
// with a hint over its WithMaxRetryAfter). Other retry waits are a few
// milliseconds, so an injected 503 or a 429 without a long hint costs
// milliseconds. For other client options, call srv.Client(opts...).
//
// NewClient calls only t.Helper, t.Cleanup and, if the client cannot be
// built, t.Fatalf.
func NewClient(t testing.TB, opts ...ServerOption) (*aistats.Client, *Server) {
	t.Helper()
	srv := newInMemory(opts)
	t.Cleanup(srv.Close)
	client, err := srv.Client(aistats.WithMaxRetryAfter(MaxRetryAfter))
	if err != nil {
		t.Fatalf("aistatstest.NewClient: %v", err)
	}
	return client, srv
}

// MaxRetryAfter is the longest Retry-After hint NewClient's client waits
// for: RateLimited(1, "1") costs a second, RateLimited(1, "0") nothing.
const MaxRetryAfter = time.Second
