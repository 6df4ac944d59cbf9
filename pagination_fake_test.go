package aistats_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"runtime"
	"runtime/metrics"
	"strconv"
	"testing"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listing is one paged list of the fake, walked through the SDK: management
// keys on each version and API keys on 2026-07.
type listing struct {
	name    string
	version aistats.APIVersion
	path    string // the list route, as the fake records it
	// defaultPage is the server's page when List sends no limit.
	defaultPage int
	// hasTotal: the route reports a count (2026-07 management keys do not).
	hasTotal bool
	// own is how many rows a new fake lists: on 2026-07 management keys,
	// the fake's own credential (srv.ManagementKey).
	own int
	// seed stores n more keys that the default list shows.
	seed func(srv *aistatstest.Server, n int)
	// want is what a walk from offset 0 yields, newest first (on 2026-07
	// management keys include the fake's own credential, srv.ManagementKey).
	want func(srv *aistatstest.Server) []string
	// all is All with {Limit: limit, Offset: offset}, as ids.
	all func(ctx context.Context, c *aistats.Client, limit, offset int) iter.Seq2[string, error]
	// pages is Pages with {Limit: limit}: the ids of each page.
	pages func(ctx context.Context, c *aistats.Client, limit int) iter.Seq2[[]string, error]
	// manual pages with List and NextOptions from {Limit: limit}.
	manual func(ctx context.Context, c *aistats.Client, limit int) ([][]string, error)
	// list is one List call with {Limit: limit}.
	list func(ctx context.Context, c *aistats.Client, limit int) (listPage, error)
}

// listPage is what a test reads of a *KeyPage or *APIKeyPage.
type listPage struct {
	ids                  []string
	limit, offset, total int
	next                 int // NextOptions' offset, when more
	more                 bool
}

// pager adapts one service's list calls (options O, page P, key K) to a
// listing.
type pager[O, P, K any] struct {
	opts   func(limit, offset int) *O
	offset func(*O) int
	all    func(c *aistats.Client) func(context.Context, *O) iter.Seq2[*K, error]
	pages  func(c *aistats.Client) func(context.Context, *O) iter.Seq2[P, error]
	list   func(c *aistats.Client) func(context.Context, *O) (P, error)
	next   func(P) (*O, bool) // NextOptions
	keys   func(P) []*K
	window func(P) (limit, offset, total int)
	id     func(K) string
}

func (p pager[O, P, K]) into(l listing) listing {
	ids := func(pg P) []string { return ptrIDs(p.keys(pg), p.id) }
	l.all = func(ctx context.Context, c *aistats.Client, limit, offset int) iter.Seq2[string, error] {
		return mapSeq(p.all(c)(ctx, p.opts(limit, offset)), byPtr(p.id))
	}
	l.pages = func(ctx context.Context, c *aistats.Client, limit int) iter.Seq2[[]string, error] {
		return mapSeq(p.pages(c)(ctx, p.opts(limit, 0)), ids)
	}
	l.list = func(ctx context.Context, c *aistats.Client, limit int) (listPage, error) {
		pg, err := p.list(c)(ctx, p.opts(limit, 0))
		if err != nil {
			return listPage{}, err
		}
		lp := listPage{ids: ids(pg)}
		lp.limit, lp.offset, lp.total = p.window(pg)
		if next, more := p.next(pg); more {
			lp.next, lp.more = p.offset(next), true
		}
		return lp, nil
	}
	l.manual = func(ctx context.Context, c *aistats.Client, limit int) ([][]string, error) {
		var out [][]string
		for opts := p.opts(limit, 0); ; {
			pg, err := p.list(c)(ctx, opts)
			if err != nil {
				return out, err
			}
			out = append(out, ids(pg))
			next, more := p.next(pg)
			if !more {
				return out, nil
			}
			opts = next
		}
	}
	return l
}

func keyListing(v aistats.APIVersion, path string, defaultPage int, hasTotal bool, own int) listing {
	type (
		O = aistats.ListKeysOptions
		P = *aistats.KeyPage
	)
	return pager[O, P, aistats.Key]{
		opts:   func(limit, offset int) *O { return &O{Limit: limit, Offset: offset} },
		offset: func(o *O) int { return o.Offset },
		all:    func(c *aistats.Client) func(context.Context, *O) iter.Seq2[*aistats.Key, error] { return c.Keys.All },
		pages:  func(c *aistats.Client) func(context.Context, *O) iter.Seq2[P, error] { return c.Keys.Pages },
		list:   func(c *aistats.Client) func(context.Context, *O) (P, error) { return c.Keys.List },
		next:   P.NextOptions,
		keys:   func(p P) []*aistats.Key { return p.Keys },
		window: func(p P) (int, int, int) { return p.Limit, p.Offset, p.Total },
		id:     keyID,
	}.into(listing{
		name: string(v) + "/Keys", version: v, path: path, defaultPage: defaultPage, hasTotal: hasTotal, own: own,
		seed: func(srv *aistatstest.Server, n int) { srv.SeedKeys(n) },
		want: func(srv *aistatstest.Server) []string { return ids(srv.Keys(), keyID) },
	})
}

