package aistats

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The hostile corpus (testdata/hostile_strings.txt) runs through every
// path that turns server text into a string: APIError's fields and
// Error(), DecodeError on reads and mints, TransportError, the String() of
// every result type and the log records. Nothing it holds may show a
// credential, and nothing shown as a line may hold a Cc or Cf rune.

// hostileClientKeys are the client keys the corpus runs with: a Phaseo
// key (also masked by its shape) and a key in another format whose
// characters have several escaped spellings.
var hostileClientKeys = []string{julyKey, review2Key}

// Someone else's keys, which a server may leak into any text.
const (
	hostileOtherSK      = "phaseo_v1_sk_Zb7Qe2Rt9Ykm_Mn4Bv7Cx1Zl8Kj5Hg2Fd9Sa6Pq3Wo0Ei7Ru4Ty1"
	hostileOtherMK      = "phaseo_v1_mk_Pp3Oo8Ii2Uu7_Qw1Er4Ty7Ui0Op3As6Df9Gh2Jk5Lz8Xc1Vb4Nm7"
	hostileOtherAIStats = "aistats_v1_sk_Ll0Kk9Jj8Hh7_Gg6Ff5Dd4Ss3Aa2Qq1Ww0Ee9Rr8Tt7Yy6Uu5I"
)

// hostileCorpus is the corpus expanded for one client key.
type hostileCorpus struct {
	entries []string
	// needles must not appear in anything a client shows.
	needles []string
	// shaped are the needles that look like a credential, so that even a
	// value printed away from any client (String()) must not show them.
	shaped []string
}

