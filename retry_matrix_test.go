package aistats_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// faultCase is one column of the matrix. For idempotent operations the
// fault hits once and the retry succeeds; for mints (Create, Rotate) the
// expectation is spelled out, since they are never retried once the
// request may have reached the server.
type faultCase struct {
	name  string
	fault func(method string) aistatstest.Fault
	// Mint expectations.
	mintAttempts int
	mintKeys     int  // keys minted: never two (-1: zero or one)
	mintUnknown  bool // errors.Is(err, ErrUnknownOutcome)
	mintErr      error
	mintOK       bool
	// waits: each case sits out the attempt timeout, so the column runs
	// concurrently rather than in the -parallel slots.
	waits bool
	// deleteDone: a Delete succeeds on the first attempt (its 2xx came,
	// and Delete reads no body).
	deleteDone bool
}

func respond(status int, body string, hdr http.Header) func(string) aistatstest.Fault {
	return func(m string) aistatstest.Fault {
		return aistatstest.Fault{Kind: aistatstest.Respond, Method: m, Times: 1, Status: status, Body: body, Header: hdr}
	}
}

func kind(k aistatstest.FaultKind) func(string) aistatstest.Fault {
	return func(m string) aistatstest.Fault {
		return aistatstest.Fault{Kind: k, Method: m, Times: 1, Delay: 1500 * time.Millisecond}
	}
}

// dbError401 is the 401 a server sends when its credential lookup fails
// (contract-2026-07.md §2.1, §2.2).
const dbError401 = `{"error":"unauthorised","reason":"db_error","request_id":"G-01K3B9Q7ZP4M2X8VJ6N5R0C1TD","status_code":401}`

var faultCases = []faultCase{
	{name: "503", fault: respond(503, `{"ok":false,"error":"unavailable"}`, jsonCT),
		mintAttempts: 1, mintUnknown: true, mintErr: aistats.ErrServer},
	{name: "502 HTML", fault: respond(502, "<html><head><title>502 Bad Gateway</title></head></html>", http.Header{"Content-Type": {"text/html"}}),
		mintAttempts: 1, mintUnknown: true, mintErr: aistats.ErrServer},
	{name: "500", fault: respond(500, `{"ok":false,"error":"failed","message":"boom"}`, jsonCT),
		mintAttempts: 1, mintUnknown: true, mintErr: aistats.ErrServer},
	{name: "429 Retry-After seconds", fault: respond(429, `{"error":"rate"}`, http.Header{"Retry-After": {"0"}}),
		mintAttempts: 2, mintKeys: 1, mintOK: true},
	{name: "429 Retry-After date", fault: respond(429, `{"error":"rate"}`, http.Header{"Retry-After": {time.Now().Add(-time.Second).UTC().Format(http.TimeFormat)}}),
		mintAttempts: 2, mintKeys: 1, mintOK: true},
	// The server's database failed while checking the credential: it
	// did no work, so every call retries, mints included.
	{name: "401 db_error", fault: respond(401, dbError401, jsonCT),
		mintAttempts: 2, mintKeys: 1, mintOK: true},
	{name: "reset before apply", fault: kind(aistatstest.DropBeforeApply),
		mintAttempts: 1, mintUnknown: true},
	{name: "reset after apply", fault: kind(aistatstest.DropAfterApply),
		mintAttempts: 1, mintKeys: 1, mintUnknown: true},
	{name: "truncated body", fault: kind(aistatstest.Truncate),
		mintAttempts: 1, mintKeys: 1, mintUnknown: true, deleteDone: true},
	{name: "slow past attempt timeout", fault: kind(aistatstest.Slow),
		mintAttempts: 1, mintKeys: -1, mintUnknown: true, waits: true}, // -1: zero or one
}

// TestFaultMatrix runs every fault against every call of both services on
// both versions (9 faults × 16 calls).
func TestFaultMatrix(t *testing.T) {
	t.Parallel()
	runFaultMatrix(t, newFake)
}