func apiKeyListing() listing {
	type (
		O = aistats.ListAPIKeysOptions
		P = *aistats.APIKeyPage
	)
	return pager[O, P, aistats.APIKey]{
		opts:   func(limit, offset int) *O { return &O{Limit: limit, Offset: offset} },
		offset: func(o *O) int { return o.Offset },
		all: func(c *aistats.Client) func(context.Context, *O) iter.Seq2[*aistats.APIKey, error] {
			return c.APIKeys.All
		},
		pages:  func(c *aistats.Client) func(context.Context, *O) iter.Seq2[P, error] { return c.APIKeys.Pages },
		list:   func(c *aistats.Client) func(context.Context, *O) (P, error) { return c.APIKeys.List },
		next:   P.NextOptions,
		keys:   func(p P) []*aistats.APIKey { return p.Keys },
		window: func(p P) (int, int, int) { return p.Limit, p.Offset, p.Total },
		id:     apiKeyID,
	}.into(listing{
		name: "2026-07/APIKeys", version: july, path: "/v1/keys", defaultPage: 100, hasTotal: true,
		seed: func(srv *aistatstest.Server, n int) { srv.SeedAPIKeys(n) },
		want: func(srv *aistatstest.Server) []string { return ids(listedAPIKeys(srv), apiKeyID) },
	})
}

var listings = []listing{
	keyListing(march, "/v1/management/keys", 50, true, 0),
	keyListing(july, "/v1/management-keys", 100, false, 1),
	apiKeyListing(),
}

// forEachListing runs fn as a parallel subtest for every listing, on a fake
// that lists rows keys.
func forEachListing(t *testing.T, rows int, fn func(t *testing.T, l listing, srv *aistatstest.Server)) {
	for _, l := range listings {
		t.Run(l.name, func(t *testing.T) {
			t.Parallel()
			fn(t, l, fakeWithRows(t, l, rows))
		})
	}
}

// fakeWithRows starts a fake of l's version whose list shows rows keys,
// counting the rows it shows from the start (l.own).
func fakeWithRows(t *testing.T, l listing, rows int) *aistatstest.Server {
	t.Helper()
	srv := newFake(t, l.version)
	require.Len(t, l.want(srv), l.own)
	l.seed(srv, rows-l.own)
	require.Len(t, l.want(srv), rows)
	return srv
}

func keyID(k aistats.Key) string       { return k.ID }
func apiKeyID(k aistats.APIKey) string { return k.ID }

// listedAPIKeys are the API keys GET /v1/keys shows by default: active and
// not soft-blocked, newest first.
func listedAPIKeys(srv *aistatstest.Server) []aistats.APIKey {
	var out []aistats.APIKey
	for _, k := range srv.APIKeys() {
		if k.Status == aistats.KeyStatusActive && !k.SoftBlocked {
			out = append(out, k)
		}
	}
	return out
}

func ids[K any](ks []K, id func(K) string) []string {
	out := []string{}
	for _, k := range ks {
		out = append(out, id(k))
	}
	return out
}

func ptrIDs[K any](ks []*K, id func(K) string) []string {
	out := []string{}
	for _, k := range ks {
		out = append(out, id(*k))
	}
	return out
}

// byPtr applies f to what a pointer points at.
func byPtr[K, V any](f func(K) V) func(*K) V { return func(k *K) V { return f(*k) } }

// collect ranges over a walk: the ids before the first error, and the error.
func collect[V any](seq iter.Seq2[V, error]) ([]V, error) {
	out := []V{}
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

var errEndless = errors.New("the walk went on past its bound")

// collectAtMost is collect for walks that might never end: past max items
// it stops with errEndless.
func collectAtMost[V any](seq iter.Seq2[V, error], max int) ([]V, error) {
	out := []V{}
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		if out = append(out, v); len(out) > max {
			return out, errEndless
		}
	}
	return out, nil
}