// hostileStrings reads the corpus and expands it for the client key key.
func hostileStrings(tb testing.TB, key string) *hostileCorpus {
	tb.Helper()
	f, err := os.Open("testdata/hostile_strings.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	vars, hc := map[string]string{"{HUGE}": strings.Repeat("A long line of text. ", 70<<10/21)}, &hostileCorpus{entries: []string{""}}
	secretOf := func(k string) string { // the part after the key id of an AI Stats or Phaseo key
		if parts := strings.SplitN(k, "_", 5); len(parts) == 5 && redactKeys(k) != k {
			return parts[4][:12]
		}
		return ""
	}
	for name, k := range map[string]string{"KEY": key, "OTHER_SK": hostileOtherSK} {
		sp := spellings(k)
		for form, v := range sp {
			vars["{"+name+form+"}"] = v
		}
		shaped := secretOf(k) != ""
		for form, v := range sp {
			if form == "_12" || (form == "_16" && shaped) { // public: the redacted form shows as much
				continue
			}
			hc.needles = append(hc.needles, v)
			if shaped && form != "_16" && form != "_24" { // a key id alone is public
				hc.shaped = append(hc.shaped, v)
			}
		}
	}
	vars["{OTHER_SK_CUT}"] = hostileOtherSK[:strings.LastIndex(hostileOtherSK, secretOf(hostileOtherSK))+12]
	vars["{OTHER_MK}"], vars["{OTHER_AISTATS}"] = hostileOtherMK, hostileOtherAIStats
	for _, k := range []string{key, hostileOtherSK, hostileOtherMK, hostileOtherAIStats} {
		if s := secretOf(k); s != "" {
			hc.needles, hc.shaped = append(hc.needles, s), append(hc.shaped, s)
		}
	}
	hc.needles = append(hc.needles, hostileOtherMK, hostileOtherAIStats, vars["{OTHER_SK_CUT}"])
	hc.shaped = append(hc.shaped, hostileOtherMK, hostileOtherAIStats, vars["{OTHER_SK_CUT}"])

	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s, err := strconv.Unquote(`"` + line + `"`)
		if err != nil {
			tb.Fatalf("testdata/hostile_strings.txt:%d: %v", n, err)
		}
		for name, v := range vars {
			s = strings.ReplaceAll(s, name, v)
		}
		if i := strings.Index(s, "{KEY"); i >= 0 || strings.Contains(s, "{OTHER") {
			tb.Fatalf("testdata/hostile_strings.txt:%d: unknown placeholder in %.40q", n, s)
		}
		hc.entries = append(hc.entries, s)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return hc
}

// spellings are the ways a server may echo the secret k, by placeholder
// suffix ("" is k as sent).
func spellings(k string) map[string]string {
	j, _ := json.Marshal(k)
	q := strconv.Quote(k)
	var jsonU, pct, shy, tag strings.Builder
	for i, r := range k {
		if i%3 == 0 {
			fmt.Fprintf(&jsonU, `\u%04x`, r)
		} else {
			jsonU.WriteRune(r)
		}
		if i > 0 && i%4 == 0 {
			shy.WriteRune('\u00ad')
		}
		if i > 0 && i%5 == 0 {
			tag.WriteRune('\U000E0020')
		}
		shy.WriteRune(r)
		tag.WriteRune(r)
	}
	for i := 0; i < len(k); i++ {
		fmt.Fprintf(&pct, "%%%02x", k[i])
	}
	return map[string]string{
		"":       k,
		"_JSON":  string(j[1 : len(j)-1]),
		"_JSONU": jsonU.String(),
		"_QUOTE": q[1 : len(q)-1],
		"_URL":   url.QueryEscape(k),
		"_PATH":  url.PathEscape(k),
		"_PCT":   pct.String(),
		"_HTML":  "&#" + strconv.Itoa(int(k[0])) + ";" + html.EscapeString(k[1:]),
		"_16":    k[:16],
		"_24":    k[:24],
		"_12":    k[:12],
		"_SHY":   shy.String(),
		"_TAG":   tag.String(),
	}
}

// check fails if s shows a needle (only the credential-shaped ones when
// shapedOnly) or, for a line, a Cc or Cf rune or invalid UTF-8.
func (hc *hostileCorpus) check(t *testing.T, where, s string, line, shapedOnly bool) {
	t.Helper()
	needles := hc.needles
	if shapedOnly {
		needles = hc.shaped
	}
	for _, n := range needles {
		if strings.Contains(s, n) {
			t.Errorf("%s shows %.30q…: %.200q", where, n, s)
		}
	}
	if !line {
		return
	}
	if !utf8.ValidString(s) {
		t.Errorf("%s is not valid UTF-8: %.200q", where, s)
	}
	for _, r := range s {
		if r < utf8.RuneSelf && r >= 0x20 && r != 0x7f {
			continue // the common case, fast: the corpus has megabytes of text
		}
		if unicode.In(r, unicode.Cc, unicode.Cf) || (r >= 0xe0000 && r <= 0xe007f) || r == 0x2028 || r == 0x2029 {
			t.Errorf("%s holds %U: %.200q", where, r, s)
			return
		}
	}
}

// checkErr checks every rendering of err, caused by the entry e, and of
// the error types in it. (The renderings that only quote Error() again are
// skipped for a huge entry: Error() is capped, and %#v of a 64 KiB Body is
// slow under -race.)
func (hc *hostileCorpus) checkErr(t *testing.T, err error, e string) {
	t.Helper()
	if err == nil {
		t.Fatal("want an error")
	}
	hc.check(t, "Error()", err.Error(), true, false)
	for _, verb := range []string{"%v", "%+v", "%s"} {
		hc.check(t, verb, fmt.Sprintf(verb, err), true, false)
	}
	for _, verb := range []string{"%q", "%#v", "%x"} {
		if len(e) <= 4<<10 {
			hc.check(t, verb, fmt.Sprintf(verb, err), false, false)
		}
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		hc.check(t, "APIError.Error()", apiErr.Error(), true, false)
		hc.check(t, "Code", apiErr.Code, true, false)
		hc.check(t, "Message", apiErr.Message, true, false)
		hc.check(t, "RequestID", apiErr.RequestID, true, false)
		hc.check(t, "Body", string(apiErr.Body), false, false)
		for k, vs := range apiErr.Header {
			for _, v := range vs {
				hc.check(t, "Header "+k, v, false, false)
			}
		}
	}
	var de *DecodeError
	if errors.As(err, &de) {
		hc.check(t, "DecodeError.Error()", de.Error(), true, false)
		hc.check(t, "Snippet", string(de.Snippet), false, false)
		hc.check(t, "DecodeError.Err", de.Err.Error(), true, false)
	}
	var te *TransportError
	if errors.As(err, &te) {
		hc.check(t, "TransportError.Err", te.Err.Error(), true, false)
	}
}

// withHostileCorpus runs a test once per client key, with the corpus
// expanded for it.
func withHostileCorpus(t *testing.T, run func(key string, hc *hostileCorpus)) {
	for _, key := range hostileClientKeys {
		run(key, hostileStrings(t, key))
	}
}

// checkLogs checks the records logged since the last check, each a line.
func (hc *hostileCorpus) checkLogs(t *testing.T, logs *logCapture) {
	t.Helper()
	for _, l := range logs.take() {
		hc.check(t, "log", l, true, false)
	}
}

// logCapture keeps the text of every log record: message and attributes.
type logCapture struct {
	mu    sync.Mutex
	lines []string
}

func (l *logCapture) Enabled(context.Context, slog.Level) bool { return true }
func (l *logCapture) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *logCapture) WithGroup(string) slog.Handler            { return l }
func (l *logCapture) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, r.Message)
	r.Attrs(func(a slog.Attr) bool {
		l.lines = append(l.lines, a.Key+"="+a.Value.Resolve().String())
		return true
	})
	return nil
}

