package aistats_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// always503 answers every matching request with a 503.
func always503(method string) aistatstest.Fault {
	return aistatstest.Fault{Kind: aistatstest.Respond, Status: http.StatusServiceUnavailable, Method: method, Times: -1}
}

func TestCallMaxRetriesBelowAndAboveClient(t *testing.T) {
	for _, tt := range []struct {
		name          string
		client, call  int
		wantAttempts  int
		noCallOptions bool
	}{
		{name: "client budget", client: 3, noCallOptions: true, wantAttempts: 4},
		{name: "below: no retry", client: 3, call: 0, wantAttempts: 1},
		{name: "below: one retry", client: 3, call: 1, wantAttempts: 2},
		{name: "above", client: 0, call: 4, wantAttempts: 5},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t, july)
			srv.Inject(always503(http.MethodGet))
			c := fakeClient(t, srv, aistats.WithMaxRetries(tt.client))
			ctx := context.Background()
			if !tt.noCallOptions {
				ctx = aistats.WithCallOptions(ctx, aistats.CallMaxRetries(tt.call))
			}
			_, err := c.Keys.List(ctx, nil)
			var apiErr *aistats.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.wantAttempts, apiErr.Attempts)
			assert.Equal(t, tt.wantAttempts, len(srv.Requests()))
		})
	}
}

func TestCallMaxRetriesAboveClientSucceeds(t *testing.T) {
	srv := newFake(t, july)
	fault := srv.Inject(aistatstest.Fault{Kind: aistatstest.Respond, Status: http.StatusBadGateway, Method: http.MethodGet, Times: 3})
	c := fakeClient(t, srv, aistats.WithMaxRetries(0))
	_, err := c.Keys.List(aistats.WithCallOptions(context.Background(), aistats.CallMaxRetries(5)), nil)
	require.NoError(t, err)
	assert.Equal(t, 3, fault.Applied())
	assert.Len(t, srv.Requests(), 4)
}

// A larger budget never lets a mint be retried once it may have been sent.
func TestCallMaxRetriesKeepsMintRules(t *testing.T) {
	for _, v := range bothVersions {
		t.Run(string(v), func(t *testing.T) {
			srv := newFake(t, v)
			srv.Inject(always503(http.MethodPost))
			c := fakeClient(t, srv, aistats.WithMaxRetries(0))
			ctx := aistats.WithCallOptions(context.Background(), aistats.CallMaxRetries(10))
			_, err := c.Keys.Create(ctx, createKeyParams(v, "once"))
			require.ErrorIs(t, err, aistats.ErrUnknownOutcome)
			assert.Equal(t, 1, countMethod(srv, http.MethodPost))
		})
	}
	t.Run("rotate", func(t *testing.T) {
		srv := newFake(t, july)
		id := srv.AddAPIKey(aistatstest.APIKeySpec{Name: "r"}).ID
		srv.Inject(always503(http.MethodPost))
		c := fakeClient(t, srv)
		_, err := c.APIKeys.Rotate(aistats.WithCallOptions(context.Background(), aistats.CallMaxRetries(10)), id, nil)
		require.ErrorIs(t, err, aistats.ErrUnknownOutcome)
		assert.Equal(t, 1, countMethod(srv, http.MethodPost))
	})
}

func TestCallAttemptTimeoutIsRetried(t *testing.T) {
	srv := newFake(t, july)
	// The first attempt hangs far longer than the attempt timeout; the retry
	// is answered at once. The client's own timeout would wait 30 s.
	srv.Inject(aistatstest.Fault{Kind: aistatstest.Slow, Delay: 30 * time.Second, Method: http.MethodGet})
	// A budget of 3 and a 2 s attempt timeout: a stalled second attempt on
	// a loaded machine still ends well before the client's 30 s would.
	c := fakeClient(t, srv, aistats.WithMaxRetries(0))
	ctx := aistats.WithCallOptions(context.Background(), aistats.CallAttemptTimeout(2*time.Second), aistats.CallMaxRetries(3))
	start := time.Now()
	_, err := c.Keys.List(ctx, nil)
	require.NoError(t, err)
	assert.Less(t, time.Since(start), 15*time.Second)
	assert.GreaterOrEqual(t, len(srv.Requests()), 2, "the hung attempt was abandoned and retried")
}

