package aistats

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pageFunc decides what a hostile list endpoint answers for one request:
// the ids on the page (an empty id writes an item without one) and the
// total it claims (-1: none).
type pageFunc func(n, limit, offset int) (ids []string, total int)

// hostileLister serves list pages in the envelope of each list route of
// both versions, from fn, and counts requests.
func hostileLister(t *testing.T, fn pageFunc) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		ids, total := fn(int(n.Add(1)), limit, offset)
		if n.Load() > 50 {
			ids = nil // ends a walk that lost its guard, so the test fails instead of hanging
		}
		items := make([]string, len(ids))
		for i, id := range ids {
			idField := ""
			if id != "" {
				idField = `"id":"` + id + `",`
			}
			items[i] = `{` + idField + `"hash":"h","name":"k","status":"active","scopes":["keys:read"],"created_at":"2026-08-20T10:11:12Z"}`
		}
		list := "[" + strings.Join(items, ",") + "]"
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/management/keys"):
			fmt.Fprintf(w, `{"ok":true,"limit":%d,"offset":%d,"total":%d,"keys":%s}`, limit, offset, max(total, 0), list)
		case total >= 0:
			fmt.Fprintf(w, `{"data":%s,"total_count":%d}`, list, total)
		default:
			fmt.Fprintf(w, `{"data":%s}`, list)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// walker runs one All walk of every list route and returns the ids it
// yielded and its error.
type walker struct {
	name   string
	client func(t *testing.T, base string) *Client
	walk   func(c *Client, limit int) ([]string, error)
}

var walkers = []walker{
	{"2026-03 Keys.All", func(t *testing.T, b string) *Client { return newTestClient(t, b) }, walkKeys},
	{"2026-07 Keys.All", func(t *testing.T, b string) *Client { return newJulyClient(t, b) }, walkKeys},
	{"2026-07 APIKeys.All", func(t *testing.T, b string) *Client { return newJulyClient(t, b) }, func(c *Client, limit int) ([]string, error) {
		var ids []string
		for k, err := range c.APIKeys.All(context.Background(), &ListAPIKeysOptions{Limit: limit}) {
			if err != nil {
				return ids, err
			}
			ids = append(ids, k.ID)
		}
		return ids, nil
	}},
}

func walkKeys(c *Client, limit int) ([]string, error) {
	var ids []string
	for k, err := range c.Keys.All(context.Background(), &ListKeysOptions{Limit: limit}) {
		if err != nil {
			return ids, err
		}
		ids = append(ids, k.ID)
	}
	return ids, nil
}

func seqIDs(prefix string, from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, fmt.Sprintf("%s-%04d", prefix, i))
	}
	return out
}

