package aistats_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// op is one SDK operation driven through the fault matrix.
type op struct {
	name   string
	method string // the HTTP method the fault targets
	create bool
	run    func(ctx context.Context, c *aistats.Client, id string) error
}

var matrixOps = []op{
	{name: "List", method: http.MethodGet, run: func(ctx context.Context, c *aistats.Client, _ string) error {
		_, err := c.Keys.List(ctx, nil)
		return err
	}},
	{name: "Get", method: http.MethodGet, run: func(ctx context.Context, c *aistats.Client, id string) error {
		_, err := c.Keys.Get(ctx, id)
		return err
	}},
	{name: "Update", method: http.MethodPatch, run: func(ctx context.Context, c *aistats.Client, id string) error {
		_, err := c.Keys.Update(ctx, id, &aistats.UpdateKeyParams{Status: aistats.Ptr(aistats.KeyStatusDisabled)})
		return err
	}},
	{name: "Delete", method: http.MethodDelete, run: func(ctx context.Context, c *aistats.Client, id string) error {
		return c.Keys.Delete(ctx, id)
	}},
	{name: "Create", method: http.MethodPost, create: true, run: func(ctx context.Context, c *aistats.Client, _ string) error {
		_, err := c.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "matrix"})
		return err
	}},
}

// faultCase is one column of the matrix. For idempotent operations the
// fault hits once and the retry succeeds; for Create the expectation is
// spelled out, since Create is never retried once the request may have
// reached the server.
type faultCase struct {
	name  string
	fault func(method string) aistatstest.Fault
	// Create expectations.
	createAttempts int
	createKeys     int  // keys stored afterwards: never two
	createUnknown  bool // errors.Is(err, ErrUnknownOutcome)
	createErr      error
	createOK       bool
}

func respond(status int, body string, hdr http.Header) func(string) aistatstest.Fault {
	return func(m string) aistatstest.Fault {
		return aistatstest.Fault{Kind: aistatstest.Respond, Method: m, Times: 1, Status: status, Body: body, Header: hdr}
	}
}

func kind(k aistatstest.FaultKind) func(string) aistatstest.Fault {
	return func(m string) aistatstest.Fault {
		return aistatstest.Fault{Kind: k, Method: m, Times: 1, Delay: 400 * time.Millisecond}
	}
}

var jsonCT = http.Header{"Content-Type": {"application/json"}}

var faultCases = []faultCase{
	{name: "503", fault: respond(503, `{"ok":false,"error":"unavailable"}`, jsonCT),
		createAttempts: 1, createUnknown: true, createErr: aistats.ErrServer},
	{name: "502 HTML", fault: respond(502, "<html><head><title>502 Bad Gateway</title></head></html>", http.Header{"Content-Type": {"text/html"}}),
		createAttempts: 1, createUnknown: true, createErr: aistats.ErrServer},
	{name: "500", fault: respond(500, `{"ok":false,"error":"failed","message":"boom"}`, jsonCT),
		createAttempts: 1, createUnknown: true, createErr: aistats.ErrServer},
	{name: "429 Retry-After seconds", fault: respond(429, `{"error":"rate"}`, http.Header{"Retry-After": {"0"}}),
		createAttempts: 2, createKeys: 1, createOK: true},
	{name: "429 Retry-After date", fault: respond(429, `{"error":"rate"}`, http.Header{"Retry-After": {time.Now().Add(-time.Second).UTC().Format(http.TimeFormat)}}),
		createAttempts: 2, createKeys: 1, createOK: true},
	{name: "reset before apply", fault: kind(aistatstest.DropBeforeApply),
		createAttempts: 1, createUnknown: true},
	{name: "reset after apply", fault: kind(aistatstest.DropAfterApply),
		createAttempts: 1, createKeys: 1, createUnknown: true},
	{name: "truncated body", fault: kind(aistatstest.Truncate),
		createAttempts: 1, createKeys: 1, createUnknown: true},
	{name: "slow past attempt timeout", fault: kind(aistatstest.Slow),
		createAttempts: 1, createKeys: -1, createUnknown: true}, // -1: zero or one
}

func TestFaultMatrix(t *testing.T) {
	for _, fc := range faultCases {
		for _, o := range matrixOps {
			t.Run(fc.name+"/"+o.name, func(t *testing.T) {
				t.Parallel()
				srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
				t.Cleanup(srv.Close)
				seeded := srv.AddKey(aistatstest.KeySpec{Name: "seed"})
				c, err := srv.Client(aistats.WithTimeout(150 * time.Millisecond))
				require.NoError(t, err)
				srv.Inject(fc.fault(o.method))

				err = o.run(context.Background(), c, seeded.ID)
				attempts := countMethod(srv, o.method)

				if !o.create {
					require.NoError(t, err, "idempotent operations recover with one retry")
					assert.Equal(t, 2, attempts, "one failed attempt, one retry")
					return
				}
				assert.Equal(t, fc.createAttempts, attempts)
				created := len(srv.Keys()) - 1
				if fc.createKeys >= 0 {
					assert.Equal(t, fc.createKeys, created, "keys created")
				} else {
					assert.LessOrEqual(t, created, 1, "never two keys")
				}
				if fc.createOK {
					require.NoError(t, err)
					return
				}
				require.Error(t, err)
				assert.Equal(t, fc.createUnknown, errors.Is(err, aistats.ErrUnknownOutcome), "unknown outcome: %v", err)
				if fc.createErr != nil {
					assert.ErrorIs(t, err, fc.createErr)
					var apiErr *aistats.APIError
					require.ErrorAs(t, err, &apiErr)
					assert.Equal(t, 1, apiErr.Attempts)
				}
				if fc.createUnknown {
					assert.Contains(t, err.Error(), "list keys before trying again")
				}
			})
		}
	}
}