func TestCallAttemptTimeoutError(t *testing.T) {
	srv := newFake(t, july)
	srv.Inject(aistatstest.Fault{Kind: aistatstest.Slow, Delay: 30 * time.Second, Times: -1})
	c := fakeClient(t, srv)
	ctx := aistats.WithCallOptions(context.Background(), aistats.CallAttemptTimeout(200*time.Millisecond), aistats.CallMaxRetries(0))
	_, err := c.Keys.List(ctx, nil)
	var ate *aistats.AttemptTimeoutError
	require.ErrorAs(t, err, &ate)
	assert.Equal(t, 200*time.Millisecond, ate.After, "the error names the call's timeout, not the client's")

	// The context's deadline wins over a longer attempt timeout.
	dctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	ctx = aistats.WithCallOptions(dctx, aistats.CallAttemptTimeout(time.Hour))
	_, err = c.Keys.List(ctx, nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.False(t, errors.As(err, &ate), "the call's context ended it, not an attempt timeout: %v", err)
}

func TestCallHeaderOnEveryAttempt(t *testing.T) {
	srv := newFake(t, july)
	srv.Inject(aistatstest.Fault{Kind: aistatstest.Respond, Status: http.StatusServiceUnavailable, Times: 2})
	c := fakeClient(t, srv)
	parent := aistats.WithCallOptions(context.Background(), aistats.CallHeader("x-tenant", "acme"), aistats.CallHeader("X-Trace", "t 1"))
	ctx := aistats.WithCallOptions(parent, aistats.CallHeader("X-TENANT", "globex"))
	_, err := c.Keys.List(ctx, nil)
	require.NoError(t, err)
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	for _, r := range reqs {
		assert.Equal(t, []string{"globex"}, r.Header.Values("X-Tenant"), "the later option replaces the value")
		assert.Equal(t, []string{"t 1"}, r.Header.Values("X-Trace"), "headers accumulate")
	}

	// The parent context is unchanged by the derived one.
	srv.Reset()
	_, err = c.Keys.List(parent, nil)
	require.NoError(t, err)
	assert.Equal(t, "acme", srv.Requests()[0].Header.Get("X-Tenant"))
}

func TestCallOptionsRefused(t *testing.T) {
	const secretish = "tok-Zq8XwV7uT6sR5pO4"
	for _, tt := range []struct {
		name  string
		opt   aistats.CallOption
		field string
	}{
		{"negative retries", aistats.CallMaxRetries(-1), "CallMaxRetries"},
		{"negative timeout", aistats.CallAttemptTimeout(-time.Second), "CallAttemptTimeout"},
		{"zero timeout", aistats.CallAttemptTimeout(0), "CallAttemptTimeout"},
		{"nil destination", aistats.CallResponseInto(nil), "CallResponseInto"},
		{"Authorization", aistats.CallHeader("authorization", "Bearer x"), "CallHeader"},
		{"User-Agent", aistats.CallHeader("USER-AGENT", "x"), "CallHeader"},
		{"Content-Type", aistats.CallHeader("content-type", "text/plain"), "CallHeader"},
		{"Accept", aistats.CallHeader("Accept", "text/html"), "CallHeader"},
		{"Content-Length", aistats.CallHeader("content-length", "0"), "CallHeader"},
		{"Host", aistats.CallHeader("host", "evil.example"), "CallHeader"},
		{"Transfer-Encoding", aistats.CallHeader("transfer-encoding", "chunked"), "CallHeader"},
		{"Connection", aistats.CallHeader("Connection", "upgrade"), "CallHeader"},
		// These change what the answer's body is: a mint's answer is the
		// only copy of its secret (gzip not undone, a range cut short).
		{"Accept-Encoding", aistats.CallHeader("accept-encoding", "gzip"), "CallHeader"},
		{"Content-Encoding", aistats.CallHeader("Content-Encoding", "gzip"), "CallHeader"},
		{"Range", aistats.CallHeader("range", "bytes=0-10"), "CallHeader"},
		{"If-Range", aistats.CallHeader("If-Range", "x"), "CallHeader"},
		{"Expect", aistats.CallHeader("expect", "100-continue"), "CallHeader"},
		{"If-None-Match", aistats.CallHeader("If-None-Match", "*"), "CallHeader"},
		{"If-Match", aistats.CallHeader("if-match", "*"), "CallHeader"},
		{"If-Modified-Since", aistats.CallHeader("If-Modified-Since", "Mon, 02 Jan 2006 15:04:05 GMT"), "CallHeader"},
		{"If-Unmodified-Since", aistats.CallHeader("If-Unmodified-Since", "Mon, 02 Jan 2006 15:04:05 GMT"), "CallHeader"},
		{"empty name", aistats.CallHeader("", "x"), "CallHeader"},
		{"space in name", aistats.CallHeader("X Tenant", "x"), "CallHeader"},
		{"colon in name", aistats.CallHeader("X-Tenant:", "x"), "CallHeader"},
		{"non-ASCII name", aistats.CallHeader("X-Ténant", "x"), "CallHeader"},
		{"CRLF in value", aistats.CallHeader("X-Tenant", secretish+"\r\nX-Evil: 1"), "CallHeader"},
		{"LF in value", aistats.CallHeader("X-Tenant", secretish+"\n"), "CallHeader"},
		{"NUL in value", aistats.CallHeader("X-Tenant", secretish+"\x00"), "CallHeader"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t, july)
			c := fakeClient(t, srv)
			// A good option after the bad one does not hide it.
			ctx := aistats.WithCallOptions(context.Background(), tt.opt)
			ctx = aistats.WithCallOptions(ctx, aistats.CallMaxRetries(1))
			_, err := c.Keys.List(ctx, nil)
			var ve *aistats.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			require.ErrorIs(t, err, aistats.ErrInvalidRequest)
			assert.NotContains(t, err.Error(), secretish, "a header value is never quoted")
			// A walk yields the same error; nothing is sent.
			for _, err := range c.APIKeys.All(ctx, nil) {
				require.ErrorAs(t, err, &ve)
			}
			assert.Empty(t, srv.Requests())
		})
	}
	t.Run("nil context", func(t *testing.T) {
		srv := newFake(t, july)
		c := fakeClient(t, srv)
		//lint:ignore SA1012 a nil context is the bad input under test
		ctx := aistats.WithCallOptions(nil, aistats.CallMaxRetries(1))
		_, err := c.Keys.List(ctx, nil)
		var ve *aistats.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "WithCallOptions", ve.Field)
		assert.Empty(t, srv.Requests())
	})
}