func (l *logCapture) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.lines
	l.lines = nil
	return out
}

// hostileServer answers every request with the reply stored last.
type hostileServer struct {
	*testServer
	cur atomic.Pointer[reply]
}

func newHostileServer(t *testing.T) *hostileServer {
	h := &hostileServer{testServer: newTestServer(t)}
	h.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		rep := h.cur.Load()
		for k, v := range rep.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(rep.Status)
		_, _ = w.Write([]byte(rep.Body))
	})
	return h
}

// jsonString is s as a JSON string (invalid UTF-8 becomes U+FFFD).
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// headerSafe: net/http refuses to send a value with a line break or NUL.
func headerSafe(s string) bool { return fuzzValidHeaderValue(s) }

// hostileHeader carries e where a server may put it.
func hostileHeader(e, contentType string) http.Header {
	h := http.Header{"Content-Type": {contentType}}
	if headerSafe(e) {
		h["X-Request-Id"], h["X-Debug"], h["Location"] = []string{e}, []string{e}, []string{"https://x.example/?q=" + e}
	}
	return h
}

func TestHostileCorpusAPIErrors(t *testing.T) {
	t.Parallel()
	withHostileCorpus(t, func(key string, hc *hostileCorpus) {
		srv := newHostileServer(t)
		logs := &logCapture{}
		c := newTestClient(t, srv.BaseURL(), WithAPIKey(key), WithAPIVersion(APIVersionJuly2026),
			WithMaxRetries(0), WithLogger(slog.New(logs)))
		ctx := context.Background()
		for i, e := range hc.entries {
			for name, rep := range map[string]reply{
				"flat":   {Status: 400, Header: hostileHeader(e, "application/json"), Body: `{"error":` + jsonString(e) + `,"message":` + jsonString(e) + `,"request_id":` + jsonString(e) + `}`},
				"nested": {Status: 404, Header: hostileHeader(e, "application/json"), Body: `{"error":{"code":` + jsonString(e) + `,"message":` + jsonString(e) + `,"request_id":` + jsonString(e) + `}}`},
				"reason": {Status: 401, Header: hostileHeader(e, "application/json"), Body: `{"error":"unauthorised","reason":` + jsonString(e) + `}`},
				"text":   {Status: 502, Header: hostileHeader(e, "text/html"), Body: "<html><title>" + e + "</title>" + e},
			} {
				t.Run(fmt.Sprintf("%.20s/%d/%s", key, i, name), func(t *testing.T) {
					srv.cur.Store(&rep)
					_, err := c.Keys.Get(ctx, julyMgmtID)
					hc.checkErr(t, err, e)
					// A mint's unknown outcome wraps the same APIError.
					_, err = c.APIKeys.Create(ctx, &CreateAPIKeyParams{Name: "n"})
					hc.checkErr(t, err, e)
					hc.checkLogs(t, logs)
				})
			}
		}
	})
}