// TestFaultMatrixInMemory runs the matrix against aistatstest.NewClient's
// in-memory server: its Transport must fail the way a socket does. Not
// parallel: it runs before the parallel tests rather than doubling the
// load on TestFaultMatrix's attempt timeouts.
func TestFaultMatrixInMemory(t *testing.T) {
	runFaultMatrix(t, func(t *testing.T, v aistats.APIVersion, opts ...aistatstest.ServerOption) *aistatstest.Server {
		_, srv := aistatstest.NewClient(t, append(opts, aistatstest.WithAPIVersion(v))...)
		return srv
	})
}

type fakeMaker func(t *testing.T, v aistats.APIVersion, opts ...aistatstest.ServerOption) *aistatstest.Server

func runFaultMatrix(t *testing.T, newSrv fakeMaker) {
	names := make([]string, len(matrixOps))
	for i, o := range matrixOps {
		names[i] = o.name
	}
	for _, fc := range faultCases {
		t.Run(fc.name, func(t *testing.T) {
			t.Parallel()
			if fc.waits {
				concurrently(t, names, func(t *testing.T, i int) { faultCell(t, newSrv, fc, matrixOps[i]) })
				return
			}
			for _, o := range matrixOps {
				t.Run(o.name, func(t *testing.T) {
					t.Parallel()
					faultCell(t, newSrv, fc, o)
				})
			}
		})
	}
}

// faultCell runs one call o with the fault fc injected once.
func faultCell(t *testing.T, newSrv fakeMaker, fc faultCase, o op) {
	srv := newSrv(t, o.version)
	id := o.seed(srv)
	c := fakeClient(t, srv, aistats.WithTimeout(400*time.Millisecond)) // generous: a loaded CI machine
	before := o.count(srv)
	srv.Inject(fc.fault(o.method))

	err := o.run(context.Background(), c, id)
	attempts := countMethod(srv, o.method)

	if !o.mint {
		require.NoError(t, err, "idempotent operations recover with one retry")
		if fc.deleteDone && o.method == http.MethodDelete {
			assert.Equal(t, 1, attempts, "a 2xx Delete is done, whatever its body")
		} else {
			assert.Equal(t, 2, attempts, "one failed attempt, one retry")
		}
		if o.done != nil {
			assert.True(t, o.done(srv, id), "the change is stored")
		}
		assert.LessOrEqual(t, o.count(srv), before, "no key made")
		return
	}
	assert.Equal(t, fc.mintAttempts, attempts)
	minted := o.count(srv) - before
	if fc.mintKeys >= 0 {
		assert.Equal(t, fc.mintKeys, minted, "keys minted")
	} else {
		assert.LessOrEqual(t, minted, 1, "never two keys")
	}
	if fc.mintOK {
		require.NoError(t, err)
		return
	}
	require.Error(t, err)
	assert.Equal(t, fc.mintUnknown, errors.Is(err, aistats.ErrUnknownOutcome), "unknown outcome: %v", err)
	if fc.mintErr != nil {
		assert.ErrorIs(t, err, fc.mintErr)
		var apiErr *aistats.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 1, apiErr.Attempts)
	}
	if fc.mintUnknown {
		var ue *aistats.UnknownOutcomeError
		assert.ErrorAs(t, err, &ue)
		assert.Contains(t, err.Error(), "before trying again")
	}
}

// forEachOp runs fn as a parallel subtest for every call in ops, on a new
// fake of the call's version holding the key the call acts on (id).
func forEachOp(t *testing.T, ops []op, fn func(t *testing.T, o op, srv *aistatstest.Server, id string)) {
	for _, o := range ops {
		t.Run(o.name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, o.version)
			fn(t, o, srv, o.seed(srv))
		})
	}
}

// opsNamed picks the matrix calls with the given method name ("List"), on
// every version that has them.
func opsNamed(name string) []op {
	var out []op
	for _, o := range matrixOps {
		if strings.HasSuffix(o.name, "."+name) {
			out = append(out, o)
		}
	}
	return out
}