func TestCallResponseInto(t *testing.T) {
	srv := newFake(t, july)
	id := srv.AddKey(aistatstest.KeySpec{Name: "k"}).ID
	c := fakeClient(t, srv)

	t.Run("success", func(t *testing.T) {
		var resp *http.Response
		_, err := c.Keys.Get(aistats.WithCallOptions(context.Background(), aistats.CallResponseInto(&resp)), id)
		require.NoError(t, err)
		require.NotNil(t, resp)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Contains(t, resp.Header.Get("Content-Type"), "application/json")
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Empty(t, body, "the body was read by the SDK")
		require.NoError(t, resp.Body.Close())
		requireNoCredential(t, resp, srv.ManagementKey)
		require.NotNil(t, resp.Request)
		assert.Equal(t, "/v1/management-keys/"+id, resp.Request.URL.Path)
	})
	t.Run("404", func(t *testing.T) {
		resp := &http.Response{StatusCode: 999}
		_, err := c.Keys.Get(aistats.WithCallOptions(context.Background(), aistats.CallResponseInto(&resp)), "00000000-0000-4000-8000-000000000000")
		require.ErrorIs(t, err, aistats.ErrNotFound)
		require.NotNil(t, resp)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
		requireNoCredential(t, resp, srv.ManagementKey)
	})
	t.Run("last attempt", func(t *testing.T) {
		srv.Inject(aistatstest.Fault{Kind: aistatstest.Respond, Status: http.StatusServiceUnavailable,
			Header: http.Header{"X-Attempt": {"first"}}})
		var resp *http.Response
		_, err := c.Keys.Get(aistats.WithCallOptions(context.Background(), aistats.CallResponseInto(&resp)), id)
		require.NoError(t, err)
		require.NotNil(t, resp)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Empty(t, resp.Header.Get("X-Attempt"))
	})
	t.Run("body failed after the headers", func(t *testing.T) {
		// A truncated Create answer is an unknown outcome; the response's
		// status and request id still reach the caller, who needs them to
		// ask support what happened.
		srv.Inject(aistatstest.Fault{Kind: aistatstest.Truncate, Method: http.MethodPost,
			Header: http.Header{"X-Request-Id": {"req-trunc-1"}}})
		var resp *http.Response
		_, err := c.Keys.Create(aistats.WithCallOptions(context.Background(), aistats.CallResponseInto(&resp)),
			&aistats.CreateKeyParams{Name: "cut", Template: aistats.KeyTemplateReadOnly})
		require.ErrorIs(t, err, aistats.ErrUnknownOutcome)
		require.NotNil(t, resp, "a response arrived")
		assert.Equal(t, http.StatusCreated, resp.StatusCode)
		assert.Equal(t, "req-trunc-1", resp.Header.Get("X-Request-Id"))
		requireNoCredential(t, resp, srv.ManagementKey)
	})
	t.Run("no response", func(t *testing.T) {
		srv.Inject(aistatstest.Fault{Kind: aistatstest.DropBeforeApply, Method: http.MethodDelete, Times: -1})
		defer srv.Reset()
		resp := &http.Response{StatusCode: 999}
		err := c.Keys.Delete(aistats.WithCallOptions(context.Background(), aistats.CallResponseInto(&resp), aistats.CallMaxRetries(0)), id)
		require.Error(t, err)
		assert.Nil(t, resp)
	})
}

