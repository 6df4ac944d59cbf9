package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
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
	getID    = "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40" // the key every Get asks for
	pageSize = aistats.MaxPageSize
	wsID     = "5e0c7a3b-2f1d-4b8e-9a6c-7d4e3f2a1b0c"
	ownerID  = "3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
)

// version is one API generation as the bench server answers it and both
// clients call it: its credential, its two routes and its JSON.
type version struct {
	name string // sub-benchmark name: "2026-07"
	// key is the credential both clients send. The SDK picks the version
	// from it (phaseo_v1_mk_… is 2026-07, aistats_… is 2026-03) and the
	// server answers only the version's own key.
	key          string
	getPath      string // GET of getID: a management key
	listPath     string // GET of a page of keys
	defaultLimit int    // the page size without ?limit
	echoOffset   bool   // pages echo their offset (2026-03)
	renderGet    func() []byte
	// renderPage renders the page of limit keys at offset of a team of
	// total keys; tag gives the first 8 hex digits of key i's id.
	renderPage func(total, limit, offset int, tag func(i int) string) []byte
	unauth     string // the 401 body
}

var (
	// july is 2026-07 (contract-2026-07.md): the management key getID on
	// /v1/management-keys (§5.1, §5.4) and the API keys on /v1/keys (§6.1,
	// §6.2). Every benchmark that compares only one version uses it.
	july = &version{
		name:         "2026-07",
		key:          "phaseo_v1_mk_Hk29sdQ3xLmZ_8cV2nR7tY1pK4wB6hJ9fD3sA5gE0uI2oL7qX4zCm",
		getPath:      "/v1/management-keys/" + getID,
		listPath:     "/v1/keys",
		defaultLimit: 100,
		renderGet:    renderJulyGet,
		renderPage:   renderJulyPage,
		unauth:       `{"error":"unauthorised","reason":"invalid_secret","request_id":"G-01K3B9Q7ZP4M2X8VJ6N5R0C1TD","status_code":401,"error_type":"user","error_origin":"user","generation_id":"G-01K3B9Q7ZP4M2X8VJ6N5R0C1TD"}`,
	}
	// march is 2026-03 (contract.md §2.1, §2.3): management keys on
	// /v1/management/keys, both answers in {ok, …} envelopes.
	march = &version{
		name:         "2026-03",
		key:          "aistats_v1_sk_Q7xk2Pa9LmZt_4kYw8Zr2Nq6Tb1Vx9Lc3Hs7Jd5Fg0Pm2Ka8Re4Ut",
		getPath:      "/v1/management/keys/" + getID,
		listPath:     "/v1/management/keys",
		defaultLimit: 50,
		echoOffset:   true,
		renderGet:    renderMarchGet,
		renderPage:   renderMarchPage,
		unauth:       `{"ok":false,"error":"Unauthorized"}`,
	}
	versions = []*version{july, march}
)

var (
	names = []string{"CI pipeline key", "billing-worker", "staging dashboard", "terraform", "analytics export"}
	// newest is the newest key's creation time per version.
	newestMarch = time.Date(2026, 3, 10, 14, 2, 11, 482e6, time.UTC)
	newestJuly  = time.Date(2026, 8, 20, 10, 11, 12, 345678e3, time.UTC)
)

// A team's keys repeat every cycleKeys keys, all but their ids (below):
// key i is key i%cycleKeys of the first cycle, so the server keeps
// cycleKeys/pageSize pre-rendered pages whatever the team's size.
const cycleKeys = 4 * pageSize

// Ids and hashes are unique across a whole dataset: the first 8 hex
// digits of key i's id (and, on 2026-07, of its hash) are the tag of its
// cycle i/cycleKeys, the other 24 are unique within a cycle.
//
// cycleTag is an odd multiplier, a bijection on uint32, so no two cycles
// share a tag.
func cycleTag(c int) (tag [8]byte) {
	const hex = "0123456789abcdef"
	v := uint32(c+1) * 2654435761
	for k := 7; k >= 0; k, v = k-1, v>>4 {
		tag[k] = hex[v&0xf]
	}
	return tag
}

// realTag is the tag of key i as any rendering outside the server's
// fast path writes it.
func realTag(i int) string { t := cycleTag(i / cycleKeys); return string(t[:]) }

// placeholder stands for the tag in a pre-rendered page: no JSON this
// fixture writes holds '@' anywhere else.
const placeholder = "@@@@@@@@"