// A Retry-After longer than the max wait is not slept on: the call returns
// at once with the hint exposed.
func TestRetryAfterTooLongReturnsAtOnce(t *testing.T) {
	t.Parallel()
	forEachOp(t, matrixOps, func(t *testing.T, o op, srv *aistatstest.Server, id string) {
		c := fakeClient(t, srv)
		keys, apiKeys := stored(srv)
		srv.Inject(aistatstest.Fault{Kind: aistatstest.Respond, Method: o.method, Times: -1, Status: 429,
			Body: `{"error":"rate_limited"}`, Header: http.Header{"Retry-After": {"120"}}})

		start := time.Now()
		err := o.run(context.Background(), c, id)
		assert.Less(t, time.Since(start), 2*time.Second)
		var apiErr *aistats.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.ErrorIs(t, err, aistats.ErrRateLimited)
		assert.Equal(t, 120*time.Second, apiErr.RetryAfter)
		assert.Equal(t, 1, apiErr.Attempts)
		assert.False(t, errors.Is(err, aistats.ErrUnknownOutcome), "429 means nothing was applied")
		assert.Equal(t, 1, countMethod(srv, o.method))
		keys2, apiKeys2 := stored(srv)
		assert.Equal(t, [2]int{keys, apiKeys}, [2]int{keys2, apiKeys2}, "nothing created")
		if o.done != nil {
			assert.False(t, o.done(srv, id), "nothing changed")
		}
	})
}

// When retries run out the caller gets the API's last error, not
// "giving up after N attempts".
func TestExhaustedRetriesKeepLastAPIError(t *testing.T) {
	t.Parallel()
	forEachOp(t, opsNamed("List"), func(t *testing.T, o op, srv *aistatstest.Server, id string) {
		c := fakeClient(t, srv, aistats.WithMaxRetries(2))
		srv.Inject(aistatstest.Fault{Kind: aistatstest.Respond, Method: http.MethodGet, Times: -1, Status: 503,
			Body:   `{"ok":false,"error":"server_misconfig_missing_pepper","message":"KEY_PEPPER is not configured","request_id":"req-9"}`,
			Header: jsonCT})

		err := o.run(context.Background(), c, "")
		var apiErr *aistats.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 503, apiErr.StatusCode)
		assert.Equal(t, "server_misconfig_missing_pepper", apiErr.Code)
		assert.Equal(t, "KEY_PEPPER is not configured", apiErr.Message)
		assert.Equal(t, "req-9", apiErr.RequestID)
		assert.Equal(t, 3, apiErr.Attempts)
		assert.NotContains(t, err.Error(), "giving up")
		assert.Equal(t, 3, srv.RequestCount())
	})
}

// A refused connection never reached the server, so even a mint retries,
// and the error is a transport error with the attempt count, not an
// unknown outcome.
func TestConnectionRefusedRetriesEveryOperation(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	for _, o := range matrixOps {
		c, err := aistats.NewClient(aistats.WithAPIKey("phaseo_v1_mk_x"), aistats.WithAPIVersion(o.version),
			aistats.WithBaseURL("http://"+addr+"/v1"), aistats.WithMaxRetries(2), aistats.WithRetryWait(time.Millisecond, time.Millisecond))
		require.NoError(t, err)
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
	t.Parallel()
	forEachOp(t, opsNamed("List"), func(t *testing.T, o op, srv *aistatstest.Server, id string) {
		c := fakeClient(t, srv, aistats.WithRetryWait(10*time.Second, 10*time.Second))
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
		err := o.run(ctx, c, "")
		assert.Less(t, time.Since(start), time.Second)
		assert.ErrorIs(t, err, context.Canceled)
		assert.ErrorIs(t, err, aistats.ErrServer)
		var apiErr *aistats.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 503, apiErr.StatusCode)
		assert.Equal(t, 1, srv.RequestCount())
	})
}