// requireNoCredential checks that the response handed out carries the
// client's key nowhere, in its request or in any printed form.
func requireNoCredential(t *testing.T, resp *http.Response, key string) {
	t.Helper()
	if resp.Request != nil {
		assert.Empty(t, resp.Request.Header.Values("Authorization"))
		assert.NotContains(t, fmt.Sprintf("%+v %#v", *resp.Request, resp.Request.Header), key)
	}
	assert.NotContains(t, fmt.Sprintf("%+v %#v", *resp, resp.Header), key)
}

// Calls sharing one context (and deriving their own from it) at once:
// options are read-only values, so each call sees its own.
func TestCallOptionsConcurrentSharedContext(t *testing.T) {
	srv := newFake(t, july)
	id := srv.AddKey(aistatstest.KeySpec{Name: "k"}).ID
	c := fakeClient(t, srv)
	shared := aistats.WithCallOptions(context.Background(), aistats.CallHeader("X-Shared", "yes"), aistats.CallMaxRetries(2))
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var resp *http.Response
			tenant := fmt.Sprint("t", i)
			ctx := aistats.WithCallOptions(shared, aistats.CallHeader("X-Tenant", tenant), aistats.CallResponseInto(&resp))
			if _, err := c.Keys.Get(ctx, id); err != nil {
				errs <- err
				return
			}
			if resp == nil || resp.StatusCode != http.StatusOK {
				errs <- fmt.Errorf("call %d: response %v", i, resp)
			}
			// The shared context works unchanged beside the derived ones.
			if _, err := c.Keys.List(shared, nil); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	tenants := map[string]bool{}
	for _, r := range srv.Requests() {
		assert.Equal(t, "yes", r.Header.Get("X-Shared"))
		if r.Path != "/v1/management-keys" {
			tenants[r.Header.Get("X-Tenant")] = true
		} else {
			assert.Empty(t, r.Header.Get("X-Tenant"))
		}
	}
	assert.Len(t, tenants, n, "each call sent its own tenant")
}