func TestHostileCorpusDecodeErrors(t *testing.T) {
	t.Parallel()
	withHostileCorpus(t, func(key string, hc *hostileCorpus) {
		srv := newHostileServer(t)
		logs := &logCapture{}
		july := newTestClient(t, srv.BaseURL(), WithAPIKey(key), WithAPIVersion(APIVersionJuly2026), WithLogger(slog.New(logs)))
		march := newTestClient(t, srv.BaseURL(), WithAPIKey(key), WithAPIVersion(APIVersionMarch2026), WithLogger(slog.New(logs)))
		ctx := context.Background()
		for i, e := range hc.entries {
			js := jsonString(e)
			withTime := func(body, field string) string { // e where a timestamp belongs: the decoder quotes it
				return strings.Replace(body, `"`+field+`": "2026-08-20T10:11:12.345678+00:00"`, `"`+field+`": `+js, 1)
			}
			reads := map[string]string{
				"data": `{"data":` + js + `}`,
				"raw":  e,
				"time": `{"data": ` + withTime(julyMgmtObject, "created_at") + "}}",
			}
			for name, body := range reads {
				t.Run(fmt.Sprintf("%.20s/%d/read-%s", key, i, name), func(t *testing.T) {
					srv.cur.Store(&reply{Status: 200, Header: hostileHeader(e, "application/json"), Body: body})
					_, err := july.Keys.Get(ctx, julyMgmtID)
					if err == nil && e == "" {
						return // an empty timestamp is null
					}
					hc.checkErr(t, err, e)
				})
			}
			// A key whose every string is e decodes, and prints safely.
			t.Run(fmt.Sprintf("%.20s/%d/read-ok", key, i), func(t *testing.T) {
				obj := julyMgmtObject
				for _, f := range []string{"name", "prefix", "status"} {
					obj = regexp.MustCompile(`"`+f+`": "[^"]*"`).ReplaceAllLiteralString(obj, `"`+f+`": `+js)
				}
				obj = strings.Replace(obj, `"scopes": [`, `"scopes": [`+js+`,`, 1)
				srv.cur.Store(&reply{Status: 200, Header: hostileHeader(e, "application/json"), Body: `{"data": ` + obj + "}}"})
				k, err := july.Keys.Get(ctx, julyMgmtID)
				if err != nil {
					t.Fatal(err)
				}
				for _, verb := range []string{"%v", "%+v", "%s"} {
					hc.check(t, "Key "+verb, fmt.Sprintf(verb, k), true, true)
				}
			})
			// Mints: public fields echo e and a timestamp fails, so the
			// key comes back with a DecodeError whose snippet shows fields.
			public := func(body string) string {
				for _, f := range []string{"name", "label"} {
					body = strings.Replace(body, `"`+f+`": "CI pipeline"`, `"`+f+`": `+js, 1)
				}
				return strings.Replace(body, `"updated_at": null`, `"updated_at": `+js+`, "message": `+js, 1)
			}
			marchBody := strings.Replace(strings.Replace(createdJSON, `"name":"CI pipeline key"`, `"name":`+js, 1),
				`"created_at":"2026-03-10T14:02:11.482+00:00"`, `"created_at":`+js+`,"message":`+js, 1)
			for name, call := range map[string]struct {
				body, secret string
				run          func() (Secret, error)
			}{
				"create": {public(julyAPIKeyCreated), julySecret, func() (Secret, error) {
					out, err := july.APIKeys.Create(ctx, &CreateAPIKeyParams{Name: "n"})
					return secretOrZero(out, err)
				}},
				"rotate": {public(julyRotated), julySecret, func() (Secret, error) {
					out, err := july.APIKeys.Rotate(ctx, julyAPIKeyID, nil)
					if out == nil {
						return Secret{}, err
					}
					return out.Secret, err
				}},
				"create-2026-03": {marchBody, plaintextKey, func() (Secret, error) {
					out, err := march.Keys.Create(ctx, &CreateKeyParams{Name: "n"})
					if out == nil {
						return Secret{}, err
					}
					return out.Secret, err
				}},
			} {
				t.Run(fmt.Sprintf("%.20s/%d/%s", key, i, name), func(t *testing.T) {
					srv.cur.Store(&reply{Status: 201, Header: hostileHeader(e, "application/json"), Body: call.body})
					got, err := call.run()
					if got.Reveal() != call.secret { // delivered whatever the rest of the answer says
						t.Fatalf("secret lost: %v", err)
					}
					if err == nil {
						return // e was a valid timestamp ("" is null)
					}
					hc.checkErr(t, err, e)
					hcMint := *hc
					hcMint.needles = append(hcMint.needles[:len(hcMint.needles):len(hcMint.needles)], call.secret, call.secret[len(call.secret)-20:])
					hcMint.checkErr(t, err, e)
				})
			}
			hc.checkLogs(t, logs)
		}
	})
}

