package aistats_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func listRequests(srv *aistatstest.Server) []aistatstest.Request {
	var out []aistatstest.Request
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet && r.Path == "/v1/management/keys" {
			out = append(out, r)
		}
	}
	return out
}

func collect(t *testing.T, seq func(func(*aistats.Key, error) bool)) ([]string, error) {
	t.Helper()
	var ids []string
	for k, err := range seq {
		if err != nil {
			return ids, err
		}
		ids = append(ids, k.ID)
	}
	return ids, nil
}

func TestAllWalksEveryKeyOnce(t *testing.T) {
	for _, tc := range []struct{ n, limit, wantRequests int }{
		{0, 0, 1},
		{1, 0, 1},
		{249, 0, 1},
		{250, 0, 2}, // a full page always asks for the next: total is only a hint
		{251, 0, 2},
		{1000, 0, 5},
		{1000, 1000, 5}, // clamped to 250
		{10, 3, 4},
	} {
		t.Run(fmt.Sprintf("n=%d/limit=%d", tc.n, tc.limit), func(t *testing.T) {
			t.Parallel()
			srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
			defer srv.Close()
			seeded := srv.SeedKeys(tc.n)
			c, err := srv.Client()
			require.NoError(t, err)

			ids, err := collect(t, c.Keys.All(context.Background(), &aistats.ListKeysOptions{Limit: tc.limit}))
			require.NoError(t, err)

			var want []string
			for _, k := range srv.Keys() { // newest first
				want = append(want, k.ID)
			}
			assert.Len(t, seeded, tc.n)
			assert.Equal(t, want, ids, "every key exactly once, newest first")
			reqs := listRequests(srv)
			assert.Len(t, reqs, tc.wantRequests)
			for _, r := range reqs {
				limit, _ := strconv.Atoi(r.Query.Get("limit"))
				assert.LessOrEqual(t, limit, aistats.MaxPageSize, "limit clamped locally")
			}
		})
	}
}

func TestAllHonoursOffsetAndDoesNotMutateOptions(t *testing.T) {
	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
	defer srv.Close()
	srv.SeedKeys(30)
	c, err := srv.Client()
	require.NoError(t, err)
	opts := &aistats.ListKeysOptions{Limit: 7, Offset: 5}
	seq := c.Keys.All(context.Background(), opts)

	first, err := collect(t, seq)
	require.NoError(t, err)
	second, err := collect(t, seq)
	require.NoError(t, err)

	all := srv.Keys()
	require.Len(t, first, 25)
	assert.Equal(t, all[5].ID, first[0])
	assert.Equal(t, first, second, "ranging twice starts over")
	assert.Equal(t, aistats.ListKeysOptions{Limit: 7, Offset: 5}, *opts, "caller's options untouched")
}

func TestAllBreakSendsNoFurtherRequest(t *testing.T) {
	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
	defer srv.Close()
	srv.SeedKeys(600)
	c, err := srv.Client()
	require.NoError(t, err)
	n := 0
	for _, err := range c.Keys.All(context.Background(), nil) {
		require.NoError(t, err)
		if n++; n == 260 { // inside the second page
			break
		}
	}
	assert.Len(t, listRequests(srv), 2)
}

func TestAllEndsWithErrorWhenServerIgnoresOffset(t *testing.T) {
	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
	defer srv.Close()
	srv.SeedKeys(600)
	c, err := srv.Client()
	require.NoError(t, err)
	srv.Inject(aistatstest.Fault{Kind: aistatstest.IgnoreOffset, Times: -1})

	ids, err := collect(t, c.Keys.All(context.Background(), nil))
	require.ErrorIs(t, err, aistats.ErrNoProgress)
	assert.Len(t, ids, 250, "the first page, then the guard")
	assert.Len(t, listRequests(srv), 2)
}

// pageServer serves n keys with limit/offset and a total the test chooses,
// for server behaviours the fake does not model.
func pageServer(t *testing.T, n int, total func(int) int, requests *atomic.Int64) *aistats.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		keys := []map[string]any{}
		for i := offset; i < n && i < offset+limit; i++ {
			keys = append(keys, map[string]any{"id": fmt.Sprintf("k%05d", i), "name": "n", "scopes": "[]",
				"created_at": "2026-03-10T14:02:11.482+00:00"})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "limit": limit, "offset": offset, "total": total(n), "keys": keys})
	}))
	t.Cleanup(srv.Close)
	c, err := aistats.NewClient(aistats.WithAPIKey("aistats_v1_sk_x"), aistats.WithBaseURL(srv.URL+"/v1"))
	require.NoError(t, err)
	return c
}

func TestAllDoesNotTrustZeroTotal(t *testing.T) {
	var reqs atomic.Int64
	c := pageServer(t, 520, func(int) int { return 0 }, &reqs)
	ids, err := collect(t, c.Keys.All(context.Background(), nil))
	require.NoError(t, err)
	assert.Len(t, ids, 520)
	assert.Equal(t, int64(3), reqs.Load())
}

func TestAllChecksContextBetweenPages(t *testing.T) {
	var reqs atomic.Int64
	c := pageServer(t, 1000, func(n int) int { return n }, &reqs)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	var last error
	for _, err := range c.Keys.All(ctx, nil) {
		if err != nil {
			last = err
			break
		}
		if n++; n == 250 {
			cancel() // end of the first page
		}
	}
	assert.ErrorIs(t, last, context.Canceled)
	assert.Equal(t, 250, n)
	assert.Equal(t, int64(1), reqs.Load(), "no request after cancellation")
}

func TestAllYieldsErrorOnceAndStops(t *testing.T) {
	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
	defer srv.Close()
	srv.SeedKeys(300)
	c, err := srv.Client(aistats.WithMaxRetries(0))
	require.NoError(t, err)
	srv.Inject(aistatstest.Fault{Kind: aistatstest.Respond, Method: http.MethodGet, OnRequest: 2, Status: 403,
		Body: `{"ok":false,"error":"forbidden","message":"team_id must match authenticated team"}`})
	errs, keys := 0, 0
	for _, err := range c.Keys.All(context.Background(), nil) {
		if err != nil {
			errs++
			assert.True(t, errors.Is(err, aistats.ErrForbidden))
			continue // a well-behaved iterator must not yield again
		}
		keys++
	}
	assert.Equal(t, 1, errs)
	assert.Equal(t, 250, keys)
}

func TestPagesAndNextOptions(t *testing.T) {
	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
	defer srv.Close()
	srv.SeedKeys(12)
	c, err := srv.Client()
	require.NoError(t, err)
	ctx := context.Background()

	var sizes []int
	for page, err := range c.Keys.Pages(ctx, &aistats.ListKeysOptions{Limit: 5}) {
		require.NoError(t, err)
		sizes = append(sizes, len(page.Keys))
	}
	assert.Equal(t, []int{5, 5, 2}, sizes)

	opts := &aistats.ListKeysOptions{Limit: 5}
	var manual []int
	for {
		page, err := c.Keys.List(ctx, opts)
		require.NoError(t, err)
		manual = append(manual, len(page.Keys))
		next, more := page.NextOptions()
		if !more {
			break
		}
		opts = next
	}
	assert.Equal(t, sizes, manual)
}
