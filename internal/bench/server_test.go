package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
)

const (
	apiKey   = "aistats_v1_sk_Q7xk2Pa9LmZt_4kYw8Zr2Nq6Tb1Vx9Lc3Hs7Jd5Fg0Pm2Ka8Re4Ut"
	keysPath = "/v1/management/keys"
	getID    = "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40"
	pageSize = aistats.MaxPageSize
)

// The server's JSON shapes (contract.md §2.1 and §2.3), in the server's
// field order. Timestamps and scopes are the strings the server sends.
type (
	listItem struct {
		ID         string  `json:"id"`
		Name       string  `json:"name"`
		Prefix     string  `json:"prefix"`
		Status     string  `json:"status"`
		Scopes     string  `json:"scopes"`
		CreatedAt  string  `json:"created_at"`
		LastUsedAt *string `json:"last_used_at"`
	}
	listBody struct {
		OK     bool       `json:"ok"`
		Limit  int        `json:"limit"`
		Offset int        `json:"offset"`
		Total  int        `json:"total"`
		Keys   []listItem `json:"keys"`
	}
	detailItem struct {
		ID          string  `json:"id"`
		TeamID      string  `json:"team_id"`
		Name        string  `json:"name"`
		Prefix      string  `json:"prefix"`
		Status      string  `json:"status"`
		Scopes      string  `json:"scopes"`
		CreatedBy   string  `json:"created_by"`
		CreatedAt   string  `json:"created_at"`
		LastUsedAt  *string `json:"last_used_at"`
		SoftBlocked bool    `json:"soft_blocked"`
	}
	detailBody struct {
		OK  bool       `json:"ok"`
		Key detailItem `json:"key"`
	}
)

var (
	names     = []string{"CI pipeline key", "billing-worker", "staging dashboard", "terraform", "analytics export"}
	scopeSets = []string{`["read","write"]`, `["read"]`, `["read","write","admin"]`}
	newest    = time.Date(2026, 3, 10, 14, 2, 11, 482e6, time.UTC)
)

// fixtureKey is key number i of a team, newest first; a pure function of i
// so that any page can be rendered without keeping the keys.
func fixtureKey(i int) listItem {
	const b62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	prefix := make([]byte, 6)
	for j, v := 0, i*7919+104729; j < 6; j, v = j+1, v/62 {
		prefix[j] = b62[v%62]
	}
	status := "active"
	switch {
	case i%50 == 49:
		status = "revoked"
	case i%10 == 9:
		status = "disabled"
	}
	created := newest.Add(-time.Duration(i) * 37 * time.Second)
	var lastUsed *string
	if i%3 == 0 { // most keys were never used
		s := formatTime(created.Add(26 * time.Hour))
		lastUsed = &s
	}
	return listItem{
		ID:         fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(i)*2654435761, i%0xffff, i%0xfff, (i*7)%0xfff, (uint64(i)*0x9e3779b97f4a)&0xffffffffffff),
		Name:       fmt.Sprintf("%s #%d", names[i%len(names)], i),
		Prefix:     string(prefix),
		Status:     status,
		Scopes:     scopeSets[i%len(scopeSets)],
		CreatedAt:  formatTime(created),
		LastUsedAt: lastUsed,
	}
}

// formatTime writes what PostgREST sends: millisecond precision, "+00:00".
func formatTime(t time.Time) string { return t.Format("2006-01-02T15:04:05.000-07:00") }

// pretty encodes like the server's json(): JSON.stringify(v, null, 2).
func pretty(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err)
	}
	return b
}

// renderPage renders the page at offset holding the keys from first on.
func renderPage(total, limit, offset, first int) []byte {
	body := listBody{OK: true, Limit: limit, Offset: offset, Total: total, Keys: []listItem{}}
	for i := first; i < total && i < first+limit; i++ {
		body.Keys = append(body.Keys, fixtureKey(i))
	}
	return pretty(body)
}

// dataset is the pre-rendered answers for a team of n keys: the detail of
// getID and the pages of pageSize keys.
//
// A page is split around its "offset" value so that one rendering serves
// every page that holds the same keys. Pages cycle through the first
// cycleKeys keys (ids repeat every cycleKeys keys; no client here
// deduplicates beyond one page), so the fixture's memory is the same for
// 1,000 and 50,000 keys: the GC paces itself on the live heap, and a
// fixture that grew with n would show up as the walk's "peak heap".
type dataset struct {
	n     int
	get   []byte
	pages map[int][2][]byte // block start -> page before and after the offset value
}

const cycleKeys = 4 * pageSize

var datasets sync.Map // n -> *dataset

// datasetOf renders the bodies for n keys once per process; benchmarks
// share them so that -count=6 does not re-render.
func datasetOf(n int) *dataset {
	if d, ok := datasets.Load(n); ok {
		return d.(*dataset)
	}
	k := fixtureKey(0)
	d := &dataset{n: n, pages: make(map[int][2][]byte)}
	d.get = pretty(detailBody{OK: true, Key: detailItem{
		ID: getID, TeamID: "5e0c7a3b-2f1d-4b8e-9a6c-7d4e3f2a1b0c", Name: k.Name, Prefix: k.Prefix,
		Status: k.Status, Scopes: k.Scopes, CreatedBy: "3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
		CreatedAt: k.CreatedAt, LastUsedAt: nil,
	}})
	for off := 0; off < min(n, cycleKeys); off += pageSize {
		d.pages[off] = splitAtOffset(renderPage(n, pageSize, off, off))
	}
	actual, _ := datasets.LoadOrStore(n, d)
	return actual.(*dataset)
}