// TestAllNeverLoopsAndNeverRepeats drives every list walk against servers
// that make no progress; each must end with ErrNoProgress after a bounded
// number of requests, having yielded no id twice.
func TestAllNeverLoopsAndNeverRepeats(t *testing.T) {
	t.Parallel()
	const limit = 5
	servers := map[string]struct {
		fn           pageFunc
		maxRequests  int
		wantYielded  int
		wantProgress bool // ends with ErrNoProgress
	}{
		"ignores the offset": {fn: func(int, int, int) ([]string, int) { return seqIDs("k", 0, limit), 100 },
			maxRequests: 2, wantYielded: limit, wantProgress: true},
		"same keys reordered every time": {fn: func(n, _, _ int) ([]string, int) {
			page := seqIDs("k", 0, limit)
			rand.New(rand.NewPCG(uint64(n), 1)).Shuffle(len(page), func(i, j int) { page[i], page[j] = page[j], page[i] })
			return page, 100
		}, maxRequests: 2, wantYielded: limit, wantProgress: true},
		"alternates between two pages": {fn: func(n, _, _ int) ([]string, int) {
			if n%2 == 1 {
				return seqIDs("a", 0, limit), 100
			}
			return seqIDs("b", 0, limit), 100
		}, maxRequests: 3, wantYielded: 2 * limit, wantProgress: true},
		"repeats the last page forever": {fn: func(n, _, _ int) ([]string, int) {
			if n == 1 {
				return seqIDs("a", 0, limit), -1
			}
			return seqIDs("b", 0, limit), -1
		}, maxRequests: 3, wantYielded: 2 * limit, wantProgress: true},
		"overlapping pages (reordered ties)": {fn: func(_, _, offset int) ([]string, int) {
			// Each page repeats two keys of the one before, then brings new ones; 12 keys in all.
			if offset >= 12 {
				return nil, 12
			}
			from := max(offset-2, 0)
			return seqIDs("k", from, min(from+limit, 12)), 12
		}, maxRequests: 10, wantYielded: 12},
	}
	for name, s := range servers {
		for _, w := range walkers {
			t.Run(name+"/"+w.name, func(t *testing.T) {
				t.Parallel()
				srv, n := hostileLister(t, s.fn)
				got, err := w.walk(w.client(t, srv.URL+"/v1"), limit)
				if s.wantProgress {
					assert.ErrorIs(t, err, ErrNoProgress)
				} else {
					assert.NoError(t, err)
				}
				assert.Len(t, got, s.wantYielded)
				assert.Len(t, uniq(got), len(got), "no id yielded twice: %v", got)
				assert.LessOrEqual(t, int(n.Load()), s.maxRequests, "bounded requests")
			})
		}
	}
}

func uniq(ss []string) map[string]bool {
	m := map[string]bool{}
	for _, s := range ss {
		m[s] = true
	}
	return m
}

// A key without an id is a *DecodeError, never a silent "".
func TestListItemWithoutIDIsDecodeError(t *testing.T) {
	t.Parallel()
	for _, w := range walkers {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			srv, n := hostileLister(t, func(int, int, int) ([]string, int) { return []string{"k-1", "", "k-3"}, 3 })
			got, err := w.walk(w.client(t, srv.URL+"/v1"), 5)
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Contains(t, de.Error(), `no "id"`)
			assert.Empty(t, got)
			assert.Equal(t, int64(1), n.Load())
		})
	}
}

// Total is only a hint: a full page always asks for the next one, so a
// stale or zero total never drops keys.
func TestStaleTotalNeverDropsKeys(t *testing.T) {
	t.Parallel()
	const limit, all = 5, 23
	for _, total := range []int{0, 5, 10, -1} {
		for _, w := range walkers {
			t.Run(fmt.Sprintf("total=%d/%s", total, w.name), func(t *testing.T) {
				t.Parallel()
				srv, n := hostileLister(t, func(_, l, offset int) ([]string, int) {
					return seqIDs("k", min(offset, all), min(offset+l, all)), total
				})
				got, err := w.walk(w.client(t, srv.URL+"/v1"), limit)
				require.NoError(t, err)
				assert.Equal(t, seqIDs("k", 0, all), got)
				assert.Equal(t, int64(5), n.Load(), "pages 5,5,5,5,3")
			})
		}
	}
}

// All and Pages check their options like List: a negative Limit or Offset
// is a *ValidationError before any request.
func TestAllRejectsBadWindow(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, c := range []*Client{newTestClient(t, srv.BaseURL()), newJulyClient(t, srv.BaseURL())} {
		for _, o := range []ListKeysOptions{{Limit: -1}, {Offset: -1}} {
			for _, err := range c.Keys.All(context.Background(), &o) {
				requireValidationError(t, err, map[bool]string{true: "Limit", false: "Offset"}[o.Limit < 0])
			}
		}
		for _, err := range c.APIKeys.Pages(context.Background(), &ListAPIKeysOptions{Limit: -3}) {
			if c.APIVersion() == APIVersionJuly2026 {
				requireValidationError(t, err, "Limit")
			}
		}
	}
	assert.Zero(t, srv.count())
}