func TestAllWalksEveryKeyOnce(t *testing.T) {
	t.Parallel()
	cases := []struct{ rows, limit, wantRequests int }{
		{0, 0, 1},
		{1, 0, 1},
		{249, 0, 1},
		{250, 0, 2}, // a full page always asks for the next: total is only a hint
		{251, 0, 2},
		{501, 0, 3},
		{251, 1000, 2}, // clamped to 250
		{10, 3, 4},
	}
	for _, l := range listings {
		for _, tc := range cases {
			if tc.rows < l.own {
				continue // 2026-07 management keys always list the fake's credential
			}
			t.Run(fmt.Sprintf("%s/rows=%d/limit=%d", l.name, tc.rows, tc.limit), func(t *testing.T) {
				t.Parallel()
				srv := fakeWithRows(t, l, tc.rows)
				c := fakeClient(t, srv)

				got, err := collect(l.all(context.Background(), c, tc.limit, 0))
				require.NoError(t, err)
				assert.Equal(t, l.want(srv), got, "every key exactly once, newest first")

				reqs := requestsTo(srv, l.path)
				require.Len(t, reqs, tc.wantRequests)
				page := min(tc.limit, aistats.MaxPageSize)
				if page == 0 {
					page = aistats.MaxPageSize // a walk's default page
				}
				for i, r := range reqs {
					assert.Equal(t, strconv.Itoa(page), r.Query.Get("limit"), "request %d", i)
					offset, _ := strconv.Atoi(r.Query.Get("offset"))
					assert.Equal(t, i*page, offset, "request %d", i)
				}
			})
		}
	}
}

func TestAllHonoursOffsetAndStartsOver(t *testing.T) {
	t.Parallel()
	forEachListing(t, 30, func(t *testing.T, l listing, srv *aistatstest.Server) {
		c := fakeClient(t, srv)
		seq := l.all(context.Background(), c, 7, 5)

		first, err := collect(seq)
		require.NoError(t, err)
		second, err := collect(seq)
		require.NoError(t, err)
		assert.Equal(t, l.want(srv)[5:], first)
		assert.Equal(t, first, second, "ranging twice starts over")
		assert.Len(t, requestsTo(srv, l.path), 2*4, "25 keys in pages of 7, twice")
	})
}

// All and Pages copy the caller's options: neither the walk nor a second
// range changes them.
func TestWalksDoNotMutateOptions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, v := range bothVersions {
		srv := newFake(t, v)
		srv.SeedKeys(20)
		c := fakeClient(t, srv)
		opts := &aistats.ListKeysOptions{Limit: 7, Offset: 5}
		_, err := collect(c.Keys.All(ctx, opts))
		require.NoError(t, err)
		_, err = collect(c.Keys.Pages(ctx, opts))
		require.NoError(t, err)
		assert.Equal(t, aistats.ListKeysOptions{Limit: 7, Offset: 5}, *opts, "%s: caller's options untouched", v)
	}
	srv := newFake(t, july)
	srv.SeedAPIKeys(20)
	c := fakeClient(t, srv)
	opts := &aistats.ListAPIKeysOptions{Limit: 7, Offset: 5, IncludeDisabled: true}
	_, err := collect(c.APIKeys.All(ctx, opts))
	require.NoError(t, err)
	_, err = collect(c.APIKeys.Pages(ctx, opts))
	require.NoError(t, err)
	assert.Equal(t, aistats.ListAPIKeysOptions{Limit: 7, Offset: 5, IncludeDisabled: true}, *opts, "caller's API-key options untouched")
}

func TestAllBreakSendsNoFurtherRequest(t *testing.T) {
	t.Parallel()
	forEachListing(t, 300, func(t *testing.T, l listing, srv *aistatstest.Server) {
		c := fakeClient(t, srv)
		n := 0
		for _, err := range l.all(context.Background(), c, 0, 0) {
			require.NoError(t, err)
			if n++; n == 260 { // inside the second page
				break
			}
		}
		assert.Equal(t, 260, n)
		assert.Equal(t, 2, srv.RequestCount(), "no request after the break")
	})
}

func TestAllEndsWithErrorWhenServerIgnoresOffset(t *testing.T) {
	t.Parallel()
	forEachListing(t, 300, func(t *testing.T, l listing, srv *aistatstest.Server) {
		c := fakeClient(t, srv)
		srv.Inject(aistatstest.Fault{Kind: aistatstest.IgnoreOffset, Path: l.path, Times: -1})

		got, err := collectAtMost(l.all(context.Background(), c, 0, 0), 1000)
		require.ErrorIs(t, err, aistats.ErrNoProgress)
		assert.Equal(t, l.want(srv)[:250], got, "the first page, then the guard")
		assert.Equal(t, 2, countPath(srv, l.path))
	})
}

