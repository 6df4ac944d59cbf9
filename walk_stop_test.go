package aistats

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

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
