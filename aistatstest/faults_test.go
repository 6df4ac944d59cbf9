package aistatstest

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRespondFaultIsBoundedAndDoesNotApply(t *testing.T) {
	s := newServer(t, asMarch2026)
	in := s.Inject(ServiceUnavailable(2))

	for i := range 2 {
		r := do(t, s, http.MethodPost, "/management/keys", `{"name":"a"}`)
		assert.Equal(t, http.StatusServiceUnavailable, r.status, "request %d", i+1)
		assert.JSONEq(t, `{"ok":false,"error":"service_unavailable","message":"Service temporarily unavailable"}`, r.body)
		assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	}
	assert.Empty(t, s.Keys(), "Respond answers without applying")
	assert.Equal(t, http.StatusCreated, do(t, s, http.MethodPost, "/management/keys", `{"name":"a"}`).status, "Times bounds the fault")

	assert.Equal(t, 2, in.Applied())
	assert.Equal(t, 0, in.Remaining())
	assert.Equal(t, http.StatusServiceUnavailable, in.Fault().Status)
	assert.Equal(t, 2, s.FaultsApplied())
	var names []string
	for _, r := range s.Requests() {
		names = append(names, r.Fault)
	}
	assert.Equal(t, []string{"respond 503", "respond 503", ""}, names)
}

func TestPresetFaults(t *testing.T) {
	s := newServer(t, asMarch2026)
	t.Run("bad gateway page", func(t *testing.T) {
		s.Inject(BadGatewayHTML(1))
		r := do(t, s, http.MethodGet, "/management/keys", "")
		assert.Equal(t, http.StatusBadGateway, r.status)
		assert.Equal(t, "text/html", r.header.Get("Content-Type"))
		assert.Equal(t, "cloudflare", r.header.Get("Server"))
		assert.Regexp(t, `^[0-9a-z]{16}-LHR$`, r.header.Get("Cf-Ray"))
		assert.Contains(t, r.body, "<title>502 Bad Gateway</title>")
	})
	t.Run("internal error", func(t *testing.T) {
		s.Inject(InternalError(1))
		r := do(t, s, http.MethodGet, "/management/keys", "")
		assert.Equal(t, http.StatusInternalServerError, r.status)
		assert.JSONEq(t, `{"ok":false,"error":"failed","message":"injected internal error"}`, r.body)
	})
	t.Run("rate limited with seconds", func(t *testing.T) {
		s.Inject(RateLimited(1, "1"))
		r := do(t, s, http.MethodGet, "/management/keys", "")
		assert.Equal(t, http.StatusTooManyRequests, r.status)
		assert.Equal(t, "1", r.header.Get("Retry-After"))
	})
	t.Run("rate limited with a date", func(t *testing.T) {
		s.Inject(RateLimited(1, RetryAfterDate(30*time.Second)))
		r := do(t, s, http.MethodGet, "/management/keys", "")
		when, err := http.ParseTime(r.header.Get("Retry-After"))
		require.NoError(t, err)
		assert.WithinDuration(t, time.Now().Add(30*time.Second), when, 2*time.Second)
	})
	t.Run("rate limited without a hint", func(t *testing.T) {
		s.Inject(RateLimited(1, ""))
		r := do(t, s, http.MethodGet, "/management/keys", "")
		assert.Equal(t, http.StatusTooManyRequests, r.status)
		assert.NotContains(t, r.header, "Retry-After")
	})
	t.Run("zero fault", func(t *testing.T) {
		s.Inject(Fault{})
		r := do(t, s, http.MethodGet, "/management/keys", "")
		assert.Equal(t, http.StatusInternalServerError, r.status)
		assert.Empty(t, r.body)
	})
	t.Run("plain body gets a text type", func(t *testing.T) {
		s.Inject(Fault{Status: 418, Body: "teapot"})
		r := do(t, s, http.MethodGet, "/management/keys", "")
		assert.Equal(t, 418, r.status)
		assert.Equal(t, "text/plain; charset=utf-8", r.header.Get("Content-Type"))
	})
}

