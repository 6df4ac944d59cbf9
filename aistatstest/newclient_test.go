package aistatstest_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// 200 tests, each with its own fake, all in parallel.
func TestNewClientParallel(t *testing.T) {
	t.Parallel()
	start := time.Now()
	t.Cleanup(func() { t.Logf("200 parallel NewClient tests: %s", time.Since(start)) })
	for i := range 200 {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			t.Parallel()
			client, srv := aistatstest.NewClient(t)
			created, err := client.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "key " + strconv.Itoa(i)})
			require.NoError(t, err)
			got, err := client.APIKeys.Get(ctx, created.ID)
			require.NoError(t, err)
			assert.Equal(t, created.APIKey, *got)
			keys := srv.APIKeys()
			require.Len(t, keys, 1, "each test has its own server")
			assert.Equal(t, "key "+strconv.Itoa(i), keys[0].Name)
			assert.True(t, strings.HasSuffix(client.BaseURL(), ".invalid/v1"), client.BaseURL())
			assert.Equal(t, srv.URL, client.BaseURL())
		})
	}
}

// socketCount counts this process's open sockets (Linux).
func socketCount(t *testing.T) int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd:", err)
	}
	n := 0
	for _, e := range entries {
		if target, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil && strings.HasPrefix(target, "socket:") {
			n++
		}
	}
	return n
}

// Not parallel: no other test of this package runs meanwhile, so the
// count is this test's own.
func TestNewClientOpensNoSocket(t *testing.T) {
	before := socketCount(t)
	for range 20 {
		client, srv := aistatstest.NewClient(t)
		srv.SeedAPIKeys(3)
		page, err := client.APIKeys.List(ctx, nil)
		require.NoError(t, err)
		require.Len(t, page.Keys, 3)
	}
	assert.LessOrEqual(t, socketCount(t), before, "no listener, no connection")
}

func TestNewClientRetriesCostMilliseconds(t *testing.T) {
	t.Parallel()
	client, srv := aistatstest.NewClient(t)
	srv.SeedAPIKeys(2)
	srv.Inject(aistatstest.ServiceUnavailable(1))
	srv.Inject(aistatstest.RateLimited(1, ""))
	srv.Inject(aistatstest.RateLimited(1, "0"))
	start := time.Now()
	page, err := client.APIKeys.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, page.Keys, 2)
	assert.Len(t, srv.Requests(), 4, "three faults, each retried")
	assert.Less(t, time.Since(start), 2*time.Second, "retry waits are milliseconds (generous bound for a loaded machine)")
}

// listAfter429 lists once behind a 429 with the hint, timing the call.
func listAfter429(t *testing.T, hint string) (time.Duration, error) {
	client, srv := aistatstest.NewClient(t)
	srv.Inject(aistatstest.RateLimited(1, hint))
	start := time.Now()
	_, err := client.APIKeys.List(ctx, nil)
	return time.Since(start), err
}

func TestNewClientRetryAfterCap(t *testing.T) {
	t.Parallel()
	t.Run("a hint within the cap is waited out", func(t *testing.T) {
		t.Parallel()
		took, err := listAfter429(t, "1")
		require.NoError(t, err)
		assert.GreaterOrEqual(t, took, 900*time.Millisecond)
	})
	t.Run("a longer hint ends the call at once", func(t *testing.T) {
		t.Parallel()
		took, err := listAfter429(t, "30")
		var apiErr *aistats.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, http.StatusTooManyRequests, apiErr.StatusCode)
		assert.Equal(t, 30*time.Second, apiErr.RetryAfter)
		assert.Equal(t, 1, apiErr.Attempts)
		assert.Less(t, took, 5*time.Second)
	})
}

func TestNewClientMarch2026(t *testing.T) {
	t.Parallel()
	client, srv := aistatstest.NewClient(t, aistatstest.WithAPIVersion(aistats.APIVersionMarch2026))
	assert.Equal(t, aistats.APIVersionMarch2026, client.APIVersion())
	created, err := client.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "ci"})
	require.NoError(t, err)
	got, err := client.Keys.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, "ci", got.Name)
	assert.Len(t, srv.Keys(), 1)

	// The transport recipe on 2026-03: a client of your own over srv.Transport().
	own, err := aistats.NewClient(aistats.WithBaseURL(srv.URL), aistats.WithAPIKey(srv.ManagementKey),
		aistats.WithHTTPClient(&http.Client{Transport: srv.Transport()}))
	require.NoError(t, err)
	assert.Equal(t, aistats.APIVersionMarch2026, own.APIVersion(), "the aistats_ key selects 2026-03")
	page, err := own.Keys.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, page.Keys, 1)
	assert.Equal(t, created.ID, page.Keys[0].ID)
}