// A count of 0 (or none) never ends a walk early, and List reports the
// count as the server sent it: -1 where the route has none.
func TestAllDoesNotTrustZeroTotal(t *testing.T) {
	t.Parallel()
	forEachListing(t, 260, func(t *testing.T, l listing, srv *aistatstest.Server) {
		c := fakeClient(t, srv)
		ctx := context.Background()

		page, err := l.list(ctx, c, 10)
		require.NoError(t, err)
		wantTotal := -1
		if l.hasTotal {
			wantTotal = 260
		}
		assert.Equal(t, wantTotal, page.total, "Total as reported")

		srv.Inject(aistatstest.Fault{Kind: aistatstest.ZeroTotal, Path: l.path, Times: -1})
		page, err = l.list(ctx, c, 10)
		require.NoError(t, err)
		if l.hasTotal {
			wantTotal = 0
		}
		assert.Equal(t, wantTotal, page.total, "Total under the fault")
		assert.True(t, page.more, "a full page has a next one whatever the total")

		got, err := collect(l.all(ctx, c, 0, 0))
		require.NoError(t, err)
		assert.Equal(t, l.want(srv), got)
		assert.Equal(t, 2+2, countPath(srv, l.path), "two Lists, then pages of 250 and 10")
	})
}

func TestAllChecksContextBetweenPages(t *testing.T) {
	t.Parallel()
	forEachListing(t, 300, func(t *testing.T, l listing, srv *aistatstest.Server) {
		c := fakeClient(t, srv)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		n := 0
		var last error
		for _, err := range l.all(ctx, c, 0, 0) {
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
		assert.Equal(t, 1, srv.RequestCount(), "no request after cancellation")
	})
}

func TestAllYieldsErrorOnceAndStops(t *testing.T) {
	t.Parallel()
	forEachListing(t, 300, func(t *testing.T, l listing, srv *aistatstest.Server) {
		c := fakeClient(t, srv, aistats.WithMaxRetries(0))
		srv.Inject(aistatstest.Fault{Kind: aistatstest.Respond, Method: http.MethodGet, OnRequest: 2, Status: 403,
			Body: `{"ok":false,"error":"forbidden","message":"team_id must match authenticated team"}`})
		errs, keys := 0, 0
		for _, err := range l.all(context.Background(), c, 0, 0) {
			if err != nil {
				errs++
				assert.True(t, errors.Is(err, aistats.ErrForbidden))
				continue // a well-behaved iterator must not yield again
			}
			keys++
		}
		assert.Equal(t, 1, errs)
		assert.Equal(t, 250, keys)
		assert.Equal(t, 2, srv.RequestCount())
	})
}

// Pages and manual paging with NextOptions see the same pages and send the
// same requests: only a short or empty page ends the list.
func TestPagesAndNextOptions(t *testing.T) {
	t.Parallel()
	for _, l := range listings {
		for _, tc := range []struct {
			rows     int
			sizes    []int
			requests int
		}{
			{12, []int{5, 5, 2}, 3},
			{10, []int{5, 5}, 3}, // the full second page asks for a third, which is empty
		} {
			t.Run(fmt.Sprintf("%s/rows=%d", l.name, tc.rows), func(t *testing.T) {
				t.Parallel()
				srv := fakeWithRows(t, l, tc.rows)
				c := fakeClient(t, srv)
				ctx := context.Background()

				pages, err := collect(l.pages(ctx, c, 5))
				require.NoError(t, err)
				var sizes []int
				for _, p := range pages {
					sizes = append(sizes, len(p))
				}
				assert.Equal(t, tc.sizes, sizes)
				assert.Equal(t, l.want(srv), concat(pages))
				assert.Equal(t, tc.requests, srv.RequestCount(), "Pages")

				srv.Reset()
				manual, err := l.manual(ctx, c, 5)
				require.NoError(t, err)
				if len(manual) > 0 && len(manual[len(manual)-1]) == 0 {
					manual = manual[:len(manual)-1] // the empty page that ended it; Pages never yields one
				}
				assert.Equal(t, pages, manual, "NextOptions walks the same pages")
				assert.Equal(t, tc.requests, srv.RequestCount(), "NextOptions")
			})
		}
	}
}

func concat(pages [][]string) []string {
	out := []string{}
	for _, p := range pages {
		out = append(out, p...)
	}
	return out
}

// List with no limit gets the server's default page (2026-03: 50, 2026-07:
// 100) and sends no limit; NextOptions continues after it.
func TestListDefaultPage(t *testing.T) {
	t.Parallel()
	forEachListing(t, 260, func(t *testing.T, l listing, srv *aistatstest.Server) {
		c := fakeClient(t, srv)
		page, err := l.list(context.Background(), c, 0)
		require.NoError(t, err)
		assert.Equal(t, l.want(srv)[:l.defaultPage], page.ids)
		assert.Equal(t, l.defaultPage, page.limit, "Limit reports the default the server applied")
		assert.Zero(t, page.offset)
		assert.True(t, page.more)
		assert.Equal(t, l.defaultPage, page.next)
		r := requestsTo(srv, l.path)
		require.Len(t, r, 1)
		assert.False(t, r[0].Query.Has("limit"), "no limit sent: %v", r[0].Query)
	})
}

// APIKeys lists hide paused, soft-blocked and deleted keys unless
// IncludeDisabled is set, across pages, and send include_disabled only then.
func TestAPIKeysIncludeDisabled(t *testing.T) {
	t.Parallel()
	srv := newFake(t, july)
	for i := range 4 {
		srv.SeedAPIKeys(1)
		srv.AddAPIKey(aistatstest.APIKeySpec{Name: fmt.Sprintf("paused-%d", i), Status: aistats.KeyStatusPaused})
		srv.AddAPIKey(aistatstest.APIKeySpec{Name: fmt.Sprintf("blocked-%d", i), SoftBlocked: true})
		srv.AddAPIKey(aistatstest.APIKeySpec{Name: fmt.Sprintf("deleted-%d", i), Status: aistats.KeyStatusDeleted})
	}
	c := fakeClient(t, srv)
	ctx := context.Background()
	every := ids(srv.APIKeys(), apiKeyID)
	active := ids(listedAPIKeys(srv), apiKeyID)
	require.Len(t, every, 16)
	require.Len(t, active, 4)

	for _, tc := range []struct {
		include bool
		want    []string
		query   string
	}{
		{false, active, ""},
		{true, every, "true"},
	} {
		srv.Reset()
		got, err := collect(mapSeq(c.APIKeys.All(ctx, &aistats.ListAPIKeysOptions{Limit: 3, IncludeDisabled: tc.include}), byPtr(apiKeyID)))
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, "include_disabled=%v", tc.include)
		reqs := srv.Requests()
		assert.Len(t, reqs, len(tc.want)/3+1)
		for _, r := range reqs {
			assert.Equal(t, tc.query, r.Query.Get("include_disabled"))
			assert.Equal(t, tc.include, r.Query.Has("include_disabled"))
		}
		page, err := c.APIKeys.List(ctx, &aistats.ListAPIKeysOptions{IncludeDisabled: tc.include})
		require.NoError(t, err)
		assert.Equal(t, len(tc.want), page.Total, "total_count has the same filter")
		next, more := page.NextOptions()
		assert.False(t, more, "a short page is the last: %v", next)
	}
}