// keyID is the id of key j of a cycle, a version-4 UUID after tag. The
// last group, (j+1)×(an even constant) mod 2⁴⁸, is unique for every
// j < 2⁴⁷ - 1.
func keyID(tag string, j int) string {
	k := j + 1
	return fmt.Sprintf("%s-%04x-4%03x-8%03x-%012x", tag, k%0xffff, k%0xfff, (k*7)%0xfff, (uint64(k)*0x9e3779b97f4a)&0xffffffffffff)
}

// prefixOf is key j's 6 base62 characters.
func prefixOf(j int) string {
	const b62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	prefix := make([]byte, 6)
	for k, v := 0, j*7919+104729; k < 6; k, v = k+1, v/62 {
		prefix[k] = b62[v%62]
	}
	return string(prefix)
}

// mix is splitmix64's finaliser: well-spread hex digits for hashes.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// pretty encodes like the server's json(): JSON.stringify(v, null, 2).
func pretty(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err)
	}
	return b
}

// ---- 2026-03 (contract.md §2.1 and §2.3), in the server's field order.
// Timestamps and scopes are the strings the server sends.

type (
	marchItem struct {
		ID         string  `json:"id"`
		Name       string  `json:"name"`
		Prefix     string  `json:"prefix"`
		Status     string  `json:"status"`
		Scopes     string  `json:"scopes"`
		CreatedAt  string  `json:"created_at"`
		LastUsedAt *string `json:"last_used_at"`
	}
	marchPage struct {
		OK     bool        `json:"ok"`
		Limit  int         `json:"limit"`
		Offset int         `json:"offset"`
		Total  int         `json:"total"`
		Keys   []marchItem `json:"keys"`
	}
	marchDetail struct {
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
	marchGet struct {
		OK  bool        `json:"ok"`
		Key marchDetail `json:"key"`
	}
)

var scopeSets = []string{`["read","write"]`, `["read"]`, `["read","write","admin"]`}

// formatMarch writes what PostgREST sent then: milliseconds, "+00:00".
func formatMarch(t time.Time) string { return t.Format("2006-01-02T15:04:05.000-07:00") }

// marchKey is key i of a 2026-03 team, newest first.
func marchKey(i int, tag string) marchItem {
	j := i % cycleKeys
	status := "active"
	switch {
	case j%50 == 49:
		status = "revoked"
	case j%10 == 9:
		status = "disabled"
	}
	created := newestMarch.Add(-time.Duration(j) * 37 * time.Second)
	var lastUsed *string
	if j%3 == 0 { // most keys were never used
		s := formatMarch(created.Add(26 * time.Hour))
		lastUsed = &s
	}
	return marchItem{
		ID:         keyID(tag, j),
		Name:       fmt.Sprintf("%s #%d", names[j%len(names)], j),
		Prefix:     prefixOf(j),
		Status:     status,
		Scopes:     scopeSets[j%len(scopeSets)],
		CreatedAt:  formatMarch(created),
		LastUsedAt: lastUsed,
	}
}

func renderMarchPage(total, limit, offset int, tag func(i int) string) []byte {
	body := marchPage{OK: true, Limit: limit, Offset: offset, Total: total, Keys: []marchItem{}}
	for i := offset; i < total && i < offset+limit; i++ {
		body.Keys = append(body.Keys, marchKey(i, tag(i)))
	}
	return pretty(body)
}

func renderMarchGet() []byte {
	k := marchKey(0, "")
	return pretty(marchGet{OK: true, Key: marchDetail{
		ID: getID, TeamID: wsID, Name: k.Name, Prefix: k.Prefix, Status: k.Status, Scopes: k.Scopes,
		CreatedBy: ownerID, CreatedAt: k.CreatedAt,
	}})
}

// ---- 2026-07 (contract-2026-07.md §5.1 and §6.1), in the server's
// field order.

type (
	// julyMgmtKey is the 18 columns of a management key.
	julyMgmtKey struct {
		ID                    string   `json:"id"`
		WorkspaceID           string   `json:"workspace_id"`
		Name                  string   `json:"name"`
		Prefix                string   `json:"prefix"`
		Status                string   `json:"status"`
		Scopes                []string `json:"scopes"`
		CreatedBy             *string  `json:"created_by"`
		CreatedAt             string   `json:"created_at"`
		UpdatedAt             *string  `json:"updated_at"`
		LastUsedAt            *string  `json:"last_used_at"`
		ExpiresAt             *string  `json:"expires_at"`
		SoftBlocked           bool     `json:"soft_blocked"`
		DailyLimitRequests    *int64   `json:"daily_limit_requests"`
		WeeklyLimitRequests   *int64   `json:"weekly_limit_requests"`
		MonthlyLimitRequests  *int64   `json:"monthly_limit_requests"`
		DailyLimitCostNanos   *int64   `json:"daily_limit_cost_nanos"`
		WeeklyLimitCostNanos  *int64   `json:"weekly_limit_cost_nanos"`
		MonthlyLimitCostNanos *int64   `json:"monthly_limit_cost_nanos"`
	}
	julyGet struct {
		Data julyMgmtKey `json:"data"`
	}
	// julyAPIKey is an API key as formatApiKey writes it at HEAD.
	julyAPIKey struct {
		ID                 string   `json:"id"`
		Hash               string   `json:"hash"`
		WorkspaceID        string   `json:"workspace_id"`
		Name               string   `json:"name"`
		Label              string   `json:"label"`
		Prefix             string   `json:"prefix"`
		Status             string   `json:"status"`
		Disabled           bool     `json:"disabled"`
		SoftBlocked        bool     `json:"soft_blocked"`
		IncludeBYOKInLimit bool     `json:"include_byok_in_limit"`
		Limit              *float64 `json:"limit"`
		LimitReset         *string  `json:"limit_reset"`
		CreatedBy          string   `json:"created_by"`
		CreatorUserID      string   `json:"creator_user_id"`
		CreatedAt          string   `json:"created_at"`
		UpdatedAt          *string  `json:"updated_at"` // always null at HEAD
		LastUsedAt         *string  `json:"last_used_at"`
		ExpiresAt          *string  `json:"expires_at"`
	}
	julyPage struct {
		Data       []julyAPIKey `json:"data"`
		TotalCount int          `json:"total_count"`
	}
)

// formatJuly writes PostgREST's timestamptz: microseconds without
// trailing zeros, "+00:00" (2026-08-20T10:11:12.345678+00:00).
func formatJuly(t time.Time) string { return t.Format("2006-01-02T15:04:05.999999-07:00") }

// readWrite is what template read-write expands to (§3): the management
// key of a Terraform or CLI setup.
var readWrite = []string{
	"me:read", "models:read", "providers:read", "pricing:read", "credits:read", "activity:read",
	"analytics:read", "generations:read", "feedback:read", "feedback:write", "workspaces:read",
	"workspaces:write", "keys:read", "keys:write", "presets:read", "presets:write", "settings:read",
	"settings:write", "guardrails:read", "guardrails:write", "management_keys:read",
	"management_keys:write", "oauth_clients:read", "oauth_clients:write",
}

func renderJulyGet() []byte {
	created := formatJuly(newestJuly)
	return pretty(julyGet{Data: julyMgmtKey{
		ID: getID, WorkspaceID: wsID, Name: "terraform", Prefix: "Hk29sd", Status: "active",
		Scopes: readWrite, CreatedAt: created, UpdatedAt: &created,
		LastUsedAt:         aistats.Ptr(formatJuly(newestJuly.Add(49*time.Hour + 1234567*time.Microsecond))),
		ExpiresAt:          aistats.Ptr("2027-01-01T00:00:00+00:00"),
		DailyLimitRequests: aistats.Ptr[int64](1000), DailyLimitCostNanos: aistats.Ptr[int64](5e9),
	}})
}

// julyKey is key i of a 2026-07 workspace, newest first. The default list
// shows only active, unblocked keys; a third have a USD limit, a third
// were used, some expire.
func julyKey(i int, tag string) julyAPIKey {
	j := i % cycleKeys
	created := newestJuly.Add(-time.Duration(j)*37*time.Second - time.Duration(j)*4321*time.Microsecond)
	name := fmt.Sprintf("%s #%d", names[j%len(names)], j)
	k := julyAPIKey{
		ID:          keyID(tag, j),
		Hash:        fmt.Sprintf("%s%016x%016x%016x%08x", tag, mix(uint64(4*j+1)), mix(uint64(4*j+2)), mix(uint64(4*j+3)), uint32(mix(uint64(4*j+4)))),
		WorkspaceID: wsID, Name: name, Label: name, Prefix: prefixOf(j), Status: "active",
		CreatedBy: ownerID, CreatorUserID: ownerID, CreatedAt: formatJuly(created),
	}
	switch j % 3 {
	case 1:
		k.Limit, k.LimitReset = aistats.Ptr(25.0), aistats.Ptr("monthly")
	case 2:
		k.Limit, k.LimitReset = aistats.Ptr(float64(j%40)+0.5), aistats.Ptr("daily")
	}
	if j%4 == 0 {
		k.LastUsedAt = aistats.Ptr(formatJuly(created.Add(26*time.Hour + 7654321*time.Microsecond)))
	}
	if j%7 == 0 {
		k.ExpiresAt = aistats.Ptr(formatJuly(created.Add(90 * 24 * time.Hour)))
	}
	return k
}

func renderJulyPage(total, limit, offset int, tag func(i int) string) []byte {
	body := julyPage{Data: []julyAPIKey{}, TotalCount: total}
	for i := offset; i < total && i < offset+limit; i++ {
		body.Data = append(body.Data, julyKey(i, tag(i)))
	}
	return pretty(body)
}

// renderPage is the page at offset as the server renders it; the fast
// path must serve exactly these bytes.
func renderPage(v *version, total, limit, offset int) []byte {
	return v.renderPage(total, limit, offset, realTag)
}

// ---- the pre-rendered answers

// template is a pre-rendered page of pageSize keys (or the empty page
// past the end) with the tags of its ids left as placeholders: head, then
// the offset on 2026-03, then tail with the tags at tags.
type template struct {
	head, tail []byte
	tags       []int32
}

func newTemplate(v *version, page []byte) template {
	t := template{tail: page}
	if v.echoOffset { // cut around the offset's value
		const field = `"offset": `
		i := bytes.Index(page, []byte(field)) + len(field)
		j := i + bytes.IndexByte(page[i:], ',')
		t.head, t.tail = page[:i], page[j:]
	}
	if bytes.Contains(t.head, []byte(placeholder)) {
		panic("placeholder before the offset")
	}
	for off := 0; ; {
		k := bytes.Index(t.tail[off:], []byte(placeholder))
		if k < 0 {
			break
		}
		t.tags = append(t.tags, int32(off+k))
		off += k + len(placeholder)
	}
	return t
}

// appendTo appends the page at offset: one copy and a patch of 8 bytes
// per id (and hash), no allocation once dst is large enough.
func (t *template) appendTo(dst []byte, echoOffset bool, offset int) []byte {
	dst = append(dst, t.head...)
	if echoOffset {
		dst = strconv.AppendInt(dst, int64(offset), 10)
	}
	base := len(dst)
	dst = append(dst, t.tail...)
	tag := cycleTag(offset / cycleKeys)
	for _, p := range t.tags {
		copy(dst[base+int(p):], tag[:])
	}
	return dst
}

// dataset is the pre-rendered answers of one version for a team of n
// keys: the detail of getID and the page templates.
//
// Keys repeat every cycleKeys keys but for their ids (see cycleTag), so
// the fixture's memory is the same for 1,000 and 50,000 keys: the GC
// paces itself on the live heap, and a fixture that grew with n would show
// up in the walk's heap metrics. Each request copies its template into a
// pooled buffer and writes the cycle's tag into it: the same cost for
// every page and for both clients, and no allocation.
type dataset struct {
	v      *version
	n      int
	get    []byte
	blocks []template // block offset/pageSize within the cycle -> template
	empty  template   // the page past the end
}

type datasetKey struct {
	v *version
	n int
}

var datasets sync.Map // datasetKey -> *dataset

// datasetOf renders the answers of v for n keys once per process;
// benchmarks share them so that -count=6 does not re-render.
func datasetOf(v *version, n int) *dataset {
	if d, ok := datasets.Load(datasetKey{v, n}); ok {
		return d.(*dataset)
	}
	hold := func(int) string { return placeholder }
	d := &dataset{v: v, n: n, get: v.renderGet()}
	for off := 0; off < cycleKeys && off+pageSize <= n; off += pageSize {
		d.blocks = append(d.blocks, newTemplate(v, v.renderPage(n, pageSize, off, hold)))
	}
	d.empty = newTemplate(v, v.renderPage(n, pageSize, n, hold))
	actual, _ := datasets.LoadOrStore(datasetKey{v, n}, d)
	return actual.(*dataset)
}

// appendPage appends the page of limit keys at offset if it is
// pre-rendered: full pages of pageSize, and the empty page past the end.
// The short last page is not.
func (d *dataset) appendPage(dst []byte, limit, offset int) ([]byte, bool) {
	var t *template
	switch {
	case limit != pageSize || offset%pageSize != 0:
		return dst, false
	case offset >= d.n:
		t = &d.empty
	case offset+pageSize <= d.n:
		t = &d.blocks[offset%cycleKeys/pageSize]
	default:
		return dst, false
	}
	return t.appendTo(dst, d.v.echoOffset, offset), true
}

// bufs holds the buffers pages are patched in.
var bufs = sync.Pool{New: func() any { return new([]byte) }}

// server is one loopback API server of one version with its own
// connection count.
type server struct {
	*httptest.Server
	data  *dataset
	auth  string       // the Authorization header it answers
	base  string       // the base URL both clients are given, with the API's /v1 root
	conns atomic.Int64 // connections accepted
	busy  atomic.Int32 // handlers running (see idle)
}

func newServer(tb testing.TB, v *version, n int) *server {
	tb.Helper()
	s := &server{data: datasetOf(v, n), auth: "Bearer " + v.key}
	s.Server = httptest.NewUnstartedServer(s)
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	s.base = s.URL + "/v1"
	tb.Cleanup(s.Close)
	return s
}

func (s *server) version() *version { return s.data.v }

var (
	jsonType  = []string{"application/json"}
	plainType = []string{"text/plain; charset=UTF-8"}
	noStore   = []string{"no-store"}
)

// idle waits until no handler runs. The server writes a page straight to
// the socket, so the client can read it all before the handler has put its
// buffer back in the pool; a heap reading taken then would count it.
func (s *server) idle() {
	for s.busy.Load() != 0 {
		runtime.Gosched()
	}
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.busy.Add(1)
	defer s.busy.Add(-1) // runs last, after the buffer is back in the pool
	v := s.version()
	h := w.Header()
	if r.Header.Get("Authorization") != s.auth {
		h["Content-Type"], h["Cache-Control"] = jsonType, noStore
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, v.unauth)
		return
	}
	var body []byte
	switch p := r.URL.Path; {
	case r.Method == http.MethodGet && p == v.listPath:
		bp := bufs.Get().(*[]byte)
		defer bufs.Put(bp)
		body = s.page(r, (*bp)[:0])
		*bp = body
	case r.Method == http.MethodGet && p == v.getPath:
		body = s.data.get
	default: // what Hono answers for an unknown route
		h["Content-Type"] = plainType
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, "404 Not Found")
		return
	}
	h["Content-Type"], h["Cache-Control"] = jsonType, noStore
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	_, _ = w.Write(body)
}