func TestTransportServesItsOwnHostOnly(t *testing.T) {
	t.Parallel()
	_, srv := aistatstest.NewClient(t)
	hc := &http.Client{Transport: srv.Transport()}
	_, err := hc.Get("https://api.phaseo.app/v1/keys")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "serves "+strings.TrimSuffix(strings.TrimPrefix(srv.URL, "https://"), "/v1"))
	assert.Contains(t, err.Error(), "not api.phaseo.app")
	assert.Empty(t, srv.Requests(), "nothing reached the fake")

	res, err := hc.Get(srv.URL + "/nowhere")
	require.NoError(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	assert.Equal(t, http.StatusNotFound, res.StatusCode)
	assert.Equal(t, "404 Not Found", string(body), "Hono's text 404, as on the wire")
}

// NewServer's listener and its Transport give the same answers.
func TestTransportOfASocketServer(t *testing.T) {
	t.Parallel()
	srv := aistatstest.NewServer()
	t.Cleanup(srv.Close)
	srv.SeedAPIKeys(1)
	over := func(hc *http.Client) string {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/keys", nil)
		req.Header.Set("Authorization", "Bearer "+srv.ManagementKey)
		res, err := hc.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.Status + "\n" + res.Header.Get("Content-Type") + "\n" + string(b)
	}
	assert.Equal(t, over(srv.HTTPClient()), over(&http.Client{Transport: srv.Transport()}))
}

func TestTransportFaults(t *testing.T) {
	t.Parallel()
	_, srv := aistatstest.NewClient(t)
	srv.SeedAPIKeys(1)
	get := func() (*http.Response, error) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/keys", nil)
		req.Header.Set("Authorization", "Bearer "+srv.ManagementKey)
		return srv.HTTPClient().Do(req)
	}

	srv.Inject(aistatstest.Fault{Kind: aistatstest.DropBeforeApply})
	_, err := get()
	require.ErrorIs(t, err, io.EOF, "a drop is a transport error")
	var op *net.OpError
	assert.False(t, errors.As(err, &op), "not a dial error: the request was sent")

	srv.Inject(aistatstest.Fault{Kind: aistatstest.Truncate})
	res, err := get()
	require.NoError(t, err)
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, res.ContentLength/2, int64(len(b)), "half the declared body")

	srv.Inject(aistatstest.Fault{Kind: aistatstest.Slow, Delay: time.Hour})
	done := make(chan error, 1)
	go func() { _, err := get(); done <- err }()
	require.Eventually(t, func() bool { return srv.FaultsApplied() == 3 }, 5*time.Second, time.Millisecond)
	srv.Close() // drops the held request rather than waiting an hour
	require.Error(t, <-done)

	_, err = get()
	require.ErrorAs(t, err, &op, "after Close: refused, like a stopped listener")
	assert.Equal(t, "dial", op.Op)
}

// A closed fake refuses like a stopped listener: nothing was sent, so
// even a mint retries and never reports an unknown outcome.
func TestNewClientAfterClose(t *testing.T) {
	t.Parallel()
	client, srv := aistatstest.NewClient(t)
	srv.Close()
	_, err := client.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "x"})
	require.Error(t, err)
	assert.NotErrorIs(t, err, aistats.ErrUnknownOutcome)
	var op *net.OpError
	require.ErrorAs(t, err, &op)
	assert.Equal(t, "dial", op.Op)
	assert.Empty(t, srv.Requests())
}

// A cancelled context ends a request the fake holds, as on a socket.
func TestTransportHonoursTheContext(t *testing.T) {
	t.Parallel()
	_, srv := aistatstest.NewClient(t)
	srv.Inject(aistatstest.Fault{Kind: aistatstest.Slow, Delay: time.Hour})
	cctx, cancel := context.WithCancel(ctx)
	req, _ := http.NewRequestWithContext(cctx, http.MethodPost, srv.URL+"/keys", strings.NewReader(`{"name":"x"}`))
	time.AfterFunc(20*time.Millisecond, cancel)
	_, err := srv.HTTPClient().Do(req)
	require.ErrorIs(t, err, context.Canceled)
	require.Len(t, srv.Requests(), 1)
	assert.Equal(t, `{"name":"x"}`, string(srv.Requests()[0].RawBody), "the body reached the fake")
}

// A request whose context is already done is not served, as a socket
// client would not send it: the create is never applied.
func TestTransportSendsNothingOnADeadContext(t *testing.T) {
	t.Parallel()
	_, srv := aistatstest.NewClient(t)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	for range 20 { // the race this guards against was a coin toss per request
		req, _ := http.NewRequestWithContext(cctx, http.MethodPost, srv.URL+"/keys", strings.NewReader(`{"name":"x"}`))
		req.Header.Set("Authorization", "Bearer "+srv.ManagementKey)
		_, err := srv.Transport().RoundTrip(req)
		require.ErrorIs(t, err, context.Canceled)
	}
	assert.Empty(t, srv.Requests())
	assert.Empty(t, srv.APIKeys())
}

func TestManagementKeyAlias(t *testing.T) {
	t.Parallel()
	for _, v := range []aistats.APIVersion{aistats.APIVersionJuly2026, aistats.APIVersionMarch2026} {
		_, srv := aistatstest.NewClient(t, aistatstest.WithAPIVersion(v))
		require.NotEmpty(t, srv.ManagementKey)
		assert.Equal(t, srv.ManagementKey, srv.APIKey)
	}
}