func secretOrZero(out *CreatedAPIKey, err error) (Secret, error) {
	if out == nil {
		return Secret{}, err
	}
	return out.Secret, err
}

func TestHostileCorpusTransportErrors(t *testing.T) {
	t.Parallel()
	withHostileCorpus(t, func(key string, hc *hostileCorpus) {
		for i, e := range hc.entries {
			if strings.ContainsAny(e, "\r\n") || len(e) > 4<<10 {
				continue // the status line ends at a line break; a huge one is a header-size error
			}
			t.Run(fmt.Sprintf("%.20s/%d", key, i), func(t *testing.T) {
				t.Parallel()
				ln := rawStatusServer(t, "HTTP/1.1 2"+e)
				logs := &logCapture{}
				c := newTestClient(t, "http://"+ln.Addr().String()+"/v1", WithAPIKey(key), WithAPIVersion(APIVersionJuly2026),
					WithMaxRetries(1), WithLogger(slog.New(logs)))
				_, err := c.Keys.Get(context.Background(), julyMgmtID)
				hc.checkErr(t, err, e)
				hc.checkLogs(t, logs)
			})
		}
	})
}

// String() runs away from any client: it masks what looks like a
// credential and shows one printable line.
func TestHostileCorpusStringers(t *testing.T) {
	t.Parallel()
	withHostileCorpus(t, func(key string, hc *hostileCorpus) {
		for i, e := range hc.entries {
			k := Key{ID: e, Name: e, Prefix: e, Status: KeyStatus(e), Scopes: Scopes{e, e}, WorkspaceID: e, SoftBlocked: true}
			a := APIKey{ID: e, Hash: e, Name: e, Prefix: e, Status: KeyStatus(e), Limit: Ptr(1.5), LimitReset: LimitReset(e), WorkspaceID: e}
			ca := CreatedAPIKey{APIKey: a, Secret: NewSecret(e)}
			values := []any{k, &k, CreatedKey{Key: k, Secret: NewSecret(e)}, a, ca, RotatedAPIKey{CreatedAPIKey: ca},
				KeyPage{Keys: []*Key{&k}}, APIKeyPage{Keys: []*APIKey{&a}}, NewSecret(e), Scopes{e, "keys:read", e}}
			verbs := []string{"%v", "%+v", "%s"}
			if len(e) > 4<<10 {
				verbs = verbs[:1] // the same String(); a huge entry makes it slow under -race
			}
			for _, v := range values {
				for _, verb := range verbs {
					hc.check(t, fmt.Sprintf("%d %T %s", i, v, verb), fmt.Sprintf(verb, v), true, true)
				}
			}
		}
	})
}