// page answers like the server: limit defaults to the version's default
// and is clamped to 250, offset defaults to 0. Pages that are not
// pre-rendered are rendered on demand.
func (s *server) page(r *http.Request, dst []byte) []byte {
	limit, offset := s.version().defaultLimit, 0
	for q := r.URL.RawQuery; q != ""; {
		var kv string
		kv, q, _ = strings.Cut(q, "&")
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
	if b, ok := s.data.appendPage(dst, limit, offset); ok {
		return b
	}
	return append(dst, renderPage(s.version(), s.data.n, limit, offset)...)
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

// TestServerPages checks the fixture of both versions: every page the
// server sends (pre-rendered and patched, the empty page past the end,
// a short last page rendered on demand) is the real page, and both
// clients walk n keys with n distinct ids across several cycles.
func TestServerPages(t *testing.T) {
	t.Parallel()
	for _, v := range versions {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			const n = 2*cycleKeys + 100
			s := newServer(t, v, n)
			for _, offset := range []int{0, 750, 1250, 2000, n, 50 * cycleKeys} {
				want := renderPage(v, n, pageSize, offset)
				got := getBody(t, s, fmt.Sprintf("%s?limit=%d&offset=%d", v.listPath, pageSize, offset))
				if !bytes.Equal(got, want) {
					t.Errorf("page at offset %d:\n%.400s\nwant\n%.400s", offset, got, want)
				}
			}
			if got := getBody(t, s, v.getPath); !bytes.Equal(got, v.renderGet()) {
				t.Errorf("get: %.300s", got)
			}
			for _, side := range variants {
				seen := make(map[string]bool)
				walked := 0
				err := side.make(t, s).walk(context.Background(), func(id string) {
					walked++
					seen[id] = true
				})
				if err != nil || walked != n || len(seen) != n {
					t.Errorf("%s walked %d of %d keys (%d distinct ids), err %v", side.name, walked, n, len(seen), err)
				}
			}
		})
	}
}

// getBody answers one GET of path with the version's credential.
func getBody(t *testing.T, s *server, path string) []byte {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
	req.Header.Set("Authorization", s.auth)
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
	}
	return b
}