func countMethod(srv *aistatstest.Server, method string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == method {
			n++
		}
	}
	return n
}

// A Retry-After longer than the max wait is not slept on: the call returns
// at once with the hint exposed.
func TestRetryAfterTooLongReturnsAtOnce(t *testing.T) {
	for _, o := range matrixOps {
		t.Run(o.name, func(t *testing.T) {
			t.Parallel()
			srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
			t.Cleanup(srv.Close)
			seeded := srv.AddKey(aistatstest.KeySpec{Name: "seed"})
			c, err := srv.Client()
			require.NoError(t, err)
			srv.Inject(aistatstest.Fault{Kind: aistatstest.Respond, Method: o.method, Times: -1, Status: 429,
				Body: `{"error":"rate_limited"}`, Header: http.Header{"Retry-After": {"120"}}})

			start := time.Now()
			err = o.run(context.Background(), c, seeded.ID)
			assert.Less(t, time.Since(start), 2*time.Second)
			var apiErr *aistats.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.ErrorIs(t, err, aistats.ErrRateLimited)
			assert.Equal(t, 120*time.Second, apiErr.RetryAfter)
			assert.Equal(t, 1, apiErr.Attempts)
			assert.False(t, errors.Is(err, aistats.ErrUnknownOutcome), "429 means nothing was applied")
			assert.Equal(t, 1, countMethod(srv, o.method))
			assert.Len(t, srv.Keys(), 1, "nothing created")
		})
	}
}

// When retries run out the caller gets the API's last error, not
// "giving up after N attempts".
func TestExhaustedRetriesKeepLastAPIError(t *testing.T) {
	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
	defer srv.Close()
	c, err := srv.Client(aistats.WithMaxRetries(2))
	require.NoError(t, err)
	srv.Inject(aistatstest.Fault{Kind: aistatstest.Respond, Method: http.MethodGet, Times: -1, Status: 503,
		Body:   `{"ok":false,"error":"server_misconfig_missing_pepper","message":"KEY_PEPPER is not configured","request_id":"req-9"}`,
		Header: jsonCT})

	_, err = c.Keys.List(context.Background(), nil)
	var apiErr *aistats.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 503, apiErr.StatusCode)
	assert.Equal(t, "server_misconfig_missing_pepper", apiErr.Code)
	assert.Equal(t, "KEY_PEPPER is not configured", apiErr.Message)
	assert.Equal(t, "req-9", apiErr.RequestID)
	assert.Equal(t, 3, apiErr.Attempts)
	assert.NotContains(t, err.Error(), "giving up")
	assert.Equal(t, 3, srv.RequestCount())
}

// A refused connection never reached the server, so even Create retries,
// and the error is a transport error with the attempt count, not an
// unknown outcome.
func TestConnectionRefusedRetriesEveryOperation(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	c, err := aistats.NewClient(aistats.WithAPIKey("aistats_v1_sk_x"), aistats.WithBaseURL("http://"+addr+"/v1"),
		aistats.WithMaxRetries(2), aistats.WithRetryWait(time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	for _, o := range matrixOps {
		t.Run(o.name, func(t *testing.T) {
			err := o.run(context.Background(), c, "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40")
			var te *aistats.TransportError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, 3, te.Attempts)
			assert.False(t, errors.Is(err, aistats.ErrUnknownOutcome))
			var opErr *net.OpError
			assert.ErrorAs(t, err, &opErr)
		})
	}
}

// Cancelling during a backoff wait returns within milliseconds, with
// context.Canceled joined to the API error that caused the wait.
func TestCancelDuringBackoff(t *testing.T) {
	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
	defer srv.Close()
	c, err := srv.Client(aistats.WithRetryWait(10*time.Second, 10*time.Second))
	require.NoError(t, err)
	srv.Inject(aistatstest.ServiceUnavailable(-1))

	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for srv.RequestCount() == 0 {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond) // let the client enter its wait
		cancel()
	}()
	start := time.Now()
	_, err = c.Keys.List(ctx, nil)
	elapsed := time.Since(start)
	assert.Less(t, elapsed, time.Second)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, aistats.ErrServer)
	var apiErr *aistats.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 503, apiErr.StatusCode)
	assert.Equal(t, 1, srv.RequestCount())
}

// A server that never answers is bounded by the per-attempt timeout even
// when the caller's context has no deadline.
func TestPerAttemptTimeoutBoundsHungServer(t *testing.T) {
	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
	defer srv.Close()
	c, err := srv.Client(aistats.WithTimeout(50*time.Millisecond), aistats.WithMaxRetries(1))
	require.NoError(t, err)
	srv.Inject(aistatstest.Fault{Kind: aistatstest.Slow, Times: -1, Delay: 5 * time.Second})

	start := time.Now()
	_, err = c.Keys.Get(context.Background(), "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40")
	assert.Less(t, time.Since(start), 2*time.Second)
	var te *aistats.TransportError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 2, te.Attempts)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var ate *aistats.AttemptTimeoutError
	assert.ErrorAs(t, err, &ate)
}