// splitAtOffset cuts a rendered page around its "offset" value.
func splitAtOffset(page []byte) [2][]byte {
	const field = `"offset": `
	i := bytes.Index(page, []byte(field)) + len(field)
	j := i + bytes.IndexByte(page[i:], ',')
	return [2][]byte{page[:i], page[j:]}
}

// body returns the page of pageSize keys at offset as the parts to write,
// or nil if it is not pre-rendered.
func (d *dataset) body(limit, offset int) [][]byte {
	block := offset % cycleKeys
	p, ok := d.pages[block]
	// The last page must be as short as the real one.
	if !ok || limit != pageSize || offset%pageSize != 0 || offset+pageSize > d.n {
		return nil
	}
	return [][]byte{p[0], []byte(strconv.Itoa(offset)), p[1]}
}

// server is one loopback API server with its own connection count.
type server struct {
	*httptest.Server
	data  *dataset
	conns atomic.Int64 // connections accepted
}

func newServer(tb testing.TB, n int) *server {
	tb.Helper()
	s := &server{data: datasetOf(n)}
	s.Server = httptest.NewUnstartedServer(s)
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	tb.Cleanup(s.Close)
	return s
}

// baseURL is what both clients are given, with the API's /v1 root.
func (s *server) baseURL() string { return s.URL + "/v1" }

var (
	jsonType = []string{"application/json"}
	noStore  = []string{"no-store"}
	wantAuth = "Bearer " + apiKey
)

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != wantAuth {
		http.Error(w, `{"ok":false,"error":"Unauthorized"}`, http.StatusUnauthorized)
		return
	}
	var parts [][]byte
	switch p := r.URL.Path; {
	case r.Method == http.MethodGet && p == keysPath:
		parts = s.page(r)
	case r.Method == http.MethodGet && p == keysPath+"/"+getID:
		parts = [][]byte{s.data.get}
	default:
		http.Error(w, `{"ok":false,"error":"Key not found"}`, http.StatusNotFound)
		return
	}
	size := 0
	for _, b := range parts {
		size += len(b)
	}
	h := w.Header()
	h["Content-Type"], h["Cache-Control"] = jsonType, noStore
	h["Content-Length"] = []string{strconv.Itoa(size)}
	for _, b := range parts {
		_, _ = w.Write(b)
	}
}

// page answers like the server: limit defaults to 50 and is clamped to
// 250, offset defaults to 0. Pages that are not pre-rendered are rendered
// on demand.
func (s *server) page(r *http.Request) [][]byte {
	limit, offset := 50, 0
	for _, kv := range strings.Split(r.URL.RawQuery, "&") {
		k, v, _ := strings.Cut(kv, "=")
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
		case k == "limit" && n > 0:
			limit = min(n, pageSize)
		case k == "offset" && n >= 0:
			offset = n
		}
	}
	if parts := s.data.body(limit, offset); parts != nil {
		return parts
	}
	return [][]byte{renderPage(s.data.n, limit, offset, offset)}
}

// heapSampler records the peak of the heap's object bytes, sampled every
// millisecond by its own goroutine and once more at Stop.
type heapSampler struct {
	stop, done  chan struct{}
	start, peak uint64
}

func readHeapObjects(s []metrics.Sample) uint64 {
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func startHeapSampler() *heapSampler {
	hs := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	hs.start = readHeapObjects(sample)
	hs.peak = hs.start
	go func() {
		defer close(hs.done)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			hs.peak = max(hs.peak, readHeapObjects(sample))
			select {
			case <-hs.stop:
				hs.peak = max(hs.peak, readHeapObjects(sample))
				return
			case <-tick.C:
			}
		}
	}()
	return hs
}

// Stop ends the sampling and returns the peak growth over the start.
func (hs *heapSampler) Stop() uint64 {
	close(hs.stop)
	<-hs.done
	return hs.peak - min(hs.start, hs.peak)
}

// TestServerPages checks the fixture: a pre-rendered page is the real page
// with its offset put in, and both clients walk exactly n keys, including a
// short last page rendered on demand.
func TestServerPages(t *testing.T) {
	t.Parallel()
	got := bytes.Join(datasetOf(2000).body(pageSize, 1250), nil)
	if want := renderPage(2000, pageSize, 1250, 250); !bytes.Equal(got, want) {
		t.Errorf("page at offset 1250:\n%.300s\nwant\n%.300s", got, want)
	}
	for _, n := range []int{1000, 1100} {
		s := newServer(t, n)
		for _, v := range variants {
			walked := 0
			err := v.make(t, s).walk(context.Background(), func(id string) {
				if id != "" {
					walked++
				}
			})
			if err != nil || walked != n {
				t.Errorf("%s walked %d of %d keys, err %v", v.name, walked, n, err)
			}
		}
	}
}