func FuzzListDecode(f *testing.F) {
	f.Add([]byte(`{"ok":true,"limit":50,"offset":0,"total":2,"keys":[` + fuzzKeyObjects[0] + `,` + fuzzKeyObjects[1] + `]}`))
	f.Add([]byte("{\n  \"ok\": true,\n  \"limit\": 250,\n  \"offset\": 500,\n  \"total\": 0,\n  \"keys\": []\n}"))
	f.Add([]byte(`{"data":[` + fuzzKeyObjects[4] + `]}`))
	f.Add([]byte(`{"data":[` + fuzzKeyObjects[2] + `],"total_count":7}`))
	f.Add([]byte(`{"ok":true,"keys":null,"data":null}`))
	f.Add([]byte(`{"ok":true,"keys":[null,{}]}`))
	f.Add([]byte(`{"ok":true,"keys":[{"created_at":"yesterday"}]}`))
	f.Add([]byte(`{"ok":true,"limit":-1,"offset":-5,"total":-9,"keys":[]}`))
	f.Add([]byte(`{"ok":false,"error":"Key not found"}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`404 Not Found`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, d := range []dialect{march2026{}, july2026{}} {
			page := &KeyPage{opts: ListKeysOptions{Limit: 50}}
			if err := d.decodeKeyPage(data, page); err != nil {
				continue
			}
			for i, k := range page.Keys {
				if k == nil || k.ID == "" {
					t.Fatalf("%s: key %d is nil or has no id", d.version(), i)
				}
			}
			if _, more := page.NextOptions(); more && len(page.Keys) == 0 {
				t.Fatalf("%s: an empty page must be the last", d.version())
			}
		}
		page := &APIKeyPage{opts: ListAPIKeysOptions{Limit: 50}}
		if err := decodeAPIKeyPage(data, page); err == nil {
			for i, k := range page.Keys {
				if k == nil || k.ID == "" {
					t.Fatalf("API key %d is nil or has no id", i)
				}
			}
		}
	})
}

// Pages yields pages whose Keys were filtered by dropRepeats; NextOptions on
// such a page (the documented manual-paging/checkpoint API) then reports the
// end of the list although the server page was full. Both page types, both
// versions.
func TestPagesNextOptionsAfterDroppedRepeats(t *testing.T) {
	march := func(ids ...string) string {
		var parts []string
		for _, id := range ids {
			parts = append(parts, `{"id":"`+id+`","name":"n","prefix":"p","status":"active","scopes":[],"created_at":"2026-03-10T14:02:11Z"}`)
		}
		return strings.Join(parts, ",")
	}
	july := func(ids ...string) string {
		var parts []string
		for _, id := range ids {
			parts = append(parts, `{"id":"`+id+`","name":"n","prefix":"p","status":"active","created_at":"2026-08-20T10:11:12Z"}`)
		}
		return `{"data":[` + strings.Join(parts, ",") + `],"total_count":0}`
	}
	// A key was created meanwhile: k2 shifts onto the page at offset 2.
	bodies := map[string]map[string]string{
		"2026-03 Keys": {
			"":  `{"ok":true,"limit":2,"offset":0,"total":0,"keys":[` + march("k1", "k2") + `]}`,
			"2": `{"ok":true,"limit":2,"offset":2,"total":0,"keys":[` + march("k2", "k3") + `]}`,
			"4": `{"ok":true,"limit":2,"offset":4,"total":0,"keys":[` + march("k4") + `]}`,
		},
		"2026-07 Keys":    {"": july("k1", "k2"), "2": july("k2", "k3"), "4": july("k4")},
		"2026-07 APIKeys": {"": july("k1", "k2"), "2": july("k2", "k3"), "4": july("k4")},
	}
	for name, pages := range bodies {
		version := APIVersionJuly2026
		if strings.HasPrefix(name, "2026-03") {
			version = APIVersionMarch2026
		}
		c := newRTClient(t, rtFunc(func(r *http.Request) (*http.Response, error) {
			body := pages[r.URL.Query().Get("offset")]
			return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
		}), WithAPIVersion(version))
		var nexts []window
		if strings.HasSuffix(name, "APIKeys") {
			nexts = nextWindows(t, c.APIKeys.Pages(context.Background(), &ListAPIKeysOptions{Limit: 2}),
				(*APIKeyPage).NextOptions, func(o *ListAPIKeysOptions) int { return o.Offset })
		} else {
			nexts = nextWindows(t, c.Keys.Pages(context.Background(), &ListKeysOptions{Limit: 2}),
				(*KeyPage).NextOptions, func(o *ListKeysOptions) int { return o.Offset })
		}
		want := []window{{2, true}, {4, true}, {0, false}}
		if !slices.Equal(nexts, want) {
			t.Errorf("%s: NextOptions of each page = %v, want %v (page 2 was a full server page of 2 keys at offset 2)", name, nexts, want)
		}
	}
}

// window is what NextOptions says of a page: the next offset, if any.
type window struct {
	offset int
	more   bool
}

// nextWindows walks pages and returns NextOptions' answer for each.
func nextWindows[P, O any](t *testing.T, pages iter.Seq2[P, error], next func(P) (*O, bool), offset func(*O) int) []window {
	t.Helper()
	var out []window
	for page, err := range pages {
		if err != nil {
			t.Fatal(err)
		}
		w := window{}
		if o, more := next(page); more {
			w = window{offset(o), true}
		}
		out = append(out, w)
	}
	return out
}

func julyMgmtItem(id string) string {
	return strings.Replace(julyMgmtObject, julyMgmtID, id, 1) + "\n  }"
}

func mgmtID(i int) string { return fmt.Sprintf("3f6c2a9e-8b1d-4c7e-9a2f-%012d", i) }

// One key created while a walk runs shifts the newest-first list by one:
// the page after a full one then holds only the key the walk yielded last.
// That page is short, so the list is over and every key was yielded; the
// walk nevertheless ends with ErrNoProgress, so `for k, err := range All`
// reports a failure for a complete, routine walk (any workspace with at
// least Limit keys and one create during the walk).
func TestShortPageOfRepeatsAfterConcurrentCreate(t *testing.T) {
	page1 := `{"data":[` + julyMgmtItem(mgmtID(2)) + "," + julyMgmtItem(mgmtID(1)) + `]}`
	page2 := `{"data":[` + julyMgmtItem(mgmtID(1)) + `]}` // shifted by one new key
	srv := newTestServer(t, jsonReply(200, page1), jsonReply(200, page2))
	c := newTestClient(t, srv.BaseURL(), WithAPIKey(julyKey))
	var n int
	for k, err := range c.Keys.All(context.Background(), &ListKeysOptions{Limit: 2}) {
		if err != nil {
			t.Errorf("after %d keys: %v", n, err)
			break
		}
		_ = k
		n++
	}
	if n != 2 {
		t.Errorf("yielded %d keys, want 2", n)
	}
}

// Sound: a full page of repeats still ends with ErrNoProgress (the guard
// against a server that ignores the offset).
func TestFullPageOfRepeatsIsNoProgress(t *testing.T) {
	page := `{"data":[` + julyMgmtItem(mgmtID(2)) + "," + julyMgmtItem(mgmtID(1)) + `]}`
	srv := newTestServer(t, jsonReply(200, page))
	c := newTestClient(t, srv.BaseURL(), WithAPIKey(julyKey))
	var last error
	for _, err := range c.Keys.All(context.Background(), &ListKeysOptions{Limit: 2}) {
		last = err
	}
	if !errors.Is(last, ErrNoProgress) || srv.count() != 2 {
		t.Errorf("err=%v after %d requests", last, srv.count())
	}
}

// clampingServer lists n keys newest first but never more than clamp a
// page, whatever limit was asked, as a proxy in front of the API might.
// total is the count it reports (-1: none); ignoreOffset serves the first
// page every time.
type clampingServer struct {
	n, clamp, total int
	ignoreOffset    bool
	march           bool // 2026-03 envelope {ok, keys, total}; else {data, total_count}
	requests        atomic.Int32
}

func (s *clampingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	if s.ignoreOffset {
		offset = 0
	}
	var items []string
	for i := offset; i < s.n && len(items) < s.clamp; i++ {
		items = append(items, fmt.Sprintf(`{"id":"00000000-0000-4000-8000-%012d","created_at":"2026-08-20T10:11:12Z"}`, i))
	}
	list := "[" + strings.Join(items, ",") + "]"
	w.Header().Set("Content-Type", "application/json")
	switch {
	case s.march && s.total >= 0:
		fmt.Fprintf(w, `{"ok":true,"keys":%s,"total":%d}`, list, s.total)
	case s.march:
		fmt.Fprintf(w, `{"ok":true,"keys":%s}`, list)
	case s.total >= 0:
		fmt.Fprintf(w, `{"data":%s,"total_count":%d}`, list, s.total)
	default:
		fmt.Fprintf(w, `{"data":%s}`, list)
	}
}

// walkAll runs one All walk of the kind named, returning the ids it
// yielded and its error.
func walkAll(t *testing.T, kind string, url string, limit int) ([]string, error) {
	t.Helper()
	ctx := context.Background()
	var ids []string
	var err error
	switch kind {
	case "2026-07 APIKeys":
		for k, e := range newJulyClient(t, url).APIKeys.All(ctx, &ListAPIKeysOptions{Limit: limit}) {
			if err = e; e != nil {
				break
			}
			ids = append(ids, k.ID)
		}
	case "2026-07 Keys":
		for k, e := range newJulyClient(t, url).Keys.All(ctx, &ListKeysOptions{Limit: limit}) {
			if err = e; e != nil {
				break
			}
			ids = append(ids, k.ID)
		}
	case "2026-03 Keys":
		for k, e := range newTestClient(t, url).Keys.All(ctx, &ListKeysOptions{Limit: limit}) {
			if err = e; e != nil {
				break
			}
			ids = append(ids, k.ID)
		}
	}
	return ids, err
}

// A short page whose total says more keys lie beyond it is not the end:
// a server that clamps the limit is walked to the end, each page from the
// offset after the keys actually received.
func TestWalkFollowsAClampingServer(t *testing.T) {
	for _, kind := range []string{"2026-07 APIKeys", "2026-03 Keys"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			srv := &clampingServer{n: 23, clamp: 5, total: 23, march: kind == "2026-03 Keys"}
			hs := httptest.NewServer(srv)
			t.Cleanup(hs.Close)
			ids, err := walkAll(t, kind, hs.URL+"/v1", 10)
			require.NoError(t, err)
			require.Len(t, ids, 23, "every key, none twice")
			require.Equal(t, "00000000-0000-4000-8000-000000000022", ids[22])
			require.EqualValues(t, 5, srv.requests.Load(), "23 keys in pages of 5")
		})
	}
}

// Only a short page that agrees with the total, or comes without one,
// ends a walk; a total that went stale (too high) costs one request whose
// empty page ends it; a server that ignores the offset ends in
// ErrNoProgress, never a loop.
func TestWalkEndsWhereItShould(t *testing.T) {
	tests := []struct {
		name     string
		kind     string
		srv      *clampingServer
		want     int // keys walked
		requests int32
		err      error
	}{
		{"short and agrees", "2026-07 APIKeys", &clampingServer{n: 7, clamp: 50, total: 7}, 7, 1, nil},
		{"short, no total (2026-07 management keys)", "2026-07 Keys", &clampingServer{n: 23, clamp: 5, total: -1}, 5, 1, nil},
		{"short, no total (2026-07 API keys)", "2026-07 APIKeys", &clampingServer{n: 23, clamp: 5, total: -1}, 5, 1, nil},
		{"stale total, too high", "2026-07 APIKeys", &clampingServer{n: 7, clamp: 50, total: 9}, 7, 2, nil},
		{"stale total, too high (2026-03)", "2026-03 Keys", &clampingServer{n: 7, clamp: 50, total: 9, march: true}, 7, 2, nil},
		{"stale total, too low", "2026-07 APIKeys", &clampingServer{n: 7, clamp: 50, total: 3}, 7, 1, nil},
		{"ignores the offset, short pages", "2026-07 APIKeys", &clampingServer{n: 23, clamp: 5, total: 23, ignoreOffset: true}, 5, 2, ErrNoProgress},
		{"ignores the offset, short pages (2026-03)", "2026-03 Keys", &clampingServer{n: 23, clamp: 5, total: 23, ignoreOffset: true, march: true}, 5, 2, ErrNoProgress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hs := httptest.NewServer(tt.srv)
			t.Cleanup(hs.Close)
			ids, err := walkAll(t, tt.kind, hs.URL+"/v1", 50)
			if tt.err == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tt.err)
			}
			require.Len(t, ids, tt.want)
			require.Equal(t, tt.requests, tt.srv.requests.Load())
		})
	}
}

// NextOptions follows the same rule as the walk.
func TestNextOptionsFollowsAShortPageWithMoreBeyond(t *testing.T) {
	srv := &clampingServer{n: 23, clamp: 5, total: 23}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c := newJulyClient(t, hs.URL+"/v1")
	page, err := c.APIKeys.List(context.Background(), &ListAPIKeysOptions{Limit: 10, Offset: 10})
	require.NoError(t, err)
	require.Len(t, page.Keys, 5)
	next, ok := page.NextOptions()
	require.True(t, ok, "5 of 10 asked, but the total says 8 more")
	require.Equal(t, 15, next.Offset)
	require.Equal(t, 10, next.Limit)

	page, err = c.APIKeys.List(context.Background(), &ListAPIKeysOptions{Limit: 10, Offset: 20})
	require.NoError(t, err)
	_, ok = page.NextOptions()
	require.False(t, ok, "3 keys at offset 20 of 23: the end")
}

// A cancelled context stops a walk at once: after cancel() no further key
// is yielded (not the rest of the page already read), then the context's
// error, and no further page is requested.
func TestWalkStopsAtOnceWhenCancelled(t *testing.T) {
	for _, kind := range []string{"2026-07 APIKeys", "2026-07 Keys", "2026-03 Keys"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			srv := &clampingServer{n: 30, clamp: 10, total: 30, march: kind == "2026-03 Keys"}
			hs := httptest.NewServer(srv)
			t.Cleanup(hs.Close)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var seq func(yield func(string, error) bool)
			switch kind {
			case "2026-07 APIKeys":
				seq = func(yield func(string, error) bool) {
					for k, err := range newJulyClient(t, hs.URL+"/v1").APIKeys.All(ctx, &ListAPIKeysOptions{Limit: 10}) {
						if !yield(idOf(k), err) {
							return
						}
					}
				}
			case "2026-07 Keys":
				seq = func(yield func(string, error) bool) {
					for k, err := range newJulyClient(t, hs.URL+"/v1").Keys.All(ctx, &ListKeysOptions{Limit: 10}) {
						if !yield(keyIDOf(k), err) {
							return
						}
					}
				}
			default:
				seq = func(yield func(string, error) bool) {
					for k, err := range newTestClient(t, hs.URL+"/v1").Keys.All(ctx, &ListKeysOptions{Limit: 10}) {
						if !yield(keyIDOf(k), err) {
							return
						}
					}
				}
			}
			var got int
			var errs []error
			for id, err := range seq {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				require.Empty(t, errs, "no key after the error")
				got++
				if got == 3 {
					cancel()
				}
				require.LessOrEqual(t, got, 3, "a key yielded after cancel: %s", id)
			}
			require.Equal(t, 3, got)
			require.Len(t, errs, 1)
			require.True(t, errors.Is(errs[0], context.Canceled), "%v", errs[0])
			require.EqualValues(t, 1, srv.requests.Load(), "no page after the cancel")
		})
	}
}

func idOf(k *APIKey) string {
	if k == nil {
		return ""
	}
	return k.ID
}

func keyIDOf(k *Key) string {
	if k == nil {
		return ""
	}
	return k.ID
}