// A server that never answers is bounded by the per-attempt timeout even
// when the caller's context has no deadline.
func TestPerAttemptTimeoutBoundsHungServer(t *testing.T) {
	t.Parallel()
	forEachOp(t, opsNamed("Get"), func(t *testing.T, o op, srv *aistatstest.Server, id string) {
		c := fakeClient(t, srv, aistats.WithTimeout(200*time.Millisecond), aistats.WithMaxRetries(1))
		srv.Inject(aistatstest.Fault{Kind: aistatstest.Slow, Times: -1, Delay: 5 * time.Second})

		start := time.Now()
		err := o.run(context.Background(), c, id)
		assert.Less(t, time.Since(start), 2*time.Second)
		var te *aistats.TransportError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, 2, te.Attempts)
		assert.Equal(t, 2, srv.RequestCount())
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		var ate *aistats.AttemptTimeoutError
		assert.ErrorAs(t, err, &ate)
	})
}

// Delete's lost-answer rule on every version and both services: once an
// attempt may have deleted the key, the API's own (JSON) 404 on a retry
// means it is gone; a route's text/plain 404 says nothing about the key;
// and with no earlier unknown outcome a JSON 404 is ErrNotFound.
func TestDeleteLostAnswer(t *testing.T) {
	t.Parallel()
	const missing = "0c5d8e2a-1b3f-4c6d-8e9f-a0b1c2d3e4f5"
	missingHash := strings.Repeat("ab", 32)
	json404 := respond(404, `{"ok":false,"error":"not_found","message":"Key not found"}`, jsonCT)
	text404 := respond(404, "404 Not Found", http.Header{"Content-Type": {"text/plain; charset=UTF-8"}})
	unavailable := respond(503, `{"ok":false,"error":"unavailable"}`, jsonCT)
	// A 404 after an attempt that may have deleted the key means "gone"
	// only where a repeat can answer 404: management keys and API keys by
	// hash. An API key by id is still found once deleted (a repeat answers
	// 200), so there the 404 means it never existed: ErrNotFound.
	tests := []struct {
		name     string
		faults   []func(string) aistatstest.Fault
		missing  bool // delete a key that never existed
		attempts int
		want     error // nil: success; management keys and API keys by hash
		wantByID error // API keys by id
		kept     bool  // the fake still holds the key undeleted
	}{
		{name: "lost answer, then the server's own answer", faults: []func(string) aistatstest.Fault{kind(aistatstest.DropAfterApply)},
			attempts: 2},
		{name: "lost answer, then the API's 404", faults: []func(string) aistatstest.Fault{kind(aistatstest.DropAfterApply), json404},
			attempts: 2, wantByID: aistats.ErrNotFound},
		{name: "503, then the API's 404", faults: []func(string) aistatstest.Fault{unavailable, json404},
			attempts: 2, wantByID: aistats.ErrNotFound, kept: true},
		{name: "lost answer on a key that never existed", missing: true, faults: []func(string) aistatstest.Fault{kind(aistatstest.DropAfterApply)},
			attempts: 2, wantByID: aistats.ErrNotFound, kept: true},
		{name: "503, then a route's text/plain 404", faults: []func(string) aistatstest.Fault{unavailable, text404},
			attempts: 2, want: aistats.ErrEndpointNotFound, wantByID: aistats.ErrEndpointNotFound, kept: true},
		{name: "the API's 404 first", faults: []func(string) aistatstest.Fault{json404},
			attempts: 1, want: aistats.ErrNotFound, wantByID: aistats.ErrNotFound, kept: true},
		{name: "no such key", missing: true,
			attempts: 1, want: aistats.ErrNotFound, wantByID: aistats.ErrNotFound, kept: true},
	}
	byHash := op{name: string(july) + "/APIKeys.Delete by hash", version: july, method: http.MethodDelete,
		seed: func(srv *aistatstest.Server) string { return srv.AddAPIKey(aistatstest.APIKeySpec{Name: "seed"}).Hash },
		run:  func(ctx context.Context, c *aistats.Client, hash string) error { return c.APIKeys.Delete(ctx, hash) },
		done: func(srv *aistatstest.Server, _ string) bool {
			return srv.APIKeys()[0].Status == aistats.KeyStatusDeleted
		},
	}
	for _, o := range append(opsNamed("Delete"), byHash) {
		byID := o.name == string(july)+"/APIKeys.Delete"
		for _, tt := range tests {
			t.Run(o.name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				srv := newFake(t, o.version)
				id := o.seed(srv)
				target := id
				if tt.missing {
					target = missing
					if o.name == byHash.name {
						target = missingHash
					}
				}
				c := fakeClient(t, srv)
				for _, f := range tt.faults {
					srv.Inject(f(http.MethodDelete))
				}
				err := o.run(context.Background(), c, target)
				want := tt.want
				if byID {
					want = tt.wantByID
				}
				if want == nil {
					require.NoError(t, err)
				} else {
					require.ErrorIs(t, err, want)
					if want == aistats.ErrEndpointNotFound {
						assert.NotErrorIs(t, err, aistats.ErrNotFound, "a route's 404 is never ErrNotFound")
					}
				}
				assert.Equal(t, tt.attempts, countMethod(srv, http.MethodDelete))
				assert.Equal(t, !tt.kept, o.done(srv, id), "deleted")
			})
		}
	}
}

