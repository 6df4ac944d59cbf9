package aistats

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
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