func TestFaultSelection(t *testing.T) {
	s := newServer(t, asMarch2026)
	id := s.SeedKeys(1)[0].ID
	get := func() int { return do(t, s, http.MethodGet, "/management/keys/"+id, "").status }
	list := func() int { return do(t, s, http.MethodGet, "/management/keys", "").status }

	t.Run("method", func(t *testing.T) {
		s.Reset()
		s.Inject(Fault{Method: http.MethodDelete, Status: 500})
		assert.Equal(t, 200, get())
		assert.Equal(t, 500, do(t, s, http.MethodDelete, "/management/keys/"+newUUID(), "").status)
	})
	t.Run("relative and full path", func(t *testing.T) {
		s.Reset()
		s.Inject(Fault{Path: "/management/keys", Status: 501})
		s.Inject(Fault{Path: "/v1/management/keys/" + id, Status: 502})
		assert.Equal(t, 502, get())
		assert.Equal(t, 501, list())
	})
	t.Run("nth request", func(t *testing.T) {
		s.Reset()
		s.Inject(Fault{OnRequest: 2, Status: 503})
		assert.Equal(t, []int{200, 503, 200}, []int{list(), list(), list()})
	})
	t.Run("predicate", func(t *testing.T) {
		s.Reset()
		s.Inject(Fault{Match: func(r Request) bool { return r.Query.Get("offset") == "5" }, Status: 500, Times: -1})
		assert.Equal(t, 200, list())
		for range 3 {
			assert.Equal(t, 500, do(t, s, http.MethodGet, "/management/keys?offset=5", "").status)
		}
	})
	t.Run("insertion order, one fault per request", func(t *testing.T) {
		s.Reset()
		first := s.Inject(Fault{Status: 501})
		second := s.Inject(Fault{Status: 502})
		assert.Equal(t, []int{501, 502, 200}, []int{list(), list(), list()})
		assert.Equal(t, 1, first.Applied())
		assert.Equal(t, 1, second.Applied())
	})
	t.Run("unlimited", func(t *testing.T) {
		s.Reset()
		in := s.Inject(Fault{Status: 500, Times: -1})
		for range 5 {
			assert.Equal(t, 500, list())
		}
		assert.Equal(t, -1, in.Remaining())
		assert.Equal(t, 5, in.Applied())
	})
	t.Run("list-only kinds ignore other requests", func(t *testing.T) {
		s.Reset()
		in := s.Inject(Fault{Kind: ZeroTotal})
		assert.Equal(t, 200, get())
		assert.Equal(t, 1, in.Remaining(), "not used up by a get")
		assert.EqualValues(t, 0, do(t, s, http.MethodGet, "/management/keys", "").json(t)["total"])
		assert.EqualValues(t, 1, do(t, s, http.MethodGet, "/management/keys", "").json(t)["total"])
	})
	t.Run("reset forgets faults and renumbers", func(t *testing.T) {
		s.Reset()
		s.Inject(Fault{Status: 500, Times: -1})
		s.Reset()
		assert.Equal(t, 200, list())
		assert.Equal(t, 1, s.Requests()[0].N)
		assert.Equal(t, 0, s.FaultsApplied())
	})
}

func TestFaultsRunBeforeAuth(t *testing.T) {
	s := newServer(t, asMarch2026)
	s.Inject(ServiceUnavailable(1))
	r := doAuth(t, s, http.MethodGet, s.URL+"/management/keys", "", "")
	assert.Equal(t, http.StatusServiceUnavailable, r.status, "a failing proxy answers before the API sees the request")
}

func TestDropBeforeApply(t *testing.T) {
	s := newServer(t, asMarch2026)
	s.Inject(Fault{Kind: DropBeforeApply, Method: http.MethodPost})
	_, err := send(t, s, freshClient(), http.MethodPost, "/management/keys", `{"name":"a"}`)
	require.Error(t, err)
	assert.Empty(t, s.Keys(), "nothing applied")
	reqs := s.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "drop-before-apply", reqs[0].Fault)
}

func TestDropAfterApply(t *testing.T) {
	s := newServer(t, asMarch2026)
	s.Inject(Fault{Kind: DropAfterApply, Method: http.MethodPost})
	_, err := send(t, s, freshClient(), http.MethodPost, "/management/keys", `{"name":"a"}`)
	require.Error(t, err)
	keys := s.Keys()
	require.Len(t, keys, 1, "applied although unanswered")
	assert.Equal(t, "a", keys[0].Name)
	assert.Equal(t, "drop-after-apply", s.Requests()[0].Fault)
}