// A db_error 401 that persists ends the call after the retries with an
// error that is both ErrUnauthorized and ErrServer, and (nothing having
// been written) never ErrUnknownOutcome; other 401s are not retried.
func TestDBError401Persists(t *testing.T) {
	t.Parallel()
	forEachOp(t, matrixOps, func(t *testing.T, o op, srv *aistatstest.Server, id string) {
		c := fakeClient(t, srv, aistats.WithMaxRetries(2))
		before := o.count(srv)
		srv.Inject(aistatstest.Fault{Kind: aistatstest.Respond, Method: o.method, Times: -1, Status: 401, Body: dbError401, Header: jsonCT})
		err := o.run(context.Background(), c, id)
		require.ErrorIs(t, err, aistats.ErrUnauthorized)
		require.ErrorIs(t, err, aistats.ErrServer)
		require.NotErrorIs(t, err, aistats.ErrUnknownOutcome)
		require.Contains(t, err.Error(), "server fault")
		assert.Equal(t, 3, countMethod(srv, o.method), "retried like a 503")
		assert.Equal(t, before, o.count(srv))

		srv2 := newFake(t, o.version)
		id2 := o.seed(srv2)
		c2 := fakeClient(t, srv2)
		srv2.Inject(aistatstest.Fault{Kind: aistatstest.Respond, Method: o.method, Times: -1, Status: 401,
			Body: `{"error":"unauthorised","reason":"key_not_found_or_revoked"}`, Header: jsonCT})
		err = o.run(context.Background(), c2, id2)
		require.ErrorIs(t, err, aistats.ErrUnauthorized)
		require.NotErrorIs(t, err, aistats.ErrServer)
		assert.Equal(t, 1, countMethod(srv2, o.method), "a bad credential is not retried")
	})
}

// A repeated Delete: management keys are deleted for good (ErrNotFound),
// API keys leave a tombstone and a repeat succeeds.
func TestDeleteTwice(t *testing.T) {
	t.Parallel()
	forEachOp(t, opsNamed("Delete"), func(t *testing.T, o op, srv *aistatstest.Server, id string) {
		c := fakeClient(t, srv)
		require.NoError(t, o.run(context.Background(), c, id))
		err := o.run(context.Background(), c, id)
		if strings.Contains(o.name, "APIKeys") {
			assert.NoError(t, err, "a tombstone: Delete is idempotent")
		} else {
			assert.ErrorIs(t, err, aistats.ErrNotFound)
		}
		assert.Equal(t, 2, countMethod(srv, http.MethodDelete), "no retries")
		assert.True(t, o.done(srv, id))
	})
}
