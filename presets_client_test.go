package aistats_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fake's presets, used as their docs show, pass through srv.Client():
// each is injected once on the default (2026-07) fake, and a Keys.List and
// an APIKeys.List retry through it and succeed. The Retry-After presets are
// waited out (srv.Client honours hints up to 10s; it used to cap every wait
// at 5ms, so RateLimited(1, "1") failed at once); the others are retried
// after the client's 1–5ms backoff.
func TestFakePresetsThroughClient(t *testing.T) {
	t.Parallel()
	presets := []struct {
		name    string
		fault   func() aistatstest.Fault // built when injected: RetryAfterDate is relative to now
		status  int
		minWait time.Duration // the hint, less HTTP-date rounding and timer slack
	}{
		{"ServiceUnavailable", func() aistatstest.Fault { return aistatstest.ServiceUnavailable(1) }, 503, 0},
		{"InternalError", func() aistatstest.Fault { return aistatstest.InternalError(1) }, 500, 0},
		{"RateLimited seconds", func() aistatstest.Fault { return aistatstest.RateLimited(1, "1") }, 429, 900 * time.Millisecond},
		{"RateLimited date", func() aistatstest.Fault {
			return aistatstest.RateLimited(1, aistatstest.RetryAfterDate(2*time.Second))
		}, 429, 900 * time.Millisecond}, // a 2s date is 1–2s away: dates have whole seconds
		{"BadGatewayHTML", func() aistatstest.Fault { return aistatstest.BadGatewayHTML(1) }, 502, 0},
	}
	calls := []struct {
		name, path string
		list       func(ctx context.Context, c *aistats.Client) (int, error)
	}{
		{"Keys.List", "/v1/management-keys", func(ctx context.Context, c *aistats.Client) (int, error) {
			p, err := c.Keys.List(ctx, nil)
			if err != nil {
				return 0, err
			}
			return len(p.Keys), nil
		}},
		{"APIKeys.List", "/v1/keys", func(ctx context.Context, c *aistats.Client) (int, error) {
			p, err := c.APIKeys.List(ctx, nil)
			if err != nil {
				return 0, err
			}
			return len(p.Keys), nil
		}},
	}
	var names []string
	for _, p := range presets {
		for _, c := range calls {
			names = append(names, p.name+"/"+c.name)
		}
	}
	// The waits overlap: the whole test takes about the longest hint.
	concurrently(t, names, func(t *testing.T, i int) {
		p, call := presets[i/len(calls)], calls[i%len(calls)]
		srv := aistatstest.NewServer()
		defer srv.Close()
		require.Equal(t, aistats.APIVersionJuly2026, srv.APIVersion(), "the default fake")
		srv.SeedKeys(2)
		srv.SeedAPIKeys(3)
		client, err := srv.Client()
		require.NoError(t, err)
		srv.Inject(p.fault())

		start := time.Now()
		n, err := call.list(context.Background(), client)
		elapsed := time.Since(start)
		require.NoError(t, err, "the preset is retried through")
		assert.Equal(t, 3, n, "the whole page (management keys: the fake's credential and 2 seeded)")

		reqs := srv.Requests()
		require.Len(t, reqs, 2, "one faulted attempt, one retry")
		assert.Equal(t, "respond "+strconv.Itoa(p.status), reqs[0].Fault)
		assert.Empty(t, reqs[1].Fault)
		for _, r := range reqs {
			assert.Equal(t, call.path, r.Path)
		}
		assert.Equal(t, 1, srv.FaultsApplied())
		if p.minWait > 0 {
			assert.GreaterOrEqual(t, elapsed, p.minWait, "the Retry-After hint was waited out")
			assert.Less(t, elapsed, 3*time.Second, "about the hint, not the 10s cap")
		} else {
			assert.Less(t, elapsed, 800*time.Millisecond, "the fake's client backs off for milliseconds")
		}
	})
}