// A walk holds one page at a time: over 500 keys past its first page,
// what it keeps live grows by its id set (tens of bytes a key, the fake's
// bookkeeping included), not by the keys (about 400–550 bytes each if kept).
// Not parallel: it reads the whole process's live heap, so a reading over
// the bound is taken again once (a walk that keeps its keys fails both).
func TestWalkMemoryStaysFlat(t *testing.T) {
	const n, perKey = 750, 150
	for _, l := range listings {
		t.Run(l.name, func(t *testing.T) {
			srv := fakeWithRows(t, l, n)
			c := fakeClient(t, srv)
			growth := func() int64 {
				var first, last uint64
				i := 0
				for _, err := range l.all(context.Background(), c, 0, 0) {
					require.NoError(t, err)
					switch i {
					case 249: // inside the loop at the end of a page: the walk holds that page
						first = liveHeap()
					case n - 1:
						last = liveHeap()
					}
					i++
				}
				require.Equal(t, n, i)
				return int64(last) - int64(first)
			}
			const bound = perKey * (n - 250)
			g := growth()
			if g >= bound {
				g = min(g, growth())
			}
			assert.Less(t, g, int64(bound), "live heap grew %d bytes (%d a key) over %d keys", g, g/(n-250), n-250)
		})
	}
}

// liveHeap collects twice (which also empties sync.Pools) and returns the
// live heap in bytes.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	runtime.GC()
	runtime.GC()
	metrics.Read(s)
	return s[0].Value.Uint64()
}