func TestTransportResendsDroppedGETOnReusedConnection(t *testing.T) {
	// Documents the net/http behaviour the Fault comment warns about.
	s := newServer(t, asMarch2026)
	client := s.HTTPClient()
	res, err := send(t, s, client, http.MethodGet, "/management/keys", "") // warm a keep-alive connection
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()

	s.Inject(Fault{Kind: DropBeforeApply})
	res, err = send(t, s, client, http.MethodGet, "/management/keys", "")
	require.NoError(t, err, "the transport retried on a new connection")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, 3, s.RequestCount())
}

func TestTruncate(t *testing.T) {
	s := newServer(t, asMarch2026)
	s.SeedKeys(3)
	s.Inject(Fault{Kind: Truncate, Method: http.MethodGet})
	res, err := send(t, s, freshClient(), http.MethodGet, "/management/keys", "")
	require.NoError(t, err, "headers arrive intact")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Positive(t, res.ContentLength)
	b, err := io.ReadAll(res.Body)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, int(res.ContentLength)/2, len(b), "half the body")

	s.Inject(Fault{Kind: Truncate, Method: http.MethodPost})
	res, err = send(t, s, freshClient(), http.MethodPost, "/management/keys", `{"name":"applied"}`)
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, res.StatusCode)
	_, err = io.ReadAll(res.Body)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Len(t, s.Keys(), 4, "the create was applied")
}

func TestSlow(t *testing.T) {
	s := newServer(t, asMarch2026)
	const delay = 80 * time.Millisecond
	s.Inject(Fault{Kind: Slow, Delay: delay, Header: http.Header{"X-Slow": {"yes"}}})
	start := time.Now()
	r := do(t, s, http.MethodGet, "/management/keys", "")
	assert.GreaterOrEqual(t, time.Since(start), delay)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "yes", r.header.Get("X-Slow"))
	assert.Equal(t, "slow", s.Requests()[0].Fault)

	t.Run("client gives up first: not applied", func(t *testing.T) {
		// Generous margins: the server must see the disconnect before the
		// delay ends, even on a loaded machine.
		s.Inject(Fault{Kind: Slow, Delay: 500 * time.Millisecond})
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+"/management/keys", strings.NewReader(`{"name":"late"}`))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+s.ManagementKey)
		_, err = freshClient().Do(req)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Never(t, func() bool { return len(s.Keys()) > 0 }, 700*time.Millisecond, 10*time.Millisecond,
			"the delay passed, but the client was gone")
	})
}

func TestCloseDoesNotWaitForSlowFaults(t *testing.T) {
	s := NewServer(asMarch2026)
	s.Inject(Fault{Kind: Slow, Delay: time.Hour})
	req, err := http.NewRequest(http.MethodGet, s.URL+"/management/keys", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+s.ManagementKey)
	errc := make(chan error, 1)
	go func() {
		// A client timeout shorter than the wait below would end the request
		// and let Close return even if Close ignored the fault.
		client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: time.Minute}
		res, err := client.Do(req)
		if err == nil {
			res.Body.Close()
		}
		errc <- err
	}()
	require.Eventually(t, func() bool { return s.RequestCount() == 1 }, 10*time.Second, 5*time.Millisecond)

	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second): // far below the client's minute
		t.Fatal("Close waited for the slow request")
	}
	assert.Error(t, <-errc, "the held request is dropped")
	s.Close() // idempotent
}

func TestIgnoreOffset(t *testing.T) {
	s := newServer(t, asMarch2026)
	s.SeedKeys(5)
	s.Inject(Fault{Kind: IgnoreOffset, Times: -1})
	r := do(t, s, http.MethodGet, "/management/keys?limit=2&offset=2", "")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, []string{"key-0005", "key-0004"}, keyNames(t, r), "first page again")
	assert.EqualValues(t, 2, r.json(t)["offset"], "still echoes the requested offset")
	assert.Equal(t, "ignore-offset", s.Requests()[0].Fault)
}

func TestFaultKindNames(t *testing.T) {
	for k, want := range map[FaultKind]string{
		Respond: "respond", DropBeforeApply: "drop-before-apply", DropAfterApply: "drop-after-apply",
		Slow: "slow", Truncate: "truncate", IgnoreOffset: "ignore-offset", ZeroTotal: "zero-total", 99: "fault(99)",
	} {
		assert.Equal(t, want, k.String())
	}
	assert.Equal(t, "respond 429", RateLimited(1, "").Name())
	assert.Equal(t, "respond 500", Fault{}.Name())
}