// The options do not leak into requests of calls without them.
func TestCallOptionsOnlyOnTheirContext(t *testing.T) {
	srv := newFake(t, july)
	c := fakeClient(t, srv)
	_, err := c.Keys.List(aistats.WithCallOptions(context.Background(), aistats.CallHeader("X-Tenant", "a")), nil)
	require.NoError(t, err)
	_, err = c.Keys.List(context.Background(), nil)
	require.NoError(t, err)
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "a", reqs[0].Header.Get("X-Tenant"))
	assert.False(t, strings.Contains(fmt.Sprint(reqs[1].Header), "X-Tenant"))
}

// A call that sends several requests applies its options to each: every
// page of a walk, and Update's read-back on 2026-03.
func TestCallOptionsOnEveryRequestOfACall(t *testing.T) {
	srv := newFake(t, march)
	var id string
	for range 3 {
		id = srv.AddKey(aistatstest.KeySpec{Name: "k"}).ID
	}
	c := fakeClient(t, srv)
	ctx := aistats.WithCallOptions(context.Background(), aistats.CallHeader("X-Tenant", "acme"))
	n := 0
	for _, err := range c.Keys.All(ctx, &aistats.ListKeysOptions{Limit: 1}) {
		require.NoError(t, err)
		n++
	}
	require.Equal(t, 3, n)
	_, err := c.Keys.Update(ctx, id, &aistats.UpdateKeyParams{Name: aistats.Ptr("renamed")})
	require.NoError(t, err)
	reqs := srv.Requests()
	require.Len(t, reqs, 4+2, "four pages (the last one empty), a PATCH and its read-back GET")
	for _, r := range reqs {
		assert.Equal(t, "acme", r.Header.Get("X-Tenant"), "%s %s", r.Method, r.Path)
	}
}

// A server that echoes the client's key in a response header or in the
// status line's reason phrase does not hand it to the caller through
// CallResponseInto: those values pass the same scrubber as an APIError's.
func TestCallResponseIntoMasksEchoedCredentials(t *testing.T) {
	const key = "phaseo_v1_mk_Q7xk2Pa9LmZt4RwYbA7yJ3nV8cE5hK1s"
	for _, status := range []int{http.StatusOK, http.StatusForbidden} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Echo", r.Header.Get("Authorization"))
				w.Header().Set("X-Echo-Cut", strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")[:20])
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				_, _ = io.WriteString(w, `{"data":[]}`)
			}))
			t.Cleanup(hs.Close)
			c, err := aistats.NewClient(aistats.WithAPIKey(key), aistats.WithBaseURL(hs.URL+"/v1"), aistats.WithMaxRetries(0))
			require.NoError(t, err)
			var resp *http.Response
			_, _ = c.Keys.List(aistats.WithCallOptions(context.Background(), aistats.CallResponseInto(&resp)), nil)
			require.NotNil(t, resp)
			assert.Equal(t, status, resp.StatusCode)
			require.NotEmpty(t, resp.Header.Get("X-Echo"), "the header is kept, masked")
			requireNoCredential(t, resp, key)
			assert.NotContains(t, fmt.Sprint(resp.Header), key[:20], "a key cut short is masked too")
		})
	}
}
